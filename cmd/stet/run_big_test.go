package main

import (
	"bytes"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"text/template"
	"time"
)

var bigPass = flag.Bool("bigpass", false, "run the 1,000-article pass and report its time and peak RSS")

// TestRunThousandArticles measures a full pass over 1,000 articles served
// from loopback with per-host limits off: a cold archive, then --all with
// every article unchanged. Run it with
//
//	go test ./cmd/stet -run TestRunThousandArticles -bigpass -v
func TestRunThousandArticles(t *testing.T) {
	if !*bigPass || testing.Short() {
		t.Skip("needs -bigpass")
	}
	const n = 1000
	tmpl := template.Must(template.ParseFiles(filepath.Join(trackerDir, "article.html.tmpl")))
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/feed.xml":
			var b bytes.Buffer
			b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>`)
			for i := range n {
				fmt.Fprintf(&b, "<item><title>Story %d</title><link>%s/a/%d.html</link></item>", i, srv.URL, i)
			}
			b.WriteString("</channel></rss>")
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write(b.Bytes())
		case strings.HasPrefix(r.URL.Path, "/a/"):
			i, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/a/"), ".html"))
			if err != nil {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			tmpl.Execute(w, map[string]any{
				"Title":     fmt.Sprintf("Story number %d about the harbour", i),
				"Canonical": fmt.Sprintf("%s/a/%d.html", srv.URL, i),
				"Stamp":     time.Now().Format(time.RFC3339Nano),
				"Extra":     strings.Repeat(fmt.Sprintf("Paragraph detail %d is reported here. ", i), 20),
			})
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "stet.yaml")
	os.WriteFile(cfg, []byte(fmt.Sprintf("fetch:\n  allow_private_addresses: true\n  host_interval: 0s\nschedule:\n  max_fetches_per_run: 2000\nsources:\n  - name: big\n    feeds: [%s/feed.xml]\n", srv.URL)), 0o644)
	repo := filepath.Join(dir, "repo")
	tio := testEnv(t)
	clk := &clock{t: fixedTime}
	tio.env.Now = clk.now

	start := time.Now()
	rep := runReport(t, tio, exitOK, "--repo", repo, "--config", cfg)
	cold := time.Since(start)
	if rep.New != n {
		t.Errorf("cold pass: new %d, want %d", rep.New, n)
	}
	clk.set(fixedTime.Add(time.Minute))
	start = time.Now()
	rep = runReport(t, tio, exitOK, "--repo", repo, "--config", cfg, "--all")
	warm := time.Since(start)
	if rep.Checked != n || rep.Unchanged != n {
		t.Errorf("--all pass: checked %d, unchanged %d; want %d, %d", rep.Checked, rep.Unchanged, n, n)
	}
	if c := commitCount(t, repo); c != n {
		t.Errorf("commits = %d, want %d", c, n)
	}
	t.Logf("1,000 articles: cold pass %v (goal ≤ 10s), --all re-check %v (goal ≤ 4s), peak RSS of the test process %s (goal ≤ 200 MiB)", cold.Round(time.Millisecond), warm.Round(time.Millisecond), peakRSS())
}

// peakRSS reads VmHWM from /proc/self/status.
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
