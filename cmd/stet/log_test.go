package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stet-archive/stet/archive"
	"github.com/stet-archive/stet/diff"
)

var updateHistory = flag.Bool("update", false, "rewrite golden files in testdata/")

// historyGolden compares got with testdata/history/name, or rewrites it
// under -update.
func historyGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "history", name)
	if *updateHistory {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run: go test ./cmd/stet -run %s -update)", err, t.Name())
	}
	if d := cmp.Diff(string(want), got); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, d)
	}
}

// storyVersion is one version of a fixture article.
type storyVersion struct {
	when          time.Time
	title, byline string
	paras         []string
}

func (v storyVersion) markdown(url, site string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: %s\nurl: %s\nsite: %s\n", v.title, url, site)
	if v.byline != "" {
		fmt.Fprintf(&b, "byline: %s\n", v.byline)
	}
	fmt.Fprintf(&b, "published: 2026-11-26T07:30:00Z\nlanguage: en\n---\n\n# %s\n", v.title)
	for _, p := range v.paras {
		b.WriteString("\n" + p + "\n")
	}
	return []byte(b.String())
}

// fixtureArticle is one article of a fixture archive and its versions,
// oldest first.
type fixtureArticle struct {
	url, site string
	versions  []storyVersion
}

// saveArticles commits every version of every article in time order,
// the way track does: subject "<site>: <title>", the diff summary (or
// "New article", or "Reverts to version K") as body, and the Stet
// trailers.
func saveArticles(t testing.TB, arch *archive.Archive, arts ...fixtureArticle) {
	t.Helper()
	type step struct{ art, ver int }
	var steps []step
	for i, a := range arts {
		for j := range a.versions {
			steps = append(steps, step{i, j})
		}
	}
	sort.SliceStable(steps, func(x, y int) bool {
		return arts[steps[x].art].versions[steps[x].ver].when.Before(arts[steps[y].art].versions[steps[y].ver].when)
	})
	files := make([][][]byte, len(arts))
	for _, st := range steps {
		a := arts[st.art]
		path, err := archive.PathFor(a.url)
		if err != nil {
			t.Fatal(err)
		}
		v := a.versions[st.ver]
		md := v.markdown(a.url, a.site)
		prev := files[st.art]
		reverts := 0
		for k := 0; k+1 < len(prev); k++ {
			if string(prev[k]) == string(md) {
				reverts = k + 1
			}
		}
		var body []string
		switch {
		case len(prev) == 0:
			body = []string{"New article"}
		case reverts > 0:
			body = append([]string{fmt.Sprintf("Reverts to version %d", reverts)}, diff.Summarize(prev[len(prev)-1], md).Lines()...)
		default:
			body = diff.Summarize(prev[len(prev)-1], md).Lines()
		}
		msg := fmt.Sprintf("%s: %s\n\n%s\n\nStet-Url: %s\nStet-Version: %d\nStet-Fetched: %s\n",
			a.site, v.title, strings.Join(body, "\n"), a.url, len(prev)+1, v.when.UTC().Format(time.RFC3339))
		if reverts > 0 {
			msg += fmt.Sprintf("Stet-Reverts: %d\n", reverts)
		}
		if _, changed, err := arch.Save(archive.Change{Path: path, Content: md, Message: msg, When: v.when}); err != nil || !changed {
			t.Fatalf("save %s v%d: changed=%v err=%v", path, len(prev)+1, changed, err)
		}
		files[st.art] = append(prev, md)
	}
}

const (
	harbourURL = "https://www.example.com/news/harbour-plan"
	voteURL    = "https://www.example.com/news/harbour-vote"
	stormURL   = "https://news.other.test/world/storm"
)

var (
	harbourP1 = "The council voted on Tuesday to back the harbour plan.\nThe motion passed by 12 votes to 9."
	harbourP2 = "Opponents said the plan was rushed.\nThey will appeal to the regional board."
	harbourP3 = "A final decision is expected in March."
	t0        = time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
)

