package main

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stet-archive/stet/fetch"
)

func TestVolatileCommand(t *testing.T) {
	pages := noiseFixtures(t)
	raw, err := os.ReadFile(pages[0])
	if err != nil {
		t.Fatal(err)
	}
	page, _ := fetch.Decode(raw, "text/html")
	page = regexp.MustCompile(`(?i)<meta[^>]+charset[^>]*>`).ReplaceAll(page, []byte(`<meta charset="utf-8">`))
	site := newNoisySite(t, string(page))
	tio := testEnv(t)
	repo := t.TempDir()
	fetchArgs := []string{"fetch", "--repo", repo, "--allow-private-addresses", site.url()}
	tio.mustRun(t, fetchArgs...)
	if out := tio.mustRun(t, "volatile", "--repo", repo); !strings.Contains(out, "1 runs") {
		t.Errorf("stet volatile after one fetch:\n%s", out)
	}
	for range 3 {
		tio.mustRun(t, fetchArgs...)
	}
	if n := commitCount(t, repo); n != 1 {
		t.Fatalf("noise made commits: %d", n)
	}
	host := strings.TrimPrefix(site.srv.URL, "http://")
	out := tio.mustRun(t, "volatile", "--repo", repo, "--json", host)
	var sites map[string]struct {
		Runs  int
		Lines map[string]struct{ Kind, Sample string }
	}
	if err := json.Unmarshal([]byte(out), &sites); err != nil {
		t.Fatalf("stet volatile --json: %v\n%s", err, out)
	}
	if s := sites[host]; s.Runs != 4 {
		t.Errorf("stet volatile --json %s: runs %d, want 4\n%s", host, s.Runs, out)
	}
	if out := tio.mustRun(t, "volatile", "--repo", repo, "--reset", host); !strings.Contains(out, "forgot the rules of "+host) {
		t.Errorf("stet volatile --reset: %q", out)
	}
	if out := tio.mustRun(t, "volatile", "--repo", repo); !strings.Contains(out, "nothing learned yet") {
		t.Errorf("stet volatile after --reset:\n%s", out)
	}
	// The schedule state survives the reset, and the archive is sound.
	tio.mustRun(t, fetchArgs...)
	if n := commitCount(t, repo); n != 1 {
		t.Errorf("noise made commits after a reset: %d", n)
	}
	git(t, repo, "fsck", "--strict")
	if code := tio.run(t, "volatile", "--repo", t.TempDir()+"/missing"); code != exitUsage {
		t.Errorf("stet volatile on a missing repository: exit %d, want %d", code, exitUsage)
	}
}
