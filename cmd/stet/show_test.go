package main

import (
	"testing"
)

func TestShow(t *testing.T) {
	repo := historyRepo(t)
	tio := testEnv(t)
	vs := harbourVersions()
	historyGolden(t, "show-v2.md", tio.mustRun(t, "show", "--repo", repo, harbourURL, "--version", "2"))
	tests := []struct {
		name string
		args []string
		want storyVersion
	}{
		{"latest by default", nil, vs[3]},
		{"number", []string{"--version", "2"}, vs[1]},
		{"relative", []string{"--version", "-3"}, vs[1]},
		{"flip-flop back to v1", []string{"--version", "3"}, vs[0]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tio.mustRun(t, append([]string{"show", "--repo", repo, harbourURL}, tt.args...)...)
			if want := string(tt.want.markdown(harbourURL, "Example News")); got != want {
				t.Errorf("show %v =\n%s\nwant\n%s", tt.args, got, want)
			}
		})
	}
	for _, bad := range []string{"5", "nope"} {
		if code := tio.run(t, "show", "--repo", repo, harbourURL, "--version", bad); code != exitUsage {
			t.Errorf("show --version %s = exit %d, want %d", bad, code, exitUsage)
		}
	}
}