// harbourVersions is the main fixture: an edit, a flip-flop back to v1
// (v3 == v1), then a correction.
func harbourVersions() []storyVersion {
	v1 := storyVersion{when: t0, title: "Council backs harbour plan", byline: "Jane Smith", paras: []string{harbourP1, harbourP2, harbourP3}}
	v2 := storyVersion{when: t0.Add(10 * time.Minute), title: "Council rejects harbour plan", byline: "Jane Smith, John Doe",
		paras: []string{"The council voted on Tuesday to reject the harbour plan.\nThe motion failed by 9 votes to 12.", harbourP2, harbourP3}}
	v3 := v1
	v3.when = t0.Add(3*time.Hour + 5*time.Minute)
	v4 := v1
	v4.when = t0.Add(27 * time.Hour)
	v4.paras = []string{harbourP1, harbourP2, harbourP3, "Correction: An earlier version of this article gave the wrong date for the vote."}
	return []storyVersion{v1, v2, v3, v4}
}

// historyRepo builds the fixture archive: the harbour article (4
// versions), a second article whose path also contains "harbour", and
// one from another site.
func historyRepo(t *testing.T) string {
	t.Helper()
	repo := t.TempDir()
	arch, err := archive.Open(repo, archive.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer arch.Close()
	saveArticles(t, arch,
		fixtureArticle{voteURL, "Example News", []storyVersion{
			{when: t0.Add(-2 * time.Hour), title: "Harbour vote set for Tuesday", paras: []string{"Councillors will vote on the plan on Tuesday."}},
		}},
		fixtureArticle{harbourURL, "Example News", harbourVersions()},
		fixtureArticle{stormURL, "Other Daily", []storyVersion{
			{when: t0.Add(time.Hour), title: "Storm reaches the coast", paras: []string{"The storm reached the coast overnight."}},
			{when: t0.Add(5 * time.Hour), title: "Storm reaches the coast", paras: []string{"The storm reached the coast overnight.\nThousands are without power."}},
		}},
	)
	return repo
}

func TestLogArticle(t *testing.T) {
	repo := historyRepo(t)
	tio := testEnv(t)
	historyGolden(t, "log.txt", tio.mustRun(t, "log", "--repo", repo, harbourURL))
	historyGolden(t, "log.json", tio.mustRun(t, "log", "--repo", repo, "--json", harbourURL))

	var got articleLog
	if err := json.Unmarshal([]byte(tio.mustRun(t, "log", "--repo", repo, "--json", harbourURL)), &got); err != nil {
		t.Fatal(err)
	}
	if got.Versions != 4 || got.Changes != 3 || len(got.History) != 4 || got.History[0].Version != 4 || got.History[1].Reverts != 1 {
		t.Errorf("log --json = %d versions, %d changes, rows %+v; want 4, 3, newest first with v3 reverting to 1", got.Versions, got.Changes, got.History)
	}
	if out := tio.mustRun(t, "log", "--repo", repo, "-n", "2", harbourURL); strings.Contains(out, "\nv2 ") || !strings.Contains(out, "\nv3 ") {
		t.Errorf("log -n 2 should list v4 and v3 only:\n%s", out)
	}
}

func TestLogArchive(t *testing.T) {
	repo := historyRepo(t)
	tio := testEnv(t)
	historyGolden(t, "log-recent.txt", tio.mustRun(t, "log", "--repo", repo))
	historyGolden(t, "log-recent.json", tio.mustRun(t, "log", "--repo", repo, "--json", "-n", "3"))
	tests := []struct {
		name  string
		args  []string
		lines int
	}{
		{"all", nil, 7},
		{"-n", []string{"-n", "2"}, 2},
		{"site name", []string{"--site", "other daily"}, 2},
		{"site host", []string{"--site", "example.com"}, 5},
		{"site and -n", []string{"--site", "www.example.com", "-n", "1"}, 1},
		{"since date", []string{"--since", "2026-11-26T12:00:00Z"}, 2},
		{"since day", []string{"--since", "2026-11-27"}, 1},
		{"since age", []string{"--since", "30d"}, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := tio.mustRun(t, append([]string{"log", "--repo", repo}, tt.args...)...)
			if n := strings.Count(out, "\n"); n != tt.lines {
				t.Errorf("log %v printed %d lines, want %d:\n%s", tt.args, n, tt.lines, out)
			}
		})
	}
}

func TestLogUsageErrors(t *testing.T) {
	repo := historyRepo(t)
	tio := testEnv(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"bad since", []string{"log", "--repo", repo, "--since", "yesterday"}, "bad --since"},
		{"negative n", []string{"log", "--repo", repo, "-n", "-1"}, "-n must not be negative"},
		{"no repository", []string{"log", "--repo", t.TempDir(), harbourURL}, "no repository"},
		{"unknown article", []string{"log", "--repo", repo, "https://www.example.com/news/nope"}, "not in the archive"},
		{"two articles", []string{"log", "--repo", repo, "a", "b"}, "accepts at most 1 arg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code := tio.run(t, tt.args...); code != exitUsage {
				t.Errorf("stet %v = exit %d, want %d\nstderr: %s", tt.args, code, exitUsage, tio.stderr)
			}
			if !strings.Contains(tio.stderr.String(), tt.want) {
				t.Errorf("stet %v stderr = %q, want it to mention %q", tt.args, tio.stderr, tt.want)
			}
		})
	}
}

