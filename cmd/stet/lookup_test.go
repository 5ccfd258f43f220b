package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestLookup(t *testing.T) {
	repo := historyRepo(t)
	tio := testEnv(t)
	tests := []struct {
		name, arg string
		want      string // the title in the log header; "" for an error
		wantErr   []string
	}{
		{"canonical URL", harbourURL, "Council backs harbour plan", nil},
		{"tracking parameters and fragment", harbourURL + "?utm_source=rss&utm_medium=feed#comments", "Council backs harbour plan", nil},
		{"http and upper-case host", "http://WWW.EXAMPLE.COM/news/harbour-plan", "Council backs harbour plan", nil},
		{"no scheme", "www.example.com/news/harbour-plan", "Council backs harbour plan", nil},
		{"path", "www.example.com/news/harbour-plan.md", "Council backs harbour plan", nil},
		{"path without .md", "www.example.com/news/harbour-plan", "Council backs harbour plan", nil},
		{"file-system path", filepath.Join(repo, "www.example.com", "news", "harbour-plan.md"), "Council backs harbour plan", nil},
		{"unique substring", "harbour-vote", "Harbour vote set for Tuesday", nil},
		{"substring of another site", "storm", "Storm reaches the coast", nil},
		{"ambiguous substring", "harbour", "", []string{`"harbour" matches 2 articles`, "www.example.com/news/harbour-plan.md", "www.example.com/news/harbour-vote.md"}},
		{"no match", "volcano", "", []string{"no such article", "volcano"}},
		{"URL not archived", "https://www.example.com/news/volcano", "", []string{"not in the archive", "www.example.com/news/volcano.md"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code := tio.run(t, "log", "--repo", repo, tt.arg)
			if tt.want != "" {
				if code != exitOK {
					t.Fatalf("log %q = exit %d\nstderr: %s", tt.arg, code, tio.stderr)
				}
				if first, _, _ := strings.Cut(tio.stdout.String(), "\n"); first != tt.want {
					t.Errorf("log %q found %q, want %q", tt.arg, first, tt.want)
				}
				return
			}
			if code != exitUsage {
				t.Fatalf("log %q = exit %d, want %d", tt.arg, code, exitUsage)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(tio.stderr.String(), w) {
					t.Errorf("log %q stderr = %q, want it to mention %q", tt.arg, tio.stderr, w)
				}
			}
		})
	}
}
