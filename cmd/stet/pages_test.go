package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPublishRepairsIncompletePages: a gh-pages branch whose manifest
// holds the archive tip but lacks articles (what a pass in a shallow clone
// left) is completed by the next publish, and the commit is authored by
// STET_AUTHOR_NAME and STET_AUTHOR_EMAIL.
func TestPublishRepairsIncompletePages(t *testing.T) {
	repo := t.TempDir()
	for _, u := range []string{"https://news.example.com/a", "https://news.example.com/b", "https://news.example.com/c"} {
		saveVersions(t, repo, u, 1, 2)
	}
	tio := testEnv(t)
	tio.env.Getenv = func(k string) string {
		return map[string]string{"STET_AUTHOR_NAME": "Archive Bot", "STET_AUTHOR_EMAIL": "bot@example.com"}[k]
	}
	tio.mustRun(t, "publish", "--repo", repo, "--gh-pages")
	manifest := func() map[string]json.RawMessage {
		var m struct{ Articles map[string]json.RawMessage }
		if err := json.Unmarshal([]byte(git(t, repo, "show", "gh-pages:.stet-publish.json")), &m); err != nil {
			t.Fatal(err)
		}
		return m.Articles
	}
	if n := len(manifest()); n != 3 {
		t.Fatalf("first publish: %d articles", n)
	}
	if who := strings.TrimSpace(git(t, repo, "log", "-1", "--format=%an <%ae>|%cn", "gh-pages")); who != "Archive Bot <bot@example.com>|Archive Bot" {
		t.Errorf("gh-pages commit by %q", who)
	}

	// Drop two articles from the manifest, as a shallow pass did.
	pages := filepath.Join(t.TempDir(), "pages")
	git(t, repo, "worktree", "add", "-q", pages, "gh-pages")
	b, _ := os.ReadFile(filepath.Join(pages, ".stet-publish.json"))
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	arts := m["articles"].(map[string]any)
	for k := range arts {
		if !strings.HasSuffix(k, "/a.md") {
			delete(arts, k)
		}
	}
	b, _ = json.Marshal(m)
	os.WriteFile(filepath.Join(pages, ".stet-publish.json"), b, 0o644)
	git(t, pages, "-c", "user.name=x", "-c", "user.email=x@example.com", "commit", "-qam", "incomplete")
	git(t, repo, "worktree", "remove", "--force", pages)
	if n := len(manifest()); n != 1 {
		t.Fatalf("tampered manifest has %d articles", n)
	}

	out := tio.mustRun(t, "publish", "--repo", repo, "--gh-pages")
	if n := len(manifest()); n != 3 || !strings.Contains(out, "2 rewritten") {
		t.Errorf("after the repair: %d articles in the manifest, output %q", n, out)
	}
	git(t, repo, "fsck", "--strict")
}

// TestPublishRefusesShallowClone: the pages of a shallow clone would
// show only the versions after its boundary, so publish says what to do.
func TestPublishRefusesShallowClone(t *testing.T) {
	src := t.TempDir()
	saveVersions(t, src, "https://news.example.com/a", 1, 3)
	clone := filepath.Join(t.TempDir(), "clone")
	if out, err := exec.Command("git", "clone", "-q", "--depth=1", "file://"+src, clone).CombinedOutput(); err != nil {
		t.Fatalf("git clone: %v\n%s", err, out)
	}
	tio := testEnv(t)
	if code := tio.run(t, "publish", "--repo", clone, "--gh-pages"); code == exitOK || !strings.Contains(tio.stderr.String(), "fetch --unshallow") {
		t.Errorf("publish in a shallow clone: exit %d\n%s", code, tio.stderr)
	}
	if out, _ := exec.Command("git", "-C", clone, "rev-parse", "--verify", "-q", "gh-pages").Output(); len(out) > 0 {
		t.Errorf("publish in a shallow clone wrote gh-pages")
	}
}
