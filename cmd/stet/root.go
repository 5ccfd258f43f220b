package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/spf13/cobra"
)

// Exit codes, listed in the root command's help.
const (
	exitOK          = 0   // every article succeeded
	exitFailed      = 1   // the pass completed but some articles failed
	exitUsage       = 2   // bad flags, arguments or configuration
	exitInterrupted = 130 // stopped by SIGINT or SIGTERM
)

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
  1    the pass completed but some articles failed
  2    bad usage or configuration
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
	root.PersistentFlags().StringVar(&a.logFormat, "log-format", "", "log `format`: text or json (default text on a terminal, json otherwise, or $STET_LOG_FORMAT)")
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
	case "":
		if env.isTerminal(env.Stderr) {
			return slog.New(slog.NewTextHandler(env.Stderr, opts)), nil
		}
		return slog.New(slog.NewJSONHandler(env.Stderr, opts)), nil
	case "text":
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
	fmt.Fprintf(env.Stderr, "stet: %v\n", err)
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
