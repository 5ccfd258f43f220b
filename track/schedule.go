package track

import (
	"cmp"
	"hash/fnv"
	"math"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/stet-archive/stet/extract"
)

// Schedule defaults, used for zero [Schedule] fields.
const (
	DefaultFirstInterval = 15 * time.Minute
	DefaultBackoff       = 1.5
	DefaultMaxInterval   = 7 * 24 * time.Hour
	DefaultRetireAfter   = 60 * 24 * time.Hour
	DefaultMaxFetches    = 500
)

// jitterShare is the largest share by which an article's interval is
// lengthened or shortened, so checks of articles first seen together
// spread over several runs.
const jitterShare = 0.10

// Schedule says when a tracked article is due again. Its zero value means
// the defaults: wait 15 minutes after first sight or a change, multiply
// the wait by 1.5 after each unchanged check up to 7 days, retire after
// 60 days without a change, fetch at most 500 articles per run and any
// number per host.
type Schedule struct {
	FirstInterval time.Duration // 0 means DefaultFirstInterval
	Backoff       float64       // factor after an unchanged check or a failure; 0 means DefaultBackoff
	MaxInterval   time.Duration // 0 means DefaultMaxInterval
	RetireAfter   time.Duration // 0 means DefaultRetireAfter; <0 never retires
	MaxFetches    int           // articles per run; 0 means DefaultMaxFetches, <0 no limit
	MaxPerHost    int           // articles per host per run; 0 means no limit
}

func (s Schedule) first() time.Duration {
	if s.FirstInterval <= 0 {
		return DefaultFirstInterval
	}
	return s.FirstInterval
}

func (s Schedule) backoff() float64 {
	if s.Backoff <= 0 {
		return DefaultBackoff
	}
	return s.Backoff
}

func (s Schedule) max() time.Duration {
	if s.MaxInterval <= 0 {
		return DefaultMaxInterval
	}
	return max(s.MaxInterval, s.first())
}

func (s Schedule) retireAfter() time.Duration {
	if s.RetireAfter == 0 {
		return DefaultRetireAfter
	}
	return s.RetireAfter
}

func (s Schedule) maxFetches() int {
	switch {
	case s.MaxFetches == 0:
		return DefaultMaxFetches
	case s.MaxFetches < 0:
		return math.MaxInt
	}
	return s.MaxFetches
}

// next returns the interval after one with no change (or a failure):
// interval times the backoff, at least the first interval and at most
// the maximum.
func (s Schedule) next(interval time.Duration) time.Duration {
	if interval <= 0 {
		return s.first()
	}
	n := time.Duration(float64(interval) * s.backoff())
	return min(max(n, s.first()), s.max())
}

// Record updates e after a check that ended in r at time now. New and
// changed versions reset the interval to FirstInterval; unchanged,
// suspect and skipped checks, and failures, back it off. A page found not
// to be an article ([extract.GateNotArticle]) before any version of it was
// kept is retired.
func (s Schedule) Record(e *Entry, r *Result, now time.Time) {
	e.LastChecked = now
	switch r.Status {
	case New, Changed:
		e.LastChanged = now
		e.Interval = s.first()
		e.Failures = 0
		if r.Replaced != "" {
			e.notePrior(r.Replaced, r.Version)
		}
		if r.Print != "" {
			e.Print = r.Print
		}
		if r.Version > 0 {
			e.Versions = r.Version
		} else {
			e.Versions++
		}
	case Unchanged:
		e.Failures = 0
		if e.Versions == 0 {
			// Another URL form of an article already in the archive.
			e.Versions = max(r.Version, 1)
		}
		e.Interval = s.next(e.Interval)
	case Failed:
		e.Failures++
		e.Interval = s.next(e.Interval)
	default: // Suspect, Skipped
		e.Interval = s.next(e.Interval)
		if r.Status == Suspect && r.Reason == extract.GateNotArticle && e.Versions == 0 {
			// A home, section or listing page that never gave an article:
			// stop checking it (stet fetch --force still archives it).
			e.Retired = true
		}
	}
	if r.Status != Failed {
		// A 304 carries the request's validators back (fetch.Page keeps
		// them); any other answer replaces them, with nothing when the
		// server sent none.
		e.ETag, e.LastModified = r.ETag, r.LastModified
	}
}

