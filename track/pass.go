package track

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"sync"
	"time"

	"github.com/stet-archive/stet/archive"
	"github.com/stet-archive/stet/discover"
)

// DefaultWorkers is the number of articles a [Pass] checks at once when
// Workers is 0.
const DefaultWorkers = 4

// Pass is one tracking run: discover from every source, decide what is
// due, check it with a bounded worker pool, and keep the schedule state in
// the archive. Its fields are settings; per-run state lives in Run.
type Pass struct {
	Tracker    *Tracker              // checks and commits; its Archive holds the state
	Discoverer *discover.Discoverer  // nil means discover nothing (only tracked articles are checked)
	Sources    []discover.Source     //
	Schedule   Schedule              // zero means the defaults
	Workers    int                   // 0 means DefaultWorkers
	All        bool                  // check every article that is not retired, ignoring the schedule
	DryRun     bool                  // discover and plan only: fetch no article, commit nothing, write no state
	Logger     *slog.Logger          // nil discards
	Now        func() time.Time      // nil means time.Now; read once per run for the schedule
	Progress   func(done, total int) // when set, called after each check from Run's goroutine
}

// Report is what a pass did. Counts are of articles, except Discovered
// (candidate URLs from all sources) and SourceErrors.
type Report struct {
	Discovered   int       `json:"discovered"`
	Tracked      int       `json:"tracked"` // articles in the state after the run
	Planned      []Planned `json:"planned,omitempty"`
	Deferred     int       `json:"deferred"` // due but over a per-run budget
	Checked      int       `json:"checked"`
	New          int       `json:"new"`
	Changed      int       `json:"changed"`
	Unchanged    int       `json:"unchanged"`
	Suspect      int       `json:"suspect"`
	Failed       int       `json:"failed"`
	Skipped      int       `json:"skipped_by_robots"`
	Retired      int       `json:"retired"` // retired by this run
	SourceErrors []string  `json:"source_errors,omitempty"`
	Results      []Result  `json:"results,omitempty"`
	Rebuilt      bool      `json:"state_rebuilt,omitempty"`
	Interrupted  bool      `json:"interrupted,omitempty"`
}

func (p *Pass) logger() *slog.Logger {
	if p.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return p.Logger
}

