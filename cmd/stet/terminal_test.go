package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestFetchHonoursRepositoryConfig: stet fetch and stet extract read
// allow_private_addresses from the repository's stet.yaml, and without it
// the refusal says, once, which setting allows the address.
func TestFetchHonoursRepositoryConfig(t *testing.T) {
	site := newStorySite(t)
	tio := testEnv(t)
	repo := t.TempDir()

	if code := tio.run(t, "fetch", "--repo", repo, site.url()); code != exitFailed {
		t.Fatalf("fetch without the setting: exit %d, want %d", code, exitFailed)
	}
	out := tio.stdout.String()
	for _, w := range []string{"--allow-private-addresses", "allow_private_addresses: true", "127.0.0.1 is a loopback"} {
		if !strings.Contains(out, w) {
			t.Errorf("refusal lacks %q:\n%s", w, out)
		}
	}
	if n := strings.Count(out, site.url()); n != 1 {
		t.Errorf("the refusal names the URL %d times, want once:\n%s", n, out)
	}
	if n := strings.Count(out+tio.stderr.String(), "non-public"); n > 0 {
		t.Errorf("the low-level refusal is printed too:\n%s%s", out, tio.stderr)
	}

	cfg := "fetch:\n  allow_private_addresses: true\n"
	if err := os.WriteFile(filepath.Join(repo, "stet.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	out = tio.mustRun(t, "fetch", "--repo", repo, site.url())
	if !strings.HasPrefix(out, "new ") {
		t.Errorf("fetch with allow_private_addresses in the repository's stet.yaml: %s", out)
	}
	git(t, repo, "fsck", "--strict")

	// extract reads ./stet.yaml (or $STET_CONFIG) the same way.
	tio.env.Getenv = func(k string) string {
		if k == "STET_CONFIG" {
			return filepath.Join(repo, "stet.yaml")
		}
		return ""
	}
	if out := tio.mustRun(t, "extract", site.url()); !strings.Contains(out, "Harbour bill") {
		t.Errorf("extract with the config's allow_private_addresses: %s", out)
	}
}

// TestSavesLoggedOnce: with a non-terminal stderr, each
// saved version is logged once.
func TestSavesLoggedOnce(t *testing.T) {
	site := newStorySite(t)
	tio := testEnv(t)
	repo := t.TempDir()
	tio.mustRun(t, "fetch", "--repo", repo, "--allow-private-addresses", site.url())
	if n := strings.Count(tio.stderr.String(), `msg="saved version"`); n != 1 {
		t.Errorf("%d 'saved version' log lines for one save, want 1:\n%s", n, tio.stderr)
	}
}

// TestPushOutsideArchive: stet push where there is no archive says so
// and creates nothing.
func TestPushOutsideArchive(t *testing.T) {
	tio := testEnv(t)
	dir := t.TempDir()
	if code := tio.run(t, "push", "--repo", dir); code != exitUsage {
		t.Fatalf("push outside an archive: exit %d, want %d\n%s", code, exitUsage, tio.stderr)
	}
	if !strings.Contains(tio.stderr.String(), "no stet archive to work on") || strings.Count(tio.stderr.String(), "stet:") != 1 {
		t.Errorf("stderr = %q, want one line saying it is not an archive", tio.stderr)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("push created %v", ents)
	}
}

// TestCommandsFindArchiveFromSubfolder: like git, history commands find
// the archive from a folder inside it; a plain git repository above is
// not taken for one.
func TestCommandsFindArchiveFromSubfolder(t *testing.T) {
	site := newStorySite(t)
	tio := testEnv(t)
	repo := t.TempDir()
	tio.mustRun(t, "fetch", "--repo", repo, "--allow-private-addresses", site.url())
	sub := filepath.Join(repo, "sub", "deeper")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(sub)
	out := tio.mustRun(t, "log")
	if !strings.Contains(out, "Harbour bill") {
		t.Errorf("stet log from a subfolder: %q", out)
	}
	if out := tio.mustRun(t, "status"); !strings.Contains(out, "Archive:   "+repo+", 1 article") {
		t.Errorf("stet status from a subfolder: %q", out)
	}

	plain := t.TempDir()
	git(t, plain, "init", "-q")
	inner := filepath.Join(plain, "x")
	if err := os.MkdirAll(inner, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(inner)
	if code := tio.run(t, "log"); code != exitUsage {
		t.Errorf("stet log inside a plain git repository: exit %d, want %d (no archive)\n%s", code, exitUsage, tio.stderr)
	}
}

func TestConfigTypoMessage(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"top-level typo", "sorces:\n  - name: x\n", []string{`line 1: unknown setting "sorces"; did you mean "sources"?`}},
		{"nested typo", "fetch:\n  timout: 5s\n", []string{`line 2: unknown setting "timout" under fetch; did you mean "timeout"?`}},
		{"source key typo", "sources:\n  - name: x\n    feds: [https://x.example/rss]\n", []string{`line 3: unknown setting "feds" in a source; did you mean "feeds"?`}},
		{"wrong type", "fetch:\n  workers: many\n", []string{`line 2: fetch.workers wants a whole number, not "many"`}},
		{"nothing close", "zzzzzz: 1\n", []string{`line 1: unknown setting "zzzzzz"; the settings here are archive, fetch, schedule, sources, sites`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseConfig("stet.yaml", []byte(tt.yaml))
			if err == nil {
				t.Fatal("parseConfig: no error")
			}
			msg := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("parseConfig error = %q, want it to contain %q", msg, w)
				}
			}
			for _, bad := range []string{"main.", "type ", "!!"} {
				if strings.Contains(msg, bad) {
					t.Errorf("error %q shows Go or YAML internals (%q)", msg, bad)
				}
			}
		})
	}
}

