package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"text/template"
	"time"
)

// fixedTime is the clock of every test, so commit hashes are stable.
var fixedTime = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// testEnv returns an Env with buffers for output and a clock that starts
// at fixedTime and moves one minute per call, so commits get distinct
// times.
type testIO struct {
	env            *Env
	stdout, stderr *bytes.Buffer
	mu             sync.Mutex
	now            time.Time
}

func testEnv(t *testing.T) *testIO {
	t.Helper()
	tio := &testIO{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, now: fixedTime}
	tio.env = &Env{
		Stdout: tio.stdout,
		Stderr: tio.stderr,
		Stdin:  strings.NewReader(""),
		Getenv: func(k string) string {
			if k == "NO_COLOR" {
				return "1"
			}
			return ""
		},
		Now: func() time.Time {
			tio.mu.Lock()
			defer tio.mu.Unlock()
			tio.now = tio.now.Add(time.Minute)
			return tio.now
		},
		Terminal: func(io.Writer) bool { return false },
		Width:    func() int { return 0 },
	}
	return tio
}

// run runs stet with args and returns the exit code, resetting the
// output buffers first.
func (tio *testIO) run(t *testing.T, args ...string) int {
	t.Helper()
	tio.stdout.Reset()
	tio.stderr.Reset()
	return run(t.Context(), args, tio.env)
}

// mustRun runs stet and fails the test unless it exits 0.
func (tio *testIO) mustRun(t *testing.T, args ...string) string {
	t.Helper()
	if code := tio.run(t, args...); code != exitOK {
		t.Fatalf("stet %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, tio.stdout, tio.stderr)
	}
	return tio.stdout.String()
}

// git runs the real git CLI in repo and returns its stdout.
func git(t *testing.T, repo string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", repo}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return out.String()
}

func commitCount(t *testing.T, repo string) int {
	t.Helper()
	out := strings.TrimSpace(git(t, repo, "rev-list", "--count", "HEAD"))
	n, err := strconv.Atoi(out)
	if err != nil {
		t.Fatalf("git rev-list --count: %q", out)
	}
	return n
}

// storySite serves testdata/sites/daily/story.html.tmpl with fresh page
// noise on every request: a clock, an ad id, a script token, share counts
// and a rotating related-links list. Its article text changes only when
// the test says so.
type storySite struct {
	t    *testing.T
	tmpl *template.Template
	srv  *httptest.Server

	mu       sync.Mutex
	hits     int
	headline string
	sentence string
	extra    string
	status   int
}

func newStorySite(t *testing.T) *storySite {
	t.Helper()
	s := &storySite{
		t:        t,
		tmpl:     template.Must(template.ParseFiles("../../testdata/sites/daily/story.html.tmpl")),
		headline: "Harbour bill vote delayed until new year",
		sentence: "The bill would cost an estimated £4.2bn over ten years.",
	}
	s.srv = httptest.NewServer(s)
	t.Cleanup(s.srv.Close)
	return s
}

func (s *storySite) set(f func(s *storySite)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

func (s *storySite) requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits
}

func (s *storySite) url() string { return s.srv.URL + "/politics/story.html" }

func (s *storySite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits++
	n := s.hits
	status := s.status
	data := map[string]any{
		"Base":     s.srv.URL,
		"Headline": s.headline,
		"Sentence": s.sentence,
		"Extra":    s.extra,
		"Stamp":    fixedTime.Add(time.Duration(n) * 7 * time.Minute).Format("15:04 MST, 2 Jan 2006"),
		"Modified": fixedTime.Add(time.Duration(n) * time.Minute).Format(time.RFC3339),
		"AdID":     fmt.Sprintf("div-gpt-%08x", n*2654435761),
		"Token":    fmt.Sprintf("%x", n*40503+17),
		"Shares":   n * 13,
		"Related":  related(n),
	}
	s.mu.Unlock()
	if r.URL.Path != "/politics/story.html" {
		http.NotFound(w, r)
		return
	}
	if status != 0 {
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := s.tmpl.Execute(w, data); err != nil {
		s.t.Errorf("template: %v", err)
	}
}

func related(n int) []string {
	all := []string{"rail-strike-talks", "budget-leak-inquiry", "mayor-resigns", "ferry-fares-rise", "bridge-closure"}
	out := make([]string, 3)
	for i := range out {
		out[i] = all[(n+i)%len(all)]
	}
	return out
}

func TestMain_RunUsage(t *testing.T) {
	tio := testEnv(t)
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"unknown command", []string{"frobnicate"}, exitUsage},
		{"unknown flag", []string{"fetch", "--nope", "http://x/"}, exitUsage},
		{"fetch needs a URL", []string{"fetch"}, exitUsage},
		{"version", []string{"version"}, exitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tio.run(t, tt.args...); got != tt.want {
				t.Errorf("run(%q) = %d, want %d\nstderr: %s", tt.args, got, tt.want, tio.stderr)
			}
		})
	}
}
