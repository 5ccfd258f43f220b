package main

import (
	"encoding/base64"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPushCmd(t *testing.T) {
	remote := filepath.Join(t.TempDir(), "remote.git")
	git(t, t.TempDir(), "init", "-q", "--bare", "-b", "main", remote)
	repo := t.TempDir()
	saveVersions(t, repo, "https://news.example.com/story", 1, 2)
	git(t, repo, "remote", "add", "origin", remote)
	const token = "ghs_fakeTOKENvalue42"
	tio := testEnv(t)
	tio.env.Getenv = func(k string) string {
		if k == "GITHUB_TOKEN" {
			return token
		}
		return ""
	}
	out := tio.mustRun(t, "push", "--repo", repo, "--log-level", "debug", "--log-format", "text")
	if !strings.Contains(out, "pushed ") {
		t.Errorf("push output = %q", out)
	}
	if got, want := git(t, remote, "rev-parse", "main"), git(t, repo, "rev-parse", "main"); got != want {
		t.Errorf("remote main = %s, want %s", got, want)
	}
	if out := tio.mustRun(t, "push", "--repo", repo); !strings.Contains(out, "up to date") {
		t.Errorf("second push output = %q", out)
	}
	for name, s := range map[string]string{"stdout": tio.stdout.String(), "stderr": tio.stderr.String()} {
		if strings.Contains(s, token) {
			t.Errorf("token in %s", name)
		}
	}
	if code := tio.run(t, "push", "--repo", repo, "--remote", "nowhere"); code != exitPush {
		t.Errorf("push to a missing remote: exit %d, want %d", code, exitPush)
	}
}

// TestPushCmdTokenNeverLeaks pushes to a server that rejects everything
// and echoes the Authorization header back; the token must appear in no
// output, log or repository file.
func TestPushCmdTokenNeverLeaks(t *testing.T) {
	const token = "ghs_leakCHECKtoken777"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "denied for "+r.Header.Get("Authorization")+" at "+r.URL.String(), http.StatusForbidden)
	}))
	t.Cleanup(srv.Close)
	repo := t.TempDir()
	saveVersions(t, repo, "https://news.example.com/story", 1, 1)
	git(t, repo, "remote", "add", "origin", srv.URL+"/archive.git")
	tio := testEnv(t)
	tio.env.Getenv = func(k string) string {
		if k == "MY_TOKEN" {
			return token
		}
		return ""
	}
	if code := tio.run(t, "push", "--repo", repo, "--token-env", "MY_TOKEN", "--push-tries", "2", "--log-level", "debug", "--log-format", "json"); code != exitPush {
		t.Fatalf("push to a rejecting server: exit %d, want %d\n%s", code, exitPush, tio.stderr)
	}
	encoded := base64.StdEncoding.EncodeToString([]byte("x-access-token:" + token))
	texts := map[string]string{"stdout": tio.stdout.String(), "stderr": tio.stderr.String(), "log": git(t, repo, "log", "--format=%B")}
	err := filepath.WalkDir(filepath.Join(repo, ".git"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.Contains(p, "objects") {
			return err
		}
		b, err := os.ReadFile(p)
		texts[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range texts {
		if strings.Contains(s, token) || strings.Contains(s, encoded) {
			t.Errorf("token found in %s:\n%s", name, s)
		}
	}
	if !strings.Contains(tio.stderr.String(), "permission denied (HTTP 403)") {
		t.Errorf("stderr does not report the refusal:\n%s", tio.stderr)
	}
}
