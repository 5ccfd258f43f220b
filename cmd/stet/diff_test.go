package main

import (
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/stet-archive/stet/archive"
)

func TestDiffFormats(t *testing.T) {
	repo := historyRepo(t)
	tests := []struct {
		golden string
		args   []string
		width  int
	}{
		{"diff-inline.txt", []string{"1", "2"}, 0},
		{"diff-side-160.txt", []string{"--format", "side", "1", "2"}, 160},
		{"diff.html", []string{"--format", "html", "1", "2"}, 0},
		{"diff.json", []string{"--format", "json", "1", "2"}, 0},
		{"diff-default.txt", nil, 0},                 // the last two: v3 → v4, the correction
		{"diff-flipflop.txt", []string{"1", "3"}, 0}, // v3 == v1: nothing marked
		{"diff-back.txt", []string{"2", "3"}, 0},     // the flip back
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			tio := testEnv(t)
			tio.env.Width = func() int { return tt.width }
			historyGolden(t, tt.golden, tio.mustRun(t, append([]string{"diff", "--repo", repo, harbourURL}, tt.args...)...))
		})
	}
}

func TestDiffFlipFlopHasNoChanges(t *testing.T) {
	repo := historyRepo(t)
	tio := testEnv(t)
	var got diffJSON
	out := tio.mustRun(t, "diff", "--repo", repo, "--format", "json", harbourURL, "1", "3")
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Diff.Changed() || got.From.Version != 1 || got.To.Version != 3 {
		t.Errorf("diff v1 v3 (a flip-flop) = from %+v to %+v changed=%v; want no change", got.From, got.To, got.Diff.Changed())
	}
	if inline := tio.mustRun(t, "diff", "--repo", repo, harbourURL, "1", "3"); strings.Contains(inline, "[-") || strings.Contains(inline, "{+") {
		t.Errorf("diff v1 v3 marks changes:\n%s", inline)
	}
}

// TestDiffVersionNames drives version naming through the command.
func TestDiffVersionNames(t *testing.T) {
	repo := historyRepo(t)
	tio := testEnv(t)
	path, _ := archive.PathFor(harbourURL)
	hashes := strings.Fields(git(t, repo, "log", "--reverse", "--format=%H", "--", path))
	tests := []struct {
		name             string
		args             []string
		wantFrom, wantTo int // 0: diffing from nothing
		wantCode         int
		wantErr          string
	}{
		{"default is the last two", nil, 3, 4, exitOK, ""},
		{"numbers", []string{"1", "2"}, 1, 2, exitOK, ""},
		{"v prefix", []string{"v2", "v4"}, 2, 4, exitOK, ""},
		{"from only, to the latest", []string{"2"}, 2, 4, exitOK, ""},
		{"relative", []string{"-2", "-1"}, 3, 4, exitOK, ""},
		{"relative oldest", []string{"-4"}, 1, 4, exitOK, ""},
		{"hash prefix", []string{hashes[0][:7], hashes[1][:10]}, 1, 2, exitOK, ""},
		{"full hash", []string{hashes[2]}, 3, 4, exitOK, ""},
		{"backwards", []string{"4", "1"}, 4, 1, exitOK, ""},
		{"same version", []string{"2", "2"}, 2, 2, exitOK, ""},
		{"out of range", []string{"9"}, 0, 0, exitUsage, "out of range"},
		{"zero", []string{"0"}, 0, 0, exitUsage, "out of range"},
		{"relative out of range", []string{"-5"}, 0, 0, exitUsage, "out of range"},
		{"unknown hash", []string{"deadbeef"}, 0, 0, exitUsage, "no version of"},
		{"hash of another article", []string{strings.TrimSpace(git(t, repo, "rev-list", "--max-parents=0", "HEAD"))[:12]}, 0, 0, exitUsage, "no version of"},
		{"junk", []string{"latest"}, 0, 0, exitUsage, "bad version"},
		{"junk relative", []string{"-x"}, 0, 0, exitUsage, ""},
		{"too many", []string{"1", "2", "3"}, 0, 0, exitUsage, "up to two versions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"diff", "--repo", repo, "--format", "json", harbourURL}, tt.args...)
			code := tio.run(t, args...)
			if code != tt.wantCode {
				t.Fatalf("stet %v = exit %d, want %d\nstderr: %s", tt.args, code, tt.wantCode, tio.stderr)
			}
			if code != exitOK {
				if !strings.Contains(tio.stderr.String(), tt.wantErr) {
					t.Errorf("stderr = %q, want it to mention %q", tio.stderr, tt.wantErr)
				}
				return
			}
			var got diffJSON
			if err := json.Unmarshal(tio.stdout.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			from := 0
			if got.From != nil {
				from = got.From.Version
			}
			if from != tt.wantFrom || got.To.Version != tt.wantTo {
				t.Errorf("stet diff %v compared v%d with v%d, want v%d with v%d", tt.args, from, got.To.Version, tt.wantFrom, tt.wantTo)
			}
		})
	}
}

