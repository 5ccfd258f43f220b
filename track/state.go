package track

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/stet-archive/stet/archive"
)

// ErrCorruptState is wrapped by [DecodeState] when a state file cannot be
// read; a pass then rebuilds the state from the article history.
var ErrCorruptState = errors.New("track: corrupt schedule state")

// Entry is the schedule state of one tracked article, keyed in [State] by
// its canonical URL.
//
// Versions and Prior carry what a shallow clone's history cannot: the
// latest version number, and the blob hashes (their first [PriorHashLen]
// hex digits) of the versions before the latest, oldest first, the last
// one being version Versions-1, at most [MaxPrior] of them. With the tip
// tree, which holds the latest version's blob hash, they number the next
// version and tell a revert to an earlier one without any old commit.
type Entry struct {
	Source       string        `json:"source,omitempty"`        // the source that found it
	FirstSeen    time.Time     `json:"first_seen"`              // first discovered
	LastChecked  time.Time     `json:"last_checked,omitzero"`   // last fetch attempt; zero for new
	LastChanged  time.Time     `json:"last_changed,omitzero"`   // last new or changed version
	Interval     time.Duration `json:"interval,omitempty"`      // current wait between checks
	ETag         string        `json:"etag,omitempty"`          // validators for a conditional GET
	LastModified string        `json:"last_modified,omitempty"` //
	Failures     int           `json:"failures,omitempty"`      // failed checks in a row
	Aliases      []string      `json:"aliases,omitempty"`       // other URL forms, sorted
	Versions     int           `json:"versions,omitempty"`      // versions in the archive
	Prior        []string      `json:"prior,omitempty"`         // see below
	Retired      bool          `json:"retired,omitempty"`       // no longer checked
	Print        string        `json:"print,omitempty"`         // the page as the latest version saw it, see PagePrint
}

// PriorHashLen is how many hex digits of a version's blob hash
// [Entry.Prior] keeps: 64 bits, ample to tell the versions of one article
// apart, at a fifth of a full hash's bytes in the state.
const PriorHashLen = 16

// MaxPrior caps [Entry.Prior]: a revert to a version further back is not
// labelled in a shallow clone.
const MaxPrior = 32

// notePrior records that the version with blob hash replaced was replaced
// by version n (0: unknown, taken as Versions+1).
func (e *Entry) notePrior(replaced string, n int) {
	if n > 0 && n != e.Versions+1 {
		// The numbers jumped (the state lagged the history): what is
		// recorded no longer ends at version n-1.
		e.Prior = nil
	}
	e.Prior = append(e.Prior, replaced[:min(len(replaced), PriorHashLen)])
	if len(e.Prior) > MaxPrior {
		e.Prior = append([]string(nil), e.Prior[len(e.Prior)-MaxPrior:]...)
	}
}

// State is the schedule state of every tracked article. It is not safe
// for concurrent use.
type State struct {
	Entries map[string]*Entry // by canonical URL
	alias   map[string]string // alias → canonical URL

	// base is the files DecodeState read (nil for a new or rebuilt
	// state) and dirty the shard files of the entries touched since, so
	// that a pass re-encodes only those (see changedFiles): at a million
	// articles encoding every shard takes seconds.
	base  map[string][]byte
	dirty map[string]bool
}

// touch marks u's entry as changed since the state was decoded.
func (s *State) touch(u string) {
	if s.dirty == nil {
		s.dirty = map[string]bool{}
	}
	s.dirty[shard(u)] = true
}

// NewState returns an empty State.
func NewState() *State {
	return &State{Entries: map[string]*Entry{}, alias: map[string]string{}}
}

// Lookup returns the canonical URL and entry for u, which may be the
// canonical URL or a recorded alias. ok is false when u is not tracked.
func (s *State) Lookup(u string) (canonical string, e *Entry, ok bool) {
	if e, ok := s.Entries[u]; ok {
		return u, e, true
	}
	if c, ok := s.alias[u]; ok {
		if e, ok := s.Entries[c]; ok {
			return c, e, true
		}
	}
	return "", nil, false
}

