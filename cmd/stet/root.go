package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/spf13/cobra"
)

// Exit codes, listed in the root command's help and in docs/action.md.
// The Action's run script maps them: exitFailed is a warning (the step
// stays green), every other non-zero code fails the step.
const (
	exitOK          = 0   // every article succeeded
	exitFailed      = 1   // the pass completed but some articles failed (other commands: an error)
	exitUsage       = 2   // bad flags, arguments or configuration
	exitNoSource    = 3   // stet run: every source failed and no article could be checked
	exitPush        = 4   // stet run --push, stet push: the push failed (auth, network, rejected)
	exitRunError    = 5   // stet run: the pass stopped on an error (archive, state, work tree)
	exitInterrupted = 130 // stopped by SIGINT or SIGTERM
)

// exitError carries a command's own exit code; run prints its message
// (once) and exits with code.
type exitError struct {
	code      int
	err       error
	annotated bool // an ::error:: annotation was written already (GitHub Actions)
}

func (e exitError) Error() string { return e.err.Error() }
func (e exitError) Unwrap() error { return e.err }

// usageError marks an error as the user's: it exits with exitUsage.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// errFailed reports that some items failed after their results were
// printed; run exits with exitFailed without printing it again.
var errFailed = errors.New("some articles failed")

// app is what every command shares: the environment and the logger built
// from the global flags.
type app struct {
	env       *Env
	logger    *slog.Logger
	logLevel  string
	logFormat string
}

func newRootCmd(env *Env) (*cobra.Command, *app) {
	a := &app{env: env, logger: slog.New(slog.DiscardHandler)}
	root := &cobra.Command{
		Use:   "stet",
		Short: "Keep the history of news articles in git",
		Long: `stet fetches news articles, renders each as normalised markdown and commits
it to a git repository only when its content really changed. History and
diffs then come from git itself, or from stet log and stet diff.

Exit codes:
  0    success
  1    the pass completed but some articles failed (a warning in the
       GitHub Action; the archive was still saved and pushed); for
       commands other than run and push, any error
  2    bad usage or configuration
  3    stet run: every source failed and no article could be checked
       (no network, or every feed is gone)
  4    the push failed (authentication, network, or rejected every try);
       the commits are kept locally
  5    stet run: the pass stopped on an error (archive, state, work tree)
  130  interrupted (SIGINT or SIGTERM)`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			l, err := newLogger(env, a.logLevel, a.logFormat)
			if err != nil {
				return usageError{err}
			}
			a.logger = l
			return locateRepo(cmd)
		},
		Version: stetVersion(),
	}
	root.SetVersionTemplate("stet {{.Version}}\n")
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	if env.Stdin != nil {
		root.SetIn(env.Stdin)
	}
	root.PersistentFlags().StringVar(&a.logLevel, "log-level", "", "log `level`: debug, info, warn or error (default info, or $STET_LOG_LEVEL)")
	root.PersistentFlags().StringVar(&a.logFormat, "log-format", "", "log `format`: text or json (default text, or $STET_LOG_FORMAT)")
	root.AddCommand(
		newFetchCmd(a),
		newExtractCmd(a),
		newVersionCmd(a),
	)
	addMoreCommands(root, a)
	return root, a
}

// newLogger builds the one logger from --log-level and --log-format,
// falling back to STET_LOG_LEVEL and STET_LOG_FORMAT.
func newLogger(env *Env, level, format string) (*slog.Logger, error) {
	if level == "" {
		level = env.getenv("STET_LOG_LEVEL")
	}
	if format == "" {
		format = env.getenv("STET_LOG_FORMAT")
	}
	var lv slog.Level
	switch strings.ToLower(level) {
	case "", "info":
		lv = slog.LevelInfo
	case "debug":
		lv = slog.LevelDebug
	case "warn", "warning":
		lv = slog.LevelWarn
	case "error":
		lv = slog.LevelError
	default:
		return nil, fmt.Errorf("unknown log level %q (want debug, info, warn or error)", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch strings.ToLower(format) {
	case "", "text":
		// Text everywhere unless JSON is asked for: a user who pipes or
		// redirects stderr reads it as on a terminal, and log collectors
		// opt in with --log-format json.
		return slog.New(slog.NewTextHandler(env.Stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(env.Stderr, opts)), nil
	}
	return nil, fmt.Errorf("unknown log format %q (want text or json)", format)
}

// run runs one stet command line and returns its exit code. It never
// exits the process, so tests call it directly.
func run(ctx context.Context, args []string, env *Env) int {
	root, _ := newRootCmd(env)
	root.SetArgs(args)
	started := false
	for _, c := range root.Commands() {
		markStarted(c, &started)
	}
	cmd, err := root.ExecuteContextC(ctx)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errFailed):
		if ctx.Err() != nil {
			return exitInterrupted
		}
		return exitFailed
	}
	var ee exitError
	isExit := errors.As(err, &ee)
	printError(env, err, isExit && ee.annotated)
	if isExit {
		if ctx.Err() != nil {
			return exitInterrupted
		}
		return ee.code
	}
	var ue usageError
	switch {
	case errors.As(err, &ue) || !started:
		if cmd != nil && !started {
			fmt.Fprintf(env.Stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
		}
		return exitUsage
	case ctx.Err() != nil:
		return exitInterrupted
	}
	return exitFailed
}

// printError prints a command's error once: as a workflow command
// (::error::, escaped so its text cannot start another) under GitHub
// Actions, where the runner turns it into an annotation, else as a
// "stet: " line.
func printError(env *Env, err error, annotated bool) {
	// A server's error body often ends in a newline, which would print an
	// empty line (or a %0A at the end of an annotation).
	msg := strings.TrimSpace(err.Error())
	if env.getenv("GITHUB_ACTIONS") == "true" && !annotated {
		fmt.Fprintf(env.Stderr, "::error title=stet::%s\n", escapeCommand(msg))
		return
	}
	fmt.Fprintf(env.Stderr, "stet: %s\n", msg)
}

// markStarted wraps every command's RunE so that run can tell an error in
// flag or argument parsing (usage) from one in the work itself.
func markStarted(c *cobra.Command, started *bool) {
	if c.RunE != nil {
		inner := c.RunE
		c.RunE = func(cmd *cobra.Command, args []string) error {
			*started = true
			return inner(cmd, args)
		}
	}
	for _, sub := range c.Commands() {
		markStarted(sub, started)
	}
}
