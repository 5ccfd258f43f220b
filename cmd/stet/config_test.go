package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stet-archive/stet/track"
)

func TestParseConfigErrors(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string // substrings of the error
	}{
		{"unknown key names its line", "fetch:\n  user_agent: x\n  host_intervall: 2s\n", []string{"line 3", "host_intervall"}},
		{"unknown section", "archive: {}\nschedules:\n  backoff: 2\n", []string{"line 2", "schedules"}},
		{"bad duration", "schedule:\n  max_interval: 7 days\n", []string{"line 2", `"7 days"`}},
		{"bad regexp names the source", "sources:\n  - name: one\n    feeds: [https://a.example/rss]\n  - name: two\n    feeds: [https://b.example/rss]\n    include: ['(']\n",
			[]string{`source "two" (line 4)`, "missing closing )"}},
		{"source without name", "sources:\n  - feeds: [https://a.example/rss]\n", []string{"source 1 (line 2): name is required"}},
		{"source without urls", "sources:\n  - name: x\n", []string{`source "x" (line 2): needs at least one`}},
		{"duplicate source", "sources:\n  - name: x\n    feeds: [https://a.example/rss]\n  - name: x\n    pages: [https://a.example/]\n", []string{"name used twice"}},
		{"not http", "sources:\n  - name: x\n    feeds: [file:///etc/passwd]\n", []string{"not an http(s) URL"}},
		{"backoff below one", "schedule:\n  backoff: 0.5\n", []string{"schedule.backoff"}},
		{"max below first", "schedule:\n  first_interval: 2h\n  max_interval: 1h\n", []string{"max_interval"}},
		{"bad site profile", "sites:\n  - name: Not A Valid Name\n    bogus_key: 1\n", []string{"sites entry 1 (line 2)", "invalid site profile"}},
		{"negative workers", "fetch:\n  workers: -1\n", []string{"fetch.workers"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseConfig("stet.yaml", []byte(tt.yaml))
			if err == nil {
				t.Fatalf("parseConfig(%q) = nil error", tt.yaml)
			}
			if !errors.Is(err, errConfig) {
				t.Errorf("parseConfig error %v does not wrap errConfig", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("parseConfig error = %q, want it to contain %q", err, w)
				}
			}
		})
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"15m", 15 * time.Minute},
		{"7d", 7 * 24 * time.Hour},
		{"60d", 60 * 24 * time.Hour},
		{"1d12h", 36 * time.Hour},
		{"0", 0},
	}
	for _, tt := range tests {
		got, err := parseDuration(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("parseDuration(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "7 days", "d", "-1h", "1.5d"} {
		if _, err := parseDuration(bad); err == nil {
			t.Errorf("parseDuration(%q) = nil error", bad)
		}
	}
}

// TestEmbeddedConfigs checks that the built-in default and the file
// `stet init` writes decode and validate.
func TestEmbeddedConfigs(t *testing.T) {
	for _, name := range []string{"defaults/default.yaml", "defaults/stet.yaml"} {
		data, err := defaultsFS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		c, err := parseConfig(name, data)
		if err != nil {
			t.Errorf("parseConfig(%s): %v", name, err)
			continue
		}
		if len(c.Sources) == 0 {
			t.Errorf("%s has no sources", name)
		}
	}
}

func TestRunSettingsPrecedence(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "stet.yaml")
	err := os.WriteFile(cfg, []byte(`archive:
  repo: arch
  branch: file-branch
fetch:
  user_agent: file-agent
  workers: 2
  host_interval: 3s
schedule:
  max_fetches_per_run: 10
  max_per_host_per_run: 3
  first_interval: 20m
sources:
  - name: s
    feeds: [https://a.example/rss]
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	type view struct {
		Repo, Branch, Agent   string
		Workers, Max, PerHost int
		Interval, First       time.Duration
		DryRun                bool
	}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want view
	}{
		{"file", nil, []string{"--config", cfg},
			view{filepath.Join(dir, "arch"), "file-branch", "file-agent", 2, 10, 3, 3 * time.Second, 20 * time.Minute, false}},
		{"env over file", map[string]string{"STET_CONFIG": cfg, "STET_USER_AGENT": "env-agent", "STET_WORKERS": "5", "STET_MAX_FETCHES": "20", "STET_REPO": "/env/repo", "STET_BRANCH": "env-branch", "STET_HOST_INTERVAL": "0", "STET_DRY_RUN": "1"}, nil,
			view{"/env/repo", "env-branch", "env-agent", 5, 20, 3, 0, 20 * time.Minute, true}},
		{"flags over env", map[string]string{"STET_CONFIG": "/nonexistent", "STET_USER_AGENT": "env-agent", "STET_WORKERS": "5", "STET_MAX_FETCHES": "20", "STET_REPO": "/env/repo", "STET_DRY_RUN": "1"},
			[]string{"--config", cfg, "--user-agent", "flag-agent", "--workers", "7", "--max-fetches", "30", "--repo", "/flag/repo", "--host-interval", "2s", "--dry-run=false"},
			view{"/flag/repo", "file-branch", "flag-agent", 7, 30, 3, 2 * time.Second, 20 * time.Minute, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tio := testEnv(t)
			tio.env.Getenv = func(k string) string { return tt.env[k] }
			a := &app{env: tio.env}
			opts := &runOptions{}
			cmd := newRunCmdWith(a, opts)
			if err := cmd.ParseFlags(tt.args); err != nil {
				t.Fatal(err)
			}
			s, err := resolveRun(a, cmd, *opts)
			if err != nil {
				t.Fatalf("resolveRun: %v", err)
			}
			got := view{s.repo, s.branch, s.fetch.UserAgent, s.workers, s.schedule.MaxFetches, s.schedule.MaxPerHost, s.fetch.HostInterval, s.schedule.FirstInterval, s.dryRun}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("settings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRunSettingsDefaults(t *testing.T) {
	t.Chdir(t.TempDir()) // no ./stet.yaml
	tio := testEnv(t)
	a := &app{env: tio.env}
	opts := &runOptions{}
	cmd := newRunCmdWith(a, opts)
	s, err := resolveRun(a, cmd, *opts)
	if err != nil {
		t.Fatal(err)
	}
	if s.configFile != "" || s.repo != "archive" || len(s.sources) < 4 || s.fetch.HostInterval != time.Second || !s.fetch.Robots {
		t.Errorf("defaults: config %q, repo %q, %d sources, host interval %v, robots %v", s.configFile, s.repo, len(s.sources), s.fetch.HostInterval, s.fetch.Robots)
	}
	if s.schedule != (track.Schedule{}) {
		t.Errorf("default schedule = %+v, want the zero Schedule (track's defaults)", s.schedule)
	}
}

func TestRunConfigErrorsExitUsage(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "stet.yaml")
	if err := os.WriteFile(cfg, []byte("fetch:\n  bogus: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tio := testEnv(t)
	for _, args := range [][]string{
		{"run", "--config", cfg},
		{"run", "--config", filepath.Join(dir, "missing.yaml")},
		{"run", "--config", filepath.Join(dir, "missing.yaml"), "--workers", "0"},
	} {
		if code := tio.run(t, args...); code != exitUsage {
			t.Errorf("stet %v: exit %d, want %d\n%s", args, code, exitUsage, tio.stderr)
		}
	}
	tio.run(t, "run", "--config", cfg)
	if !strings.Contains(tio.stderr.String(), "line 2") {
		t.Errorf("stderr = %q, want the line of the unknown key", tio.stderr)
	}
}

func TestConfigSitesOverrideProfiles(t *testing.T) {
	c, err := parseConfig("stet.yaml", []byte(`sites:
  - name: tracker
    version: 1
    hosts: [news.tracker.example]
    body: ["div.story-body"]
`))
	if err != nil {
		t.Fatalf("parseConfig: %v", err)
	}
	ps := c.profiles()
	if p := ps.Match("news.tracker.example"); p == nil || p.Name != "tracker" {
		t.Errorf("profiles().Match(news.tracker.example) = %v, want the configured profile", p)
	}
	if p := ps.Match("abcnews.go.com"); p == nil {
		t.Errorf("built-in profiles lost when sites are configured")
	}
}
