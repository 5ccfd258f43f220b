package main

// Helpers shared by the hardening tests (crash, lock, hostile, secrets,
// bounds): a stet binary built once per test, a loopback site whose
// articles change revision when the test says so, and git checks.

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// buildStet builds the stet binary into a temporary directory and returns
// its path. The go build cache makes repeated builds cheap.
func buildStet(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "stet")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// revSite serves n articles at /news/story-<i>.html. Each article shows its
// current revision; the test moves revisions with bump. Every response it
// serves is logged by article and revision.
type revSite struct {
	srv *httptest.Server

	mu     sync.Mutex
	rev    []int          // current revision per article
	served []map[int]bool // revisions served per article
}

func newRevSite(t testing.TB, n int) *revSite {
	t.Helper()
	s := &revSite{rev: make([]int, n), served: make([]map[int]bool, n)}
	for i := range s.rev {
		s.rev[i] = 1
		s.served[i] = map[int]bool{}
	}
	s.srv = httptest.NewServer(s)
	t.Cleanup(s.srv.Close)
	return s
}

func (s *revSite) url(i int) string { return fmt.Sprintf("%s/news/story-%d.html", s.srv.URL, i) }

func (s *revSite) urls() []string {
	out := make([]string, len(s.rev))
	for i := range out {
		out[i] = s.url(i)
	}
	return out
}

// config writes a stet.yaml for `stet run` that reads the site's feed,
// and returns its path.
func (s *revSite) config(t testing.TB, dir string) string {
	t.Helper()
	cfg := fmt.Sprintf(`fetch:
  allow_private_addresses: true
  host_interval: 0s
  timeout: 10s
sources:
  - name: loopback
    feeds:
      - %s/feed.xml
`, s.srv.URL)
	path := filepath.Join(dir, "stet.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// bump moves article i to its next revision.
func (s *revSite) bump(i int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rev[i]++
}

// revs returns a copy of the current revisions.
func (s *revSite) revs() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int(nil), s.rev...)
}

func (s *revSite) wasServed(i, rev int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.served[i][rev]
}

var storyPath = regexp.MustCompile(`^/news/story-(\d+)\.html$`)

func (s *revSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/feed.xml" {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>The Loopback Times</title>`)
		for i := range s.rev {
			fmt.Fprintf(w, "<item><title>Harbour story number %d</title><link>%s</link></item>", i, s.url(i))
		}
		fmt.Fprint(w, "</channel></rss>")
		return
	}
	m := storyPath.FindStringSubmatch(r.URL.Path)
	if m == nil {
		http.NotFound(w, r)
		return
	}
	i, _ := strconv.Atoi(m[1])
	s.mu.Lock()
	if i >= len(s.rev) {
		s.mu.Unlock()
		http.NotFound(w, r)
		return
	}
	rev := s.rev[i]
	s.served[i][rev] = true
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(storyPage(s.srv.URL, i, rev, ""))
}

