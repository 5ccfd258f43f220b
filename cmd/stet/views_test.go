package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestViewsMatchGitHistory checks every history view against the real
// git CLI: stet log's versions and times, stet show's bytes, stet
// status's article count, and the published article page's timeline,
// diff pages and feed entries are git's commits of that path.
func TestViewsMatchGitHistory(t *testing.T) {
	site := newStorySite(t)
	tio := testEnv(t)
	repo := t.TempDir()
	fetch := func() { tio.mustRun(t, "fetch", "--repo", repo, "--allow-private-addresses", site.url()) }
	fetch()
	site.set(func(s *storySite) { s.headline = "Harbour bill vote delayed again" })
	fetch()
	site.set(func(s *storySite) { s.sentence = "The bill would now cost £5bn over ten years." })
	fetch()
	paths := strings.Fields(git(t, repo, "ls-tree", "-r", "--name-only", "HEAD"))
	if len(paths) != 1 {
		t.Fatalf("paths %v", paths)
	}
	path := paths[0]
	type commit struct{ hash, time string }
	var commits []commit // oldest first
	for _, l := range strings.Split(strings.TrimSpace(git(t, repo, "log", "--reverse", "--format=%H %cI", "--", path)), "\n") {
		h, tm, _ := strings.Cut(l, " ")
		commits = append(commits, commit{h, tm})
	}
	if len(commits) != 3 {
		t.Fatalf("git log: %d commits of %s, want 3", len(commits), path)
	}

	tio.mustRun(t, "log", "--repo", repo, "--json", path)
	var lg articleLog
	if err := json.Unmarshal(tio.stdout.Bytes(), &lg); err != nil {
		t.Fatal(err)
	}
	if len(lg.History) != len(commits) {
		t.Fatalf("stet log: %d versions, git log: %d", len(lg.History), len(commits))
	}
	for i, r := range lg.History { // newest first
		c := commits[len(commits)-1-i]
		if r.Commit != c.hash || !r.Time.Equal(mustTime(t, c.time)) {
			t.Errorf("stet log row %d = %s at %s, git log = %s at %s", i, r.Commit, r.Time, c.hash, c.time)
		}
		want := git(t, repo, "show", c.hash+":"+path)
		if got := tio.mustRun(t, "show", "--repo", repo, "--version", c.hash[:10], path); got != want {
			t.Errorf("stet show %s differs from git show", c.hash[:10])
		}
	}
	if out := tio.mustRun(t, "status", "--repo", repo); !strings.Contains(out, ", 1 article\n") {
		t.Errorf("stet status counts differ from git ls-tree (1 file):\n%s", out)
	}

	siteDir := t.TempDir()
	tio.mustRun(t, "publish", "--repo", repo, "--out", siteDir)
	dir := filepath.Join(siteDir, "a", path)
	page, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	timeline := string(page)[strings.Index(string(page), `<ol class="timeline">`):]
	timeline = timeline[:strings.Index(timeline, "</ol>")]
	var times []string
	for _, m := range regexp.MustCompile(`<time datetime="([^"]+)"`).FindAllStringSubmatch(timeline, -1) {
		times = append(times, m[1])
	}
	var want []string
	for _, c := range commits {
		want = append(want, mustTime(t, c.time).UTC().Format("2006-01-02T15:04:05Z"))
	}
	if !slices.Equal(times, want) {
		t.Errorf("article page timeline %q, git log %q", times, want)
	}
	for n := 2; n <= len(commits); n++ {
		if _, err := os.Stat(filepath.Join(dir, "v"+strconv.Itoa(n)+".html")); err != nil {
			t.Errorf("diff page for version %d: %v", n, err)
		}
	}
	feed, _ := os.ReadFile(filepath.Join(dir, "feed.xml"))
	var f struct {
		Entries []struct {
			ID string `xml:"id"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(feed, &f); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range f.Entries {
		ids = append(ids, strings.TrimPrefix(e.ID, "tag:stet,2026:"))
	}
	var hashes []string
	for i := len(commits) - 1; i >= 0; i-- {
		hashes = append(hashes, commits[i].hash)
	}
	if !slices.Equal(ids, hashes) {
		t.Errorf("feed entries %q, git commits newest first %q", ids, hashes)
	}
	git(t, repo, "fsck", "--strict")
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("git date %q: %v", s, err)
	}
	return tm
}