// Jitter is the factor, within 1 ± 10 %, by which u's interval is
// stretched: fixed per URL, so the same article is always early or late
// by the same share and articles found together spread out.
func Jitter(u string) float64 {
	h := fnv.New64a()
	h.Write([]byte(u))
	f := float64(h.Sum64()%20001)/10000 - 1 // [-1, 1]
	return 1 + jitterShare*f
}

// DueAt returns when e, tracked as u, is next due. A zero time means it
// has never been checked (a new article), which is due at once.
func (s Schedule) DueAt(u string, e *Entry) time.Time {
	if e.LastChecked.IsZero() {
		return time.Time{}
	}
	iv := e.Interval
	if iv <= 0 {
		iv = s.first()
	}
	return e.LastChecked.Add(time.Duration(float64(iv) * Jitter(u)))
}

// Retire reports whether e has gone RetireAfter without a change by now
// and should no longer be checked. Never-checked articles are not
// retired.
func (s Schedule) Retire(e *Entry, now time.Time) bool {
	ra := s.retireAfter()
	if ra < 0 || e.LastChecked.IsZero() {
		return false
	}
	since := e.LastChanged
	if since.IsZero() {
		since = e.FirstSeen
	}
	return !since.IsZero() && now.Sub(since) >= ra
}

// Why an article is in a plan.
const (
	ReasonNew    = "new"
	ReasonDue    = "due"
	ReasonForced = "forced"
)

// Planned is one article a pass will check, and why.
type Planned struct {
	URL    string    `json:"url"`
	Reason string    `json:"reason"`          // ReasonNew, ReasonDue or ReasonForced
	DueAt  time.Time `json:"due_at,omitzero"` // when it became due; zero for new articles
	Host   string    `json:"host"`
	// Disallowed is set by a dry run when robots.txt forbids the URL, so
	// the check would be skipped without a request.
	Disallowed bool `json:"disallowed,omitempty"`
}

// String says why, as `stet run --dry-run` prints it.
func (p Planned) String() string {
	s := p.Reason
	if p.Reason == ReasonDue {
		s = "due since " + p.DueAt.UTC().Format(time.RFC3339)
	}
	if p.Disallowed {
		s += ", disallowed by robots.txt"
	}
	return s
}

// Plan returns the articles of st to check at now: new ones first (in
// the order they were first seen), then due ones, most overdue first,
// within MaxFetches and MaxPerHost. With all set, every article that is
// not retired is due ("forced"). Plan also returns how many due articles
// the budgets left for a later run. It does not change st.
func (s Schedule) Plan(st *State, now time.Time, all bool) (plan []Planned, deferred int) {
	var fresh, due []Planned
	for u, e := range st.Entries {
		if e.Retired {
			continue
		}
		at := s.DueAt(u, e)
		if !at.IsZero() && at.After(now) && !all {
			continue // not due: the common case, so no URL parse
		}
		p := Planned{URL: u, Host: hostOf(u), DueAt: at}
		switch {
		case at.IsZero():
			p.Reason = ReasonNew
			p.DueAt = e.FirstSeen
			fresh = append(fresh, p)
		case !at.After(now):
			p.Reason = ReasonDue
			due = append(due, p)
		case all:
			p.Reason = ReasonForced
			due = append(due, p)
		}
	}
	slices.SortFunc(fresh, func(a, b Planned) int {
		return cmp.Or(a.DueAt.Compare(b.DueAt), strings.Compare(a.URL, b.URL))
	})
	slices.SortFunc(due, func(a, b Planned) int {
		return cmp.Or(a.DueAt.Compare(b.DueAt), strings.Compare(a.URL, b.URL))
	})
	for i := range fresh {
		fresh[i].DueAt = time.Time{}
	}
	budget := s.maxFetches()
	perHost := map[string]int{}
	for _, p := range append(fresh, due...) {
		if len(plan) >= budget || (s.MaxPerHost > 0 && perHost[p.Host] >= s.MaxPerHost) {
			deferred++
			continue
		}
		perHost[p.Host]++
		plan = append(plan, p)
	}
	return plan, deferred
}

func hostOf(u string) string {
	pu, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return strings.ToLower(pu.Host)
}
