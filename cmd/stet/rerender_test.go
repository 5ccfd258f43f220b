package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stet-archive/stet/archive"
)

func TestRerenderFromKeptHTML(t *testing.T) {
	site := newStorySite(t)
	tio := testEnv(t)
	repo := t.TempDir()
	out := tio.mustRun(t, "fetch", "--keep-raw", "--repo", repo, "--allow-private-addresses", site.url())
	path := strings.Fields(out)[1]
	if files := git(t, repo, "ls-tree", "-r", "--name-only", archive.RawRef); files != path+"/1.html\n" {
		t.Fatalf("kept pages = %q, want %q", files, path+"/1.html\n")
	}

	// Nothing to re-render with the same extractor.
	tio.mustRun(t, "rerender", "--repo", repo)
	if n := commitCount(t, repo); n != 1 {
		t.Fatalf("rerender with an unchanged extractor made commits: %d", n)
	}

	// Pretend version 1 was rendered by an older extractor.
	arch, err := archive.Open(repo, archive.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cur, _, err := arch.Current(path)
	if err != nil {
		t.Fatal(err)
	}
	url := strings.TrimSpace(strings.Fields(git(t, repo, "log", "-1", "--format=%(trailers:key=Stet-Url,valueonly)"))[0])
	old := strings.Replace(string(cur), "\n\n## What happens next", "\n\n**What happens next**", 1)
	_, _, err = arch.Save(archive.Change{Path: path, Content: []byte(old), When: fixedTime.Add(time.Hour),
		Message: "The Daily Example: old rendering\n\nNew article\n\nStet-Url: " + url + "\nStet-Version: 1\nStet-Extractor: stet-extract/0\n"})
	arch.Close()
	if err != nil {
		t.Fatal(err)
	}
	git(t, repo, "reset", "-q", "--hard")

	out = tio.mustRun(t, "rerender", "--repo", repo)
	if !strings.HasPrefix(out, "rerendered ") {
		t.Fatalf("rerender printed %q, want rerendered", out)
	}
	msg := git(t, repo, "log", "-1", "--format=%B")
	for _, want := range []string{"Re-rendered by extractor stet-extract/", "not an edit", "Stet-Version: 1\n", "Stet-Rerender: stet-extract/0\n"} {
		if !strings.Contains(msg, want) {
			t.Errorf("re-render commit lacks %q:\n%s", want, msg)
		}
	}
	if d := git(t, repo, "diff", "HEAD~1", "HEAD", "--stat"); !strings.Contains(d, "1 file changed") {
		t.Errorf("re-render diff: %s", d)
	}

	// The next real edit is version 2: a re-render is not an edit.
	site.set(func(s *storySite) { s.sentence = "The bill would cost an estimated £5bn over ten years." })
	tio.mustRun(t, "fetch", "--keep-raw", "--repo", repo, "--allow-private-addresses", site.url())
	if msg := git(t, repo, "log", "-1", "--format=%B"); !strings.Contains(msg, "Stet-Version: 2\n") {
		t.Errorf("edit after a re-render:\n%s\nwant Stet-Version: 2", msg)
	}
	git(t, repo, "fsck", "--strict")
}
