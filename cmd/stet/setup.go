package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/stet-archive/stet/archive"
	"github.com/stet-archive/stet/extract"
	"github.com/stet-archive/stet/fetch"
)

// fetchFlags are the HTTP settings shared by every command that fetches.
type fetchFlags struct {
	allowPrivate bool
	userAgent    string
	timeout      time.Duration
	maxBody      int64
}

func (f *fetchFlags) register(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&f.allowPrivate, "allow-private-addresses", false, "allow fetching from loopback, private and link-local addresses")
	cmd.Flags().StringVar(&f.userAgent, "user-agent", "", "User-Agent `header` (default stet/<version> (+project URL))")
	cmd.Flags().DurationVar(&f.timeout, "timeout", 0, "time limit for one whole response (default 30s)")
	cmd.Flags().Int64Var(&f.maxBody, "max-body", 0, "largest accepted body in `bytes` (default 10 MiB)")
}

// options turns the flags into fetch.Options for a command working on
// the archive in repo ("" for none): flags first, then STET_USER_AGENT
// and STET_ALLOW_PRIVATE_ADDRESSES, then the fetch section of the config
// file that stet run would use for repo, then defaults. A broken config
// file is a usage error.
func (f *fetchFlags) options(a *app, cmd *cobra.Command, repo string) (fetch.Options, error) {
	o := fetch.Options{
		UserAgent:    f.userAgent,
		AllowPrivate: f.allowPrivate,
		Timeout:      f.timeout,
		MaxBody:      f.maxBody,
		Logger:       a.logger,
	}
	path, err := findConfig(a, "", repo)
	if err != nil {
		return o, err
	}
	var c fetchConfig
	if path != "" {
		cfg, err := loadConfig(path)
		if err != nil {
			return o, err
		}
		c = cfg.Fetch
	}
	flags := cmd.Flags()
	if o.UserAgent == "" {
		o.UserAgent = a.env.getenv("STET_USER_AGENT")
	}
	if o.UserAgent == "" {
		o.UserAgent = c.UserAgent
	}
	if o.UserAgent == "" {
		o.UserAgent = userAgent()
	}
	if !flags.Changed("allow-private-addresses") {
		if v := a.env.getenv("STET_ALLOW_PRIVATE_ADDRESSES"); v != "" {
			o.AllowPrivate = isTrue(v)
		} else {
			o.AllowPrivate = c.AllowPrivate
		}
	}
	if !flags.Changed("timeout") && c.Timeout != 0 {
		o.Timeout = time.Duration(c.Timeout)
	}
	if !flags.Changed("max-body") && c.MaxBody != 0 {
		o.MaxBody = c.MaxBody
	}
	return o, nil
}

func isTrue(s string) bool {
	switch s {
	case "1", "true", "TRUE", "True", "yes", "on":
		return true
	}
	return false
}

// openArchive opens (and when needed creates) the archive for writing.
func openArchive(a *app, dir string) (*archive.Archive, error) {
	return archive.Open(dir, archive.Options{Logger: a.logger})
}

// newExtractor returns the extractor every command uses: stet's built-in
// site profiles plus extra ones (from the config file's sites section),
// which override a built-in profile of the same name.
func newExtractor(a *app, extra ...*extract.Profile) *extract.Extractor {
	return &extract.Extractor{
		Logger:   a.logger,
		Profiles: extract.BuiltinProfiles().With(extra...),
	}
}

// isArchiveDir reports whether dir is the top of a stet archive: a git
// repository (non-bare or bare) that stet has written to (its git
// directory holds stet/ or refs/stet/), or that has a stet.yaml. A plain
// git repository is not one, so that a command run inside some other
// project never writes to it.
func isArchiveDir(dir string) bool {
	if _, err := os.Stat(filepath.Join(dir, configName)); err == nil && isGitTop(dir) {
		return true
	}
	if !isGitTop(dir) {
		return false
	}
	g := gitDirOf(dir)
	for _, p := range []string{"stet", filepath.Join("refs", "stet")} {
		if fi, err := os.Stat(filepath.Join(g, p)); err == nil && fi.IsDir() {
			return true
		}
	}
	b, err := os.ReadFile(filepath.Join(g, "packed-refs"))
	return err == nil && strings.Contains(string(b), " refs/stet/")
}

// isGitTop reports whether dir is the top of a git repository: it has a
// .git entry, or it is a bare repository.
func isGitTop(dir string) bool {
	if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
		return true
	}
	for _, p := range []string{"HEAD", "objects", "refs"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			return false
		}
	}
	return true
}

// locateRepo finds the archive a command works on when --repo was not
// given, as git finds its repository: the current directory when it is
// an archive, else the nearest parent that is one. It leaves the flag
// alone when no parent is (the command then works on, or creates in,
// the current directory). Commands without a --repo flag whose default
// is "." (run reads its config; init creates) are not affected.
func locateRepo(cmd *cobra.Command) error {
	f := cmd.Flags().Lookup("repo")
	if f == nil || f.Changed || f.DefValue != "." || cmd.Name() == "init" {
		return nil
	}
	dir, err := filepath.Abs(".")
	if err != nil {
		return nil
	}
	if isGitTop(dir) {
		return nil // "." itself: the default already names it
	}
	for {
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil
		}
		dir = parent
		if isArchiveDir(dir) {
			return cmd.Flags().Set("repo", dir)
		}
		if isGitTop(dir) {
			return nil // inside another repository: stop, as git would
		}
	}
}

// openExisting opens an archive that must already exist, for writing: a
// directory without a repository is a usage error naming it, and nothing
// is created.
func openExisting(a *app, dir string) (*archive.Archive, error) {
	probe, err := archive.Open(dir, archive.Options{ReadOnly: true})
	if errors.Is(err, archive.ErrNoRepository) {
		return nil, usageError{noArchiveError{dir: displayDir(dir), searched: dir == ".", err: err}}
	}
	if err != nil {
		return nil, err
	}
	probe.Close()
	return openArchive(a, dir)
}

func displayDir(dir string) string {
	if dir == "." {
		if abs, err := filepath.Abs(dir); err == nil {
			return abs
		}
	}
	return dir
}
