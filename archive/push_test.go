package archive

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// gitCmd runs the git CLI in dir and returns its trimmed output.
func gitCmd(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(cmd.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func noSleep(context.Context, time.Duration) error { return nil }

// pusher is one archive that saves numbered versions and pushes.
type pusher struct {
	t    testing.TB
	name string
	dir  string
	arch *Archive
	opts PushOptions
}

func newBareRemote(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "remote.git")
	gitCmd(t, t.TempDir(), "init", "-q", "--bare", "-b", "main", dir)
	return dir
}

func newPusher(t testing.TB, name, remoteURL string, opts PushOptions) *pusher {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	a, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	a.noSync = true // fsync is covered by the Save tests; here it only slows 50 rounds
	gitCmd(t, dir, "remote", "add", "origin", remoteURL)
	opts.Sleep = noSleep
	return &pusher{t: t, name: name, dir: dir, arch: a, opts: opts}
}

// save commits a version of article as track does: Stet-Version is one
// more than the last version's, and at least the history's length plus
// one.
func (p *pusher) save(article, text string, when time.Time) {
	p.t.Helper()
	u := "https://news.example.com/" + article
	path, _ := PathFor(u)
	hist, err := p.arch.History(path)
	if err != nil {
		p.t.Fatal(err)
	}
	n := len(hist) + 1
	if len(hist) > 0 {
		n = max(n, hist[len(hist)-1].N+1)
	}
	msg := fmt.Sprintf("News: %s\n\nchanged\n\nStet-Url: %s\nStet-Version: %d\nStet-Fetched: %s\n", article, u, n, when.UTC().Format(time.RFC3339))
	if _, _, err := p.arch.Save(Change{Path: path, Content: []byte("# " + article + "\n\n" + text + "\n"), Message: msg, When: when}); err != nil {
		p.t.Fatalf("%s: Save: %v", p.name, err)
	}
}

func (p *pusher) push() PushResult {
	p.t.Helper()
	res, err := p.arch.Push(context.Background(), p.opts)
	if err != nil {
		p.t.Fatalf("%s: Push: %v", p.name, err)
	}
	return res
}

func TestPushRacesLocalRemote(t *testing.T) {
	remote := newBareRemote(t)
	testPushRaces(t, remote, remote, PushOptions{})
}

// testPushRaces runs two archives that save and push interleaved
// changes for 50 rounds, then checks the remote with the git CLI.
func testPushRaces(t *testing.T, bare, url string, opts PushOptions) {
	a := newPusher(t, "a", url, opts)
	b := newPusher(t, "b", url, opts)
	t0 := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	want := map[string]map[string]bool{} // article → texts saved
	record := func(article, text string) {
		if want[article] == nil {
			want[article] = map[string]bool{}
		}
		want[article][text] = true
	}
	var tips []string
	rounds := 50
	if testing.Short() {
		rounds = 10 // the full 50 rounds take about 15 s per remote
	}
	replayed := 0
	for r := range rounds {
		when := t0.Add(time.Duration(r) * time.Minute)
		// Both edit the shared article; each also edits its own and,
		// every third round, a common second one.
		for _, p := range []*pusher{a, b} {
			text := fmt.Sprintf("%s round %d", p.name, r)
			p.save("shared", text, when)
			record("shared", text)
			own := "only-" + p.name
			p.save(own, text, when.Add(time.Second))
			record(own, text)
			if r%3 == 0 {
				p.save("third", text, when.Add(2*time.Second))
				record("third", text)
			}
		}
		first, second := a, b
		if r%2 == 1 {
			first, second = b, a
		}
		first.push()
		tips = append(tips, gitCmd(t, bare, "rev-parse", "main"))
		res := second.push()
		replayed += res.Replayed
		if res.Replayed == 0 {
			t.Fatalf("round %d: second push replayed nothing (%+v)", r, res)
		}
		tips = append(tips, gitCmd(t, bare, "rev-parse", "main"))
	}
	if replayed == 0 {
		t.Fatal("no commit was replayed")
	}

	gitCmd(t, bare, "fsck", "--strict")
	final := tips[len(tips)-1]
	for i, tip := range tips {
		cmd := exec.Command("git", "-C", bare, "merge-base", "--is-ancestor", tip, final)
		if err := cmd.Run(); err != nil {
			t.Fatalf("remote tip %d (%s) is not an ancestor of the final tip: a push was forced", i, tip)
		}
	}
	// Every version of every article is on the remote, numbered 1..n in
	// order, and each commit changes exactly one file.
	for article, texts := range want {
		path, _ := PathFor("https://news.example.com/" + article)
		log := gitCmd(t, bare, "log", "--first-parent", "--reverse", "--format=%x01%H%n%B%x02", "--name-only", "main", "--", path)
		got := map[string]bool{}
		var specs []string
		for i, rec := range strings.Split(log, "\x01")[1:] {
			h, rest, _ := strings.Cut(rec, "\n")
			body, files, _ := strings.Cut(rest, "\x02")
			if !strings.Contains(body, "Stet-Version: "+strconv.Itoa(i+1)+"\n") {
				t.Errorf("%s: commit %d (%s) message lacks Stet-Version: %d:\n%s", article, i+1, h[:12], i+1, body)
			}
			if files = strings.TrimSpace(files); files != path {
				t.Errorf("%s: commit %s changes %q, want only %s", article, h[:12], files, path)
			}
			specs = append(specs, h+":"+path)
		}
		// git log -- path simplifies nothing with --first-parent on a
		// linear branch, but check the count against rev-list anyway.
		cat := exec.Command("git", "-C", bare, "cat-file", "--batch")
		cat.Stdin = strings.NewReader(strings.Join(specs, "\n") + "\n")
		out, err := cat.Output()
		if err != nil {
			t.Fatalf("git cat-file: %v", err)
		}
		for _, part := range strings.Split(string(out), "# "+article+"\n\n")[1:] {
			text, _, _ := strings.Cut(part, "\n")
			got[text] = true
		}
		for text := range texts {
			if !got[text] {
				t.Errorf("%s: version %q missing on the remote", article, text)
			}
		}
	}
	// The local branches agree with the remote after their last push.
	if h, _ := b.arch.Head(); h != final && func() bool { h2, _ := a.arch.Head(); return h2 != final }() {
		t.Errorf("neither local branch is at the remote tip %s", final)
	}
}

const fakeToken = "ghs_FAKEtoken0123456789abcdefSECRET"

// gitHTTPServer serves the bare repositories under root with git
// http-backend behind HTTP Basic auth (user TokenUser, password token).
func gitHTTPServer(t testing.TB, root, token string) *httptest.Server {
	t.Helper()
	execPath, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		t.Skipf("git --exec-path: %v", err)
	}
	backend := filepath.Join(strings.TrimSpace(string(execPath)), "git-http-backend")
	h := &cgi.Handler{
		Path: backend,
		Env:  []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1", "REMOTE_USER=stet", "GIT_CONFIG_NOSYSTEM=1", "HOME=" + t.TempDir()},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		if !ok || u != TokenUser || p != token {
			w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
			http.Error(w, "authentication required", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestPushRacesHTTP(t *testing.T) {
	bare := newBareRemote(t)
	srv := gitHTTPServer(t, filepath.Dir(bare), fakeToken)
	testPushRaces(t, bare, srv.URL+"/remote.git", PushOptions{Token: fakeToken})
}

// TestPushAuthFailure: a wrong or missing token is answered 401 by git
// http-backend's auth; Push stops after one try with an *AuthError that
// carries the server's reason on one line, and the token nowhere.
func TestPushAuthFailure(t *testing.T) {
	bare := newBareRemote(t)
	srv := gitHTTPServer(t, filepath.Dir(bare), fakeToken)
	for _, token := range []string{"", "ghs_wrong0123456789"} {
		var logs bytes.Buffer
		p := newPusher(t, "auth", srv.URL+"/remote.git", PushOptions{Token: token, Tries: 3})
		p.opts.Logger = slog.New(slog.NewTextHandler(&logs, nil))
		p.save("story", "text", time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC))
		res, err := p.arch.Push(context.Background(), p.opts)
		var ae *AuthError
		if !errors.As(err, &ae) || !errors.Is(err, ErrAuth) {
			t.Fatalf("token %q: Push error = %v, want an *AuthError", token, err)
		}
		if ae.Status != 401 || !strings.Contains(ae.Reason, "authentication required") || strings.Contains(err.Error(), "\n") {
			t.Errorf("token %q: AuthError = %+v (%q), want status 401 and the server's reason on one line", token, ae, err)
		}
		if res.Tries != 1 {
			t.Errorf("token %q: %d tries, want 1 (an auth failure is not retried)", token, res.Tries)
		}
		if strings.Contains(err.Error()+logs.String(), "push: push:") {
			t.Errorf("doubled prefix in %q", err)
		}
	}
	if out, err := exec.Command("git", "-C", bare, "rev-parse", "-q", "--verify", "main").CombinedOutput(); err == nil {
		t.Errorf("remote has a branch after failed pushes: %s", out)
	}
}

func TestPushStateMerged(t *testing.T) {
	remote := newBareRemote(t)
	a := newPusher(t, "a", remote, PushOptions{})
	b := newPusher(t, "b", remote, PushOptions{})
	when := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	a.save("x", "a", when)
	if err := a.arch.WriteState(map[string][]byte{"hosts/a.json": []byte("a\n"), "common.json": []byte("a\n")}, when); err != nil {
		t.Fatal(err)
	}
	a.push()
	b.save("y", "b", when)
	if err := b.arch.WriteState(map[string][]byte{"hosts/b.json": []byte("b\n"), "common.json": []byte("b\n")}, when); err != nil {
		t.Fatal(err)
	}
	b.push()
	got := gitCmd(t, remote, "ls-tree", "-r", "--name-only", StateRef)
	if want := "common.json\nhosts/a.json\nhosts/b.json"; got != want {
		t.Errorf("remote state files = %q, want %q", got, want)
	}
	if got := gitCmd(t, remote, "show", StateRef+":common.json"); got != "b" {
		t.Errorf("common.json = %q, want ours (b)", got)
	}
	if n := gitCmd(t, remote, "rev-list", "--count", StateRef); n != "1" {
		t.Errorf("state ref has %s commits, want 1 (parentless)", n)
	}
	gitCmd(t, remote, "fsck", "--strict")
}

func TestPushTokenNeverLeaks(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	// A server that rejects every request, and one that is not there.
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no: "+r.Header.Get("Authorization"), http.StatusForbidden)
	}))
	t.Cleanup(bad.Close)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	for _, url := range []string{
		bad.URL + "/repo.git",
		closed.URL + "/repo.git",
		strings.Replace(bad.URL, "http://", "http://"+TokenUser+":"+fakeToken+"@", 1) + "/repo.git",
	} {
		p := newPusher(t, "leak", "https://example.invalid/repo.git", PushOptions{Token: fakeToken, URL: url, Tries: 2})
		p.opts.Logger = logger
		p.save("story", "text", time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC))
		_, err := p.arch.Push(context.Background(), p.opts)
		if err == nil {
			t.Fatalf("Push to %s succeeded", url)
		}
		if !errors.Is(err, ErrPushRejected) && !errors.Is(err, ErrAuth) {
			t.Errorf("Push error %v wraps neither ErrPushRejected nor ErrAuth", err)
		}
		texts := map[string]string{
			"error":          err.Error(),
			"logs":           logs.String(),
			".git/config":    readFileOr(t, filepath.Join(p.dir, ".git", "config")),
			"commit message": gitCmd(t, p.dir, "log", "--format=%B", "main"),
			"all refs":       gitCmd(t, p.dir, "for-each-ref"),
		}
		forms := []string{fakeToken, "FAKEtoken", base64.StdEncoding.EncodeToString([]byte(TokenUser + ":" + fakeToken))}
		for name, text := range texts {
			for _, f := range forms {
				if strings.Contains(text, f) {
					t.Errorf("token (as %q) found in %s:\n%s", f, name, text)
				}
			}
		}
	}
}

