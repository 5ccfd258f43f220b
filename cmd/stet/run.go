package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"github.com/stet-archive/stet/archive"
	"github.com/stet-archive/stet/discover"
	"github.com/stet-archive/stet/extract"
	"github.com/stet-archive/stet/fetch"
	"github.com/stet-archive/stet/track"
)

type runOptions struct {
	repo, config   string
	json           bool
	dryRun, all    bool
	maxFetches     int
	workers        int
	hostInterval   string
	http           fetchFlags
	forceUnhealthy bool
	push           bool
	pushOpts       pushOptions
}

func newRunCmd(a *app) *cobra.Command {
	return newRunCmdWith(a, &runOptions{})
}

// newRunCmdWith binds the flags into opts, so tests can resolve them.
func newRunCmdWith(a *app, opts *runOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "run [flags]",
		Short: "Discover articles from the configured sources and check the ones that are due",
		Long: `Run one tracking pass: discover article URLs from every source in the
config file (feeds, sitemaps, section pages), decide which tracked articles
are due on the schedule, fetch them with a bounded worker pool, and commit
the ones that are new or changed. The schedule state is kept on
refs/stet/state in the archive; it is rebuilt from the article history when
it is missing.

The config file is --config, else $STET_CONFIG, else stet.yaml in the
repository (--repo or $STET_REPO), else ./stet.yaml. Without one, a
built-in default tracks a handful of major news feeds into ./archive.

Settings are taken from flags, then STET_* environment variables, then the
config file, then defaults:
  STET_CONFIG, STET_REPO, STET_BRANCH, STET_AUTHOR_NAME, STET_AUTHOR_EMAIL,
  STET_USER_AGENT, STET_HOST_INTERVAL, STET_TIMEOUT, STET_MAX_BODY,
  STET_ALLOW_PRIVATE_ADDRESSES, STET_WORKERS, STET_MAX_FETCHES,
  STET_MAX_PER_HOST, STET_DRY_RUN, STET_ALL.

Exit codes: 0 success; 1 some articles failed (the rest was saved and
pushed); 2 usage or config error; 3 every source failed and no article
could be checked; 4 the push failed; 5 the pass stopped on an error;
130 interrupted (the articles in hand are finished and the state written).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRun(cmd.Context(), a, cmd, *opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.repo, "repo", "", "archive repository `dir` (default from the config, else .)")
	f.StringVar(&opts.config, "config", "", "config `file` (default stet.yaml in the repository or the current directory)")
	f.BoolVar(&opts.json, "json", false, "write the report as JSON to stdout")
	f.BoolVar(&opts.dryRun, "dry-run", false, "discover and print what would be fetched and why; fetch no article, commit nothing")
	f.BoolVar(&opts.all, "all", false, "check every tracked article that is not retired, ignoring the schedule")
	f.IntVar(&opts.maxFetches, "max-fetches", 0, "check at most `n` articles in this run (default from the config, 500)")
	f.IntVar(&opts.workers, "workers", 0, "check `n` articles at once (default from the config, 4)")
	f.StringVar(&opts.hostInterval, "host-interval", "", "minimum `duration` between requests to one host (default 1s; 0 turns it off)")
	f.BoolVar(&opts.forceUnhealthy, "force", false, "commit pages that fail a health gate (paywall, collapsed body, ...)")
	f.BoolVar(&opts.push, "push", false, "push the archive branch and schedule state after the pass (see stet push); $STET_PUSH=true too")
	opts.http.register(cmd)
	opts.pushOpts.register(cmd)
	return cmd
}

// resolveRun applies flags > STET_* variables > config file > defaults.
func resolveRun(a *app, cmd *cobra.Command, opts runOptions) (runSettings, error) {
	var s runSettings
	flags := cmd.Flags()
	env := a.env.getenv

	repo := opts.repo
	if !flags.Changed("repo") {
		repo = env("STET_REPO")
	}
	path, err := findConfig(a, opts.config, repo)
	if err != nil {
		return s, err
	}
	c, err := loadConfig(path)
	if err != nil {
		return s, err
	}
	s.configFile = path

	// Config file and defaults.
	if repo == "" {
		switch {
		case c.Archive.Repo != "" && filepath.IsAbs(c.Archive.Repo):
			repo = c.Archive.Repo
		case c.Archive.Repo != "":
			repo = filepath.Join(c.dir, c.Archive.Repo)
		case path != "":
			repo = c.dir
		default:
			repo = defaultRunRepo
		}
	}
	s.repo = repo
	s.branch = c.Archive.Branch
	s.author = archive.Signature{Name: c.Archive.Author.Name, Email: c.Archive.Author.Email}
	s.fetch = fetch.Options{
		UserAgent:    c.Fetch.UserAgent,
		HostInterval: defaultHostInterval,
		Timeout:      time.Duration(c.Fetch.Timeout),
		MaxBody:      c.Fetch.MaxBody,
		AllowPrivate: c.Fetch.AllowPrivate,
		Robots:       true,
		Logger:       a.logger,
		Now:          a.env.Now,
	}
	if c.Fetch.HostInterval != nil {
		s.fetch.HostInterval = time.Duration(*c.Fetch.HostInterval)
	}
	s.workers = c.Fetch.Workers
	s.schedule = c.schedule()
	s.sources = c.sources()
	s.profiles = c.profiles()
	s.keepRaw = c.Archive.KeepRaw

	// STET_* variables.
	var errs []error
	str := func(name string, dst *string) {
		if v := env(name); v != "" {
			*dst = v
		}
	}
	num := func(name string, dst *int) {
		if v := env(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				errs = append(errs, envError(name, v, errors.New("want a whole number ≥ 0")))
				return
			}
			*dst = n
		}
	}
	dur := func(name string, dst *time.Duration) {
		if v := env(name); v != "" {
			d, err := parseDuration(v)
			if err != nil {
				errs = append(errs, envError(name, v, err))
				return
			}
			*dst = d
		}
	}
	boolean := func(name string, dst *bool) {
		if v := env(name); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				b = isTrue(v)
				if !b && v != "no" && v != "off" {
					errs = append(errs, envError(name, v, errors.New("want true or false")))
					return
				}
			}
			*dst = b
		}
	}
	str("STET_BRANCH", &s.branch)
	str("STET_AUTHOR_NAME", &s.author.Name)
	str("STET_AUTHOR_EMAIL", &s.author.Email)
	str("STET_USER_AGENT", &s.fetch.UserAgent)
	dur("STET_HOST_INTERVAL", &s.fetch.HostInterval)
	dur("STET_TIMEOUT", &s.fetch.Timeout)
	var maxBody int
	num("STET_MAX_BODY", &maxBody)
	if maxBody > 0 {
		s.fetch.MaxBody = int64(maxBody)
	}
	boolean("STET_ALLOW_PRIVATE_ADDRESSES", &s.fetch.AllowPrivate)
	num("STET_WORKERS", &s.workers)
	num("STET_MAX_FETCHES", &s.schedule.MaxFetches)
	num("STET_MAX_PER_HOST", &s.schedule.MaxPerHost)
	boolean("STET_DRY_RUN", &s.dryRun)
	boolean("STET_ALL", &s.all)
	if err := errors.Join(errs...); err != nil {
		return s, err
	}

	// Flags.
	if flags.Changed("user-agent") {
		s.fetch.UserAgent = opts.http.userAgent
	}
	if flags.Changed("timeout") {
		s.fetch.Timeout = opts.http.timeout
	}
	if flags.Changed("max-body") {
		s.fetch.MaxBody = opts.http.maxBody
	}
	if flags.Changed("allow-private-addresses") {
		s.fetch.AllowPrivate = opts.http.allowPrivate
	}
	if flags.Changed("host-interval") {
		d, err := parseDuration(opts.hostInterval)
		if err != nil {
			return s, usagef("--host-interval: %w", err)
		}
		s.fetch.HostInterval = d
	}
	if flags.Changed("workers") {
		if opts.workers < 1 {
			return s, usagef("--workers must be at least 1")
		}
		s.workers = opts.workers
	}
	if flags.Changed("max-fetches") {
		if opts.maxFetches < 1 {
			return s, usagef("--max-fetches must be at least 1")
		}
		s.schedule.MaxFetches = opts.maxFetches
	}
	if flags.Changed("dry-run") {
		s.dryRun = opts.dryRun
	}
	if flags.Changed("all") {
		s.all = opts.all
	}
	if s.fetch.UserAgent == "" {
		s.fetch.UserAgent = userAgent()
	}
	return s, nil
}

func runRun(ctx context.Context, a *app, cmd *cobra.Command, opts runOptions) error {
	s, err := resolveRun(a, cmd, opts)
	if err != nil {
		return err
	}
	if s.configFile == "" {
		a.logger.Info("no config file; using the built-in default", "repo", s.repo)
	}
	arch, cleanup, err := openRunArchive(a, s, fetchRemote(a, opts.pushOpts))
	if err != nil {
		return exitError{code: exitRunError, err: err}
	}
	defer cleanup()
	client := fetch.New(s.fetch)
	p := &track.Pass{
		Tracker: &track.Tracker{
			Archive:   arch,
			Client:    client,
			Extractor: &extract.Extractor{Logger: a.logger, Profiles: s.profiles},
			Author:    s.author,
			Logger:    a.logger,
			Now:       a.env.Now,
			Force:     opts.forceUnhealthy,
			KeepRaw:   s.keepRaw,
			Volatile:  &track.Volatility{Now: a.env.Now},
		},
		Discoverer: &discover.Discoverer{Client: client, Logger: a.logger, Now: a.env.Now},
		Sources:    s.sources,
		Schedule:   s.schedule,
		Workers:    s.workers,
		All:        s.all,
		DryRun:     s.dryRun,
		Logger:     a.logger,
		Now:        a.env.Now,
	}
	if a.env.isTerminal(a.env.Stderr) {
		var bar *progressbar.ProgressBar
		p.Progress = func(done, total int) {
			if bar == nil {
				bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(a.env.Stderr),
					progressbar.OptionSetDescription("checking"), progressbar.OptionShowCount(),
					progressbar.OptionClearOnFinish())
			}
			_ = bar.Set(done)
		}
	} else {
		// Without a terminal, a log line every tenth of the way.
		p.Progress = func(done, total int) {
			if step := max(total/10, 1); done%step == 0 || done == total {
				a.logger.Info("progress", "checked", done, "of", total)
			}
		}
	}
	started := tipTime(arch)
	rep, runErr := p.Run(ctx)
	if err := printReport(a, opts.json, s.dryRun, rep); err != nil {
		return err
	}
	if !s.dryRun {
		recordLastRun(a, s.repo, rep, runErr) // for stet status
		if !opts.json {
			printNextCheck(a, arch, s, rep)
		}
	}
	push := opts.push || (!cmd.Flags().Changed("push") && isTrue(a.env.getenv("STET_PUSH")))
	var pushed *pushOutcome
	var pushErr error
	if push && !s.dryRun && ctx.Err() == nil {
		res, err := pushOpen(ctx, a, arch, opts.pushOpts)
		pushed = &pushOutcome{res, err}
		if err != nil {
			pushErr = err // archive.Push names the step ("push: ...") and scrubs the token
		} else {
			a.logger.Info("pushed", "commit", shortHash(res.Head), "replayed", res.Replayed, "dropped", res.Dropped, "tries", res.Tries)
			if len(res.Landed) > 0 {
				if _, err := reconcileState(ctx, a, arch, started, rep, res.Landed, opts.pushOpts); err != nil {
					pushErr = fmt.Errorf("push: correcting the schedule state after a replay: %w", err)
					pushed = &pushOutcome{res, pushErr}
				}
			}
		}
	}
	head, _ := arch.Head()
	outErr := writeActionOutputs(a, actionReportFrom(rep, head, pushed))
	return runExit(ctx, rep, len(s.sources), runErr, pushErr, outErr)
}

// runExit picks stet run's exit code (see the table in the root command's
// help): an interruption, then a failed push, then an error that stopped
// the pass, then every source failing with nothing checked, then failed
// articles. Failed articles were already printed, so errFailed is quiet.
func runExit(ctx context.Context, rep track.Report, sources int, runErr, pushErr, outErr error) error {
	switch {
	case ctx.Err() != nil:
		return errFailed // run maps a cancelled context to exitInterrupted
	case pushErr != nil:
		// writeActionOutputs has annotated the push's failure already.
		return exitError{code: exitPush, err: errors.Join(pushErr, outErr), annotated: outErr == nil}
	}
	if runErr != nil && !onlyArticleErrors(runErr, rep) {
		return exitError{code: exitRunError, err: errors.Join(runErr, outErr)}
	}
	if outErr != nil {
		return exitError{code: exitRunError, err: outErr}
	}
	if sources > 0 && len(rep.SourceErrors) >= sources && rep.Discovered == 0 && rep.Checked-rep.Failed <= 0 {
		return exitError{code: exitNoSource, err: fmt.Errorf("every source failed (%d of %d) and no article could be checked", len(rep.SourceErrors), sources)}
	}
	if rep.Failed > 0 {
		return errFailed
	}
	return nil
}

// onlyArticleErrors reports whether err is what track.Pass.Run returns
// after a completed pass: the join of its failed articles' errors.
func onlyArticleErrors(err error, rep track.Report) bool {
	if rep.Failed == 0 {
		return false
	}
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return false
	}
	mine := map[string]int{} // by message: an error value need not be comparable
	for _, r := range rep.Results {
		if r.Status == track.Failed && r.Err != nil {
			mine[r.Err.Error()]++
		}
	}
	for _, e := range j.Unwrap() {
		if mine[e.Error()] == 0 {
			return false
		}
		mine[e.Error()]--
	}
	return true
}

// openRunArchive opens the archive for the pass. A dry run on a
// repository that does not exist yet plans against an empty archive in a
// temporary directory, so it creates nothing.
func openRunArchive(a *app, s runSettings, remote archive.RemoteOptions) (*archive.Archive, func(), error) {
	dir := s.repo
	cleanup := func() {}
	if s.dryRun {
		if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
			tmp, err := os.MkdirTemp("", "stet-dry-run-")
			if err != nil {
				return nil, nil, err
			}
			dir, cleanup = tmp, func() { os.RemoveAll(tmp) }
		}
	}
	arch, err := archive.Open(dir, archive.Options{Branch: s.branch, Logger: a.logger, Remote: remote})
	if err != nil {
		cleanup()
		return nil, nil, fmt.Errorf("open archive %s: %w", s.repo, err)
	}
	return arch, func() { arch.Close(); cleanup() }, nil
}

// printReport writes the report: JSON, or the plan (dry run), or one line
// per checked article and a summary.
func printReport(a *app, asJSON, dryRun bool, rep track.Report) error {
	w := a.env.Stdout
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	if dryRun {
		for _, p := range rep.Planned {
			fmt.Fprintf(w, "would fetch %s (%s)\n", p.URL, p)
		}
		fmt.Fprintf(w, "discovered %d, tracked %d, would fetch %d, deferred %d\n",
			rep.Discovered, rep.Tracked, len(rep.Planned), rep.Deferred)
		return nil
	}
	for _, r := range rep.Results {
		if r.Status == track.Unchanged {
			continue
		}
		path := r.Path
		if path == "" {
			path = "-"
		}
		line := fmt.Sprintf("%s %s %s", r.Status, path, r.URL)
		if r.Reason != "" {
			line += " (" + resultReason(r) + ")"
		}
		fmt.Fprintln(w, line)
	}
	for _, e := range rep.SourceErrors {
		for _, l := range sourceErrLines(e) {
			fmt.Fprintf(w, "source error: %s\n", l)
		}
	}
	fmt.Fprintf(w, "discovered %d, checked %d: new %d, changed %d, unchanged %d, suspect %d, failed %d, skipped by robots %d; retired %d, deferred %d\n",
		rep.Discovered, rep.Checked, rep.New, rep.Changed, rep.Unchanged, rep.Suspect, rep.Failed, rep.Skipped, rep.Retired, rep.Deferred)
	return nil
}

func oneLineErr(s string) string {
	out := []rune{}
	for _, r := range s {
		if r == '\n' {
			r = ';'
		}
		out = append(out, r)
	}
	return string(out)
}
