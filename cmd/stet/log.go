package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/stet-archive/stet/archive"
	"github.com/stet-archive/stet/diff"
)

// defaultRecent is how many versions `stet log` lists across the archive
// when -n is not given.
const defaultRecent = 20

type logOptions struct {
	repo  string
	json  bool
	since string
	site  string
	n     int
	name  string // URL, path or path substring; "" lists the archive
}

func newLogCmd(a *app) *cobra.Command {
	var opts logOptions
	cmd := &cobra.Command{
		Use:   "log [flags] [URL|PATH]",
		Short: "Show the versions of an article, or recent versions across the archive",
		Long: `With an article, list its versions newest first: the version number, when
it was fetched, how long after the previous version, what changed and the
short commit hash, under a header with the site, the URL, when it was
first seen and how often it changed.

Without an article, list recent versions across the archive, one a line:
time, site, title and what changed.

An article is named by its URL (any form that canonicalises to it), its
path in the archive, or a substring of the path that names only one.

Everything comes from git history: the change summaries are those stet
wrote into each commit.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.name = args[0]
			}
			return runLog(a, opts)
		},
	}
	cmd.Flags().StringVar(&opts.repo, "repo", ".", "archive repository `dir`")
	cmd.Flags().BoolVar(&opts.json, "json", false, "print JSON instead of text")
	cmd.Flags().StringVar(&opts.since, "since", "", "only versions newer than this: a `time` (2026-11-26, RFC 3339) or an age (36h, 7d, 2w)")
	cmd.Flags().StringVar(&opts.site, "site", "", "only versions from this `site` (name or host, case-insensitive)")
	cmd.Flags().IntVarP(&opts.n, "number", "n", 0, "show at most `N` versions (default all for an article, 20 for the archive)")
	return cmd
}

func runLog(a *app, opts logOptions) error {
	if opts.n < 0 {
		return usagef("-n must not be negative")
	}
	since, err := parseSince(opts.since, a.env.now())
	if err != nil {
		return err
	}
	arch, err := openHistory(opts.repo)
	if err != nil {
		return err
	}
	defer arch.Close()
	if opts.name == "" {
		return logArchive(a, arch, opts, since)
	}
	art, err := findArticle(arch, opts.repo, opts.name)
	if err != nil {
		return err
	}
	return logArticle(a, arch, art, opts, since)
}

// parseSince reads --since: a date, an RFC 3339 time, or an age before
// now in Go duration syntax extended with d (days) and w (weeks).
func parseSince(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	unit := time.Duration(0)
	switch {
	case strings.HasSuffix(s, "d"):
		unit = 24 * time.Hour
	case strings.HasSuffix(s, "w"):
		unit = 7 * 24 * time.Hour
	}
	if unit != 0 {
		if n, err := strconv.ParseFloat(s[:len(s)-1], 64); err == nil && n >= 0 {
			return now.Add(-time.Duration(n * float64(unit))), nil
		}
	} else if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, usagef("bad --since %q: want a date (2026-11-26), an RFC 3339 time or an age (36h, 7d, 2w)", s)
}

// logRow is one version in `stet log URL`.
type logRow struct {
	Version int       `json:"version"`
	Commit  string    `json:"commit"`
	Time    time.Time `json:"time"`
	// Gap is the time since the previous version, in words and seconds;
	// empty and 0 for the first version.
	Gap        string   `json:"gap,omitempty"`
	GapSeconds int64    `json:"gap_seconds,omitempty"`
	Summary    []string `json:"summary"`
	Reverts    int      `json:"reverts,omitempty"`
	// Rerender marks a commit that re-rendered this version's kept HTML
	// with a newer extractor: not an edit, and not counted in Versions.
	Rerender bool `json:"rerender,omitempty"`
}

// articleLog is `stet log --json URL`.
type articleLog struct {
	Site       string    `json:"site"`
	Title      string    `json:"title"`
	URL        string    `json:"url"`
	Path       string    `json:"path"`
	FirstSeen  time.Time `json:"first_seen"`
	LastChange time.Time `json:"last_change"`
	Versions   int       `json:"versions"`
	Changes    int       `json:"changes"`
	// LastChecked and NextCheck come from the schedule state; zero when
	// the article is not tracked (or never checked, for NextCheck).
	LastChecked time.Time `json:"last_checked,omitzero"`
	NextCheck   time.Time `json:"next_check,omitzero"`
	Retired     bool      `json:"retired,omitempty"`
	nextWords   string
	History     []logRow `json:"history"` // newest first
}

func logArticle(a *app, arch *archive.Archive, art histArticle, opts logOptions, since time.Time) error {
	h := art.history
	latest := h[len(h)-1]
	md, err := arch.Read(latest.Commit, art.path)
	if err != nil {
		return err // Read names the file and commit
	}
	doc := diff.Parse(md)
	edits := archive.Edits(h)
	out := articleLog{
		Site:       doc.Site,
		Title:      doc.Title,
		URL:        latest.Trailer("Stet-Url"),
		Path:       art.path,
		FirstSeen:  h[0].When.UTC(),
		LastChange: lastEdit(h).When.UTC(),
		Versions:   edits,
		Changes:    edits - 1,
	}
	if v, err := loadSchedule(a, arch, opts.repo, ""); err == nil {
		if e := v.byPath[art.path]; e != nil {
			out.LastChecked, out.NextCheck, out.Retired = e.Entry.LastChecked.UTC(), e.Next.UTC(), e.Entry.Retired
			if e.Next.IsZero() {
				out.NextCheck = time.Time{}
			}
			out.nextWords = nextCheck(e)
		}
	} else {
		a.logger.Warn("schedule state not read", "err", err)
	}
	subjSite, subjTitle := splitSubject(latest.Subject)
	if out.Site == "" {
		out.Site = subjSite
	}
	if out.Title == "" {
		out.Title = subjTitle
	}
	if out.URL == "" {
		out.URL = doc.URL
	}
	for i := len(h) - 1; i >= 0; i-- {
		v := h[i]
		if v.When.Before(since) {
			break
		}
		if opts.n > 0 && len(out.History) == opts.n {
			break
		}
		row := logRow{Version: v.N, Commit: v.Commit, Time: v.When.UTC(), Summary: summaryLines(v)}
		if i > 0 {
			d := v.When.Sub(h[i-1].When)
			row.Gap, row.GapSeconds = diff.Gap(d), int64(d/time.Second)
		}
		row.Reverts, _ = strconv.Atoi(v.Trailer("Stet-Reverts"))
		row.Rerender = v.Rerender()
		out.History = append(out.History, row)
	}
	if opts.json {
		return writeHistJSON(a.env.Stdout, out)
	}
	return writeArticleLog(a.env.Stdout, out)
}

// lastEdit is the newest version of h that is not a re-render.
func lastEdit(h []archive.Version) archive.Version {
	for i := len(h) - 1; i > 0; i-- {
		if !h[i].Rerender() {
			return h[i]
		}
	}
	return h[0]
}

func writeArticleLog(w io.Writer, l articleLog) error {
	ew := &histWriter{w: w}
	ew.printf("%s\n", l.Title)
	ew.printf("Site:         %s\n", l.Site)
	ew.printf("URL:          %s\n", l.URL)
	ew.printf("Path:         %s\n", l.Path)
	ew.printf("First seen:   %s\n", histTime(l.FirstSeen))
	ew.printf("Versions:     %d (changed %d %s)\n", l.Versions, l.Changes, histPlural(l.Changes, "time", "times"))
	ew.printf("Last change:  %s\n", histTime(l.LastChange))
	if l.nextWords != "" {
		if !l.LastChecked.IsZero() {
			ew.printf("Last checked: %s\n", histTime(l.LastChecked))
		}
		ew.printf("Next check:   %s\n", l.nextWords)
	}
	ew.printf("\n")
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	for _, r := range l.History {
		gap := r.Gap
		if gap == "" {
			gap = "first seen"
		}
		label := fmt.Sprintf("v%d", r.Version)
		if r.Rerender {
			label += " re-render"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", label, histTime(r.Time), gap, shortHash(r.Commit), oneLineSummary(r.Summary))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return ew.err
}

// recentRow is one line of `stet log` across the archive.
type recentRow struct {
	Time    time.Time `json:"time"`
	Site    string    `json:"site"`
	Title   string    `json:"title"`
	URL     string    `json:"url"`
	Path    string    `json:"path"`
	Version int       `json:"version"`
	Commit  string    `json:"commit"`
	Summary []string  `json:"summary"`
}

func logArchive(a *app, arch *archive.Archive, opts logOptions, since time.Time) error {
	n := opts.n
	if n == 0 {
		n = defaultRecent
	}
	limit := n
	if opts.site != "" {
		limit = 0 // filter first, then cut
	}
	versions, err := arch.Recent(since, limit)
	if err != nil {
		return err
	}
	rows := []recentRow{}
	for _, v := range versions {
		if len(rows) == n {
			break
		}
		site, title := splitSubject(v.Subject)
		u := v.Trailer("Stet-Url")
		if u == "" {
			u = v.URL
		}
		if opts.site != "" && !matchSite(opts.site, site, u) {
			continue
		}
		rows = append(rows, recentRow{
			Time: v.When.UTC(), Site: site, Title: title, URL: u, Path: v.Path,
			Version: v.N, Commit: v.Commit, Summary: summaryLines(v),
		})
	}
	if opts.json {
		return writeHistJSON(a.env.Stdout, rows)
	}
	tw := tabwriter.NewWriter(a.env.Stdout, 0, 0, 2, ' ', 0)
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\tv%d\t%s\n", histTime(r.Time), r.Site, r.Title, r.Version, oneLineSummary(r.Summary))
	}
	return tw.Flush()
}

// matchSite reports whether a version belongs to the --site filter: its
// site name, or its URL's host with or without "www.".
func matchSite(filter, site, u string) bool {
	f := strings.ToLower(strings.TrimSpace(filter))
	if strings.EqualFold(site, f) {
		return true
	}
	host := u
	if _, rest, ok := strings.Cut(u, "://"); ok {
		host = rest
	}
	host, _, _ = strings.Cut(host, "/")
	host = strings.ToLower(host)
	return host == f || strings.TrimPrefix(host, "www.") == strings.TrimPrefix(f, "www.")
}

// splitSubject splits a commit subject "<site>: <title>" (docs/design.md).
func splitSubject(s string) (site, title string) {
	site, title, ok := strings.Cut(s, ": ")
	if !ok {
		return "", s
	}
	return site, title
}

// summaryLines returns the change summary stet wrote into a commit
// body: its lines before the trailers.
func summaryLines(v archive.Version) []string {
	lines := []string{}
	for _, l := range strings.Split(v.Body, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || isTrailerLine(l) {
			continue
		}
		lines = append(lines, l)
	}
	return lines
}

// isTrailerLine reports a "Stet-Key: value" line, in case the archive
// leaves the trailers in Body.
func isTrailerLine(l string) bool {
	k, _, ok := strings.Cut(l, ": ")
	return ok && strings.HasPrefix(k, "Stet-") && !strings.Contains(k, " ")
}

func oneLineSummary(lines []string) string {
	if len(lines) == 0 {
		return "(no summary)"
	}
	return strings.Join(lines, "; ")
}

// histTime formats times in UTC, so output does not depend on where it
// runs.
func histTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

func shortHash(h string) string {
	if len(h) > 7 {
		return h[:7]
	}
	return h
}

func writeHistJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// histWriter keeps the first write error.
type histWriter struct {
	w   io.Writer
	err error
}

func (e *histWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func (e *histWriter) printf(format string, args ...any) {
	fmt.Fprintf(e, format, args...)
}