// TestFindVersion covers what the fixture cannot: hashes that are all
// digits or share a prefix.
func TestFindVersion(t *testing.T) {
	art := histArticle{path: "x.md", history: []archive.Version{
		{N: 1, Commit: "1234567890123456789012345678901234567890"},
		{N: 2, Commit: "abcd111111111111111111111111111111111111"},
		{N: 3, Commit: "abcd222222222222222222222222222222222222"},
	}}
	tests := []struct {
		name, in string
		want     int
		wantErr  string
	}{
		{"number", "2", 2, ""},
		{"latest", "-1", 3, ""},
		{"all-digit hash", "1234567", 1, ""},
		{"upper-case hash", "ABCD1", 2, ""},
		{"ambiguous prefix", "abcd", 0, "matches 2 versions"},
		{"short number out of range", "4", 0, "out of range"},
		{"too short for a hash", "abc", 0, "bad version"},
		{"empty", "", 0, "bad version"},
		{"minus zero", "-0", 0, "bad version"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := findVersion(art, tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("findVersion(%q) error = %v, want one mentioning %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil || v.N != tt.want {
				t.Errorf("findVersion(%q) = v%d, %v; want v%d", tt.in, v.N, err, tt.want)
			}
		})
	}
}

func TestDiffDefaultFormatAndColour(t *testing.T) {
	repo := historyRepo(t)
	tests := []struct {
		name                 string
		terminal             bool
		width                int
		noColor              string
		wantSide, wantColour bool
	}{
		{"pipe", false, 200, "", false, false},
		{"narrow terminal", true, 100, "", false, true},
		{"wide terminal", true, 140, "", true, true},
		{"wide terminal NO_COLOR", true, 140, "1", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tio := testEnv(t)
			tio.env.Terminal = func(io.Writer) bool { return tt.terminal }
			tio.env.Width = func() int { return tt.width }
			tio.env.Getenv = func(k string) string {
				if k == "NO_COLOR" {
					return tt.noColor
				}
				return ""
			}
			out := tio.mustRun(t, "diff", "--repo", repo, harbourURL, "1", "2")
			if side := strings.Contains(out, " │ "); side != tt.wantSide {
				t.Errorf("side by side = %v, want %v:\n%s", side, tt.wantSide, out)
			}
			colour := strings.Contains(out, "\x1b[9;31m") && strings.Contains(out, "\x1b[4;32m")
			markers := strings.Contains(out, "[-") && strings.Contains(out, "{+")
			if colour != tt.wantColour || markers == tt.wantColour {
				t.Errorf("colour = %v, markers = %v; want colour %v:\n%s", colour, markers, tt.wantColour, out)
			}
		})
	}
}

func TestDiffSingleVersion(t *testing.T) {
	repo := historyRepo(t)
	tio := testEnv(t)
	out := tio.mustRun(t, "diff", "--repo", repo, voteURL)
	if !strings.Contains(out, "(nothing) → v1") || !strings.Contains(out, "{+Councillors will vote") {
		t.Errorf("diff of a one-version article should show it all as added:\n%s", out)
	}
	if code := tio.run(t, "diff", "--repo", repo, "--format", "pdf", voteURL); code != exitUsage {
		t.Errorf("--format pdf = exit %d, want %d", code, exitUsage)
	}
	if code := tio.run(t, "diff", "--help"); code != exitOK || !strings.Contains(tio.stdout.String(), "Versions are named by number") {
		t.Errorf("diff --help = exit %d, stdout %q", code, tio.stdout)
	}
}