// Run runs the pass. A bad source or a failed article does not stop it:
// source failures are listed in the Report, and the returned error is the
// errors.Join of the failed articles' errors. When ctx is cancelled Run
// checks no further article, lets the ones in hand finish, writes the
// state and returns ctx's error with the Report. The state is written
// once, at the end, and only when it changed; the work tree is synced
// once.
func (p *Pass) Run(ctx context.Context) (Report, error) {
	var rep Report
	if p.Tracker == nil || p.Tracker.Archive == nil {
		return rep, errors.New("track: Pass needs a Tracker with an Archive")
	}
	arch := p.Tracker.Archive
	log := p.logger()
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	start := now().UTC()

	if v := p.Tracker.Volatile; v != nil {
		v.BeginRun()
	}
	st, rebuilt, err := p.loadState(ctx)
	if err != nil {
		return rep, err
	}
	rep.Rebuilt = rebuilt
	var volBefore []byte
	if v := p.Tracker.Volatile; v != nil {
		volBefore = v.Encode()
	}
	if rebuilt && len(st.Entries) == 0 {
		st.base = map[string][]byte{} // nothing to write unless the pass adds something
	}

	// Discover.
	if p.Discoverer != nil {
		for _, src := range p.Sources {
			if ctx.Err() != nil {
				break
			}
			cands, err := p.Discoverer.Discover(ctx, src)
			if err != nil && ctx.Err() == nil {
				rep.SourceErrors = append(rep.SourceErrors, fmt.Sprintf("%s: %v", src.Name, err))
				log.Debug("source had errors", "source", src.Name, "err", err) // discover warned of each URL
			}
			rep.Discovered += len(cands)
			for _, c := range cands {
				st.Add(c.URL, c.Source, start)
			}
		}
	}

	// Retire, then plan.
	for u, e := range st.Entries {
		if !e.Retired && p.Schedule.Retire(e, start) {
			e.Retired = true
			st.touch(u)
			rep.Retired++
		}
	}
	plan, deferred := p.Schedule.Plan(st, start, p.All)
	rep.Planned, rep.Deferred = plan, deferred
	if p.DryRun {
		if c := p.Tracker.Client; c != nil {
			for i := range plan {
				if ok, err := c.Allowed(ctx, plan[i].URL); err == nil && !ok {
					plan[i].Disallowed = true
				}
			}
		}
		rep.Tracked = len(st.Entries)
		return rep, ctx.Err()
	}

	// Check with a bounded pool. Workers finish the article in hand after
	// ctx is cancelled (the fetch has its own timeout), so nothing is left
	// half done; the feeder stops handing out work.
	results := p.check(ctx, st, plan)
	var errs []error
	for i, r := range results {
		if r == nil {
			continue
		}
		rep.Checked++
		if p.record(st, plan[i].URL, r, now().UTC()) {
			rep.Retired++
		}
		switch r.Status {
		case New:
			rep.New++
		case Changed:
			rep.Changed++
		case Unchanged:
			rep.Unchanged++
		case Suspect:
			rep.Suspect++
		case Skipped:
			rep.Skipped++
		case Failed:
			rep.Failed++
			errs = append(errs, r.Err)
		}
		rep.Results = append(rep.Results, *r)
	}
	rep.Tracked = len(st.Entries)
	rep.Interrupted = ctx.Err() != nil

	// A rebuilt state is written even when nothing else changes, and so
	// are the volatility rules when the pass learned or forgot any.
	after, changed := st.changedFiles()
	if v := p.Tracker.Volatile; v != nil {
		after = p.withVolatile(maps.Clone(after))
		changed = changed || !bytes.Equal(volBefore, after[VolatileFile])
	}
	if changed {
		if err := arch.WriteState(after, now()); err != nil {
			return rep, fmt.Errorf("write state: %w", err)
		}
	}
	// Sync even when this pass committed nothing: an earlier pass killed
	// before its sync left commits that the work tree does not show yet,
	// and the sync is cheap when there is nothing to do. (Found by
	// cmd/stet TestCrashSafety: "git status" showed every file modified.)
	if err := arch.SyncWorktree(); err != nil {
		return rep, fmt.Errorf("update work tree: %w", err)
	}
	log.Info("pass done", "discovered", rep.Discovered, "checked", rep.Checked, "new", rep.New,
		"changed", rep.Changed, "unchanged", rep.Unchanged, "suspect", rep.Suspect,
		"failed", rep.Failed, "skipped", rep.Skipped, "retired", rep.Retired, "deferred", rep.Deferred)
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	return rep, errors.Join(errs...)
}

// ErrNoState is wrapped by [Pass.Run] when a shallow clone of an archive
// that has articles holds no readable schedule state and the remote has
// none either. Rebuilding it from the one commit such a clone has would
// restart every article's version count at 1, so the pass stops instead.
var ErrNoState = errors.New("track: no schedule state in this shallow clone, and none on the remote")

// hasArticles reports whether the branch tip holds an article file: a
// markdown file under a site directory, not one at the top (README.md) or
// under a dot-directory (.github/). The commit `stet init` makes has none,
// so the first run of a new archive does not need a state.
func hasArticles(arch *archive.Archive) (bool, error) {
	paths, err := arch.Paths()
	if err != nil {
		return false, err
	}
	for _, p := range paths {
		if archive.IsArticlePath(p) {
			return true, nil
		}
	}
	return false, nil
}

