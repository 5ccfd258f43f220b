package main

import (
	"context"
	"fmt"
	"time"

	"github.com/stet-archive/stet/archive"
	"github.com/stet-archive/stet/track"
)

// tipTime is the committer time of the branch tip before the pass; zero
// for an empty branch. Every commit another run pushes after this tip
// descends from it and is no older (archive.Push raises a replayed
// commit's time to its parent's).
func tipTime(arch *archive.Archive) time.Time {
	vs, err := arch.Recent(time.Time{}, 1)
	if err != nil || len(vs) == 0 {
		return time.Time{}
	}
	return vs[0].When
}

// reconcileState brings the schedule state's version counts in line
// with what reached the remote, after a push that replayed or dropped
// this run's commits. The pushed state counted the versions as this run
// numbered them locally, but another run's versions of the same article
// may have landed first (ours were renumbered after theirs), and a version
// the remote already had was dropped (the count went one too far); a
// shallow clone's next run has only the state to number from, and would
// reuse or skip a number. Every version committed since the tip the run
// started from is read from the branch (trailers only, a handful of
// commits): an article's count becomes its highest Stet-Version there, or,
// for a dropped version, the remote's version with the same bytes. The
// state is pushed again when a count changed. It reports whether it pushed.
func reconcileState(ctx context.Context, a *app, arch *archive.Archive, since time.Time, rep track.Report, landed map[string]archive.Landed, opts pushOptions) (bool, error) {
	vs, err := arch.Recent(since, 0)
	if err != nil {
		return false, fmt.Errorf("read the pushed versions: %w", err)
	}
	latest := map[string]int{} // URL → highest version since the start
	for _, v := range vs {
		if v.URL != "" && v.N > latest[v.URL] && !v.Rerender() {
			latest[v.URL] = v.N
		}
	}
	for _, r := range rep.Results {
		u := r.Canonical
		if u == "" {
			u = r.URL
		}
		if l, ok := landed[r.Commit]; ok && r.Commit != "" && l.Commit == "" && l.Version > 0 && latest[u] == 0 {
			latest[u] = l.Version // dropped: the remote's version with our bytes
		}
	}
	files, err := arch.ReadState()
	if err != nil || files == nil {
		return false, err
	}
	st, err := track.DecodeState(files)
	if err != nil {
		return false, err
	}
	fixed := 0
	for u, n := range latest {
		if _, e, ok := st.Lookup(u); ok && e.Versions != n {
			e.Versions = n
			// Prior lists the hashes of the versions before the latest as
			// this run saw them; the other run's are not in it.
			e.Prior = nil
			fixed++
		}
	}
	if fixed == 0 {
		return false, nil
	}
	a.logger.Info("state version counts set to the remote's", "articles", fixed)
	if err := arch.WriteState(st.Files(), a.env.now()); err != nil {
		return false, err
	}
	if _, err := pushOpen(ctx, a, arch, opts); err != nil {
		return false, err
	}
	return true, nil
}