// Add tracks u as a new article first seen at now, unless it (or an alias
// of it) is already tracked. It reports whether u was added.
func (s *State) Add(u, source string, now time.Time) bool {
	if _, _, ok := s.Lookup(u); ok {
		return false
	}
	s.Entries[u] = &Entry{Source: source, FirstSeen: now.UTC()}
	s.touch(u)
	return true
}

// Merge records that from is another URL of the article canonical: the
// entries are joined under canonical (the earliest first sight, the
// later check, the larger version count) and from becomes an alias.
// It returns the entry now under canonical.
func (s *State) Merge(from, canonical string) *Entry {
	if from == canonical {
		return s.Entries[canonical]
	}
	s.touch(from)
	s.touch(canonical)
	src := s.Entries[from]
	dst := s.Entries[canonical]
	switch {
	case dst == nil && src == nil:
		dst = &Entry{}
		s.Entries[canonical] = dst
	case dst == nil:
		dst = src
		s.Entries[canonical] = dst
	case src != nil && src != dst:
		if !src.FirstSeen.IsZero() && (dst.FirstSeen.IsZero() || src.FirstSeen.Before(dst.FirstSeen)) {
			dst.FirstSeen = src.FirstSeen
		}
		if dst.Source == "" {
			dst.Source = src.Source
		}
		if src.LastChecked.After(dst.LastChecked) {
			dst.LastChecked, dst.Interval = src.LastChecked, src.Interval
		}
		if src.LastChanged.After(dst.LastChanged) {
			dst.LastChanged = src.LastChanged
		}
		if src.Versions > dst.Versions {
			dst.Prior = src.Prior
		}
		dst.Versions = max(dst.Versions, src.Versions)
		for _, a := range src.Aliases {
			dst.addAlias(a)
		}
	}
	delete(s.Entries, from)
	dst.addAlias(from)
	for _, a := range dst.Aliases {
		s.alias[a] = canonical
	}
	return dst
}

func (e *Entry) addAlias(a string) {
	if i, found := slices.BinarySearch(e.Aliases, a); !found {
		e.Aliases = slices.Insert(e.Aliases, i, a)
	}
}

// shard returns the state file holding u: two hex digits of sha1(u) as
// "a/b.json". 256 files in 16 directories keep both costs small: a run
// that checks a few articles rewrites a few blobs of ~20 entries (for
// 5,000 articles) and trees of 16 entries, and a run that checks
// everything writes at most 273 objects.
func shard(u string) string {
	sum := sha1.Sum([]byte(u))
	h := hex.EncodeToString(sum[:1])
	return h[0:1] + "/" + h[1:2] + ".json"
}

// Files encodes s as state files for archive.WriteState. Encoding is
// deterministic: the same State gives the same bytes, keys sorted, times
// in UTC, so unchanged shards are byte-identical and not rewritten.
func (s *State) Files() map[string][]byte {
	return s.encode(nil)
}

// encode encodes the shards that only names (nil: all).
func (s *State) encode(only map[string]bool) map[string][]byte {
	groups := map[string]map[string]*Entry{}
	for u, e := range s.Entries {
		f := shard(u)
		if only != nil && !only[f] {
			continue
		}
		if groups[f] == nil {
			groups[f] = map[string]*Entry{}
		}
		groups[f][u] = e
	}
	out := make(map[string][]byte, len(groups))
	for f, g := range groups {
		out[f] = encodeShard(g)
	}
	return out
}

