package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"text/template"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stet-archive/stet/archive"
	"github.com/stet-archive/stet/track"
)

const trackerDir = "../../testdata/sites/tracker"

// trackerSite serves testdata/sites/tracker: feeds, a sitemap index with
// a gzipped news sitemap, a section page, robots.txt and articles, plus a
// second host that answers every article with 429 and Retry-After.
type trackerSite struct {
	t          *testing.T
	main, busy *httptest.Server
	tmpl       *template.Template

	mu    sync.Mutex
	hits  map[string]int // article requests by path, both hosts
	extra map[string]string
	// onArticle, when set, is called once, at the first article request.
	onArticle func()
}

func newTrackerSite(t *testing.T) *trackerSite {
	t.Helper()
	s := &trackerSite{t: t, hits: map[string]int{}, extra: map[string]string{}}
	s.tmpl = template.Must(template.ParseGlob(filepath.Join(trackerDir, "*.tmpl")))
	s.main = httptest.NewServer(http.HandlerFunc(s.serveMain))
	s.busy = httptest.NewServer(http.HandlerFunc(s.serveBusy))
	t.Cleanup(s.main.Close)
	t.Cleanup(s.busy.Close)
	return s
}

func (s *trackerSite) hit(r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hits[r.Host+r.URL.Path]++
	if s.onArticle != nil {
		s.onArticle()
		s.onArticle = nil
	}
}

// articleHits returns the article requests since the last call, by
// host+path, and resets the count.
func (s *trackerSite) articleHits() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.hits
	s.hits = map[string]int{}
	return h
}

func (s *trackerSite) setExtra(path, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.extra[path] = text
}

func (s *trackerSite) render(w http.ResponseWriter, name string, data map[string]any) []byte {
	var b bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&b, name, data); err != nil {
		s.t.Errorf("template %s: %v", name, err)
		http.Error(w, err.Error(), 500)
		return nil
	}
	return b.Bytes()
}

func (s *trackerSite) serveMain(w http.ResponseWriter, r *http.Request) {
	base := s.main.URL
	data := map[string]any{"Base": base, "Busy": s.busy.URL}
	p := r.URL.Path
	switch {
	case p == "/robots.txt":
		http.ServeFile(w, r, filepath.Join(trackerDir, "robots.txt"))
	case p == "/rss.xml" || p == "/atom.xml" || p == "/sitemap-index.xml":
		w.Header().Set("Content-Type", "application/xml")
		w.Write(s.render(w, strings.TrimPrefix(p, "/")+".tmpl", data))
	case p == "/news-sitemap.xml.gz":
		w.Header().Set("Content-Type", "application/x-gzip")
		zw := gzip.NewWriter(w)
		zw.Write(s.render(w, "news-sitemap.xml.tmpl", data))
		zw.Close()
	case p == "/world/":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(s.render(w, "world.html.tmpl", data))
	case strings.HasPrefix(p, "/private/"):
		s.hit(r)
		http.Error(w, "robots.txt says no", http.StatusForbidden)
	case p == "/news/endless.html":
		s.hit(r)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<!DOCTYPE html><html><body><p>"))
		chunk := bytes.Repeat([]byte("and on "), 1024)
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	case strings.HasPrefix(p, "/news/") && strings.HasSuffix(p, ".html"):
		s.hit(r)
		slug := strings.TrimSuffix(strings.TrimPrefix(p, "/news/"), ".html")
		slug = strings.TrimSuffix(slug, ".amp")
		slug = strings.TrimSuffix(slug, "-print")
		title, ok := map[string]string{
			"a1": "Council approves new bridge",
			"a2": "Storm closes harbour",
			"a3": "School results published",
			"a4": "Library reopens after repairs",
			"a5": "Rail strike called off",
		}[slug]
		if !ok {
			http.NotFound(w, r)
			return
		}
		s.mu.Lock()
		extra := s.extra["/news/"+slug+".html"]
		s.mu.Unlock()
		// A validator that ignores the page noise, so re-checks of an
		// unchanged article can be answered with 304.
		etag := fmt.Sprintf(`"%s-%d"`, slug, len(extra))
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		data["Title"] = title
		data["Canonical"] = base + "/news/" + slug + ".html"
		data["Stamp"] = time.Now().Format(time.RFC3339Nano) // page noise
		data["Extra"] = extra
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(s.render(w, "article.html.tmpl", data))
	default:
		http.NotFound(w, r)
	}
}

