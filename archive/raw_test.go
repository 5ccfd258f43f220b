package archive

import (
	"strings"
	"testing"
	"time"
)

func TestSaveRawKeepsPagesOffTheBranch(t *testing.T) {
	dir := t.TempDir()
	a := openT(t, dir, Options{})
	saveURL(t, a, "https://news.example/a", 1, "# A\n")
	head := runGit(t, dir, "rev-parse", "HEAD")
	when := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	pages := []string{"<html>v1</html>", "<html>v2</html>"}
	for i, p := range pages {
		if err := a.SaveRaw("news.example/a.md", i+1, []byte(p), when); err != nil {
			t.Fatalf("SaveRaw(version %d): %v", i+1, err)
		}
	}
	if err := a.SaveRaw("news.example/b.md", 1, []byte("<html>b</html>"), when); err != nil {
		t.Fatalf("SaveRaw(b): %v", err)
	}

	page, n, ok, err := a.LatestRaw("news.example/a.md")
	if err != nil || !ok || n != 2 || string(page) != pages[1] {
		t.Errorf("LatestRaw(a) = %q, %d, %v, %v; want %q, 2, true, nil", page, n, ok, err, pages[1])
	}
	if _, _, ok, err := a.LatestRaw("news.example/none.md"); ok || err != nil {
		t.Errorf("LatestRaw(none) ok = %v, err = %v; want false, nil", ok, err)
	}
	if got := runGit(t, dir, "rev-parse", "HEAD"); got != head {
		t.Errorf("SaveRaw moved the branch from %s to %s", head, got)
	}
	files := runGit(t, dir, "ls-tree", "-r", "--name-only", RawRef)
	want := "news.example/a.md/1.html\nnews.example/a.md/2.html\nnews.example/b.md/1.html\n"
	if files != want {
		t.Errorf("files on %s:\n%s\nwant:\n%s", RawRef, files, want)
	}
	if parents := strings.TrimSpace(runGit(t, dir, "log", "-1", "--format=%P", RawRef)); parents != "" {
		t.Errorf("%s commit has parents %q, want none", RawRef, parents)
	}
	runGit(t, dir, "fsck", "--strict")

	if err := a.SaveRaw("../escape.md", 1, []byte("x"), when); err == nil {
		t.Error("SaveRaw(../escape.md) succeeded, want an error")
	}
}