func TestVersionFlag(t *testing.T) {
	tio := testEnv(t)
	out := tio.mustRun(t, "--version")
	if !strings.HasPrefix(out, "stet ") || out != tio.mustRun(t, "version") {
		t.Errorf("stet --version = %q, want the same as stet version", out)
	}
}

// TestCompletion: shell completion offers article names, versions and
// flag values (through cobra's __complete, which the shell scripts call).
func TestCompletion(t *testing.T) {
	site := newStorySite(t)
	tio := testEnv(t)
	repo := t.TempDir()
	tio.mustRun(t, "fetch", "--repo", repo, "--allow-private-addresses", site.url())
	site.set(func(s *storySite) { s.headline = "Harbour bill vote delayed again" })
	tio.mustRun(t, "fetch", "--repo", repo, "--allow-private-addresses", site.url())
	paths := strings.Fields(git(t, repo, "ls-tree", "-r", "--name-only", "HEAD"))
	if len(paths) != 1 {
		t.Fatalf("archive paths %v", paths)
	}
	name := strings.TrimSuffix(paths[0], ".md")
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"log", "--repo", repo, ""}, []string{name}},
		{[]string{"show", "--repo", repo, "polit"}, []string{name}},
		{[]string{"diff", "--repo", repo, ""}, []string{name}},
		{[]string{"diff", "--repo", repo, name, ""}, []string{"2\t", "1\t"}},
		{[]string{"show", "--repo", repo, name, "--version", ""}, []string{"2\t", "1\t"}},
		{[]string{"diff", "--format", ""}, []string{"side", "inline", "html", "json"}},
		{[]string{"log", "--log-level", ""}, []string{"debug", "info", "warn", "error"}},
		{[]string{"status", "--log-format", ""}, []string{"text", "json"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out := tio.mustRun(t, append([]string{"__complete"}, tt.args...)...)
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("completion of %q lacks %q:\n%s", tt.args, w, out)
				}
			}
		})
	}
}

func TestPlainErr(t *testing.T) {
	tests := []struct{ name, msg, known, want string }{
		{"url said by the line", `fetch http://a.example/x: Get "http://a.example/x": dial tcp 10.0.0.1:80: connection refused`, "http://a.example/x",
			"dial tcp 10.0.0.1:80: connection refused"},
		{"url said once", `discover s feed http://a.example/f: fetch http://a.example/f: Get "http://a.example/f": EOF`, "",
			"discover s feed http://a.example/f: EOF"},
		{"other urls stay", `fetch http://a.example/x: redirect to http://b.example/y: too many`, "http://a.example/x",
			"redirect to http://b.example/y: too many"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var known []string
			if tt.known != "" {
				known = []string{tt.known}
			}
			if got := plainErr(tt.msg, known...); got != tt.want {
				t.Errorf("plainErr(%q) = %q, want %q", tt.msg, got, tt.want)
			}
		})
	}
	got := sourceErrLines("news: discover news feed http://a.example/f: fetch http://a.example/f: http status 404\ndiscover news page http://a.example/p: fetch http://a.example/p: EOF")
	want := []string{"news: discover news feed http://a.example/f: http status 404", "news: discover news page http://a.example/p: EOF"}
	if !slices.Equal(got, want) {
		t.Errorf("sourceErrLines = %q, want %q", got, want)
	}
}
