package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunPushFromPartialCheckoutRace is issue 12's race through stet run:
// a run works from a depth-1, blob-less, sparse checkout whose state was
// fetched before another run pushed an edit of the same article. Its own
// edit must land numbered after the other's, and the Action's outputs and
// job summary must name what landed (the pushed tip, version 3), not what
// the run committed locally (version 2).
func TestRunPushFromPartialCheckoutRace(t *testing.T) {
	site := newTrackerSite(t)
	remote := filepath.Join(t.TempDir(), "remote.git")
	git(t, t.TempDir(), "init", "-q", "--bare", "-b", "main", remote)
	git(t, remote, "config", "uploadpack.allowFilter", "true")
	git(t, remote, "config", "uploadpack.allowAnySHA1InWant", "true")
	cfg := site.config(t, t.TempDir(), "")

	// The other run: a full clone that archives everything and pushes.
	other := filepath.Join(t.TempDir(), "other")
	git(t, t.TempDir(), "clone", "-q", remote, other)
	tio := testEnv(t)
	tio.env.Getenv = func(string) string { return "" }
	tio.run(t, "run", "--repo", other, "--config", cfg, "--push")

	// Our run's checkout, and its state, taken now.
	ours := filepath.Join(t.TempDir(), "ours")
	git(t, t.TempDir(), "init", "-q", "-b", "main", ours)
	git(t, ours, "remote", "add", "origin", "file://"+remote)
	git(t, ours, "-c", "protocol.version=2", "fetch", "-q", "--no-tags", "--depth=1", "--filter=blob:none", "origin", "+refs/heads/main:refs/remotes/origin/main")
	git(t, ours, "sparse-checkout", "set", "--cone", "--sparse-index")
	git(t, ours, "checkout", "-q", "--force", "-B", "main", "refs/remotes/origin/main")
	git(t, ours, "fetch", "-q", "origin", "+refs/stet/state:refs/stet/state")

	// The other run pushes an edit of a1 (its version 2) first.
	site.setExtra("/news/a1.html", "Late on Thursday the council added that work would start in the spring.")
	tio.run(t, "run", "--repo", other, "--config", cfg, "--push", "--all")
	if log := git(t, remote, "log", "-1", "--format=%(trailers:key=Stet-Version,valueonly)"); strings.TrimSpace(log) != "2" {
		t.Fatalf("the other run's edit is not version 2: %q", log)
	}

	// Our run sees another edit and pushes last.
	site.setExtra("/news/a1.html", "On Friday the council said work would start in the summer instead.")
	outputs := filepath.Join(t.TempDir(), "output")
	summary := filepath.Join(t.TempDir(), "summary")
	env := map[string]string{"GITHUB_OUTPUT": outputs, "GITHUB_STEP_SUMMARY": summary, "GITHUB_ACTIONS": "true"}
	tio.env.Getenv = func(k string) string { return env[k] }
	tio.run(t, "run", "--repo", ours, "--config", cfg, "--push", "--all")

	git(t, remote, "fsck", "--strict")
	tip := strings.TrimSpace(git(t, remote, "rev-parse", "main"))
	out, err := os.ReadFile(outputs)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "commit-sha="+tip+"\n") {
		t.Errorf("GITHUB_OUTPUT does not name the pushed tip %s:\n%s", tip, out)
	}
	// The remote's history of a1: versions 1, 2, 3, the last ours.
	var path string
	for _, p := range strings.Fields(git(t, remote, "ls-tree", "-r", "--name-only", "main")) {
		if strings.HasSuffix(p, "/news/a1.html.md") {
			path = p
		}
	}
	if path == "" {
		t.Fatalf("no a1 on the remote:\n%s\n%s", git(t, remote, "ls-tree", "-r", "--name-only", "main"), tio.stderr)
	}
	versions := strings.Fields(git(t, remote, "log", "--reverse", "--format=%(trailers:key=Stet-Version,valueonly,separator=)", "main", "--", path))
	if strings.Join(versions, " ") != "1 2 3" {
		t.Errorf("remote versions of a1 = %q, want 1 2 3", versions)
	}
	if body := git(t, remote, "log", "-1", "--format=%b", "main", "--", path); strings.Contains(body, "New article") || !strings.Contains(body, "Stet-Version: 3") {
		t.Errorf("our replayed a1 commit:\n%s", body)
	}
	s, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	var row string
	for _, l := range strings.Split(string(s), "\n") {
		if strings.Contains(l, "Council approves new bridge") {
			row = l
		}
	}
	if !strings.Contains(row, "| 3 |") {
		t.Errorf("job summary row for a1 = %q, want version 3 as landed:\n%s", row, s)
	}
}
