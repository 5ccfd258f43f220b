package track

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stet-archive/stet/archive"
)

// overheadSizes are the archive sizes BenchmarkRunOverhead builds. CI runs
// the default; the NewsEdits scale is
//
//	go test ./track -run '^$' -bench RunOverhead -benchtime 1x -stet.overhead 1000,100000,1000000
var overheadSizes = flag.String("stet.overhead", "1000", "comma-separated article counts for BenchmarkRunOverhead")

const overheadToken = "ghs_benchTOKEN"

// BenchmarkRunOverhead measures what one scheduled run costs before and
// after its real work, on a synthetic archive of n articles served by git
// http-backend with Basic auth on loopback, as the workflow runs it:
//
//   - checkout: the workflow's clone (depth 1, blob:none, sparse: top-level
//     files only), with the git CLI as actions/checkout runs it;
//   - state: stet fetching refs/stet/state with go-git;
//   - pass: a pass with nothing due (state decoded, plan made, nothing
//     fetched or written);
//   - push: one changed article (its old blob fetched on demand, saved)
//     pushed with go-git.
//
// Each step reports seconds and megabytes transferred (request and
// response bodies, counted at the server).
func BenchmarkRunOverhead(b *testing.B) {
	for _, f := range strings.Split(*overheadSizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			b.Fatalf("-stet.overhead: bad size %q", f)
		}
		b.Run(fmt.Sprintf("articles=%d", n), func(b *testing.B) {
			// $STET_BENCH_CACHE keeps the built archives between runs (the
			// 1M one takes minutes); each run's push adds one commit.
			root := b.TempDir()
			if c := os.Getenv("STET_BENCH_CACHE"); c != "" {
				root = filepath.Join(c, fmt.Sprintf("overhead-%d", n))
			}
			bare := filepath.Join(root, "archive.git")
			stamp := filepath.Join(root, "state-time")
			stateTime, err := time.Parse(time.RFC3339, readOr(stamp))
			if err != nil {
				os.RemoveAll(root)
				start := time.Now()
				stateTime = buildSyntheticArchive(b, bare, n)
				b.Logf("built a %d-article archive in %s", n, time.Since(start).Round(time.Millisecond))
				if err := os.WriteFile(stamp, []byte(stateTime.Format(time.RFC3339)), 0o644); err != nil {
					b.Fatal(err)
				}
			}
			var count atomic.Int64
			srv := countingGitServer(b, root, &count)
			url := srv.URL + "/archive.git"
			run := 0
			for b.Loop() {
				run++
				dir := filepath.Join(b.TempDir(), "checkout")
				// Seconds of wall time, CPU seconds of this process and of
				// the git commands the step ran (not the server's: the
				// machine is shared, so wall time includes waiting), and
				// megabytes on the wire.
				step := func(name string, f func()) {
					count.Store(0)
					clientCPU.Store(0)
					t, cpu := time.Now(), selfCPU()
					f()
					b.ReportMetric(time.Since(t).Seconds(), name+"-s")
					b.ReportMetric((selfCPU() - cpu + time.Duration(clientCPU.Load())).Seconds(), name+"-cpu-s")
					b.ReportMetric(float64(count.Load())/1e6, name+"-MB")
				}
				step("checkout", func() { workflowCheckout(b, url, dir) })
				arch, err := archive.Open(dir, archive.Options{Remote: archive.RemoteOptions{Token: overheadToken}})
				if err != nil {
					b.Fatal(err)
				}
				step("state", func() {
					if err := arch.FetchState(b.Context()); err != nil {
						b.Fatal(err)
					}
				})
				step("pass", func() {
					now := stateTime.Add(time.Minute)
					p := &Pass{Tracker: &Tracker{Archive: arch}, Now: func() time.Time { return now }}
					rep, err := p.Run(b.Context())
					if err != nil || rep.Checked != 0 || rep.Tracked != n {
						b.Fatalf("pass: %+v, %v; want nothing checked of %d", rep, err, n)
					}
				})
				step("push", func() {
					u := syntheticURL(run % n)
					path, _ := archive.PathFor(u)
					old, ok, err := arch.Current(path)
					if err != nil || !ok {
						b.Fatalf("current %s: %v", path, err)
					}
					msg := fmt.Sprintf("Example: story\n\nedited\n\nStet-Url: %s\nStet-Version: %d\nStet-Fetched: %s\n", u, run+1, stateTime.Format(time.RFC3339))
					if _, _, err := arch.Save(archive.Change{Path: path, Content: append(old, fmt.Sprintf("Edit %d.\n", run)...), Message: msg, When: stateTime}); err != nil {
						b.Fatal(err)
					}
					if _, err := arch.Push(b.Context(), archive.PushOptions{Token: overheadToken, Tries: 1}); err != nil {
						b.Fatal(err)
					}
				})
				arch.Close()
			}
		})
	}
}

