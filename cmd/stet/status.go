package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/stet-archive/stet/archive"
	"github.com/stet-archive/stet/publish"
	"github.com/stet-archive/stet/track"
)

// statusDue is how many upcoming checks `stet status` lists.
const statusDue = 10

// lastRunName is the file, in the repository's git directory, where
// `stet run` records its outcome for `stet status`. It is local: it is
// not part of the archive and is never pushed.
const lastRunName = "stet/last-run.json"

// scheduleView is what the schedule state says about the archive's
// articles, read once for log, status, run and publish.
type scheduleView struct {
	schedule track.Schedule
	found    bool // the archive has a schedule state
	entries  []entryView
	byPath   map[string]*entryView
}

// entryView is one tracked article and when it is next due.
type entryView struct {
	URL   string
	Path  string
	Entry *track.Entry
	Next  time.Time // zero: new (due at once) or retired
}

// loadSchedule reads the schedule state of arch and the schedule
// settings of the config file that applies to repo (the defaults
// without one). A missing state gives an empty view; a corrupt one is
// reported, since `stet run` would rebuild it.
func loadSchedule(a *app, arch *archive.Archive, repo, configFlag string) (*scheduleView, error) {
	v := &scheduleView{byPath: map[string]*entryView{}}
	path, err := findConfig(a, configFlag, repo)
	if err != nil {
		return nil, err
	}
	if path != "" {
		c, err := loadConfig(path)
		if err != nil {
			return nil, err
		}
		v.schedule = c.schedule()
	}
	files, err := arch.ReadState()
	if err != nil {
		return nil, err // ReadState says what failed
	}
	if files == nil {
		return v, nil
	}
	st, err := track.DecodeState(files)
	if err != nil {
		return nil, fmt.Errorf("%w (the next stet run rebuilds it)", err)
	}
	v.found = true
	for u, e := range st.Entries {
		ev := entryView{URL: u, Entry: e}
		if !e.Retired {
			ev.Next = v.schedule.DueAt(u, e)
		}
		if p, err := archive.PathFor(u); err == nil {
			ev.Path = p
		}
		v.entries = append(v.entries, ev)
	}
	sort.Slice(v.entries, func(i, j int) bool { return v.entries[i].URL < v.entries[j].URL })
	for i := range v.entries {
		if p := v.entries[i].Path; p != "" {
			v.byPath[p] = &v.entries[i]
		}
	}
	return v, nil
}

// tracking converts the view for publish.Options.Tracking.
func (v *scheduleView) tracking() map[string]publish.Tracking {
	if !v.found {
		return nil
	}
	out := make(map[string]publish.Tracking, len(v.byPath))
	for p, e := range v.byPath {
		out[p] = publish.Tracking{
			Source: e.Entry.Source, FirstSeen: e.Entry.FirstSeen, LastChecked: e.Entry.LastChecked,
			NextCheck: e.Next, Retired: e.Entry.Retired,
		}
	}
	return out
}

// publishTracking is the schedule state for `stet publish`. A config
// error is returned; an archive without state gives nil.
func publishTracking(a *app, arch *archive.Archive, repo string) (map[string]publish.Tracking, error) {
	v, err := loadSchedule(a, arch, repo, "")
	if err != nil {
		return nil, err
	}
	return v.tracking(), nil
}

// nextCheck says when an article is next checked, in words: a time, "at
// the next run" for an article never checked, or that it is retired.
func nextCheck(e *entryView) string {
	switch {
	case e.Entry.Retired && e.Entry.Versions == 0:
		// Found not to be an article, or failing ever since it was found.
		return "none (retired: never gave an article)"
	case e.Entry.Retired:
		return "none (retired: unchanged for too long)"
	case e.Next.IsZero():
		return "at the next run (not checked yet)"
	}
	return histTime(e.Next)
}

