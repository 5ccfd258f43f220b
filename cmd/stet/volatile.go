package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/stet-archive/stet/archive"
	"github.com/stet-archive/stet/track"
)

type volatileOptions struct {
	repo  string
	json  bool
	reset bool
	host  string
}

func newVolatileCmd(a *app) *cobra.Command {
	var opts volatileOptions
	cmd := &cobra.Command{
		Use:   "volatile [flags] [HOST]",
		Short: "Print or reset what stet learned about each site's changing page furniture",
		Long: `Print the rules stet learned by fetching changed pages twice: per site,
the query keys whose values change on every request and the signatures of
lines that do (text with digits as #, the shape of a line of links, or a
few words inside a sentence). They are kept in volatile.json on
refs/stet/state and expire after 60 days without use. With HOST, only
that site ("www." is ignored).

--reset forgets the rules of HOST, or of every site: the next two runs that
check the site fetch its new and changed articles twice again.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.host = args[0]
			}
			return runVolatile(a, opts)
		},
	}
	cmd.Flags().StringVar(&opts.repo, "repo", ".", "archive repository `dir`")
	cmd.Flags().BoolVar(&opts.json, "json", false, "print the rules as JSON")
	cmd.Flags().BoolVar(&opts.reset, "reset", false, "forget the rules of HOST, or of every site")
	return cmd
}

func runVolatile(a *app, opts volatileOptions) error {
	arch, err := openHistory(opts.repo)
	if err != nil {
		return err
	}
	files, err := arch.ReadState()
	arch.Close()
	if err != nil {
		return err
	}
	v, err := track.ReadVolatile(files)
	damaged := err != nil
	if damaged && !opts.reset {
		return usageError{fmt.Errorf("%w (stet volatile --reset forgets it)", err)}
	}
	host := strings.TrimPrefix(strings.ToLower(opts.host), "www.")
	if opts.reset {
		if damaged {
			v, host = &track.Volatility{}, ""
		}
		if !v.Reset(host) && host != "" {
			fmt.Fprintf(a.env.Stdout, "nothing learned about %s\n", host)
			return nil
		}
		warch, err := archive.Open(opts.repo, archive.Options{Logger: a.logger})
		if err != nil {
			return err
		}
		defer warch.Close()
		if err := track.SaveVolatile(warch, v, a.env.now()); err != nil {
			return err
		}
		if host == "" {
			host = "every site"
		}
		fmt.Fprintf(a.env.Stdout, "forgot the rules of %s\n", host)
		return nil
	}
	sites := v.Sites()
	if host != "" {
		s, ok := sites[host]
		sites = map[string]track.SiteRules{}
		if ok {
			sites[host] = s
		}
	}
	if opts.json {
		enc := json.NewEncoder(a.env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(sites)
	}
	if len(sites) == 0 {
		fmt.Fprintln(a.env.Stdout, "nothing learned yet")
		return nil
	}
	w := a.env.Stdout
	for _, h := range slices.Sorted(maps.Keys(sites)) {
		s := sites[h]
		fmt.Fprintf(w, "%s: %d runs, %d query keys, %d line rules, %.2f confirming fetches in credit\n", h, s.Runs, len(s.Params), len(s.Lines), s.Credit)
		for _, k := range slices.Sorted(maps.Keys(s.Params)) {
			fmt.Fprintf(w, "  query     %s  %s\n", s.Params[k].Format("2006-01-02"), k)
		}
		for _, k := range slices.Sorted(maps.Keys(s.Tails)) {
			fmt.Fprintf(w, "  tail      %s  %s\n", s.Tails[k].Format("2006-01-02"), k)
		}
		for _, k := range slices.Sorted(maps.Keys(s.Links)) {
			fmt.Fprintf(w, "  link      %s  %s\n", s.Links[k].Format("2006-01-02"), k)
		}
		rules := slices.Collect(maps.Values(s.Lines))
		slices.SortFunc(rules, func(x, y track.LineRule) int {
			return strings.Compare(x.Kind+x.Sample, y.Kind+y.Sample)
		})
		for _, r := range rules {
			fmt.Fprintf(w, "  %-8s  %s  %s\n", r.Kind, r.Seen.Format("2006-01-02"), r.Sample)
		}
	}
	return nil
}