// workflowCheckout runs the git commands of the workflow's checkout step.
func workflowCheckout(b *testing.B, url, dir string) {
	basic := "AUTHORIZATION: basic " + basicAuth(archive.TokenUser, overheadToken)
	for _, args := range [][]string{
		{"init", "-q", "-b", "main", dir},
		{"-C", dir, "config", "http.extraheader", basic},
		{"-C", dir, "remote", "add", "origin", url},
		{"-C", dir, "-c", "protocol.version=2", "fetch", "-q", "--no-tags", "--prune", "--no-recurse-submodules", "--depth=1", "--filter=blob:none", "origin", "+refs/heads/main:refs/remotes/origin/main"},
		{"-C", dir, "sparse-checkout", "set", "--cone", "--sparse-index"}, // top-level files only; a sparse index, not 1M entries
		{"-C", dir, "checkout", "-q", "--force", "-B", "main", "refs/remotes/origin/main"},
	} {
		cmd := exec.Command("git", args...)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+b.TempDir())
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		clientCPU.Add(int64(cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()))
	}
}

// clientCPU adds up the CPU time of the client's git commands in a step.
var clientCPU atomic.Int64

// selfCPU is the CPU time this process has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func basicAuth(user, pass string) string {
	r, _ := http.NewRequest("GET", "http://x/", nil)
	r.SetBasicAuth(user, pass)
	return strings.TrimPrefix(r.Header.Get("Authorization"), "Basic ")
}

// countingGitServer serves the repositories under root with git
// http-backend behind Basic auth, adding every request and response body
// byte to count.
func countingGitServer(b *testing.B, root string, count *atomic.Int64) *httptest.Server {
	execPath, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		b.Skipf("git --exec-path: %v", err)
	}
	h := &cgi.Handler{
		Path: filepath.Join(strings.TrimSpace(string(execPath)), "git-http-backend"),
		Env:  []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1", "REMOTE_USER=stet", "GIT_CONFIG_NOSYSTEM=1", "HOME=" + b.TempDir()},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != archive.TokenUser || p != overheadToken {
			w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
			http.Error(w, "authentication required", http.StatusUnauthorized)
			return
		}
		r.Body = countingBody{r.Body, count}
		h.ServeHTTP(countingWriter{w, count}, r)
	}))
	b.Cleanup(srv.Close)
	return srv
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (c countingBody) Read(p []byte) (int, error) {
	k, err := c.ReadCloser.Read(p)
	c.n.Add(int64(k))
	return k, err
}

type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (c countingWriter) Write(p []byte) (int, error) {
	k, err := c.ResponseWriter.Write(p)
	c.n.Add(int64(k))
	return k, err
}

// syntheticURL is article i of the synthetic archive: 50 hosts, dated
// sections, about 55 articles per directory at 1M.
func syntheticURL(i int) string {
	day := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (i/50)%365)
	return fmt.Sprintf("https://host%02d.example.com/news/%s/story-%d", i%50, day.Format("2006/01/02"), i)
}

// words is the vocabulary of the synthetic article text.
var words = strings.Fields("the government said on thursday that it would delay a vote on harbour bill until new year after officials and members of committee raised questions about cost plans residents businesses consultation opposition welcomed timetable")

