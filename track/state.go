package track

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/stet-archive/stet/archive"
)

// ErrCorruptState is wrapped by [DecodeState] when a state file cannot be
// read; a pass then rebuilds the state from the article history.
var ErrCorruptState = errors.New("track: corrupt schedule state")

// Entry is the schedule state of one tracked article, keyed in [State] by
// its canonical URL.
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
	Retired      bool          `json:"retired,omitempty"`       // no longer checked
}

// State is the schedule state of every tracked article. It is not safe
// for concurrent use.
type State struct {
	Entries map[string]*Entry // by canonical URL
	alias   map[string]string // alias → canonical URL
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
	groups := map[string]map[string]*Entry{}
	for u, e := range s.Entries {
		f := shard(u)
		if groups[f] == nil {
			groups[f] = map[string]*Entry{}
		}
		groups[f][u] = e
	}
	out := make(map[string][]byte, len(groups))
	for f, g := range groups {
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
		out[f] = b.Bytes()
	}
	return out
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
func DecodeState(files map[string][]byte) (*State, error) {
	s := NewState()
	for _, f := range slices.Sorted(maps.Keys(files)) {
		if f == VolatileFile {
			continue // learned rules beside the state (volatile.go)
		}
		var g map[string]*Entry
		if err := json.Unmarshal(files[f], &g); err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrCorruptState, f, err)
		}
		for u, e := range g {
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
		for _, v := range hist {
			if v.URL != "" && v.URL != u {
				e.addAlias(v.URL)
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