// storyPage renders article i at revision rev; extra is raw HTML added to
// the body.
func storyPage(base string, i, rev int, extra string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbour story number %[2]d | The Loopback Times</title>
<meta property="og:title" content="Harbour story number %[2]d">
<meta property="og:site_name" content="The Loopback Times">
<link rel="canonical" href="%[1]s/news/story-%[2]d.html">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Harbour story number %[2]d","datePublished":"2026-11-20T08:30:00Z","author":{"@type":"Person","name":"Jane Smith"}}</script>
</head><body>
<header><a href="/">The Loopback Times</a></header>
<main><article>
<h1>Harbour story number %[2]d</h1>
<p>The government announced on Thursday that it would delay the vote on harbour bill %[2]d until the new year, after a week of pressure from its own backbenchers.</p>
<p>Officials said the final cost would be published alongside the revised plans. The opposition called the delay a humiliation for the transport secretary.</p>
<p>Ministers will meet council leaders from the three affected towns next week. The chair of the harbour committee said he expected robust talks.</p>
<p>This is revision %[3]d of story %[2]d.</p>
%[4]s
<p>The harbour handles 2.5 million passengers a year, according to the port authority.</p>
</article></main>
<footer>© 2026 The Loopback Times.</footer>
</body></html>
`, base, i, rev, extra)
	return b.Bytes()
}

// gitCmd runs git in repo and returns its combined output and error.
func gitCmd(repo string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-C", repo}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "LC_ALL=C")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// checkRepo checks what must hold after any crash: git fsck --strict is
// clean, HEAD (when the branch exists) is a complete commit whose every
// blob can be read, and the state ref, when present, is a complete commit.
func checkRepo(t testing.TB, repo string) error {
	t.Helper()
	if _, err := os.Stat(filepath.Join(repo, ".git")); err != nil {
		return nil // killed before the repository was created
	}
	if out, err := gitCmd(repo, "fsck", "--strict", "--no-progress"); err != nil || strings.Contains(out, "error") {
		return fmt.Errorf("git fsck --strict: %v\n%s", err, out)
	}
	for _, ref := range []string{"HEAD", "refs/stet/state"} {
		if _, err := gitCmd(repo, "rev-parse", "--verify", "-q", ref+"^{commit}"); err != nil {
			if ref == "HEAD" {
				// No commit yet: HEAD must still name the branch.
				if out, err := gitCmd(repo, "symbolic-ref", "HEAD"); err != nil {
					return fmt.Errorf("git symbolic-ref HEAD: %v\n%s", err, out)
				}
			}
			continue
		}
		if out, err := gitCmd(repo, "cat-file", "-e", ref+"^{tree}"); err != nil {
			return fmt.Errorf("git cat-file -e %s^{tree}: %v\n%s", ref, err, out)
		}
		list, err := gitCmd(repo, "ls-tree", "-r", "--object-only", ref)
		if err != nil {
			return fmt.Errorf("git ls-tree -r %s: %v\n%s", ref, err, list)
		}
		cmd := exec.Command("git", "-C", repo, "cat-file", "--batch-check")
		cmd.Stdin = strings.NewReader(list)
		out, err := cmd.CombinedOutput()
		if err != nil || strings.Contains(string(out), "missing") {
			return fmt.Errorf("git cat-file --batch-check on the blobs of %s: %v\n%s", ref, err, out)
		}
	}
	return nil
}

// commitInfo is one commit on the branch as the hardening tests see it.
type commitInfo struct {
	hash    string
	url     string // Stet-Url
	version int    // Stet-Version
	files   []string
	added   []string // added lines of the diff
}

// branchLog returns the branch's commits, oldest first, with their
// trailers, changed files and added lines, read with git log.
func branchLog(t testing.TB, repo string) []commitInfo {
	t.Helper()
	out, err := gitCmd(repo, "log", "--reverse", "--first-parent", "-p", "--no-renames", "--format=%x00%H%n%B%x01")
	if err != nil {
		if strings.Contains(out, "does not have any commits") {
			return nil
		}
		t.Fatalf("git log: %v\n%s", err, out)
	}
	var cs []commitInfo
	for _, rec := range strings.Split(out, "\x00")[1:] {
		head, patch, _ := strings.Cut(rec, "\x01")
		hash, msg, _ := strings.Cut(head, "\n")
		c := commitInfo{hash: hash}
		for _, l := range strings.Split(msg, "\n") {
			if v, ok := strings.CutPrefix(l, "Stet-Url: "); ok {
				c.url = v
			}
			if v, ok := strings.CutPrefix(l, "Stet-Version: "); ok {
				c.version, _ = strconv.Atoi(v)
			}
		}
		for _, l := range strings.Split(patch, "\n") {
			switch {
			case strings.HasPrefix(l, "+++ b/"):
				c.files = append(c.files, strings.TrimPrefix(l, "+++ b/"))
			case strings.HasPrefix(l, "+++ "), strings.HasPrefix(l, "--- "):
			case strings.HasPrefix(l, "+"):
				c.added = append(c.added, l[1:])
			}
		}
		cs = append(cs, c)
	}
	return cs
}

// childPeakRSS polls the VmHWM (peak resident set) of a started process every
// few milliseconds until done is closed and returns the largest value seen,
// in bytes. The rusage Maxrss of a child is no use here: Go starts children
// with vfork, and Linux carries the parent's (the test binary's) peak into
// the child's maxrss at exec. VmHWM belongs to the child's own address
// space, and as a high-water mark it loses at most the last few
// milliseconds before exit.
func childPeakRSS(pid int, done <-chan struct{}) int64 {
	var peak int64
	read := func() {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			return
		}
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
				kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
				peak = max(peak, kb*1024)
			}
		}
	}
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		read()
		select {
		case <-done:
			return peak
		case <-tick.C:
		}
	}
}

// runPeak runs cmd, killing it after timeout, and returns its Wait error,
// its peak RSS in bytes (see childPeakRSS) and whether it timed out.
func runPeak(cmd *exec.Cmd, timeout time.Duration) (err error, peak int64, timedOut bool) {
	if err := cmd.Start(); err != nil {
		return err, 0, false
	}
	exited := make(chan struct{})
	peakc := make(chan int64, 1)
	go func() { peakc <- childPeakRSS(cmd.Process.Pid, exited) }()
	timer := time.AfterFunc(timeout, func() {
		timedOut = true
		cmd.Process.Kill()
	})
	err = cmd.Wait()
	timer.Stop()
	close(exited)
	return err, <-peakc, timedOut
}
