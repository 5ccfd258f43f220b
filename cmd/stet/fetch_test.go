package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFetchCommitsOnlyOnChange(t *testing.T) {
	site := newStorySite(t)
	tio := testEnv(t)
	repo := filepath.Join(t.TempDir(), "news")
	fetchArgs := []string{"fetch", "--repo", repo, "--allow-private-addresses", site.url()}

	out := tio.mustRun(t, fetchArgs...)
	if !strings.HasPrefix(out, "new ") {
		t.Fatalf("first fetch printed %q, want a line starting with \"new \"", out)
	}
	tio.mustRun(t, fetchArgs...)
	if n := commitCount(t, repo); n != 1 {
		t.Fatalf("commits after two identical fetches = %d, want 1", n)
	}
	if !strings.HasPrefix(tio.stdout.String(), "unchanged ") {
		t.Errorf("second fetch printed %q, want unchanged", tio.stdout)
	}

	// The page noise changes on every request, and never makes a commit.
	for range 3 {
		tio.mustRun(t, fetchArgs...)
	}
	if n := commitCount(t, repo); n != 1 {
		t.Fatalf("commits after fetches that only changed page noise = %d, want 1\n%s", n, git(t, repo, "log", "-p"))
	}

	// One changed sentence makes one commit whose diff is that line alone.
	site.set(func(s *storySite) { s.sentence = "The bill would cost an estimated £4.6bn over ten years." })
	out = tio.mustRun(t, fetchArgs...)
	if !strings.HasPrefix(out, "changed ") {
		t.Fatalf("fetch after an edit printed %q, want changed", out)
	}
	if n := commitCount(t, repo); n != 2 {
		t.Fatalf("commits after one edit = %d, want 2", n)
	}
	d := git(t, repo, "diff", "--unified=0", "HEAD~1", "HEAD")
	var changed []string
	for _, l := range strings.Split(d, "\n") {
		if (strings.HasPrefix(l, "+") || strings.HasPrefix(l, "-")) && !strings.HasPrefix(l, "+++") && !strings.HasPrefix(l, "---") {
			changed = append(changed, l)
		}
	}
	want := []string{
		"-The bill would cost an estimated £4.2bn over ten years.",
		"+The bill would cost an estimated £4.6bn over ten years.",
	}
	if strings.Join(changed, "\n") != strings.Join(want, "\n") {
		t.Errorf("git diff HEAD~1 changed lines:\n%s\nwant:\n%s", strings.Join(changed, "\n"), strings.Join(want, "\n"))
	}

	// The work tree follows HEAD, and the repository is sound.
	if st := git(t, repo, "status", "--porcelain"); st != "" {
		t.Errorf("git status --porcelain = %q, want clean", st)
	}
	git(t, repo, "fsck", "--strict")
	msg := git(t, repo, "log", "-1", "--format=%B")
	for _, want := range []string{"Stet-Url: ", "Stet-Version: 2", "Stet-Fetched: ", "Stet-Extractor: "} {
		if !strings.Contains(msg, want) {
			t.Errorf("last commit message lacks %q:\n%s", want, msg)
		}
	}
	if branch := strings.TrimSpace(git(t, repo, "symbolic-ref", "--short", "HEAD")); branch != "main" {
		t.Errorf("branch = %q, want main", branch)
	}
}

func TestFetchFailureKeepsArchive(t *testing.T) {
	site := newStorySite(t)
	tio := testEnv(t)
	repo := t.TempDir()
	tio.mustRun(t, "fetch", "--repo", repo, "--allow-private-addresses", site.url())
	head := git(t, repo, "rev-parse", "HEAD")

	site.set(func(s *storySite) { s.status = http.StatusInternalServerError })
	if code := tio.run(t, "fetch", "--repo", repo, "--allow-private-addresses", site.url(), site.srv.URL+"/missing"); code != exitFailed {
		t.Fatalf("fetch of failing pages exited %d, want %d\n%s", code, exitFailed, tio.stderr)
	}
	out := tio.stdout.String()
	if strings.Count(out, "failed ") != 2 {
		t.Errorf("output %q, want two failed lines", out)
	}
	if got := git(t, repo, "rev-parse", "HEAD"); got != head {
		t.Errorf("HEAD moved from %s to %s after failed fetches", head, got)
	}
	git(t, repo, "fsck", "--strict")
}

func TestFetchRefusesLoopbackByDefault(t *testing.T) {
	site := newStorySite(t)
	tio := testEnv(t)
	repo := t.TempDir()
	if code := tio.run(t, "fetch", "--repo", repo, site.url()); code != exitFailed {
		t.Fatalf("fetch from loopback without --allow-private-addresses exited %d, want %d", code, exitFailed)
	}
	if n := site.requests(); n != 0 {
		t.Errorf("server got %d requests, want 0", n)
	}
}

func TestFetchJSON(t *testing.T) {
	site := newStorySite(t)
	tio := testEnv(t)
	repo := t.TempDir()
	tio.mustRun(t, "fetch", "--json", "--repo", repo, "--allow-private-addresses", site.url())
	var got []map[string]any
	if err := json.Unmarshal(tio.stdout.Bytes(), &got); err != nil {
		t.Fatalf("fetch --json output is not a JSON array: %v\n%s", err, tio.stdout)
	}
	if len(got) != 1 || got[0]["status"] != "new" || got[0]["path"] == "" {
		t.Errorf("fetch --json = %v, want one new result with a path", got)
	}
	path, _ := got[0]["path"].(string)
	if _, err := os.Stat(filepath.Join(repo, path)); err != nil {
		t.Errorf("article file %s not in the work tree: %v", path, err)
	}
}

func TestExtractJSONBatch(t *testing.T) {
	site := newStorySite(t)
	tio := testEnv(t)
	dir := t.TempDir()
	page := filepath.Join(dir, "page.html")
	resp, err := site.srv.Client().Get(site.url())
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(page)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.ReadFrom(resp.Body); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	f.Close()

	tio.mustRun(t, "extract", "--json", "--allow-private-addresses", page, site.url())
	lines := strings.Split(strings.TrimSpace(tio.stdout.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("extract --json of two inputs printed %d lines, want 2:\n%s", len(lines), tio.stdout)
	}
	for i, l := range lines {
		var got extracted
		if err := json.Unmarshal([]byte(l), &got); err != nil {
			t.Fatalf("line %d is not JSON: %v", i+1, err)
		}
		if got.Title != "Harbour bill vote delayed until new year" {
			t.Errorf("line %d title = %q", i+1, got.Title)
		}
		if got.Byline != "Jane Smith, Tom Okafor" {
			t.Errorf("line %d byline = %q, want %q", i+1, got.Byline, "Jane Smith, Tom Okafor")
		}
		if strings.Contains(got.Text, "](") || strings.Contains(got.Text, "# ") {
			t.Errorf("line %d text holds markdown syntax: %q", i+1, got.Text)
		}
		if !strings.Contains(got.Markdown, "\n# Harbour bill vote delayed until new year\n") {
			t.Errorf("line %d markdown lacks the title heading:\n%s", i+1, got.Markdown)
		}
	}
	if src := []string{page, site.url()}; !strings.Contains(lines[0], jsonString(src[0])) || !strings.Contains(lines[1], jsonString(src[1])) {
		t.Errorf("sources out of input order:\n%s", tio.stdout)
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