// syntheticArticle is the rendered file of article i: front matter and
// about 1 KB of text, distinct per article.
func syntheticArticle(i int, u string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: Story %d\nurl: %s\nsite: Host %d\npublished: 2025-01-01T00:00:00Z\nlanguage: en\n---\n\n# Story %d\n\n", i, u, i%50, i)
	x := uint32(i*2654435761 + 1)
	for s := range 12 {
		for w := range 14 {
			x = x*1664525 + 1013904223
			word := words[int(x>>8)%len(words)]
			if w == 0 {
				word = strings.ToUpper(word[:1]) + word[1:]
			}
			b.WriteString(word)
			if w < 13 {
				b.WriteByte(' ')
			}
		}
		b.WriteString(".\n")
		if s%4 == 3 {
			b.WriteByte('\n')
		}
	}
	return []byte(strings.TrimRight(b.String(), "\n") + "\n")
}

// buildSyntheticArchive writes a bare archive of n articles with git
// fast-import: the articles in commits of up to 10,000 files, then three
// ordinary one-article commits, and a schedule state in which every
// article was checked at the returned time with a week's interval (so
// nothing is due a minute later). The remote serves partial clones and
// single-object fetches, as GitHub does.
func buildSyntheticArchive(b *testing.B, bare string, n int) time.Time {
	b.Helper()
	git := func(args ...string) *exec.Cmd {
		cmd := exec.Command("git", args...)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+b.TempDir())
		return cmd
	}
	if out, err := git("init", "-q", "--bare", "-b", "main", bare).CombinedOutput(); err != nil {
		b.Fatalf("git init: %v\n%s", err, out)
	}
	for _, kv := range [][2]string{{"uploadpack.allowFilter", "true"}, {"uploadpack.allowAnySHA1InWant", "true"}, {"http.receivepack", "true"}} {
		if out, err := git("-C", bare, "config", kv[0], kv[1]).CombinedOutput(); err != nil {
			b.Fatalf("git config: %v\n%s", err, out)
		}
	}
	cmd := git("-C", bare, "fast-import", "--quiet", "--done")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	out := &strings.Builder{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(stdin, 1<<20)
	data := func(p []byte) {
		fmt.Fprintf(w, "data %d\n", len(p))
		w.Write(p)
		w.WriteByte('\n')
	}
	when := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	// fast-import continues a ref from its last commit in the stream.
	commit := func(ref, msg string, files func()) {
		fmt.Fprintf(w, "commit %s\ncommitter stet <stet@localhost> %d +0000\n", ref, when.Unix())
		data([]byte(msg))
		files()
		when = when.Add(time.Minute)
	}
	const batch = 10000
	bulk := max(n-3, 0)
	for lo := 0; lo < bulk; lo += batch {
		hi := min(lo+batch, bulk)
		commit("refs/heads/main", fmt.Sprintf("import articles %d-%d\n", lo, hi-1), func() {
			for i := lo; i < hi; i++ {
				u := syntheticURL(i)
				p, _ := archive.PathFor(u)
				fmt.Fprintf(w, "M 100644 inline %s\n", p)
				data(syntheticArticle(i, u))
			}
		})
	}
	for i := bulk; i < n; i++ {
		u := syntheticURL(i)
		p, _ := archive.PathFor(u)
		msg := fmt.Sprintf("Host: Story %d\n\nNew article\n\nStet-Url: %s\nStet-Version: 1\nStet-Fetched: %s\nStet-Extractor: stet-extract/2\n", i, u, when.Format(time.RFC3339))
		commit("refs/heads/main", msg, func() {
			fmt.Fprintf(w, "M 100644 inline %s\n", p)
			data(syntheticArticle(i, u))
		})
	}
	checked := when
	st := NewState()
	for i := range n {
		u := syntheticURL(i)
		st.Entries[u] = &Entry{Source: "host", FirstSeen: checked.Add(-24 * time.Hour), LastChecked: checked, LastChanged: checked.Add(-24 * time.Hour),
			Interval: 7 * 24 * time.Hour, Versions: 1}
	}
	files := st.Files()
	commit(archive.StateRef, "stet state\n", func() {
		for p, body := range files {
			fmt.Fprintf(w, "M 100644 inline %s\n", p)
			data(body)
		}
	})
	w.WriteString("done\n")
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		b.Fatalf("git fast-import: %v\n%s", err, out)
	}
	return checked
}

func readOr(name string) string {
	b, _ := os.ReadFile(name)
	return strings.TrimSpace(string(b))
}
