package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunPushesAndWritesActionOutputs runs a pass with --push into a local
// bare remote, as the GitHub Action does, and checks the remote and the
// files GitHub reads the outputs and job summary from.
func TestRunPushesAndWritesActionOutputs(t *testing.T) {
	site := newTrackerSite(t)
	remote := filepath.Join(t.TempDir(), "remote.git")
	git(t, t.TempDir(), "init", "-q", "--bare", "-b", "main", remote)
	repo := t.TempDir()
	tio := testEnv(t)
	tio.mustRun(t, "init", repo)
	git(t, repo, "remote", "add", "origin", remote)
	if _, err := os.Stat(filepath.Join(repo, ".github", "workflows", "stet.yml")); err != nil {
		t.Errorf("stet init wrote no workflow: %v", err)
	}

	outputs := filepath.Join(t.TempDir(), "output")
	summary := filepath.Join(t.TempDir(), "summary")
	env := map[string]string{"GITHUB_OUTPUT": outputs, "GITHUB_STEP_SUMMARY": summary, "STET_PUSH": "true"}
	tio.env.Getenv = func(k string) string { return env[k] }
	cfg := site.config(t, t.TempDir(), "")
	if code := tio.run(t, "run", "--repo", repo, "--config", cfg); code != exitFailed {
		t.Fatalf("run exited %d, want %d (two hostile articles fail)\n%s", code, exitFailed, tio.stderr)
	}
	local := strings.TrimSpace(git(t, repo, "rev-parse", "main"))
	if got := strings.TrimSpace(git(t, remote, "rev-parse", "main")); got != local {
		t.Errorf("remote main = %s, want the local tip %s", got, local)
	}
	if got, want := strings.TrimSpace(git(t, remote, "rev-parse", "refs/stet/state")), strings.TrimSpace(git(t, repo, "rev-parse", "refs/stet/state")); got != want {
		t.Errorf("remote state = %s, want %s", got, want)
	}
	git(t, remote, "fsck", "--strict")

	out, err := os.ReadFile(outputs)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"added=5\n", "failed=2\n", "changes-detected=true\n", "commit-sha=" + local + "\n"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("GITHUB_OUTPUT lacks %q:\n%s", want, out)
		}
	}
	if s, err := os.ReadFile(summary); err != nil || !strings.Contains(string(s), "|") {
		t.Errorf("job summary missing or has no table (%v):\n%s", err, s)
	}
}
