package main

import (
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

// options turns the flags into fetch.Options, reading STET_USER_AGENT and
// STET_ALLOW_PRIVATE_ADDRESSES below the flags.
func (f *fetchFlags) options(a *app, cmd *cobra.Command) fetch.Options {
	o := fetch.Options{
		UserAgent:    f.userAgent,
		AllowPrivate: f.allowPrivate,
		Timeout:      f.timeout,
		MaxBody:      f.maxBody,
		Logger:       a.logger,
	}
	if o.UserAgent == "" {
		o.UserAgent = a.env.getenv("STET_USER_AGENT")
	}
	if o.UserAgent == "" {
		o.UserAgent = userAgent()
	}
	if !cmd.Flags().Changed("allow-private-addresses") && isTrue(a.env.getenv("STET_ALLOW_PRIVATE_ADDRESSES")) {
		o.AllowPrivate = true
	}
	return o
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
