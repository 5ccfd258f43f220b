package main

import (
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
	if code := tio.run(t, "push", "--repo", repo, "--remote", "nowhere"); code != exitFailed {
		t.Errorf("push to a missing remote: exit %d, want %d", code, exitFailed)
	}
}
