package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stet-archive/stet/track"
)

var boundsRun = flag.Bool("bounds", false, "run TestResourceBounds (1,000 articles, 50 hostile)")

// maxBoundsRSS is the peak RSS allowed for a run over 1,000 articles.
const maxBoundsRSS = 256 << 20

// TestResourceBounds runs one `stet run` over 1,000 good articles and 50
// hostile ones (slow-loris, endless body, gzip bomb, redirect loop, binary,
// 200 error page, 500s) and checks that it finishes, archives every good
// article, fails every hostile one, and keeps the stet process's peak RSS
// under 256 MiB. Run it with
//
//	go test ./cmd/stet -run ResourceBounds -bounds -v -timeout 20m
func TestResourceBounds(t *testing.T) {
	if !*boundsRun {
		t.Skip("run with -bounds")
	}
	const good, hostile = 1000, 50
	bin := buildStet(t)
	site := newRevSite(t, good)
	hs := newHostileServer(t)
	kinds := []string{"slow-loris", "endless-body", "gzip-bomb", "redirect-loop", "binary-as-html", "ok-error-page", "storm-500/x"}
	list := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var links []string
		for i := range hostile {
			k := kinds[i%len(kinds)]
			if strings.Contains(k, "/") {
				links = append(links, fmt.Sprintf("%s/%s%d", hs.srv.URL, k, i))
			} else {
				links = append(links, fmt.Sprintf("%s/a/%s?n=%d", hs.srv.URL, k, i))
			}
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, rss(links...))
	}))
	t.Cleanup(list.Close)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "stet.yaml")
	os.WriteFile(cfg, []byte(fmt.Sprintf(`fetch:
  allow_private_addresses: true
  host_interval: 0s
  timeout: 2s
schedule:
  max_fetches_per_run: 5000
  max_per_host_per_run: 5000
sources:
  - name: good
    feeds: [%s/feed.xml]
  - name: hostile
    feeds: [%s/hostile.xml]
`, site.srv.URL, list.URL)), 0o644)
	repo := filepath.Join(dir, "news")
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, "run", "--config", cfg, "--repo", repo, "--json", "--log-level", "error")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err, peak, timedOut := runPeak(cmd, 15*time.Minute)
	elapsed := time.Since(start)
	if timedOut {
		t.Fatalf("stet run did not finish in 15 minutes\n%s", stderr.String())
	}
	if code := exitCode(err); code != exitFailed {
		t.Errorf("stet run exit %d, want %d (some articles failed)\n%s", code, exitFailed, stderr.String())
	}
	var rep track.Report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("report: %v\n%s", err, stderr.String())
	}
	if rep.New != good {
		t.Errorf("new articles %d, want %d", rep.New, good)
	}
	if bad := rep.Failed + rep.Suspect; bad != hostile {
		t.Errorf("failed + suspect %d, want %d", bad, hostile)
	}
	if err := checkRepo(t, repo); err != nil {
		t.Fatal(err)
	}
	if peak > maxBoundsRSS {
		t.Errorf("peak RSS %d MiB, want under %d MiB", peak>>20, maxBoundsRSS>>20)
	}
	t.Logf("%d good + %d hostile articles in %v: new %d, failed %d, suspect %d; peak RSS of stet %d MiB (bound %d MiB)",
		good, hostile, elapsed.Round(time.Second), rep.New, rep.Failed, rep.Suspect, peak>>20, maxBoundsRSS>>20)
}
