package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/stet-archive/stet/archive"
	"github.com/stet-archive/stet/track"
)

type rerenderOptions struct {
	repo   string
	dryRun bool
	json   bool
	paths  []string
}

func newRerenderCmd(a *app) *cobra.Command {
	var opts rerenderOptions
	cmd := &cobra.Command{
		Use:   "rerender [flags] [PATH...]",
		Short: "Re-render articles from their kept HTML with the current extractor",
		Long: `Re-render every article (or the given paths) from the HTML kept for its
latest version (archive.keep_raw: true, or stet fetch --keep-raw) with the
current extractor, and commit those whose rendering changed: one commit per
article, labelled "Re-rendered by extractor X" and carrying a Stet-Rerender
trailer. A re-render keeps its version number and is never counted as an
edit. Articles without kept HTML are skipped.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.paths = args
			return runRerender(cmd.Context(), a, opts)
		},
	}
	cmd.Flags().StringVar(&opts.repo, "repo", ".", "archive repository `dir`")
	cmd.Flags().BoolVar(&opts.dryRun, "dry-run", false, "report what would be re-rendered without committing")
	cmd.Flags().BoolVar(&opts.json, "json", false, "print the results as a JSON array")
	return cmd
}

func runRerender(ctx context.Context, a *app, opts rerenderOptions) error {
	arch, err := archive.Open(opts.repo, archive.Options{Logger: a.logger, ReadOnly: false})
	if err != nil {
		return err
	}
	defer arch.Close()
	paths := opts.paths
	if len(paths) == 0 {
		if paths, err = arch.Paths(); err != nil {
			return err
		}
	}
	tr := &track.Tracker{
		Archive:   arch,
		Extractor: newExtractor(a),
		Logger:    a.logger,
		Now:       a.env.Now,
		DryRun:    opts.dryRun,
	}
	var results []track.Result
	counts := map[track.Status]int{}
	for _, p := range paths {
		if ctx.Err() != nil {
			break
		}
		if !strings.HasSuffix(p, ".md") {
			continue
		}
		r := tr.Rerender(ctx, p)
		counts[r.Status]++
		results = append(results, r)
	}
	if !opts.dryRun {
		if err := arch.SyncWorktree(); err != nil {
			return fmt.Errorf("update work tree: %w", err)
		}
	}
	if err := printResults(a, opts.json, results); err != nil {
		return err
	}
	a.logger.Info("rerender done", "rerendered", counts[track.Rerendered], "unchanged", counts[track.Unchanged],
		"skipped", counts[track.Skipped], "failed", counts[track.Failed])
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if counts[track.Failed] > 0 {
		return errFailed
	}
	return nil
}