func readFileOr(t testing.TB, name string) string {
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSetVersion(t *testing.T) {
	tests := []struct {
		name, msg, want string
		n               int
		ours            map[int]int
	}{
		{"version only", "s\n\nStet-Url: u\nStet-Version: 3\n", "s\n\nStet-Url: u\nStet-Version: 5\n", 5, nil},
		{"reverts to a pushed version stays", "s\n\nStet-Version: 4\nStet-Reverts: 2\n", "s\n\nStet-Version: 5\nStet-Reverts: 2\n", 5, map[int]int{4: 5}},
		{"reverts to our own version follows it", "s\n\nStet-Version: 5\nStet-Reverts: 4\n", "s\n\nStet-Version: 7\nStet-Reverts: 6\n", 7, map[int]int{4: 6, 5: 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := setVersion(tt.msg, tt.n, tt.ours); got != tt.want {
				t.Errorf("setVersion(%q, %d, %v) = %q, want %q", tt.msg, tt.n, tt.ours, got, tt.want)
			}
		})
	}
}

// TestPushFromShallowClone is the Actions case: a depth-1 checkout saves
// and pushes while another run pushed first.
func TestPushFromShallowClone(t *testing.T) {
	remote := newBareRemote(t)
	seed := newPusher(t, "seed", remote, PushOptions{})
	when := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	for i := range 5 {
		seed.save("story", fmt.Sprintf("seed %d", i), when.Add(time.Duration(i)*time.Minute))
	}
	seed.push()

	dir := filepath.Join(t.TempDir(), "shallow")
	gitCmd(t, t.TempDir(), "clone", "-q", "--depth", "1", "file://"+remote, dir)
	if got := gitCmd(t, dir, "rev-parse", "--is-shallow-repository"); got != "true" {
		t.Fatalf("clone is not shallow: %s", got)
	}
	arch, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { arch.Close() })
	arch.noSync = true
	shallow := &pusher{t: t, name: "shallow", dir: dir, arch: arch, opts: PushOptions{Sleep: noSleep}}

	seed.save("story", "seed 5", when.Add(10*time.Minute))
	seed.save("other", "seed other", when.Add(11*time.Minute))
	seed.push()
	// The shallow clone's history starts at its boundary, so it numbers
	// its version 2; the replay must make it 7.
	shallow.save("story", "shallow edit", when.Add(12*time.Minute))
	shallow.save("mine", "shallow only", when.Add(13*time.Minute))
	res := shallow.push()
	if res.Replayed != 2 {
		t.Errorf("Replayed = %d, want 2", res.Replayed)
	}
	gitCmd(t, remote, "fsck", "--strict")
	log := gitCmd(t, remote, "log", "--format=%s|%(trailers:key=Stet-Version,valueonly)", "main")
	lines := strings.Split(strings.ReplaceAll(log, "\n\n", "\n"), "\n")
	if len(lines) < 3 || lines[0] != "News: mine|1" || lines[1] != "News: story|7" {
		t.Errorf("remote log after replay:\n%s", log)
	}
}