// TestPlainGitLogShowsSummaries checks that the story can be read with
// git alone: the real git CLI shows each version's change summary.
func TestPlainGitLogShowsSummaries(t *testing.T) {
	repo := historyRepo(t)
	path, _ := archive.PathFor(harbourURL)
	out := git(t, repo, "log", "--format=%s%n%b", "--", path)
	for _, want := range []string{
		"Example News: Council backs harbour plan",
		"New article",
		`Headline: "Council backs harbour plan" → "Council rejects harbour plan"`,
		`Byline: "Jane Smith" → "Jane Smith, John Doe"`,
		"2 sentences edited; +4 −4 words",
		"Reverts to version 1",
		"Stet-Reverts: 1",
		`Correction: "An earlier version of this article gave the wrong date for the vote."`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("git log -- %s does not show %q:\n%s", path, want, out)
		}
	}
	if n := strings.Count(git(t, repo, "log", "--oneline", "--", path), "\n"); n != 4 {
		t.Errorf("git log -- %s lists %d commits, want 4", path, n)
	}
	git(t, repo, "fsck", "--strict")
}

func TestSummaryLines(t *testing.T) {
	v := archive.Version{Body: "Headline: \"a\" → \"b\"\n\n1 sentence added; +3 −0 words\nStet-Url: https://x.test/a\nStet-Version: 2"}
	want := []string{`Headline: "a" → "b"`, "1 sentence added; +3 −0 words"}
	if d := cmp.Diff(want, summaryLines(v)); d != "" {
		t.Errorf("summaryLines mismatch (-want +got):\n%s", d)
	}
}

// saveRerender commits content as a re-render of url's latest version n,
// the way track.Rerender does (same Stet-Version, a Stet-Rerender trailer).
func saveRerender(t *testing.T, repo, url string, n int, content []byte, when time.Time) {
	t.Helper()
	arch, err := archive.Open(repo, archive.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer arch.Close()
	path, _ := archive.PathFor(url)
	msg := fmt.Sprintf("Example News: re-render\n\nRe-rendered by extractor stet-extract/9 (not an edit)\n\nStet-Url: %s\nStet-Version: %d\nStet-Extractor: stet-extract/9\nStet-Rerender: stet-extract/8\n", url, n)
	if _, changed, err := arch.Save(archive.Change{Path: path, Content: content, Message: msg, When: when}); err != nil || !changed {
		t.Fatalf("save re-render: changed=%v err=%v", changed, err)
	}
}

// TestLogDoesNotCountRerenders: a re-render commit is listed, marked, and
// not counted as a version or as the last change.
func TestLogDoesNotCountRerenders(t *testing.T) {
	repo := historyRepo(t)
	latest := harbourVersions()[3]
	rerendered := append(latest.markdown(harbourURL, "Example News"), []byte("\nRendered anew.\n")...)
	saveRerender(t, repo, harbourURL, 4, rerendered, t0.Add(40*time.Hour))
	tio := testEnv(t)
	var got articleLog
	if err := json.Unmarshal([]byte(tio.mustRun(t, "log", "--repo", repo, "--json", harbourURL)), &got); err != nil {
		t.Fatal(err)
	}
	if got.Versions != 4 || got.Changes != 3 || !got.LastChange.Equal(latest.when) || len(got.History) != 5 ||
		!got.History[0].Rerender || got.History[0].Version != 4 || got.History[1].Rerender {
		t.Errorf("log --json with a re-render = %d versions, %d changes, last change %v, rows %+v;\nwant 4, 3, %v, 5 rows with the newest a re-render of v4",
			got.Versions, got.Changes, got.LastChange, got.History, latest.when)
	}
	out := tio.mustRun(t, "log", "--repo", repo, harbourURL)
	if !strings.Contains(out, "(changed 3 times)") || !strings.Contains(out, "\nv4 re-render ") {
		t.Errorf("stet log with a re-render:\n%s", out)
	}
}