func (s *trackerSite) serveBusy(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/robots.txt" {
		http.NotFound(w, r)
		return
	}
	s.hit(r)
	w.Header().Set("Retry-After", "1")
	http.Error(w, "slow down", http.StatusTooManyRequests)
}

// config writes a stet.yaml for the site into dir and returns its path.
func (s *trackerSite) config(t *testing.T, dir, extra string) string {
	t.Helper()
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close() // a dead host: connections are refused
	cfg := fmt.Sprintf(`fetch:
  allow_private_addresses: true
  host_interval: 0s
  max_body: 200000
  timeout: 10s
sources:
  - name: tracker
    feeds:
      - %[1]s/rss.xml
      - %[1]s/atom.xml
    sitemaps:
      - %[1]s/sitemap-index.xml
  - name: world
    pages:
      - %[1]s/world/
    include:
      - /news/
  - name: dead
    feeds:
      - %[2]s/rss.xml
%[3]s`, s.main.URL, deadURL, extra)
	path := filepath.Join(dir, "stet.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// clock is a settable clock for the tests of stet run.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func runReport(t *testing.T, tio *testIO, wantCode int, args ...string) track.Report {
	t.Helper()
	code := tio.run(t, append([]string{"run", "--json"}, args...)...)
	if code != wantCode {
		t.Fatalf("stet run %v: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", args, code, wantCode, tio.stdout, tio.stderr)
	}
	var rep track.Report
	if err := json.Unmarshal(tio.stdout.Bytes(), &rep); err != nil {
		t.Fatalf("stet run --json: %v\n%s", err, tio.stdout)
	}
	return rep
}

func readState(t *testing.T, repo string) *track.State {
	t.Helper()
	arch, err := archive.Open(repo, archive.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer arch.Close()
	files, err := arch.ReadState()
	if err != nil {
		t.Fatal(err)
	}
	st, err := track.DecodeState(files)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func keys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestRunTracksSite(t *testing.T) {
	site := newTrackerSite(t)
	repo := t.TempDir()
	cfg := site.config(t, t.TempDir(), "")
	tio := testEnv(t)
	clk := &clock{t: fixedTime}
	tio.env.Now = clk.now
	mainHost := strings.TrimPrefix(site.main.URL, "http://")
	busyHost := strings.TrimPrefix(site.busy.URL, "http://")
	args := []string{"--repo", repo, "--config", cfg}

	// First run: every allowed article archived once, failures reported.
	rep := runReport(t, tio, exitFailed, args...)
	if !strings.Contains(tio.stderr.String(), `msg=progress checked=9 of=9`) {
		t.Errorf("no progress log lines on a non-terminal stderr:\n%s", tio.stderr)
	}
	hits := site.articleHits()
	if hits[busyHost+"/news/b1.html"] == 0 {
		t.Errorf("first run never asked the busy host: %v", hits)
	}
	for k := range hits {
		if strings.Contains(k, "/private/") {
			t.Errorf("first run requested disallowed %s", k)
		}
	}
	if rep.New != 5 || rep.Failed != 2 || rep.Skipped != 1 || len(rep.SourceErrors) != 1 {
		t.Errorf("first run: new %d, failed %d, skipped %d, source errors %q; want 5, 2 (429 and endless body), 1 (robots), 1 (dead host)",
			rep.New, rep.Failed, rep.Skipped, rep.SourceErrors)
	}
	if n := commitCount(t, repo); n != 5 {
		t.Errorf("commits after first run = %d, want 5", n)
	}
	files := strings.Fields(git(t, repo, "ls-tree", "-r", "--name-only", "HEAD"))
	if len(files) != 5 {
		t.Errorf("files after first run = %q, want 5 (one per article, a2 once)", files)
	}
	git(t, repo, "fsck", "--strict")
	st := readState(t, repo)
	a2 := site.main.URL + "/news/a2.html"
	if _, e, ok := st.Lookup(a2); !ok || !slices.Contains(e.Aliases, site.main.URL+"/news/a2-print.html") {
		t.Errorf("state of a2 = %+v, want the print URL recorded as its alias", e)
	}
	if _, _, ok := st.Lookup(site.main.URL + "/news/a2-print.html"); !ok {
		t.Errorf("alias a2-print not found by Lookup")
	}
	// a1-a5, b1, endless and the disallowed p1, which robots.txt keeps
	// from being requested but which stays tracked in case it changes.
	if len(st.Entries) != 8 {
		t.Errorf("tracked entries = %d, want 8", len(st.Entries))
	}
	stateRef := git(t, repo, "rev-parse", "refs/stet/state")

	// Second run right after: nothing is due.
	clk.set(fixedTime.Add(time.Minute))
	rep = runReport(t, tio, exitOK, args...)
	if hits := site.articleHits(); len(hits) != 0 || rep.Checked != 0 {
		t.Errorf("second run checked %d, fetched %v; want nothing", rep.Checked, hits)
	}
	if n := commitCount(t, repo); n != 5 {
		t.Errorf("commits after second run = %d, want 5", n)
	}
	if got := git(t, repo, "rev-parse", "refs/stet/state"); got != stateRef {
		t.Errorf("second run rewrote the state: %s → %s", stateRef, got)
	}

	// +1h: everything that is due, and nothing else; one article changed.
	site.setExtra("/news/a1.html", "Late on Thursday the council added that work would start in the spring.")
	at := fixedTime.Add(time.Hour)
	clk.set(at)
	plan, _ := track.Schedule{}.Plan(readState(t, repo), at, false)
	var want []string
	for _, p := range plan {
		if !strings.Contains(p.URL, "/private/") { // checked, but robots.txt says no request
			want = append(want, strings.TrimPrefix(p.URL, "http://"))
		}
	}
	slices.Sort(want)
	rep = runReport(t, tio, exitFailed, args...)
	hits = site.articleHits()
	if diff := cmp.Diff(want, keys(hits)); diff != "" {
		t.Errorf("+1h fetched (-due +got):\n%s", diff)
	}
	if len(plan) != 8 || rep.Checked != 8 || rep.Changed != 1 {
		t.Errorf("+1h: due %d, checked %d, changed %d; want 8, 8, 1", len(plan), rep.Checked, rep.Changed)
	}
	notModified := 0
	for _, r := range rep.Results {
		if r.Status == track.Unchanged && r.Reason == "not modified" {
			notModified++
		}
	}
	if notModified != 4 { // a2 to a5; a1 changed, so its ETag did too
		t.Errorf("+1h: %d answered 304, want 4 (conditional GET with the stored ETag)", notModified)
	}
	if n := commitCount(t, repo); n != 6 {
		t.Errorf("commits after +1h = %d, want 6", n)
	}

	// +1h20m: only the changed article (its wait restarted at 15m) is due.
	at = fixedTime.Add(80 * time.Minute)
	clk.set(at)
	rep = runReport(t, tio, exitOK, args...)
	if diff := cmp.Diff([]string{mainHost + "/news/a1.html"}, keys(site.articleHits())); diff != "" {
		t.Errorf("+1h20m fetched (-want +got):\n%s", diff)
	}

	// Deleted state: rebuilt from history, no new commits.
	git(t, repo, "update-ref", "-d", "refs/stet/state")
	rep = runReport(t, tio, exitFailed, args...)
	site.articleHits()
	if !rep.Rebuilt || rep.New != 0 || rep.Changed != 0 {
		t.Errorf("after deleting the state: rebuilt %v, new %d, changed %d; want true, 0, 0", rep.Rebuilt, rep.New, rep.Changed)
	}
	if n := commitCount(t, repo); n != 6 {
		t.Errorf("commits after rebuild = %d, want 6", n)
	}
	if st := readState(t, repo); len(st.Entries) != 8 {
		t.Errorf("rebuilt state tracks %d, want 8", len(st.Entries))
	}
	git(t, repo, "fsck", "--strict")

	// 61 days on: everything is retired and never fetched again.
	clk.set(fixedTime.Add(61 * 24 * time.Hour))
	rep = runReport(t, tio, exitOK, append(args, "--all")...)
	if hits := site.articleHits(); len(hits) != 0 || rep.Retired != 8 {
		t.Errorf("after 61 days: retired %d, fetched %v; want 8 retired, nothing fetched", rep.Retired, hits)
	}
	rep = runReport(t, tio, exitOK, append(args, "--all")...)
	if hits := site.articleHits(); len(hits) != 0 || rep.Checked != 0 {
		t.Errorf("retired articles fetched: %v", hits)
	}
}

func TestRunDryRun(t *testing.T) {
	site := newTrackerSite(t)
	repo := filepath.Join(t.TempDir(), "not-yet")
	cfg := site.config(t, t.TempDir(), "")
	tio := testEnv(t)
	out := tio.mustRun(t, "run", "--repo", repo, "--config", cfg, "--dry-run")
	if hits := site.articleHits(); len(hits) != 0 {
		t.Errorf("dry run fetched articles: %v", hits)
	}
	if _, err := os.Stat(repo); !os.IsNotExist(err) {
		t.Errorf("dry run created the repository: %v", err)
	}
	for _, want := range []string{
		"would fetch " + site.main.URL + "/news/a1.html (new)",
		"would fetch " + site.busy.URL + "/news/b1.html (new)",
		"would fetch " + site.main.URL + "/private/p1.html (new, disallowed by robots.txt)",
		"would fetch 9",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}

	// On an existing archive, due articles say since when.
	repo = t.TempDir()
	clk := &clock{t: fixedTime}
	tio.env.Now = clk.now
	tio.run(t, "run", "--repo", repo, "--config", cfg)
	site.articleHits()
	state := git(t, repo, "rev-parse", "refs/stet/state")
	clk.set(fixedTime.Add(time.Hour))
	out = tio.mustRun(t, "run", "--repo", repo, "--config", cfg, "--dry-run", "--max-fetches", "3")
	if !strings.Contains(out, "(due since 2026-11-26T12:") || !strings.Contains(out, "would fetch 3, deferred 5") {
		t.Errorf("dry run on an archive:\n%s", out)
	}
	if hits := site.articleHits(); len(hits) != 0 {
		t.Errorf("dry run fetched articles: %v", hits)
	}
	if n, got := commitCount(t, repo), git(t, repo, "rev-parse", "refs/stet/state"); n != 5 || got != state {
		t.Errorf("dry run changed the archive: %d commits, state %s → %s", n, state, got)
	}
}

func TestRunInterrupted(t *testing.T) {
	site := newTrackerSite(t)
	repo := t.TempDir()
	cfg := site.config(t, t.TempDir(), "")
	tio := testEnv(t)
	clk := &clock{t: fixedTime}
	tio.env.Now = clk.now
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	site.onArticle = cancel // Ctrl-C while the first article is in hand
	code := run(ctx, []string{"run", "--repo", repo, "--config", cfg, "--workers", "1", "--json"}, tio.env)
	if code != exitInterrupted {
		t.Fatalf("interrupted run: exit %d, want %d\n%s", code, exitInterrupted, tio.stderr)
	}
	var rep track.Report
	if err := json.Unmarshal(tio.stdout.Bytes(), &rep); err != nil {
		t.Fatalf("report: %v\n%s", err, tio.stdout)
	}
	if !rep.Interrupted || rep.Checked != 1 {
		t.Errorf("interrupted report: interrupted %v, checked %d; want true, 1 (the article in hand)", rep.Interrupted, rep.Checked)
	}
	git(t, repo, "fsck", "--strict")
	st := readState(t, repo)
	checked := 0
	for _, e := range st.Entries {
		if !e.LastChecked.IsZero() {
			checked++
		}
	}
	commits := 0
	if rep.New > 0 || strings.TrimSpace(git(t, repo, "for-each-ref", "refs/heads/")) != "" {
		commits = commitCount(t, repo)
	}
	if checked != 1 || commits != rep.New {
		t.Errorf("after interruption: %d checked in state, %d commits, %d new; want 1 checked, commits = new", checked, commits, rep.New)
	}
}

func TestRunProgressBarOnTerminal(t *testing.T) {
	site := newTrackerSite(t)
	cfg := site.config(t, t.TempDir(), "")
	tio := testEnv(t)
	tio.env.Terminal = func(w io.Writer) bool { return w == tio.env.Stderr }
	tio.run(t, "run", "--repo", t.TempDir(), "--config", cfg, "--log-level", "error")
	if !strings.Contains(tio.stderr.String(), "checking") || !strings.Contains(tio.stderr.String(), "(1/9)") {
		t.Errorf("no progress bar on a terminal stderr:\n%q", tio.stderr)
	}
	if strings.Contains(tio.stdout.String(), "checking") {
		t.Errorf("progress bar on stdout")
	}
}
