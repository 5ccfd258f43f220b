package main

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stet-archive/stet/track"
)

func TestRunExitCodes(t *testing.T) {
	artErr := errors.New("fetch: 503")
	failed := track.Report{Checked: 2, Failed: 1, Results: []track.Result{{Status: track.Failed, Err: artErr}, {Status: track.Unchanged}}}
	nothing := track.Report{SourceErrors: []string{"a: refused", "b: refused"}}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name                    string
		ctx                     context.Context
		rep                     track.Report
		sources                 int
		runErr, pushErr, outErr error
		want                    int
	}{
		{"ok", nil, track.Report{Checked: 3}, 2, nil, nil, nil, exitOK},
		{"some articles failed", nil, failed, 2, errors.Join(artErr), nil, nil, exitFailed},
		{"every source failed", nil, nothing, 2, nil, nil, nil, exitNoSource},
		{"every source failed, due articles failed too", nil, track.Report{SourceErrors: nothing.SourceErrors, Checked: 1, Failed: 1, Results: failed.Results[:1]}, 2, errors.Join(artErr), nil, nil, exitNoSource},
		{"one of two sources failed", nil, track.Report{SourceErrors: nothing.SourceErrors[:1]}, 2, nil, nil, nil, exitOK},
		{"no sources configured", nil, track.Report{}, 0, nil, nil, nil, exitOK},
		{"push failed", nil, failed, 2, errors.Join(artErr), errors.New("push: rejected"), nil, exitPush},
		{"state write failed", nil, failed, 2, errors.New("write state: disk full"), nil, nil, exitRunError},
		{"state write failed besides an article", nil, failed, 2, errors.Join(artErr, errors.New("write state: disk full")), nil, nil, exitRunError},
		{"outputs not written", nil, track.Report{Checked: 1}, 1, nil, nil, errors.New("write GITHUB_OUTPUT: denied"), exitRunError},
		{"interrupted", cancelled, failed, 2, context.Canceled, errors.New("push"), nil, exitInterrupted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := tt.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			err := runExit(ctx, tt.rep, tt.sources, tt.runErr, tt.pushErr, tt.outErr)
			if got := exitCodeOf(ctx, err); got != tt.want {
				t.Errorf("exit %d, want %d (err %v)", got, tt.want, err)
			}
		})
	}
}

// exitCodeOf maps a RunE error the way run does.
func exitCodeOf(ctx context.Context, err error) int {
	var ee exitError
	switch {
	case err == nil:
		return exitOK
	case ctx.Err() != nil:
		return exitInterrupted
	case errors.As(err, &ee):
		return ee.code
	case errors.Is(err, errFailed):
		return exitFailed
	}
	return -1
}

// TestRunEverySourceFails runs a pass whose only source is refused: stet
// run must not exit 0, and under GitHub Actions the reason is one
// ::error:: annotation.
func TestRunEverySourceFails(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "stet.yaml")
	if err := os.WriteFile(cfg, []byte("fetch:\n  allow_private_addresses: true\n  host_interval: 0s\nsources:\n  - name: dead\n    feeds:\n      - "+deadURL+"/rss.xml\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tio := testEnv(t)
	tio.env.Getenv = func(k string) string { return map[string]string{"GITHUB_ACTIONS": "true"}[k] }
	if code := tio.run(t, "run", "--repo", filepath.Join(dir, "archive"), "--config", cfg); code != exitNoSource {
		t.Fatalf("exit %d, want %d\n%s", code, exitNoSource, tio.stderr)
	}
	if n := strings.Count(tio.stderr.String(), "::error"); n != 1 || !strings.Contains(tio.stderr.String(), "::error title=stet::every source failed") {
		t.Errorf("want one ::error:: line naming the cause, got %d:\n%s", n, tio.stderr)
	}
}