func encodeShard(g map[string]*Entry) []byte {
	var b bytes.Buffer
	b.WriteString("{\n")
	for i, u := range slices.Sorted(maps.Keys(g)) {
		k, _ := json.Marshal(u)
		v, err := json.Marshal(g[u].normal())
		if err != nil {
			panic(err) // Entry has only marshalable fields
		}
		b.Write(k)
		b.WriteString(": ")
		b.Write(v)
		if i < len(g)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// changedFiles returns the state files as [State.Files] would and whether
// they differ from those the state was decoded from. For a decoded state
// it re-encodes only the shards of entries touched since (Add, Merge and
// the pass's touch calls); any other change to an entry must be touched
// too, or it is not written.
func (s *State) changedFiles() (map[string][]byte, bool) {
	if s.base == nil {
		return s.Files(), true
	}
	if len(s.dirty) == 0 {
		return s.base, false
	}
	fresh := s.encode(s.dirty)
	out := maps.Clone(s.base)
	changed := false
	for f := range s.dirty {
		b, ok := fresh[f]
		switch {
		case !ok:
			if _, had := out[f]; had {
				delete(out, f)
				changed = true
			}
		case !bytes.Equal(b, out[f]):
			out[f] = b
			changed = true
		}
	}
	return out, changed
}

// normal returns a copy of e with times in UTC at second precision.
func (e *Entry) normal() Entry {
	c := *e
	for _, t := range []*time.Time{&c.FirstSeen, &c.LastChecked, &c.LastChanged} {
		if !t.IsZero() {
			*t = t.UTC().Truncate(time.Second)
		}
	}
	c.Interval = c.Interval.Truncate(time.Second)
	return c
}

// DecodeState reads the files written by [State.Files]. A file that is
// not valid state makes it return an error wrapping [ErrCorruptState].
//
// Shards are decoded in parallel, one goroutine per CPU: at a million
// articles decoding is most of a pass with nothing due.
func DecodeState(files map[string][]byte) (*State, error) {
	s := NewState()
	names := slices.DeleteFunc(slices.Sorted(maps.Keys(files)), func(f string) bool {
		return f == VolatileFile // learned rules beside the state (volatile.go)
	})
	groups := make([]map[string]*Entry, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(runtime.GOMAXPROCS(0), len(names)) {
		wg.Go(func() {
			for i := range next {
				errs[i] = json.Unmarshal(files[names[i]], &groups[i])
			}
		})
	}
	for i := range names {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, f := range names {
		if errs[i] != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrCorruptState, f, errs[i])
		}
		for u, e := range groups[i] {
			if e == nil || shard(u) != f {
				return nil, fmt.Errorf("%w: %s: misplaced entry %q", ErrCorruptState, f, u)
			}
			slices.Sort(e.Aliases) // Merge keeps them sorted
			e.Aliases = slices.Compact(e.Aliases)
			s.Entries[u] = e
			for _, a := range e.Aliases {
				s.alias[a] = u
			}
		}
	}
	s.base = files
	return s, nil
}

// Rebuild derives the state from the article history in arch: each
// article file's Stet-Url, its first version's Stet-Fetched as first
// seen, its last version's as last checked and last changed, and its
// version count. The interval restarts at first, so rebuilt articles
// are checked early rather than late.
func Rebuild(arch *archive.Archive, first time.Duration) (*State, error) {
	paths, err := arch.Paths()
	if err != nil {
		return nil, fmt.Errorf("rebuild state: %w", err)
	}
	s := NewState()
	for _, p := range paths {
		hist, err := arch.History(p)
		if err != nil {
			return nil, fmt.Errorf("rebuild state: history of %s: %w", p, err)
		}
		if len(hist) == 0 {
			continue
		}
		firstV, last := hist[0], hist[len(hist)-1]
		u := last.URL
		if u == "" {
			continue // not a stet article file
		}
		e := &Entry{
			FirstSeen:   fetched(firstV),
			LastChecked: fetched(last),
			LastChanged: fetched(last),
			Interval:    first,
			Versions:    max(last.N, len(hist)),
		}
		for i, v := range hist {
			if v.URL != "" && v.URL != u {
				e.addAlias(v.URL)
			}
			if i < len(hist)-1 && i >= len(hist)-1-MaxPrior && len(hist) == e.Versions {
				h, err := arch.FileHash(v.Commit, p)
				if err != nil {
					return nil, fmt.Errorf("rebuild state: %s: %w", p, err)
				}
				e.Prior = append(e.Prior, h[:min(len(h), PriorHashLen)])
			}
		}
		s.Entries[u] = e
		for _, a := range e.Aliases {
			s.alias[a] = u
		}
	}
	return s, nil
}

// fetched is a version's Stet-Fetched time, or its commit time.
func fetched(v archive.Version) time.Time {
	if t, err := time.Parse(time.RFC3339, v.Trailer("Stet-Fetched")); err == nil {
		return t.UTC()
	}
	return v.When.UTC()
}
