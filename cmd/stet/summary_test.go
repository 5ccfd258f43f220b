package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stet-archive/stet/archive"
	"github.com/stet-archive/stet/track"
)

func sampleActionReport() actionReport {
	return actionReport{
		Checked: 12, New: 1, Changed: 2, Unchanged: 8, Suspect: 1, Failed: 2,
		Commit: "0123456789abcdef0123456789abcdef01234567", Pushed: true,
		Articles: []actionArticle{
			{New: true, Title: "Storm nears coast", Site: "Example News", URL: "https://news.example.com/storm", Version: 1},
			{Title: "Minister resigns", Site: "Example News", URL: "https://news.example.com/minister", Version: 3,
				Summary: []string{`Headline: "Minister quits" → "Minister resigns"`, "1 sentence added, 1 edited; +8 −2 words"}},
			{Title: "Pipes | and <b>tags</b> [link](javascript:x) ![img](y)\n| new row |", Site: "Evil *Site*", URL: "https://evil.example/a (b)", Version: 2,
				Summary: []string{"2 sentences added"}},
		},
		Failures: []actionFailure{
			{URL: "https://news.example.com/gone", Reason: "HTTP 404"},
			{URL: "https://evil.example/x", Reason: "bad\n::error::injected 100%"},
		},
	}
}

func goldenFile(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", "golden", "action", name)
	if *updateHistory {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p) // missing? run: go test ./cmd/stet -run Action -update
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", p, diff)
	}
}

func TestActionOutputsGolden(t *testing.T) {
	dir := t.TempDir()
	outFile, sumFile := filepath.Join(dir, "output"), filepath.Join(dir, "summary")
	if err := os.WriteFile(outFile, []byte("earlier=1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tio := testEnv(t)
	tio.env.Getenv = func(k string) string {
		return map[string]string{"GITHUB_OUTPUT": outFile, "GITHUB_STEP_SUMMARY": sumFile, "GITHUB_ACTIONS": "true"}[k]
	}
	a := &app{env: tio.env}
	if err := writeActionOutputs(a, sampleActionReport()); err != nil {
		t.Fatalf("writeActionOutputs: %v", err)
	}
	for _, f := range []struct{ golden, path string }{{"output.txt", outFile}, {"summary.md", sumFile}} {
		b, err := os.ReadFile(f.path)
		if err != nil {
			t.Fatal(err)
		}
		goldenFile(t, f.golden, b)
	}
	goldenFile(t, "warnings.txt", tio.stdout.Bytes())
	for _, line := range strings.Split(strings.TrimSpace(tio.stdout.String()), "\n") {
		if !strings.HasPrefix(line, "::warning ") {
			t.Errorf("stdout line %q is not a warning command", line)
		}
	}
}

func TestActionSummaryTruncated(t *testing.T) {
	r := sampleActionReport()
	for range 20000 {
		r.Articles = append(r.Articles, r.Articles[1])
	}
	var b bytes.Buffer
	if err := writeSummary(&b, r, maxStepSummary); err != nil {
		t.Fatal(err)
	}
	if b.Len() > maxStepSummary {
		t.Errorf("summary is %d bytes, over %d", b.Len(), maxStepSummary)
	}
	if !strings.Contains(b.String(), "Summary truncated: ") {
		t.Errorf("summary lacks the truncation note")
	}
	if !strings.HasSuffix(b.String(), "see the warnings in the log.\n") {
		t.Errorf("summary lost its tail:\n%s", b.String()[b.Len()-300:])
	}
}

func TestActionOutputsOnlyWhenSet(t *testing.T) {
	tio := testEnv(t)
	if err := writeActionOutputs(&app{env: tio.env}, sampleActionReport()); err != nil {
		t.Fatal(err)
	}
	if tio.stdout.Len() != 0 {
		t.Errorf("wrote %q outside GitHub Actions", tio.stdout)
	}
}

func TestActionReportFrom(t *testing.T) {
	rep := track.Report{Checked: 4, New: 1, Changed: 1, Unchanged: 1, Failed: 1, Results: []track.Result{
		{URL: "https://a.example/1?utm=x", Canonical: "https://a.example/1", Status: track.New, Title: "One", Site: "A", Version: 1},
		{URL: "https://a.example/2", Status: track.Changed, Title: "Two", Site: "A", Version: 3, Summary: []string{"1 sentence added"}},
		{URL: "https://a.example/3", Status: track.Unchanged},
		{URL: "https://a.example/4", Status: track.Failed, Err: errors.New("fetch: 500")},
	}}
	got := actionReportFrom(rep, "local", &pushOutcome{res: pushResult{Head: "abc"}})
	want := actionReport{
		Checked: 4, New: 1, Changed: 1, Unchanged: 1, Failed: 1, Commit: "abc", Pushed: true,
		Articles: []actionArticle{
			{New: true, Title: "One", Site: "A", URL: "https://a.example/1", Version: 1},
			{Title: "Two", Site: "A", URL: "https://a.example/2", Version: 3, Summary: []string{"1 sentence added"}},
		},
		Failures: []actionFailure{{URL: "https://a.example/4", Reason: "fetch: 500"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("actionReportFrom mismatch (-want +got):\n%s", diff)
	}
}

// TestActionReportAfterReplay: the report names what landed after a
// replay, not what the run committed locally.
func TestActionReportAfterReplay(t *testing.T) {
	rep := track.Report{Checked: 4, New: 2, Changed: 2, Results: []track.Result{
		{URL: "https://a.example/1", Status: track.Changed, Title: "One", Version: 2, Commit: "c1", Summary: []string{"as seen"}},
		{URL: "https://a.example/2", Status: track.Changed, Title: "Two", Version: 2, Commit: "c2"},
		{URL: "https://a.example/3", Status: track.New, Title: "Three", Version: 1, Commit: "c3"},
		{URL: "https://a.example/4", Status: track.New, Title: "Four", Version: 1, Commit: "c4"},
	}}
	landed := map[string]archive.Landed{
		"c1": {Commit: "r1", Version: 4, Summary: []string{"as landed"}},
		"c2": {Version: 3}, // dropped: the remote had the bytes
		"c3": {Commit: "r3", Version: 2},
	}
	got := actionReportFrom(rep, "local", &pushOutcome{res: pushResult{Head: "r4", Landed: landed}})
	want := actionReport{
		Checked: 4, New: 1, Changed: 2, Unchanged: 1, Commit: "r4", Pushed: true,
		Articles: []actionArticle{
			{Title: "One", URL: "https://a.example/1", Version: 4, Summary: []string{"as landed"}},
			{Title: "Three", URL: "https://a.example/3", Version: 2},
			{New: true, Title: "Four", URL: "https://a.example/4", Version: 1},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("actionReportFrom after a replay (-want +got):\n%s", diff)
	}

	failed := actionReportFrom(rep, "local", &pushOutcome{err: errors.New("push: permission denied (HTTP 403):\nno")})
	if failed.Commit != "" || failed.Pushed || failed.PushError != "push: permission denied (HTTP 403):;no" {
		t.Errorf("after a failed push: commit %q, pushed %t, error %q; want no commit and the error on one line", failed.Commit, failed.Pushed, failed.PushError)
	}
	var out bytes.Buffer
	if err := writeWarnings(&out, failed); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "::error title=stet push failed::push: permission denied") {
		t.Errorf("annotations = %q, want a ::error:: for the push", out.String())
	}
}
