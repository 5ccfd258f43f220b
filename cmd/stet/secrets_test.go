package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestSecretsNeverLeak pushes an archive with a token (from GITHUB_TOKEN,
// and from a variable named by --token-env) to remotes that fail in every
// way we know: a server that refuses the credentials and echoes them back,
// one that answers 500 with the Authorization header in the body, one that
// is not a git server, one that redirects to a URL holding the token, a
// closed port, an unknown host, and finally a real git http-backend that
// accepts the push. It also runs `stet run` with the token set and the
// GitHub Actions output files on. Then it greps every place a token could
// end up: stdout and stderr (debug logs, text and JSON), .git/config and
// every file under .git outside objects/, every object in the repository
// (commit messages, the state), the job summary and outputs, and the
// request headers the news site received.
func TestSecretsNeverLeak(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs real processes")
	}
	bin := buildStet(t)
	tokens := map[string]string{
		"GITHUB_TOKEN": "ghs_LEAKCANARY0123456789abcdefGHIJ",
		"MY_TOKEN":     "s3cr3t/with+odd=chars%2F&more",
	}

	site := newRevSite(t, 1)
	var headersMu sync.Mutex
	var siteHeaders bytes.Buffer
	siteLogged := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		headersMu.Lock()
		r.Header.Write(&siteHeaders)
		fmt.Fprintln(&siteHeaders, r.URL.String())
		headersMu.Unlock()
		site.ServeHTTP(w, r)
	}))
	t.Cleanup(siteLogged.Close)

	// The hostile remote echoes whatever credentials it gets.
	var remote *httptest.Server
	remote = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		_, pass, _ := r.BasicAuth()
		echo := fmt.Sprintf("credentials %q password %q", auth, pass)
		switch {
		case strings.HasPrefix(r.URL.Path, "/auth401/"):
			w.Header().Set("WWW-Authenticate", `Basic realm="`+pass+`"`)
			http.Error(w, "bad credentials: "+echo, http.StatusUnauthorized)
		case strings.HasPrefix(r.URL.Path, "/echo500/"):
			w.Header().Set("X-Debug", echo)
			http.Error(w, "internal error: "+echo, http.StatusInternalServerError)
		case strings.HasPrefix(r.URL.Path, "/notgit/"):
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprintf(w, "<html><body>welcome %s</body></html>", echo)
		case strings.HasPrefix(r.URL.Path, "/redirect/"):
			u, _ := url.Parse(remote.URL)
			u.User = url.UserPassword("x-access-token", pass)
			u.Path = "/auth401/" + strings.TrimPrefix(r.URL.Path, "/redirect/")
			u.RawQuery = "token=" + url.QueryEscape(pass)
			http.Redirect(w, r, u.String(), http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(remote.Close)
	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	closedURL := "http://" + closed.Addr().String() + "/repo.git"
	closed.Close()

	// A real git server that takes the push (user x-access-token, the token).
	bareRoot := t.TempDir()
	if out, err := exec.Command("git", "init", "-q", "--bare", "-b", "main", filepath.Join(bareRoot, "ok.git")).CombinedOutput(); err != nil {
		t.Fatalf("git init --bare: %v\n%s", err, out)
	}
	gitHTTP := httptest.NewServer(gitBackend(t, bareRoot, tokens["GITHUB_TOKEN"]))
	t.Cleanup(gitHTTP.Close)

	// The archive: one article, committed by stet run with the token set.
	dir := t.TempDir()
	repo := filepath.Join(dir, "news")
	cfg := filepath.Join(dir, "stet.yaml")
	os.WriteFile(cfg, []byte(fmt.Sprintf("fetch:\n  allow_private_addresses: true\n  host_interval: 0s\nsources:\n  - name: s\n    feeds: [%s/feed.xml, %s/missing.xml]\n", siteLogged.URL, siteLogged.URL)), 0o644)
	summary, outputs := filepath.Join(dir, "summary.md"), filepath.Join(dir, "outputs.txt")

	var mu sync.Mutex
	var all bytes.Buffer // every byte stet printed
	stet := func(env []string, format string, args ...string) {
		cmd := exec.Command(bin, append(args, "--log-level", "debug", "--log-format", format)...)
		cmd.Env = append(cleanEnv(), env...)
		cmd.Env = append(cmd.Env, "GITHUB_STEP_SUMMARY="+summary, "GITHUB_OUTPUT="+outputs, "GITHUB_ACTIONS=true")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		mu.Lock()
		defer mu.Unlock()
		all.Write(out.Bytes())
		t.Logf("stet %s (%s logs): exit %d; %d bytes of output", strings.Join(args, " "), format, exitCode(err), out.Len())
	}
	gh := []string{"GITHUB_TOKEN=" + tokens["GITHUB_TOKEN"]}
	mine := []string{"MY_TOKEN=" + tokens["MY_TOKEN"], "GITHUB_TOKEN=" + tokens["GITHUB_TOKEN"]}
	stet(gh, "text", "run", "--config", cfg, "--repo", repo)
	stet(gh, "json", "run", "--config", cfg, "--repo", repo)

	remotes := []string{
		remote.URL + "/auth401/repo.git",
		remote.URL + "/echo500/repo.git",
		remote.URL + "/notgit/repo.git",
		remote.URL + "/redirect/repo.git",
		closedURL,
		"https://stet-secret-test.invalid/repo.git",
		gitHTTP.URL + "/ok.git",
	}
	// Each push works on its own copy of the archive, so that the pushes
	// (which retry with backoff) can run at once.
	var repos []string
	var wg sync.WaitGroup
	for i, u := range remotes {
		for j, tok := range []struct {
			env    []string
			format string
			args   []string
		}{
			{gh, "json", nil},
			{mine, "text", []string{"--token-env", "MY_TOKEN"}},
		} {
			copyDir := filepath.Join(dir, fmt.Sprintf("push-%d-%d", i, j))
			if out, err := exec.Command("cp", "-a", repo, copyDir).CombinedOutput(); err != nil {
				t.Fatalf("cp: %v\n%s", err, out)
			}
			if out, err := gitCmd(copyDir, "remote", "add", "origin", u); err != nil {
				t.Fatalf("git remote add: %v\n%s", err, out)
			}
			repos = append(repos, copyDir)
			wg.Add(1)
			go func() {
				defer wg.Done()
				stet(tok.env, tok.format, append([]string{"push", "--repo", copyDir}, tok.args...)...)
			}()
		}
	}
	wg.Wait()
	if out, err := exec.Command("git", "-C", filepath.Join(bareRoot, "ok.git"), "rev-parse", "main").CombinedOutput(); err != nil {
		t.Errorf("the push to the real git server did not land: %v\n%s", err, out)
	}
	site.bump(0)
	// stet run --push to a remote that refuses and echoes the token, with
	// the Actions outputs and job summary on.
	if out, err := gitCmd(repo, "remote", "add", "origin", remote.URL+"/echo500/repo.git"); err != nil {
		t.Fatalf("git remote add: %v\n%s", err, out)
	}
	stet(gh, "json", "run", "--config", cfg, "--repo", repo, "--all", "--push")
	repos = append(repos, repo)

	// Gather every place a token could end up.
	places := map[string][]byte{"stdout and stderr": all.Bytes(), "news site requests": siteHeaders.Bytes()}
	for _, f := range []string{summary, outputs} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Errorf("%s not written by stet run: %v", filepath.Base(f), err)
		}
		places[filepath.Base(f)] = b
	}
	for _, r := range repos {
		filepath.Walk(filepath.Join(r, ".git"), func(p string, fi os.FileInfo, err error) error {
			if err == nil && !fi.IsDir() && !strings.Contains(p, "/objects/") {
				b, _ := os.ReadFile(p)
				places[strings.TrimPrefix(p, dir+"/")] = b
			}
			return nil
		})
		b, err := exec.Command("git", "-C", r, "cat-file", "--batch-all-objects", "--batch").Output()
		if err != nil {
			t.Fatalf("git cat-file --batch-all-objects: %v", err)
		}
		places["every object in "+filepath.Base(r)] = b
	}
	if !bytes.Contains(places["every object in news"], []byte("Stet-Version: 2")) {
		t.Errorf("the second run made no commit; the objects checked are not the whole story")
	}

	for name, tok := range tokens {
		forms := map[string]string{
			"raw":           tok,
			"basic auth":    base64.StdEncoding.EncodeToString([]byte("x-access-token:" + tok)),
			"query-escaped": url.QueryEscape(tok),
			"path-escaped":  url.PathEscape(tok),
		}
		for where, data := range places {
			for form, s := range forms {
				if bytes.Contains(data, []byte(s)) {
					i := bytes.Index(data, []byte(s))
					t.Errorf("$%s (%s form) appears in %s: …%s…", name, form, where, data[max(0, i-80):min(len(data), i+len(s)+40)])
				}
			}
		}
	}
	t.Logf("grepped %d places for %d tokens in 4 forms each", len(places), len(tokens))
}

// cleanEnv is the process environment without any token variables.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.Contains(k, "TOKEN") || strings.HasPrefix(k, "GITHUB_") || strings.HasPrefix(k, "STET_") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// gitBackend serves the bare repositories under root with git
// http-backend, behind HTTP Basic auth as GitHub does it.
func gitBackend(t *testing.T, root, token string) http.Handler {
	t.Helper()
	execPath, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		t.Skipf("git --exec-path: %v", err)
	}
	h := &cgi.Handler{
		Path: filepath.Join(strings.TrimSpace(string(execPath)), "git-http-backend"),
		Env:  []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1", "REMOTE_USER=stet"},
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		if !ok || user != "x-access-token" || pass != token {
			w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		r.Body = io.NopCloser(r.Body)
		h.ServeHTTP(w, r)
	})
}