// loadState reads the state from the archive. A shallow clone without the
// state ref fetches it from the remote ([archive.Archive.FetchState]).
// When there is none, or it is corrupt, a complete clone rebuilds it from
// the article history; a shallow clone of a branch with commits cannot,
// and fails wrapping ErrNoState.
func (p *Pass) loadState(ctx context.Context) (*State, bool, error) {
	arch := p.Tracker.Archive
	files, err := arch.ReadState()
	shallow := arch.Shallow()
	if err == nil && files == nil && shallow {
		// A depth-1 checkout fetches one branch; the state is on the remote.
		ferr := arch.FetchState(ctx)
		switch {
		case ferr == nil:
			p.logger().Info("fetched schedule state from the remote")
			files, err = arch.ReadState()
		case errors.Is(ferr, archive.ErrNoRemoteState):
		default:
			return nil, false, fmt.Errorf("%w: %w", ErrNoState, ferr)
		}
	}
	if err == nil {
		files = p.loadVolatile(files)
	}
	why := "missing"
	if err == nil && files != nil {
		st, err := DecodeState(files)
		if err == nil {
			return st, false, nil
		}
		why = err.Error()
		p.logger().Warn("rebuilding corrupt state", "err", err)
	} else if err != nil {
		why = err.Error()
		p.logger().Warn("rebuilding unreadable state", "err", err)
	}
	if shallow {
		if has, err := hasArticles(arch); err != nil || has {
			return nil, false, fmt.Errorf("%w (state %s): fetch it with git fetch origin +%s:%s, or run stet once in a complete clone (git fetch --unshallow) to rebuild it from the history",
				ErrNoState, why, archive.StateRef, archive.StateRef)
		}
	}
	st, err := Rebuild(arch, p.Schedule.first())
	if err != nil {
		return nil, false, err
	}
	if len(st.Entries) > 0 {
		p.logger().Info("rebuilt state from history", "articles", len(st.Entries))
	}
	return st, true, nil
}

// check runs Tracker.Check over plan with the worker pool and returns the
// results in plan order, nil for the articles it did not get to because
// ctx was cancelled.
func (p *Pass) check(ctx context.Context, st *State, plan []Planned) []*Result {
	workers := p.Workers
	if workers <= 0 {
		workers = DefaultWorkers
	}
	type job struct {
		i   int
		req Request
	}
	type done struct {
		i int
		r Result
	}
	reqs := make([]Request, len(plan))
	var sites map[string]pagePrint
	if p.Tracker.Volatile != nil {
		urls := make([]string, len(plan))
		for i, pl := range plan {
			urls[i] = pl.URL
		}
		sites = sitePrints(st, urls)
	}
	for i, pl := range plan {
		reqs[i] = Request{URL: pl.URL, site: sites[siteOf(pl.URL)]}
		if _, e, ok := st.Lookup(pl.URL); ok {
			reqs[i].ETag, reqs[i].LastModified = e.ETag, e.LastModified
			reqs[i].Versions, reqs[i].Prior, reqs[i].Print = e.Versions, e.Prior, e.Print
		}
	}
	jobs := make(chan job)
	out := make(chan done)
	// Check gets a context that is not cancelled with ctx, so the article
	// in hand is finished and committed, or not, as a whole (the fetch
	// has its own timeout). Only the feeder watches ctx.
	inHand := context.WithoutCancel(ctx)
	var wg sync.WaitGroup
	for range min(workers, max(len(plan), 1)) {
		wg.Go(func() {
			for j := range jobs {
				out <- done{j.i, p.Tracker.Check(inHand, j.req)}
			}
		})
	}
	go func() {
		defer close(jobs)
		for i, r := range reqs {
			if ctx.Err() != nil {
				return
			}
			select {
			case <-ctx.Done():
				return
			case jobs <- job{i, r}:
			}
		}
	}()
	go func() {
		wg.Wait()
		close(out)
	}()
	results := make([]*Result, len(plan))
	n := 0
	for d := range out {
		results[d.i] = &d.r
		n++
		if p.Progress != nil {
			p.Progress(n, len(plan))
		}
	}
	return results
}

// record updates the state after the check of the article planned as u,
// and reports whether that retired it (a page found not to be an article).
func (p *Pass) record(st *State, u string, r *Result, now time.Time) (retired bool) {
	canon := u
	if r.Canonical != "" && r.Canonical != u {
		st.Merge(u, r.Canonical)
		canon = r.Canonical
	}
	key, e, ok := st.Lookup(canon)
	if !ok {
		key, e = canon, &Entry{FirstSeen: now}
		st.Entries[canon] = e
	}
	was := e.Retired
	p.Schedule.Record(e, r, now)
	st.touch(key)
	return e.Retired && !was
}