// lastRun is what `stet run` records for `stet status`.
type lastRun struct {
	Finished    time.Time `json:"finished"`
	Discovered  int       `json:"discovered"`
	Checked     int       `json:"checked"`
	New         int       `json:"new"`
	Changed     int       `json:"changed"`
	Unchanged   int       `json:"unchanged"`
	Suspect     int       `json:"suspect"`
	Failed      int       `json:"failed"`
	Deferred    int       `json:"deferred"`
	Sources     int       `json:"source_errors"`
	Interrupted bool      `json:"interrupted,omitempty"`
	Error       string    `json:"error,omitempty"`
}

func (r lastRun) String() string {
	s := fmt.Sprintf("checked %d: new %d, changed %d, unchanged %d, suspect %d, failed %d", r.Checked, r.New, r.Changed, r.Unchanged, r.Suspect, r.Failed)
	if r.Deferred > 0 {
		s += fmt.Sprintf("; %d deferred to a later run", r.Deferred)
	}
	if r.Sources > 0 {
		s += fmt.Sprintf("; %d %s had errors", r.Sources, histPlural(r.Sources, "source", "sources"))
	}
	if r.Interrupted {
		s += " (interrupted)"
	}
	return s
}

// gitDirOf returns the git directory of the repository in dir: dir/.git
// (a directory, or a file pointing elsewhere), or dir itself when bare.
func gitDirOf(dir string) string {
	dot := filepath.Join(dir, ".git")
	if fi, err := os.Stat(dot); err == nil {
		if fi.IsDir() {
			return dot
		}
		if b, err := os.ReadFile(dot); err == nil {
			if rest, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "gitdir: "); ok {
				if !filepath.IsAbs(rest) {
					rest = filepath.Join(dir, rest)
				}
				return rest
			}
		}
	}
	return dir
}

// recordLastRun writes the outcome of a pass for `stet status`. It is
// best effort: a failure is logged, never fatal, since the pass itself
// is done.
func recordLastRun(a *app, repo string, rep track.Report, runErr error) {
	r := lastRun{
		Finished: a.env.now().UTC(), Discovered: rep.Discovered, Checked: rep.Checked, New: rep.New,
		Changed: rep.Changed, Unchanged: rep.Unchanged, Suspect: rep.Suspect, Failed: rep.Failed,
		Deferred: rep.Deferred, Sources: len(rep.SourceErrors), Interrupted: rep.Interrupted,
	}
	if runErr != nil && rep.Failed == 0 {
		r.Error = oneLineErr(runErr.Error())
	}
	b, _ := json.MarshalIndent(r, "", "  ")
	p := filepath.Join(gitDirOf(repo), filepath.FromSlash(lastRunName))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err == nil {
		err = os.WriteFile(p, append(b, '\n'), 0o644)
		if err == nil {
			return
		}
	}
	a.logger.Warn("could not record the run for stet status", "path", p)
}

func readLastRun(repo string) (lastRun, bool) {
	var r lastRun
	b, err := os.ReadFile(filepath.Join(gitDirOf(repo), filepath.FromSlash(lastRunName)))
	if err != nil || json.Unmarshal(b, &r) != nil {
		return lastRun{}, false
	}
	return r, true
}

// printNextCheck ends `stet run`'s text report: when the next article is
// due, and when the pass checked nothing, why, and how to check anyway.
func printNextCheck(a *app, arch *archive.Archive, s runSettings, rep track.Report) {
	v, err := loadSchedule(a, arch, s.repo, s.configFile)
	if err != nil {
		return // the report is printed; the state's trouble shows in stet status
	}
	w := a.env.Stdout
	next, n := v.nextDue(a.env.now())
	if rep.Checked > 0 || rep.Interrupted {
		if !next.IsZero() {
			fmt.Fprintf(w, "next check: %s\n", histTime(next))
		}
		return
	}
	switch {
	case len(v.entries) == 0 && len(s.sources) == 0:
		fmt.Fprintln(w, "checked nothing: the config has no sources; add some to stet.yaml (see stet init)")
	case len(v.entries) == 0:
		fmt.Fprintln(w, "checked nothing: no source gave an article URL yet (see the source errors above, or check the feeds in stet.yaml)")
	case rep.Deferred > 0:
		fmt.Fprintf(w, "checked nothing: %d due articles are over the per-host budget (schedule.max_per_host_per_run)\n", rep.Deferred)
	case next.IsZero():
		fmt.Fprintf(w, "checked nothing: all %d tracked articles are retired; stet run --all checks them anyway\n", len(v.entries))
	default:
		fmt.Fprintf(w, "checked nothing: none of the %d tracked articles is due; the next check is at %s (%d due then). stet run --all checks every article now\n",
			len(v.entries), histTime(next), n)
	}
}

