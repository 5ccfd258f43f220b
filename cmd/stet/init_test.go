package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestInitCreatesArchive(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "news")
	tio := testEnv(t)
	out := tio.mustRun(t, "init", dir)
	for _, want := range []string{"wrote stet.yaml", "wrote README.md"} {
		if !strings.Contains(out, want) {
			t.Errorf("stet init output %q, want %q", out, want)
		}
	}
	git(t, dir, "fsck", "--strict")
	// The files are committed, ready to push, and the next steps say how.
	if got := strings.TrimSpace(git(t, dir, "ls-tree", "-r", "--name-only", "HEAD")); got != ".github/workflows/stet.yml\nREADME.md\nstet.yaml" {
		t.Errorf("init's commit holds %q", got)
	}
	if st := git(t, dir, "status", "--porcelain"); st != "" {
		t.Errorf("work tree not clean after init:\n%s", st)
	}
	for _, want := range []string{"committed 3 files to main", "gh repo create", "git -C " + dir + " remote add origin https://github.com/OWNER/NAME.git", "git -C " + dir + " push -u origin main", "Run workflow", "STET_PAGES", "gh-pages"} {
		if !strings.Contains(out, want) {
			t.Errorf("stet init output lacks %q:\n%s", want, out)
		}
	}
	if b := strings.TrimSpace(git(t, dir, "symbolic-ref", "HEAD")); b != "refs/heads/main" {
		t.Errorf("HEAD = %q, want refs/heads/main", b)
	}
	data, err := os.ReadFile(filepath.Join(dir, "stet.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parseConfig("stet.yaml", data); err != nil {
		t.Errorf("the written stet.yaml does not parse: %v", err)
	}

	// `stet run --dry-run` in the new archive finds its stet.yaml.
	tio.env.Getenv = func(k string) string { return map[string]string{"STET_REPO": dir}[k] }
	a := &app{env: tio.env}
	opts := &runOptions{}
	s, err := resolveRun(a, newRunCmdWith(a, opts), *opts)
	if err != nil {
		t.Fatal(err)
	}
	if s.configFile != filepath.Join(dir, "stet.yaml") || s.repo != dir {
		t.Errorf("run after init: config %q, repo %q; want the archive's", s.configFile, s.repo)
	}
}

func TestInitKeepsExistingFiles(t *testing.T) {
	dir := t.TempDir()
	mine := []byte("sources: []\n# mine\n")
	if err := os.WriteFile(filepath.Join(dir, "stet.yaml"), mine, 0o600); err != nil {
		t.Fatal(err)
	}
	tio := testEnv(t)
	out := tio.mustRun(t, "init", dir)
	if !strings.Contains(out, "kept existing stet.yaml") || !strings.Contains(out, "wrote README.md") {
		t.Errorf("stet init output = %q", out)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "stet.yaml"))
	if string(got) != string(mine) {
		t.Errorf("stet.yaml overwritten: %q", got)
	}
	// Only the files init wrote are committed; the user's stays untracked.
	if got := strings.TrimSpace(git(t, dir, "ls-tree", "-r", "--name-only", "HEAD")); got != ".github/workflows/stet.yml\nREADME.md" {
		t.Errorf("init's commit holds %q", got)
	}
	readme, _ := os.ReadFile(filepath.Join(dir, "README.md"))
	out = tio.mustRun(t, "init", dir)
	if !strings.Contains(out, "kept existing README.md") {
		t.Errorf("second init output = %q", out)
	}
	if again, _ := os.ReadFile(filepath.Join(dir, "README.md")); string(again) != string(readme) {
		t.Errorf("README.md changed by a second init")
	}
	git(t, dir, "fsck", "--strict")
}
