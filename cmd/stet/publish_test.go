package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stet-archive/stet/archive"
)

// saveVersions commits n versions of one article to the archive in repo.
func saveVersions(t *testing.T, repo, url string, from, n int) {
	t.Helper()
	arch, err := archive.Open(repo, archive.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer arch.Close()
	p, _ := archive.PathFor(url)
	for v := from; v < from+n; v++ {
		body := fmt.Sprintf("---\ntitle: Story\nurl: %s\n---\n\n# Story\n\nVersion %d of the text.\n", url, v)
		msg := fmt.Sprintf("Example: Story\n\nchanged\n\nStet-Url: %s\nStet-Version: %d\n", url, v)
		if _, _, err := arch.Save(archive.Change{Path: p, Content: []byte(body), Message: msg, When: fixedTime.Add(time.Duration(v) * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := arch.SyncWorktree(); err != nil {
		t.Fatal(err)
	}
}

func TestPublishToFolder(t *testing.T) {
	repo, out := t.TempDir(), filepath.Join(t.TempDir(), "site")
	saveVersions(t, repo, "https://news.example.com/story", 1, 2)
	tio := testEnv(t)
	got := tio.mustRun(t, "publish", "--repo", repo, "--out", out)
	if !strings.Contains(got, "published 1 articles (1 rewritten") {
		t.Errorf("publish output = %q", got)
	}
	for _, f := range []string{"index.html", "feed.xml", "a/news.example.com/story.md/v2.html", ".stet-publish.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
	if got := tio.mustRun(t, "publish", "--repo", repo, "--out", out); !strings.Contains(got, "up to date") {
		t.Errorf("second publish = %q, want up to date", got)
	}
	if code := tio.run(t, "publish", "--repo", repo, "--out", out, "--gh-pages"); code != exitUsage {
		t.Errorf("--out with --gh-pages exit %d, want %d", code, exitUsage)
	}
}

func TestPublishToGHPages(t *testing.T) {
	repo := t.TempDir()
	saveVersions(t, repo, "https://news.example.com/story", 1, 2)
	saveVersions(t, repo, "https://news.example.com/other", 1, 1)
	mainTip := git(t, repo, "rev-parse", "main")
	tio := testEnv(t)
	tio.mustRun(t, "publish", "--repo", repo, "--gh-pages")
	files := git(t, repo, "ls-tree", "-r", "--name-only", "gh-pages")
	for _, f := range []string{"index.html", "feed.xml", "style.css", ".nojekyll", "a/news.example.com/story.md/v2.html", "a/news.example.com/other.md/index.html"} {
		if !strings.Contains(files, f+"\n") {
			t.Errorf("gh-pages lacks %s:\n%s", f, files)
		}
	}
	if got := tio.mustRun(t, "publish", "--repo", repo, "--gh-pages"); !strings.Contains(got, "up to date") {
		t.Errorf("second publish = %q, want up to date", got)
	}
	otherPage := strings.Fields(git(t, repo, "rev-parse", "gh-pages:a/news.example.com/other.md"))[0]

	saveVersions(t, repo, "https://news.example.com/story", 3, 1)
	tio.mustRun(t, "publish", "--repo", repo, "--gh-pages")
	if n := strings.TrimSpace(git(t, repo, "rev-list", "--count", "gh-pages")); n != "2" {
		t.Errorf("gh-pages has %s commits, want 2", n)
	}
	if !strings.Contains(git(t, repo, "ls-tree", "-r", "--name-only", "gh-pages"), "a/news.example.com/story.md/v3.html\n") {
		t.Errorf("gh-pages lacks the new diff page")
	}
	// The untouched article's subtree is reused by hash.
	if got := strings.Fields(git(t, repo, "rev-parse", "gh-pages:a/news.example.com/other.md"))[0]; got != otherPage {
		t.Errorf("unchanged article's tree changed: %s → %s", otherPage, got)
	}
	if tip := git(t, repo, "rev-parse", "main"); tip == mainTip {
		t.Fatalf("main did not move")
	}
	if st := git(t, repo, "status", "--porcelain"); st != "" {
		t.Errorf("work tree not clean after publishing to gh-pages:\n%s", st)
	}
	if strings.Contains(git(t, repo, "log", "--format=%s", "main"), "stet publish") {
		t.Errorf("a publish commit landed on main")
	}
	git(t, repo, "fsck", "--strict")
}