// nextDue returns the earliest due time after now among articles that are
// not retired, and how many are due within the minute after it; zero
// when none is.
func (v *scheduleView) nextDue(now time.Time) (time.Time, int) {
	var times []time.Time
	for _, e := range v.entries {
		if !e.Entry.Retired && e.Next.After(now) {
			times = append(times, e.Next)
		}
	}
	if len(times) == 0 {
		return time.Time{}, 0
	}
	slices.SortFunc(times, func(x, y time.Time) int { return x.Compare(y) })
	n := 0
	for _, t := range times {
		if t.Sub(times[0]) < time.Minute {
			n++
		}
	}
	return times[0], n
}

type statusOptions struct {
	repo, config string
	json         bool
}

func newStatusCmd(a *app) *cobra.Command {
	var opts statusOptions
	cmd := &cobra.Command{
		Use:   "status [flags]",
		Short: "Show what is tracked, what is due when, and how the last run went",
		Long: `Show the archive's tracking state: how many articles are tracked, by
source; how many are due now, when the next ones are due and which; and
the outcome of the last stet run in this repository.

Everything is read from the archive (the schedule state on
refs/stet/state) and the config file; nothing is fetched. The last run is
recorded locally, in the repository's git directory, so a fresh clone has
none.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStatus(a, opts)
		},
	}
	cmd.Flags().StringVar(&opts.repo, "repo", ".", "archive repository `dir`")
	cmd.Flags().StringVar(&opts.config, "config", "", "config `file` (default stet.yaml in the repository or the current directory)")
	cmd.Flags().BoolVar(&opts.json, "json", false, "print JSON instead of text")
	return cmd
}

// statusReport is `stet status --json`.
type statusReport struct {
	Repo      string         `json:"repo"`
	Articles  int            `json:"articles"`
	Tracked   int            `json:"tracked"`
	Retired   int            `json:"retired"`
	New       int            `json:"new"`
	DueNow    int            `json:"due_now"`
	DueHour   int            `json:"due_within_hour"` // not due now, due within an hour
	DueDay    int            `json:"due_within_day"`  // … within a day (hour included)
	DueWeek   int            `json:"due_within_week"` // … within a week (day included)
	Sources   map[string]int `json:"sources"`
	NextDue   []dueRow       `json:"next_due"`
	LastRun   *lastRun       `json:"last_run,omitempty"`
	HasState  bool           `json:"has_state"`
	MaxPerRun int            `json:"max_fetches_per_run"`
}

type dueRow struct {
	Time time.Time `json:"time"`
	URL  string    `json:"url"`
}

func runStatus(a *app, opts statusOptions) error {
	arch, err := openHistory(opts.repo)
	if err != nil {
		return err
	}
	defer arch.Close()
	v, err := loadSchedule(a, arch, opts.repo, opts.config)
	if err != nil {
		return err
	}
	paths, err := arch.Paths()
	if err != nil {
		return err
	}
	paths = slices.DeleteFunc(paths, func(p string) bool { return !archive.IsArticlePath(p) })
	now := a.env.now()
	rep := statusReport{Repo: opts.repo, Articles: len(paths), Tracked: len(v.entries), Sources: map[string]int{},
		NextDue: []dueRow{}, HasState: v.found, MaxPerRun: v.schedule.MaxFetches}
	if rep.MaxPerRun == 0 {
		rep.MaxPerRun = track.DefaultMaxFetches
	}
	var upcoming []dueRow
	for _, e := range v.entries {
		src := e.Entry.Source
		if src == "" {
			src = "(unknown)"
		}
		rep.Sources[src]++
		switch {
		case e.Entry.Retired:
			rep.Retired++
		case e.Next.IsZero():
			rep.New++
			rep.DueNow++
		case !e.Next.After(now):
			rep.DueNow++
		default:
			upcoming = append(upcoming, dueRow{Time: e.Next.UTC(), URL: e.URL})
			wait := e.Next.Sub(now)
			if wait <= time.Hour {
				rep.DueHour++
			}
			if wait <= 24*time.Hour {
				rep.DueDay++
			}
			if wait <= 7*24*time.Hour {
				rep.DueWeek++
			}
		}
	}
	slices.SortFunc(upcoming, func(x, y dueRow) int {
		if c := x.Time.Compare(y.Time); c != 0 {
			return c
		}
		return strings.Compare(x.URL, y.URL)
	})
	rep.NextDue = append(rep.NextDue, upcoming[:min(len(upcoming), statusDue)]...)
	if r, ok := readLastRun(opts.repo); ok {
		rep.LastRun = &r
	}
	if opts.json {
		return writeHistJSON(a.env.Stdout, rep)
	}
	return writeStatus(a.env.Stdout, rep, len(upcoming))
}

func writeStatus(w io.Writer, r statusReport, upcoming int) error {
	ew := &histWriter{w: w}
	ew.printf("Archive:   %s, %d %s\n", r.Repo, r.Articles, histPlural(r.Articles, "article", "articles"))
	if !r.HasState {
		ew.printf("Tracked:   nothing yet: no stet run has written a schedule (stet fetch saves articles without tracking them)\n")
	} else {
		ew.printf("Tracked:   %d %s (%d retired)", r.Tracked, histPlural(r.Tracked, "article", "articles"), r.Retired)
		var names []string
		for n := range r.Sources {
			names = append(names, n)
		}
		sort.Strings(names)
		for i, n := range names {
			sep := ", "
			if i == 0 {
				sep = " from "
			}
			ew.printf("%s%s (%d)", sep, n, r.Sources[n])
		}
		ew.printf("\n")
		due := fmt.Sprintf("%d", r.DueNow)
		if r.New > 0 {
			due += fmt.Sprintf(" (%d never checked)", r.New)
		}
		if r.DueNow > r.MaxPerRun {
			due += fmt.Sprintf("; a run checks at most %d", r.MaxPerRun)
		}
		ew.printf("Due now:   %s\n", due)
		ew.printf("Due soon:  %d within an hour, %d within a day, %d within a week\n", r.DueHour, r.DueDay, r.DueWeek)
		if len(r.NextDue) == 0 {
			ew.printf("Next due:  nothing scheduled\n")
		} else {
			ew.printf("Next due:  %s", histTime(r.NextDue[0].Time))
			if upcoming > len(r.NextDue) {
				ew.printf(" (%d scheduled; the first %d below)", upcoming, len(r.NextDue))
			}
			ew.printf("\n")
			tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
			for _, d := range r.NextDue {
				fmt.Fprintf(tw, "  %s\t%s\n", histTime(d.Time), d.URL)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
		}
	}
	switch {
	case r.LastRun == nil:
		ew.printf("Last run:  none recorded in this repository\n")
	case r.LastRun.Error != "":
		ew.printf("Last run:  %s, failed: %s\n", histTime(r.LastRun.Finished), r.LastRun.Error)
	default:
		ew.printf("Last run:  %s, %s\n", histTime(r.LastRun.Finished), r.LastRun)
	}
	return ew.err
}
