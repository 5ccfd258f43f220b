package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/spf13/cobra"
	"github.com/stet-archive/stet/fetch"
	"github.com/stet-archive/stet/track"
)

type fetchOptions struct {
	repo    string
	json    bool
	force   bool
	dryRun  bool
	keepRaw bool
	urls    []string
	http    fetchFlags
}

func newFetchCmd(a *app) *cobra.Command {
	var opts fetchOptions
	cmd := &cobra.Command{
		Use:   "fetch [flags] URL...",
		Short: "Fetch articles now and commit those that changed",
		Long: `Fetch each URL, extract the article, render it as markdown and commit it to
the archive when its bytes differ from the version at HEAD.

One line is printed per URL: new|changed|unchanged|suspect|failed PATH URL,
with the reason when it did not succeed.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.urls = args
			return runFetch(cmd.Context(), a, cmd, opts)
		},
	}
	cmd.Flags().StringVar(&opts.repo, "repo", ".", "archive repository `dir` (created when missing)")
	cmd.Flags().BoolVar(&opts.json, "json", false, "print the results as a JSON array")
	cmd.Flags().BoolVar(&opts.force, "force", false, "commit pages that fail a health gate (paywall, collapsed body, ...)")
	cmd.Flags().BoolVar(&opts.dryRun, "dry-run", false, "fetch and extract but do not commit")
	cmd.Flags().BoolVar(&opts.keepRaw, "keep-raw", false, "keep each new version's HTML on refs/stet/raw, for stet rerender")
	opts.http.register(cmd)
	return cmd
}

func runFetch(ctx context.Context, a *app, cmd *cobra.Command, opts fetchOptions) error {
	fo, err := opts.http.options(a, cmd, opts.repo)
	if err != nil {
		return err
	}
	arch, err := openArchive(a, opts.repo)
	if err != nil {
		return err
	}
	defer arch.Close()
	tr := &track.Tracker{
		Archive:   arch,
		Client:    fetch.New(fo),
		Extractor: newExtractor(a),
		Logger:    a.logger,
		Now:       a.env.Now,
		Force:     opts.force,
		DryRun:    opts.dryRun,
		KeepRaw:   opts.keepRaw,
	}
	if tr.Volatile, err = track.OpenVolatile(arch, a.env.Now); err != nil {
		return err
	}
	results := make([]track.Result, 0, len(opts.urls))
	for _, u := range opts.urls {
		if ctx.Err() != nil {
			break
		}
		results = append(results, tr.Check(ctx, track.Request{URL: u}))
	}
	if !opts.dryRun {
		if err := track.SaveVolatile(arch, tr.Volatile, a.env.now()); err != nil {
			a.logger.Warn("volatility rules not kept", "err", err)
		}
		if err := arch.SyncWorktree(); err != nil {
			return fmt.Errorf("update work tree: %w", err)
		}
	}
	if err := printResults(a, opts.json, results); err != nil {
		return err
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	for _, r := range results {
		if r.Status == track.Failed {
			return errFailed
		}
	}
	return nil
}

// printResults writes one line per result, or a JSON array.
func printResults(a *app, asJSON bool, results []track.Result) error {
	if asJSON {
		enc := json.NewEncoder(a.env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(results)
	}
	for _, r := range results {
		path := r.Path
		if path == "" {
			path = "-"
		}
		line := fmt.Sprintf("%s %s %s", r.Status, path, r.URL)
		if r.Reason != "" && r.Status != track.Unchanged {
			line += " (" + resultReason(r) + ")"
		}
		fmt.Fprintln(a.env.Stdout, line)
	}
	return nil
}

// resultReason says why a check did not succeed, once: the URL the line
// already names is not repeated by every layer that wrapped the error,
// and a refused private address names the setting that allows it.
func resultReason(r track.Result) string {
	if r.Err != nil && errors.Is(r.Err, fetch.ErrPrivateAddress) {
		host := r.URL
		if u, err := url.Parse(r.URL); err == nil && u.Host != "" {
			host = u.Hostname()
		}
		return host + " is a loopback, private or link-local address, which stet does not fetch by default; " +
			"allow it with --allow-private-addresses, STET_ALLOW_PRIVATE_ADDRESSES=true, or allow_private_addresses: true under fetch: in stet.yaml"
	}
	return plainErr(r.Reason, r.URL)
}

// wrapRe matches one layer of wrapping that names a URL: `fetch URL: `,
// `discover src feed URL: ` or net/http's `Get "URL": `.
var wrapRe = regexp.MustCompile(`(?:[A-Za-z]+ )?"?(https?://[^\s"]+)"?: `)

// plainErr removes the layers of an error message that repeat a URL
// already named (by the message itself, or by known, such as the URL a
// result line starts with), so each fact is said once: "fetch U: Get
// "U": dial tcp: connection refused" becomes "dial tcp: connection
// refused" when U is known.
func plainErr(msg string, known ...string) string {
	seen := map[string]bool{}
	for _, k := range known {
		seen[k] = true
	}
	var b strings.Builder
	last := 0
	for _, m := range wrapRe.FindAllStringSubmatchIndex(msg, -1) {
		u := msg[m[2]:m[3]]
		if seen[u] {
			b.WriteString(msg[last:m[0]])
			last = m[1]
			continue
		}
		seen[u] = true
	}
	b.WriteString(msg[last:])
	return b.String()
}

// sourceErrLines splits a pass's source error ("name: err; err") into
// one plain line per failed URL.
func sourceErrLines(e string) []string {
	name, rest, ok := strings.Cut(e, ": ")
	if !ok {
		return []string{oneLineErr(e)}
	}
	var out []string
	for _, part := range strings.Split(rest, "\n") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, name+": "+plainErr(part))
		}
	}
	return out
}
