package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stet-archive/stet/track"
)

// TestStatusAndNextCheck: after a run, stet status says what is tracked,
// what is due when and how the last run went; a run that checks nothing
// says why, when the next check is and how to force one; stet log shows
// an article's next check; and the published article page shows its
// configured source, last check and next check.
func TestStatusAndNextCheck(t *testing.T) {
	site := newTrackerSite(t)
	repo := t.TempDir()
	cfg := site.config(t, t.TempDir(), "")
	tio := testEnv(t)
	clk := &clock{t: fixedTime}
	tio.env.Now = clk.now
	args := []string{"run", "--repo", repo, "--config", cfg}

	if code := tio.run(t, args...); code != exitFailed {
		t.Fatalf("first run: exit %d, want %d (two articles fail)\n%s", code, exitFailed, tio.stderr)
	}
	if !regexp.MustCompile(`(?m)^next check: 2026-11-26 12:\d\d UTC$`).MatchString(tio.stdout.String()) {
		t.Errorf("first run's report lacks the next check:\n%s", tio.stdout)
	}

	clk.set(fixedTime.Add(time.Minute))
	out := tio.mustRun(t, args...)
	want := regexp.MustCompile(`checked nothing: none of the 8 tracked articles is due; the next check is at 2026-11-26 12:\d\d UTC \(\d+ due then\)\. stet run --all checks every article now`)
	if !want.MatchString(out) {
		t.Errorf("second run does not say why it checked nothing:\n%s", out)
	}

	out = tio.mustRun(t, "status", "--repo", repo, "--config", cfg)
	t.Logf("stet status:\n%s", out)
	for _, w := range []string{
		"Archive:   " + repo + ", 5 articles\n",
		"Tracked:   8 articles (0 retired) from tracker (",
		"Due now:   0\n",
		"Due soon:  8 within an hour, 8 within a day, 8 within a week\n",
		"Next due:  2026-11-26 12:",
		"Last run:  2026-11-26 12:01 UTC, checked 0: new 0, changed 0",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("stet status lacks %q:\n%s", w, out)
		}
	}
	tio.mustRun(t, "status", "--repo", repo, "--config", cfg, "--json")
	var rep statusReport
	if err := json.Unmarshal(tio.stdout.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Tracked != 8 || rep.LastRun == nil || rep.LastRun.Checked != 0 || len(rep.NextDue) == 0 {
		t.Errorf("stet status --json = %+v", rep)
	}

	a1 := site.main.URL + "/news/a1.html"
	out = tio.mustRun(t, "log", "--repo", repo, a1)
	if !regexp.MustCompile(`Last checked: 2026-11-26 12:00 UTC\nNext check:   2026-11-26 12:\d\d UTC\n`).MatchString(out) {
		t.Errorf("stet log lacks the last and next check:\n%s", out)
	}

	// The site shows them too, under the configured source's name.
	siteDir := t.TempDir()
	tio.env.Getenv = func(k string) string {
		if k == "STET_CONFIG" {
			return cfg
		}
		return ""
	}
	tio.mustRun(t, "publish", "--repo", repo, "--out", siteDir)
	paths := strings.Fields(git(t, repo, "ls-tree", "-r", "--name-only", "HEAD"))
	var page []byte
	for _, p := range paths {
		if strings.HasSuffix(p, "a1.html.md") {
			page, _ = os.ReadFile(filepath.Join(siteDir, "a", p, "index.html"))
		}
	}
	for _, w := range []string{">tracker</a></dd>", "<dt>Last checked</dt><dd><time datetime=\"2026-11-26T12:00:00Z\">", "<dt>Next check</dt>"} {
		if !strings.Contains(string(page), w) {
			t.Errorf("article page lacks %q:\n%s", w, page)
		}
	}
	idx, _ := os.ReadFile(filepath.Join(siteDir, "index.html"))
	if !strings.Contains(string(idx), ">tracker</a>") {
		t.Errorf("index does not name the source tracker:\n%s", idx)
	}
	git(t, repo, "fsck", "--strict")
}

// TestStatusCountsArticlesOnly: the files stet init commits (README,
// stet.yaml, the workflow) are not counted as articles.
func TestStatusCountsArticlesOnly(t *testing.T) {
	site := newStorySite(t)
	tio := testEnv(t)
	repo := filepath.Join(t.TempDir(), "news")
	tio.mustRun(t, "init", repo)
	tio.mustRun(t, "fetch", "--repo", repo, "--allow-private-addresses", site.url())
	tio.stdout.Reset()
	tio.mustRun(t, "status", "--repo", repo)
	if want := "Archive:   " + repo + ", 1 article\n"; !strings.Contains(tio.stdout.String(), want) {
		t.Errorf("stet status after init and one fetch printed:\n%s\nwant a line %q", tio.stdout, want)
	}
}

// TestNextCheck: the words stet status prints for when an article is
// next checked, retired ones saying why.
func TestNextCheck(t *testing.T) {
	next := time.Date(2026, 3, 4, 5, 6, 0, 0, time.UTC)
	tests := []struct {
		name  string
		entry track.Entry
		next  time.Time
		want  string
	}{
		{"never checked", track.Entry{}, time.Time{}, "at the next run"},
		{"scheduled", track.Entry{Versions: 2}, next, "2026-03-04"},
		{"retired unchanged", track.Entry{Versions: 3, Retired: true}, time.Time{}, "unchanged for too long"},
		{"retired without a version", track.Entry{Retired: true}, time.Time{}, "never gave an article"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := tt.entry
			if got := nextCheck(&entryView{Entry: &e, Next: tt.next}); !strings.Contains(got, tt.want) {
				t.Errorf("nextCheck = %q, want it to say %q", got, tt.want)
			}
		})
	}
}
