package track

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/stet-archive/stet/archive"
	"github.com/stet-archive/stet/extract"
	"github.com/stet-archive/stet/fetch"
)

// VolatileFile is the file of the schedule state tree (refs/stet/state)
// that holds what [Volatility] learned, beside the state's shards.
const VolatileFile = "volatile.json"

// Defaults of [Volatility].
const (
	// DefaultLearnRuns is the number of a site's first runs in which every
	// new or changed article is fetched twice.
	DefaultLearnRuns = 2
	// DefaultVolatileExpiry is how long a rule lives without being seen
	// again, in a difference of two fetches or explaining one.
	DefaultVolatileExpiry = 60 * 24 * time.Hour
	// DefaultConfirmShare is the share of a site's checks, after its
	// learning runs, that may cost a confirming fetch: each check earns
	// the site that much credit, up to maxCredit, and a confirming fetch
	// spends one.
	DefaultConfirmShare = 0.04
	maxCredit           = 2
)

const (
	maxRulesPerSite = 500 // the oldest go first
	maxLearnWords   = 30  // longer lines are article text that extraction wobbled on, never rules
	maxSample       = 100
	maxDiffCells    = 4_000_000
)

// Volatility finds what changes on a site while its articles do not, by
// fetching a changed page a second time, and remembers it per site so that
// later runs need no second fetch. What it learns:
//
//   - line rules: the signature of a rendered line that differed between
//     two fresh fetches of one page: its text in lower case with every
//     token holding a digit as "#" ("updated # minutes ago"), and for a
//     line that is mostly links, its shape ("- [*](host/news/*)"), which
//     catches rotating lists whose every item is new;
//   - parameter rules: query keys whose values differed between two
//     fetches on URLs that were otherwise the same (?v=, ?_=, any name).
//
// Rules only ever decide that a difference between the last version and a
// fresh rendering is not an edit; a line both fetches agree on is always
// kept. The zero value is ready to use and learns in memory; the pass
// keeps it in the schedule state ([VolatileFile]). It is safe for
// concurrent use.
type Volatility struct {
	LearnRuns    int              // 0 means DefaultLearnRuns
	Expiry       time.Duration    // 0 means DefaultVolatileExpiry
	ConfirmShare float64          // 0 means DefaultConfirmShare; negative: no confirming fetch after the learning runs
	Now          func() time.Time // nil means time.Now

	mu    sync.Mutex
	sites map[string]*SiteRules
	run   map[string]*siteRun
	dirty bool
}

// SiteRules is what was learned about one site (keyed by host without
// "www.").
type SiteRules struct {
	Runs   int                  `json:"runs"`             // runs that checked the site
	Params map[string]time.Time `json:"params,omitempty"` // volatile query keys → last seen
	Lines  map[string]LineRule  `json:"lines,omitempty"`  // line signature hash → rule
	Credit float64              `json:"credit,omitempty"` // confirming fetches earned after the learning runs
	Echo   time.Time            `json:"echo,omitzero"`    // last seen: blocks repeating part of the article (pull quotes) come and go
	Tails  map[string]time.Time `json:"tails,omitempty"`  // headline tails by name ("site: latest news" for " — Site: latest news", see tailName) seen to change between fetches → last seen
	Links  map[string]time.Time `json:"links,omitempty"`  // link targets (host and first path segment) seen to come and go around the same words → last seen

	frags []fragment // the "fragment" rules, compiled
}

type fragment struct {
	key string
	re  *regexp.Regexp
	// contexts are the word sets of [LineRule.Context]; none means the
	// fragment applies in any line.
	contexts []map[string]bool
}

// applies reports whether the fragment f, which matches line, is the
// furniture of that line: a fragment learned inside a longer line ("our
// reporter has covered the region for # years") only applies in a line
// that shares most of its other words with one of the lines it was
// learned in. Its words alone ("for # years") also occur in the article's
// own sentences, where a changed number is an edit.
func (f fragment) applies(line string) bool {
	if len(f.contexts) == 0 {
		return true
	}
	words := contextWords(f.re.ReplaceAllString(line, " "))
	if len(words) == 0 {
		return true // the line is the fragment itself
	}
	return slices.ContainsFunc(f.contexts, func(c map[string]bool) bool {
		shared := 0
		for w := range words {
			if c[w] {
				shared++
			}
		}
		return 2*shared >= max(len(words), len(c))
	})
}

// contextWords returns the folded words of line that hold no digit.
func contextWords(line string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(line), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if !strings.ContainsFunc(w, unicode.IsDigit) {
			out[w] = true
		}
	}
	return out
}

// maxContexts is the most lines a fragment rule keeps as its context,
// and maxContextBytes the most of each line's words it keeps (some 90
// words: a longer line, cut, no longer shares half its words with it).
const (
	maxContexts     = 4
	maxContextBytes = 600
)

// addFragment records the fragment sig, learned inside line. A fragment
// with a number ("for # years") keeps the line's other words as one of
// its contexts, when it has any: a number changes in the article's own
// sentences too. One of words only ("Subscribe today for unlimited
// access.") applies in any line, since sites glue such furniture into
// whichever sentence ends a paragraph. v.mu is held.
func (v *Volatility) addFragment(rules *SiteRules, sig, line string, today time.Time) {
	v.addLine(rules, "fragment", sig, today)
	if !slices.Contains(strings.Fields(sig), "#") {
		return
	}
	k := sigKey("fragment", sig)
	r, ok := rules.Lines[k]
	re := fragmentRe(sig)
	if !ok || re == nil {
		return
	}
	words := contextWords(re.ReplaceAllString(line, " "))
	if len(words) == 0 {
		return
	}
	if f := newFragment(k, r, re); len(f.contexts) > 0 && f.applies(line) {
		return // a line like it is already a context
	}
	c := strings.Join(slices.Sorted(maps.Keys(words)), " ")
	if len(c) > maxContextBytes {
		c = strings.ToValidUTF8(c[:maxContextBytes], "")
	}
	r.Context = append(r.Context, c)
	if len(r.Context) > maxContexts {
		r.Context = r.Context[len(r.Context)-maxContexts:]
	}
	rules.Lines[k] = r // the callers compile the rules
	v.dirty = true
}

// newFragment is the compiled fragment rule r, of key k, whose
// signature's expression is re.
func newFragment(k string, r LineRule, re *regexp.Regexp) fragment {
	f := fragment{key: k, re: re}
	for _, c := range r.Context {
		f.contexts = append(f.contexts, contextWords(c))
	}
	return f
}

// compile rebuilds the regular expressions of the fragment rules.
func (s *SiteRules) compile() {
	s.frags = s.frags[:0]
	for _, k := range slices.Sorted(maps.Keys(s.Lines)) {
		if r := s.Lines[k]; r.Kind == "fragment" {
			if re := fragmentRe(r.Sample); re != nil {
				s.frags = append(s.frags, newFragment(k, r, re))
			}
		}
	}
}

// fragmentRe matches the templated fragment sig ("# minutes ago") as
// whole words in a line, "#" standing for any token with a digit.
func fragmentRe(sig string) *regexp.Regexp {
	var parts []string
	for _, tok := range strings.Fields(sig) {
		if tok == "#" {
			parts = append(parts, `\S*\d\S*`)
		} else {
			parts = append(parts, regexp.QuoteMeta(tok))
		}
	}
	if len(parts) == 0 {
		return nil
	}
	// Emphasis marks may wrap the fragment ("*Sign up now.*").
	re, err := regexp.Compile(`(?i)(?:^|[\s*_])` + strings.Join(parts, `[\s*_]+`) + `(?:[\s*_]|$)`)
	if err != nil {
		return nil
	}
	return re
}

// LineRule is one learned volatile line signature.
type LineRule struct {
	Kind   string    `json:"kind"`           // "text" (digits as #), "shape" (a line of links), "fragment" (words inside a line), "label" (the words leading a line to a colon), "cards" (a run of other stories' cards, by its headings' level) or "line" (a long line whose presence wobbles)
	Seen   time.Time `json:"seen"`           // last learned or used, day precision
	Hits   int       `json:"hits,omitempty"` // differences it explained, at most 1000
	Sample string    `json:"sample"`         // the signature, cut to 100 bytes, for people
	// Context holds, for a fragment learned inside a longer line, the
	// words of the lines around it (see [fragmentContext]): the rule only
	// applies in a line like one of them.
	Context []string `json:"context,omitempty"`
}

// use marks the rule k as having explained a difference today.
func (v *Volatility) use(rules *SiteRules, k string) {
	r := rules.Lines[k]
	r.Seen = v.today()
	r.Hits = min(r.Hits+1, 1000)
	rules.Lines[k] = r
	v.dirty = true
}

type siteRun struct{ checks, extra int }

// VolatileStats counts the fetches of the current run.
type VolatileStats struct {
	Checks int // articles checked with the rules
	Extra  int // confirming fetches
}

func (v *Volatility) now() time.Time {
	if v.Now == nil {
		return time.Now()
	}
	return v.Now()
}

func (v *Volatility) today() time.Time { return v.now().UTC().Truncate(24 * time.Hour) }

func (v *Volatility) learnRuns() int {
	if v.LearnRuns <= 0 {
		return DefaultLearnRuns
	}
	return v.LearnRuns
}

func (v *Volatility) expiry() time.Duration {
	if v.Expiry <= 0 {
		return DefaultVolatileExpiry
	}
	return v.Expiry
}

// Load replaces the rules with those encoded in b (the bytes of
// [VolatileFile]); nil b means none. Expired rules are dropped.
func (v *Volatility) Load(b []byte) error {
	sites := map[string]*SiteRules{}
	if len(b) > 0 {
		if err := json.Unmarshal(b, &sites); err != nil {
			return fmt.Errorf("read %s: %w", VolatileFile, err)
		}
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	for h, s := range sites {
		if s == nil {
			delete(sites, h)
		}
	}
	v.sites = sites
	v.expire()
	for _, s := range sites {
		s.compile()
	}
	v.dirty = false
	return nil
}

// Encode returns the rules as the bytes of [VolatileFile], deterministic
// (sorted keys), or nil when nothing has been learned.
func (v *Volatility) Encode() []byte {
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.sites) == 0 {
		return nil
	}
	b, err := json.MarshalIndent(v.sites, "", " ")
	if err != nil {
		panic(err) // only marshalable fields
	}
	return append(b, '\n')
}

// Sites returns a copy of the rules, by site.
func (v *Volatility) Sites() map[string]SiteRules {
	v.mu.Lock()
	defer v.mu.Unlock()
	out := make(map[string]SiteRules, len(v.sites))
	for h, s := range v.sites {
		out[h] = SiteRules{Runs: s.Runs, Params: maps.Clone(s.Params), Lines: maps.Clone(s.Lines), Credit: s.Credit, Echo: s.Echo, Tails: maps.Clone(s.Tails), Links: maps.Clone(s.Links)}
	}
	return out
}

// Reset forgets what was learned about host, or about every site when
// host is "". It reports whether anything was forgotten.
func (v *Volatility) Reset(host string) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	if host == "" {
		n := len(v.sites)
		v.sites = map[string]*SiteRules{}
		return n > 0
	}
	h := siteKey(host)
	_, ok := v.sites[h]
	delete(v.sites, h)
	return ok
}

// BeginRun starts a run: every site checked from now on counts one more
// run, and the confirming-fetch budget starts again.
func (v *Volatility) BeginRun() {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.run = nil
	v.expire()
}

// Stats returns the counts of the current run.
func (v *Volatility) Stats() VolatileStats {
	v.mu.Lock()
	defer v.mu.Unlock()
	var s VolatileStats
	for _, r := range v.run {
		s.Checks += r.checks
		s.Extra += r.extra
	}
	return s
}

// expire drops rules not seen within the expiry. v.mu is held.
func (v *Volatility) expire() {
	cut := v.now().Add(-v.expiry())
	for _, s := range v.sites {
		for k, t := range s.Params {
			if t.Before(cut) {
				delete(s.Params, k)
				v.dirty = true
			}
		}
		for k, t := range s.Tails {
			if t.Before(cut) {
				delete(s.Tails, k)
				v.dirty = true
			}
		}
		for k, t := range s.Links {
			if t.Before(cut) {
				delete(s.Links, k)
				v.dirty = true
			}
		}
		if !s.Echo.IsZero() && s.Echo.Before(cut) {
			s.Echo = time.Time{}
			v.dirty = true
		}
		n := len(s.Lines)
		for k, r := range s.Lines {
			if r.Seen.Before(cut) {
				delete(s.Lines, k)
			}
		}
		if len(s.Lines) != n {
			s.compile()
			v.dirty = true
		}
	}
}

// siteKey is the host a site's rules are kept under: lower case, without
// "www.".
func siteKey(host string) string {
	return strings.TrimPrefix(strings.ToLower(host), "www.")
}

// siteOf is the site key of the absolute URL u, "" when it has none.
func siteOf(u string) string {
	// Read without parsing the whole URL: a pass asks it of every
	// article in the state ([sitePrints]).
	_, rest, ok := strings.Cut(u, "://")
	if !ok {
		return ""
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		rest = rest[i+1:]
	}
	return siteKey(rest)
}

// site returns host's rules, creating them. v.mu is held.
func (v *Volatility) site(host string) *SiteRules {
	host = siteKey(host)
	if v.sites == nil {
		v.sites = map[string]*SiteRules{}
	}
	s := v.sites[host]
	if s == nil {
		s = &SiteRules{}
		v.sites[host] = s
	}
	return s
}

// begin counts one check of host and reports whether the site is in its
// learning runs; after them, the check earns the site ConfirmShare of a
// confirming fetch.
func (v *Volatility) begin(host string) (learning bool) {
	host = siteKey(host)
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.run == nil {
		v.run = map[string]*siteRun{}
	}
	r := v.run[host]
	s := v.site(host)
	if r == nil {
		r = &siteRun{}
		v.run[host] = r
		s.Runs++
		v.dirty = true
	}
	r.checks++
	learning = s.Runs <= v.learnRuns()
	if share := v.confirmShare(); !learning && share > 0 && s.Credit < maxCredit {
		s.Credit = min(float64(maxCredit), math.Round((s.Credit+share)*1000)/1000)
		v.dirty = true
	}
	return learning
}

func (v *Volatility) confirmShare() float64 {
	if v.ConfirmShare == 0 {
		return DefaultConfirmShare
	}
	return v.ConfirmShare
}

// mayConfirm reports whether a confirming fetch may be made for a check
// of host: always in the site's learning runs, else for a change when the
// site has a whole fetch of credit. It counts the fetch when so.
func (v *Volatility) mayConfirm(host string, learning, isNew bool) bool {
	host = siteKey(host)
	v.mu.Lock()
	defer v.mu.Unlock()
	r := v.run[host]
	if r == nil {
		return false
	}
	ok := learning
	if s := v.site(host); !ok && !isNew && s.Credit >= 1 {
		s.Credit--
		ok = true
	}
	if ok {
		r.extra++
	}
	return ok
}

// linkRe matches a markdown link or image: [text](url) or ![alt](url).
var linkRe = regexp.MustCompile(`(!?)\[((?:[^\]\\]|\\.)*)\]\(([^()\s]*)\)`)

// digitToken matches a run of non-space characters holding a digit.
var digitToken = regexp.MustCompile(`\S*\d\S*`)

// listMarker matches the marker that starts a list item or quote line.
var listMarker = regexp.MustCompile(`^(?:[-*+]|\d+[.)]|>)\s+`)

// sigs returns the line's text signature and, when the line is mostly
// links, its shape signature ("" otherwise). Lines are taken after
// [Volatility.canon].
func sigs(line string) (text, shape string) {
	t := strings.Join(strings.Fields(strings.ToLower(line)), " ")
	text = digitToken.ReplaceAllString(strings.Join(plainWords(t), " "), "#")
	body := t
	marker := ""
	if m := listMarker.FindString(body); m != "" {
		marker, body = "- ", body[len(m):]
	}
	links := linkRe.FindAllStringSubmatchIndex(body, -1)
	if len(links) == 0 {
		return text, ""
	}
	var b strings.Builder
	b.WriteString(marker)
	rest := 0
	outside := 0
	for _, l := range links {
		if body[l[2]:l[3]] == "!" {
			return text, "" // images are matched by their text signature only
		}
		gap := body[rest:l[0]]
		outside += len(strings.Fields(gap))
		b.WriteString(digitToken.ReplaceAllString(strings.Join(strings.Fields(gap), " "), "#"))
		b.WriteString("[*](" + urlShape(body[l[6]:l[7]]) + ")")
		rest = l[1]
	}
	gap := body[rest:]
	outside += len(strings.Fields(gap))
	b.WriteString(digitToken.ReplaceAllString(strings.Join(strings.Fields(gap), " "), "#"))
	if outside > 3 {
		return text, ""
	}
	return text, b.String()
}

// siteShape returns the coarse shape of a line that is one link and
// nothing else, as a list item or a paragraph: its marker and the link's
// host ("- [*](host)"), "" for any other line. A rotating block of the
// site's other stories links into several sections (/world/…,
// /2026/11/…), so the shape by first path segment learns each apart, and
// a block that the extraction takes in only now and then shows a section
// it has not shown before; the site's own headlines coming and going is
// what two fetches showed.
func siteShape(line string) string {
	t := strings.TrimSpace(line)
	marker := ""
	if m := listMarker.FindString(t); m != "" {
		marker, t = "- ", t[len(m):]
	}
	l := linkRe.FindStringSubmatchIndex(t)
	if l == nil || l[0] != 0 || l[1] != len(t) || t[l[2]:l[3]] == "!" {
		return ""
	}
	u, err := url.Parse(t[l[6]:l[7]])
	if err != nil || u.Host == "" {
		return ""
	}
	return marker + "[*](" + siteKey(u.Host) + ")"
}

// urlShape is a URL reduced to host and first path segment: what the
// links of one rotating list share while every item is new.
func urlShape(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "?"
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	first := digitToken.ReplaceAllString(segs[0], "#")
	if len(segs) > 1 {
		first += "/*"
	}
	return siteKey(u.Host) + "/" + first
}

func sigKey(kind, sig string) string {
	sum := sha1.Sum([]byte(kind + "\x00" + sig))
	return kind[:1] + hex.EncodeToString(sum[:8])
}

// canon rewrites a line for comparison: images by their identity
// ([extract.ImageKey]) and links without the site's volatile query keys.
// rules may be nil. v.mu is held.
func canon(line string, rules *SiteRules) string {
	if rules != nil && len(rules.frags) > 0 {
		cut := false
		for _, f := range rules.frags {
			if f.re.MatchString(line) && f.applies(line) {
				line, cut = f.re.ReplaceAllString(line, " "), true
			}
		}
		if cut {
			line = strings.Join(strings.Fields(line), " ")
			if !strings.ContainsFunc(line, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
				return "" // only the marks around fragments were left
			}
		}
	}
	if !strings.Contains(line, "](") {
		return line
	}
	return linkRe.ReplaceAllStringFunc(line, func(m string) string {
		sub := linkRe.FindStringSubmatch(m)
		if sub[1] == "!" {
			return "![" + sub[2] + "](" + extract.ImageKey(sub[3]) + ")"
		}
		if rules != nil && len(rules.Links) > 0 {
			if _, ok := rules.Links[linkPrefix(sub[3])]; ok {
				return sub[2] // an auto-linker's link: the words are the text
			}
		}
		return "[" + sub[2] + "](" + stripParams(sub[3], rules) + ")"
	})
}

// linkPrefix returns the host and first path segment of a link target
// ("news.example.com/topic/"), "" when it has no host or no segment
// below the first: a rule never covers a whole site's links.
func linkPrefix(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	first, rest, ok := strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
	if !ok || first == "" || rest == "" {
		return ""
	}
	return strings.ToLower(strings.TrimPrefix(u.Host, "www.")) + "/" + first + "/"
}

// unlinked returns line with each link (not an image) replaced by its
// words.
func unlinked(line string) string {
	return linkRe.ReplaceAllStringFunc(line, func(m string) string {
		sub := linkRe.FindStringSubmatch(m)
		if sub[1] == "!" {
			return m
		}
		return sub[2]
	})
}

// learnLinks pairs the lines of lines (only one of two fresh renderings
// has each) that are the same words with links set around other words
// or none (a site's auto-linker picks other words on each request), and
// learns the targets of the links only one of each pair has, by host and
// first path segment ([linkPrefix]), as link rules: [canon] then reads
// those links as their words. It returns the lines it did not explain.
// v.mu is held.
func (v *Volatility) learnLinks(rules *SiteRules, lines []string, today time.Time) []string {
	byText := map[string][]int{}
	for i, l := range lines {
		if strings.TrimSpace(l) != "" {
			byText[unlinked(l)] = append(byText[unlinked(l)], i)
		}
	}
	used := make([]bool, len(lines))
	for _, idx := range byText {
		if len(idx) != 2 {
			continue
		}
		a, b := lines[idx[0]], lines[idx[1]]
		targets := map[string]int{}
		for _, m := range linkRe.FindAllStringSubmatch(a, -1) {
			if m[1] == "" {
				targets[m[3]]++
			}
		}
		for _, m := range linkRe.FindAllStringSubmatch(b, -1) {
			if m[1] == "" {
				targets[m[3]]--
			}
		}
		var learned []string
		for t, n := range targets {
			if n == 0 {
				continue
			}
			p := linkPrefix(t)
			if p == "" {
				learned = nil
				break
			}
			learned = append(learned, p)
		}
		if len(learned) == 0 {
			continue
		}
		if rules.Links == nil {
			rules.Links = map[string]time.Time{}
		}
		for _, p := range learned {
			if t, ok := rules.Links[p]; !ok || t.Before(today) {
				rules.Links[p] = today
				v.dirty = true
			}
		}
		used[idx[0]], used[idx[1]] = true, true
	}
	var out []string
	for i, l := range lines {
		if !used[i] {
			out = append(out, l)
		}
	}
	return out
}

// stripParams removes the query keys and path parameters rules holds as
// volatile from raw.
func stripParams(raw string, rules *SiteRules) string {
	if rules == nil || len(rules.Params) == 0 || !strings.ContainsAny(raw, "?;") {
		return raw
	}
	base, q, hasQ := strings.Cut(raw, "?")
	if strings.Contains(base, ";") {
		segs := strings.Split(base, "/")
		for i, seg := range segs {
			name, params, ok := strings.Cut(seg, ";")
			if !ok {
				continue
			}
			kept := []string{name}
			for part := range strings.SplitSeq(params, ";") {
				k, _, _ := strings.Cut(part, "=")
				if _, ok := rules.Params[";"+strings.ToLower(k)]; !ok {
					kept = append(kept, part)
				}
			}
			segs[i] = strings.Join(kept, ";")
		}
		base = strings.Join(segs, "/")
	}
	if !hasQ {
		return base
	}
	var kept []string
	for part := range strings.SplitSeq(q, "&") {
		k, _, _ := strings.Cut(part, "=")
		if _, ok := rules.Params[strings.ToLower(k)]; ok {
			continue
		}
		kept = append(kept, part)
	}
	if len(kept) == 0 {
		return base
	}
	return base + "?" + strings.Join(kept, "&")
}

// bareURL is raw without its query and path parameters: what two links
// that differ only in those share.
func bareURL(raw string) string {
	u, _, _ := strings.Cut(raw, "?")
	if !strings.Contains(u, ";") {
		return u
	}
	segs := strings.Split(u, "/")
	for i, seg := range segs {
		segs[i], _, _ = strings.Cut(seg, ";")
	}
	return strings.Join(segs, "/")
}

// volatileLine reports whether line matches a line rule, and marks the
// rule used when use is set. v.mu is held.
func (v *Volatility) volatileLine(rules *SiteRules, line string, use bool) bool {
	if rules == nil || len(rules.Lines) == 0 || strings.TrimSpace(line) == "" {
		return false
	}
	if use {
		for _, f := range rules.frags {
			if f.re.MatchString(line) && f.applies(line) {
				v.use(rules, f.key)
			}
		}
	}
	c := canon(line, rules)
	if strings.TrimSpace(c) == "" {
		return true // all of it is fragments
	}
	text, shape := sigs(c)
	keys := []string{sigKey("text", text)}
	if shape != "" {
		keys = append(keys, sigKey("shape", shape))
	}
	keys = append(keys, sigKey("line", c))
	if lab := lineLabel(c); lab != "" {
		keys = append(keys, sigKey("label", lab))
	}
	if shape != "" {
		if site := siteShape(c); site != "" {
			keys = append(keys, sigKey("shape", site))
		}
	}
	for _, k := range keys {
		if _, ok := rules.Lines[k]; ok {
			if use {
				v.use(rules, k)
			}
			return true
		}
	}
	return false
}

// learn records what differs between two fresh readings ra and rb of one
// page of host: query keys whose values differ on otherwise equal lines,
// then the signatures of the lines only one of them has. isNew is set
// for the fetches of a new article.
func (v *Volatility) learn(host string, ra, rb reading, isNew bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	rules := v.site(host)
	today := v.today()
	a, b := splitLines(ra.md), splitLines(rb.md)
	v.learnTails(rules, a, b, today)
	onlyA, onlyB := differing(a, b)
	// The headline lines teach tails, never line rules: a rule that
	// matched a headline would hide its next edit.
	onlyA = slices.DeleteFunc(onlyA, func(l string) bool { return headLine(a, l) })
	onlyB = slices.DeleteFunc(onlyB, func(l string) bool { return headLine(b, l) })
	// A block repeating part of another (a pull quote) that one fetch
	// has and the other not: the site's echoes come and go.
	if ea, eb := echoes(a, ra.page), echoes(b, rb.page); slices.ContainsFunc(onlyA, func(l string) bool { return ea[l] }) || slices.ContainsFunc(onlyB, func(l string) bool { return eb[l] }) {
		onlyA = slices.DeleteFunc(onlyA, func(l string) bool { return ea[l] })
		onlyB = slices.DeleteFunc(onlyB, func(l string) bool { return eb[l] })
		if rules.Echo.Before(today) {
			rules.Echo = today
			v.dirty = true
		}
	}
	// A line one fetch has with a pull quote set inside it, the other
	// without, or with another: the site's echoes come and go.
	var found bool
	if onlyA, onlyB, found = withoutInlineEchoes(onlyA, onlyB, echoText(a), echoText(b), ra.page, rb.page); found {
		if rules.Echo.Before(today) {
			rules.Echo = today
			v.dirty = true
		}
	}
	// Lines equal but for their queries and path parameters teach
	// parameter rules.
	bare := func(l string) string {
		return linkRe.ReplaceAllStringFunc(l, func(m string) string {
			sub := linkRe.FindStringSubmatch(m)
			return sub[1] + "[" + sub[2] + "](" + bareURL(sub[3]) + ")"
		})
	}
	byBare := map[string]string{}
	for _, l := range onlyB {
		byBare[bare(l)] = l
	}
	var rest []string
	for _, l := range onlyA {
		m, ok := byBare[bare(l)]
		if !ok || !v.learnParams(rules, l, m, today) {
			rest = append(rest, l)
		}
	}
	for _, l := range onlyB {
		if _, ok := byBare[bare(l)]; ok && slices.ContainsFunc(onlyA, func(x string) bool { return bare(x) == bare(l) }) {
			continue
		}
		rest = append(rest, l)
	}
	// A line of article text one reading has and the other left out,
	// though its page holds it: the reading wobbled, not the page. In a
	// new article only that exact line is the rule (its presence
	// wobbles), never its signature, so that an edit to it, a number
	// included, is still an edit. In a change it is no rule: the page is
	// its witness (see commonOnPage), and its wobble is told from an edit
	// by the page itself (stillOnPage) and by the last version's page
	// (PagePrint).
	// Lines equal but for the words an auto-linker linked teach link
	// rules. Their words are on both pages, so this comes first.
	rest = v.learnLinks(rules, rest, today)
	onA, onB := onPage(a, rb.page), onPage(b, ra.page)
	rest = slices.DeleteFunc(rest, func(l string) bool {
		if onA[l] || onB[l] {
			if isNew {
				v.addLine(rules, "line", canon(l, rules), today)
			}
			return true
		}
		return false
	})
	v.learnCards(rules, a, b, rest, today)
	rest = v.learnFragments(rules, rest, today)
	v.learnLabels(rules, rest, onlyA, today)
	for _, l := range rest {
		switch {
		case strings.TrimSpace(l) == "":
		case len(strings.Fields(l)) > maxLearnWords:
			// Article text one extraction has and the other not: its
			// presence wobbles. Only this exact line is a rule, so an
			// edit to it is still seen.
			v.addLine(rules, "line", canon(l, rules), today)
		default:
			v.learnLine(rules, l, today)
		}
	}
	rules.compile()
}

// Fragment learning: limits of the lines and fragments it works on.
const (
	minFragmentLine = 9  // shorter lines are learned whole
	maxFragment     = 15 // words; a longer difference is not furniture inside a line
)

// learnFragments pairs the long lines of lines (only one of two fresh
// renderings has each) that are the same line but for a few words, and
// learns those words as fragment rules: furniture glued into a sentence
// ("Support independent reporting."). It returns the lines it did not
// explain. v.mu is held.
func (v *Volatility) learnFragments(rules *SiteRules, lines []string, today time.Time) []string {
	used := make([]bool, len(lines))
	for i := range lines {
		wi := plainWords(lines[i])
		if used[i] || len(wi) < minFragmentLine {
			continue
		}
		best, bestCommon := -1, 0
		for j := i + 1; j < len(lines); j++ {
			wj := plainWords(lines[j])
			if used[j] || len(wj) < minFragmentLine {
				continue
			}
			pre, suf := commonEnds(wi, wj)
			if c := pre + suf; c > bestCommon && 2*c >= min(len(wi), len(wj)) {
				best, bestCommon = j, c
			}
		}
		if best < 0 {
			continue
		}
		if ti, _ := sigs(lines[i]); len(wi) <= maxLearnWords && func() bool { tj, _ := sigs(lines[best]); return ti == tj }() {
			// A short line whose numbers alone differ ("Join 2,733
			// readers who get our briefing") is learned whole, as its
			// text signature: a fragment would leave the rest of it.
			continue
		}
		wj := plainWords(lines[best])
		fi, fj := fragments(wi, wj)
		if !fragmentOK(fi) || !fragmentOK(fj) || len(fi)+len(fj) == 0 {
			continue
		}
		for k, f := range [][]string{fi, fj} {
			if len(f) > 0 {
				v.addFragment(rules, digitToken.ReplaceAllString(strings.ToLower(strings.Join(f, " ")), "#"), lines[[]int{i, best}[k]], today)
			}
		}
		used[i], used[best] = true, true
	}
	var rest []string
	for i, l := range lines {
		if !used[i] {
			rest = append(rest, l)
		}
	}
	return rest
}

// fragments returns the words in which two variants of a line differ.
// A difference in numbers alone ("49" and "35") takes in the words
// around it ("vor 49 Minuten"), so that the rule names the place rather
// than every number.
func fragments(a, b []string) (fa, fb []string) {
	pre, suf := commonEnds(a, b)
	for i := 0; i < 2 && (!hasWord(a[pre:len(a)-suf]) || !hasWord(b[pre:len(b)-suf])); i++ {
		if pre > 0 {
			pre--
		}
		if suf > 0 {
			suf--
		}
	}
	return a[pre : len(a)-suf], b[pre : len(b)-suf]
}

// hasWord reports whether words holds a word of letters without digits.
func hasWord(words []string) bool {
	for _, w := range words {
		if !strings.ContainsFunc(w, unicode.IsDigit) && strings.ContainsFunc(w, unicode.IsLetter) {
			return true
		}
	}
	return false
}

// fragmentOK reports whether words may be learned as a fragment: at most
// maxFragment words, none of them markdown syntax, and, when there are
// any, one word of letters, so that a changed number alone ("5" → "7")
// never becomes a rule that hides every number.
func fragmentOK(words []string) bool {
	if len(words) > maxFragment {
		return false
	}
	letters := len(words) == 0
	for _, w := range words {
		if strings.ContainsAny(w, "[]()") {
			return false
		}
		if !strings.ContainsFunc(w, unicode.IsDigit) && strings.ContainsFunc(w, unicode.IsLetter) {
			letters = true
		}
	}
	return letters
}

// plainWords returns the words of line without the emphasis marks around
// them ("*Sign up now.*" is "Sign", "up", "now."), as signatures and
// fragments compare them: a site sets the same furniture in italics in
// one place and plain in another.
func plainWords(line string) []string {
	var out []string
	for _, w := range strings.Fields(line) {
		if w = strings.Trim(w, "*_"); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// commonEnds returns the number of equal words at the start and, after
// them, at the end of a and b.
func commonEnds(a, b []string) (pre, suf int) {
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	return pre, suf
}

// maxLabelWords is how many words may lead a line up to its label's
// colon ("Watch:", "Read more:", "Photos from the scene:").
const maxLabelWords = 4

// lineLabel returns the label that leads the short line c (canon): its
// first words up to one ending in a colon, in lower case with digits as
// "#", with the line's block kind in front ("paragraph watch:"); "" when
// it has none, has nothing after it, or is no short line.
func lineLabel(c string) string {
	w := plainWords(strings.ToLower(c))
	if len(w) > maxLearnWords || strings.Contains(c, "](") {
		return ""
	}
	start := 0
	if listMarker.MatchString(c) {
		start = 1
	}
	for i := start; i < min(len(w)-1, start+maxLabelWords); i++ {
		if strings.HasSuffix(w[i], ":") && !strings.Contains(w[i], "://") {
			label := digitToken.ReplaceAllString(strings.Join(w[start:i+1], " "), "#")
			if !strings.ContainsFunc(label, unicode.IsLetter) {
				return ""
			}
			return blockKind(c) + " " + label
		}
	}
	return ""
}

// learnLabels learns the labels ([lineLabel]) that lead a line of each of
// two fresh readings where the lines differ (rest, the lines that only
// one reading has and its page does not hold; onlyA, those of the first
// reading): the line after the label is another on every request (a video
// card's "Watch: …" caption), so that no signature of its words repeats,
// while the label does. A label seen on one side only is a line that came
// or went, not one that rotated, and teaches nothing. v.mu is held.
func (v *Volatility) learnLabels(rules *SiteRules, rest, onlyA []string, today time.Time) {
	inA := map[string]bool{}
	for _, l := range onlyA {
		inA[l] = true
	}
	sides := map[string]int{}
	for _, l := range rest {
		if lab := lineLabel(canon(l, rules)); lab != "" {
			if inA[l] {
				sides[lab] |= 1
			} else {
				sides[lab] |= 2
			}
		}
	}
	for _, lab := range slices.Sorted(maps.Keys(sides)) {
		if sides[lab] == 3 {
			v.addLine(rules, "label", lab, today)
		}
	}
}

// Cards of other stories: limits of their headings and teasers, in words.
const (
	maxCardHeading = 25
	maxTeaser      = 40
)

// cardSpan is a run of cards found in a reading: lines [from, to) and the
// signature of the run's headings ("####").
type cardSpan struct {
	from, to int
	sig      string
}

// cardRuns returns the runs of two or more cards among lines (taken as
// they are; blank lines between them belong to the run) for which keep
// is true of every line: each card a heading of three to 25 words and
// at most one paragraph of at most 40 words and no links under it (its
// teaser), the headings all of one level. Under the run's last card a
// paragraph is its teaser only when the cards before had teasers and it
// is no longer than half again the longest of them: a paragraph of the
// article may follow the run.
func cardRuns(lines []string, keep func(string) bool) []cardSpan {
	heading := func(l string) string {
		if blockKind(l) != "heading" {
			return ""
		}
		marks, text, _ := strings.Cut(l, " ")
		if n := len(strings.Fields(text)); n < 3 || n > maxCardHeading {
			return ""
		}
		return marks
	}
	next := func(i int) int { // the next non-blank line from i
		for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
			i++
		}
		return i
	}
	var out []cardSpan
	for i := 0; i < len(lines); {
		sig := heading(lines[i])
		if sig == "" || !keep(lines[i]) {
			i++
			continue
		}
		end, cards, teaser, j := i, 0, 0, i
		for {
			if j >= len(lines) || heading(lines[j]) != sig || !keep(lines[j]) {
				break
			}
			cards++
			end = j + 1
			k := next(j + 1)
			if k < len(lines) && keep(lines[k]) && blockKind(lines[k]) == "paragraph" && !strings.Contains(lines[k], "](") {
				w := len(strings.Fields(lines[k]))
				after := next(k + 1)
				more := after < len(lines) && heading(lines[after]) == sig && keep(lines[after])
				if w <= maxTeaser && (more && (teaser == 0 || 2*w <= 3*teaser) || !more && teaser > 0 && 2*w <= 3*teaser) {
					teaser = max(teaser, w)
					end = k + 1
					k = after
				}
			}
			j = k
		}
		if cards >= 2 {
			out = append(out, cardSpan{i, end, sig})
			i = end
			continue
		}
		i++
	}
	return out
}

// learnCards learns that runs of cards of other stories ([cardRuns]) come
// and go on the site when both fresh readings a and b have such a run,
// with headings of one level, whose every line only that reading has and
// its page does not hold (rest): a block of teasers set inside the
// article, other stories on every request. No signature of its words
// repeats, and a heading with a teaser is also how a page lists its own
// parts, so only the run that was seen to rotate is the rule. v.mu is
// held.
func (v *Volatility) learnCards(rules *SiteRules, a, b, rest []string, today time.Time) {
	in := map[string]bool{}
	for _, l := range rest {
		in[l] = true
	}
	keep := func(l string) bool { return in[l] }
	sigs := map[string]bool{}
	for _, r := range cardRuns(a, keep) {
		sigs[r.sig] = true
	}
	for _, r := range cardRuns(b, keep) {
		if sigs[r.sig] {
			v.addLine(rules, "cards", r.sig, today)
			sigs[r.sig] = false
		}
	}
}

// withoutCards returns lines without the runs of cards ([cardRuns]) whose
// headings the site's rules know to rotate. v.mu is held.
func (v *Volatility) withoutCards(rules *SiteRules, lines []string) []string {
	if rules == nil || len(rules.Lines) == 0 {
		return lines
	}
	runs := cardRuns(lines, func(string) bool { return true })
	var out []string
	last := 0
	for _, r := range runs {
		k := sigKey("cards", r.sig)
		if _, ok := rules.Lines[k]; !ok {
			continue
		}
		v.use(rules, k)
		if out == nil {
			out = make([]string, 0, len(lines))
		}
		out = append(out, lines[last:r.from]...)
		last = r.to
	}
	if out == nil {
		return lines
	}
	return append(out, lines[last:]...)
}

// learnLine learns the line l as volatile: its text and shape
// signatures, and, for a short paragraph of words (a promo, a label), the
// same words as a fragment, since sites glue such furniture into a
// sentence too. v.mu is held.
func (v *Volatility) learnLine(rules *SiteRules, l string, today time.Time) {
	c := canon(l, rules)
	text, shape := sigs(c)
	if shape != "" {
		// A line of links: its text is new on every request, its shape
		// is the rule.
		v.addLine(rules, "shape", shape, today)
		if site := siteShape(c); site != "" {
			v.addLine(rules, "shape", site, today)
		}
		return
	}
	v.addLine(rules, "text", text, today)
	if w := plainWords(c); len(w) >= 2 && len(w) <= maxFragment && blockKind(c) == "paragraph" && !strings.Contains(c, "](") && fragmentOK(w) {
		v.addLine(rules, "fragment", text, today)
	}
}

// trim drops the oldest and least used line rules beyond
// maxRulesPerSite. v.mu is held.
func (v *Volatility) trim(rules *SiteRules) {
	if len(rules.Lines) > maxRulesPerSite {
		keys := slices.SortedFunc(maps.Keys(rules.Lines), func(x, y string) int {
			rx, ry := rules.Lines[x], rules.Lines[y]
			if ux, uy := rx.Hits > 0, ry.Hits > 0; ux != uy {
				if ux {
					return 1 // never used goes first
				}
				return -1
			}
			if c := rx.Seen.Compare(ry.Seen); c != 0 {
				return c
			}
			if rx.Hits != ry.Hits {
				return rx.Hits - ry.Hits
			}
			return strings.Compare(x, y)
		})
		for _, k := range keys[:len(keys)-maxRulesPerSite] {
			delete(rules.Lines, k)
		}
	}
	rules.compile()
}

func (v *Volatility) addLine(rules *SiteRules, kind, sig string, today time.Time) {
	if rules.Lines == nil {
		rules.Lines = map[string]LineRule{}
	}
	k := sigKey(kind, sig)
	r, ok := rules.Lines[k]
	if ok && !r.Seen.Before(today) {
		return
	}
	sample := sig
	if len(sample) > maxSample && kind != "fragment" {
		sample = strings.ToValidUTF8(sample[:maxSample], "")
	}
	rules.Lines[k] = LineRule{Kind: kind, Seen: today, Hits: r.Hits, Sample: sample, Context: r.Context}
	v.dirty = true
	if len(rules.Lines) > maxRulesPerSite+maxRulesPerSite/10 {
		v.trim(rules)
	}
}

// learnParams compares the URLs of two lines that differ only in their
// queries and path parameters and records the keys whose values differ. It reports whether
// it found any.
func (v *Volatility) learnParams(rules *SiteRules, a, b string, today time.Time) bool {
	ua, ub := linkRe.FindAllStringSubmatch(a, -1), linkRe.FindAllStringSubmatch(b, -1)
	if len(ua) != len(ub) {
		return false
	}
	found := false
	for i := range ua {
		qa, qb := query(ua[i][3]), query(ub[i][3])
		for k := range qa {
			if qa[k] != qb[k] {
				found = true
				if rules.Params == nil {
					rules.Params = map[string]time.Time{}
				}
				if t, ok := rules.Params[k]; !ok || t.Before(today) {
					rules.Params[k] = today
					v.dirty = true
				}
			}
		}
		for k := range qb {
			if _, ok := qa[k]; !ok {
				found = true
				if rules.Params == nil {
					rules.Params = map[string]time.Time{}
				}
				rules.Params[k] = today
				v.dirty = true
			}
		}
	}
	return found
}

// query returns raw's query keys with their values, and its path
// parameters (";k=v" at the end of a path segment, as servlet
// containers write a session id) under ";k". Keys are lower-cased.
func query(raw string) map[string]string {
	out := map[string]string{}
	base, q, ok := strings.Cut(raw, "?")
	if strings.Contains(base, ";") {
		for seg := range strings.SplitSeq(base, "/") {
			_, params, ok := strings.Cut(seg, ";")
			if !ok {
				continue
			}
			for part := range strings.SplitSeq(params, ";") {
				k, val, _ := strings.Cut(part, "=")
				out[";"+strings.ToLower(k)] = val
			}
		}
	}
	if !ok {
		return out
	}
	for part := range strings.SplitSeq(q, "&") {
		k, val, _ := strings.Cut(part, "=")
		out[strings.ToLower(k)] = val
	}
	return out
}

// differing returns the lines of a that are not in b and those of b that
// are not in a, as multisets.
func differing(a, b []string) (onlyA, onlyB []string) {
	count := map[string]int{}
	for _, l := range b {
		count[l]++
	}
	for _, l := range a {
		if count[l] > 0 {
			count[l]--
		} else {
			onlyA = append(onlyA, l)
		}
	}
	count = map[string]int{}
	for _, l := range a {
		count[l]++
	}
	for _, l := range b {
		if count[l] > 0 {
			count[l]--
		} else {
			onlyB = append(onlyB, l)
		}
	}
	return onlyA, onlyB
}

// splitLines splits a rendering into lines, without the final newline.
func splitLines(md []byte) []string {
	s := strings.TrimSuffix(string(md), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// joinLines joins lines into a rendering: runs of blank lines outside
// code fences folded into one, no blank line at either end, one final
// newline.
func joinLines(lines []string) []byte {
	var b strings.Builder
	fenced, blank := false, false
	n := 0
	for _, l := range lines {
		if strings.HasPrefix(l, "```") {
			fenced = !fenced
		}
		if l == "" && !fenced {
			blank = true
			continue
		}
		if n > 0 {
			b.WriteByte('\n')
			if blank {
				b.WriteByte('\n')
			}
		}
		blank = false
		b.WriteString(l)
		n++
	}
	b.WriteByte('\n')
	return []byte(b.String())
}

// lineOp is one run of a line diff: equal lines a[A0:A1] == b[B0:B1], or
// a change replacing a[A0:A1] by b[B0:B1].
type lineOp struct {
	equal          bool
	a0, a1, b0, b1 int
}

// diffLines returns the runs of a longest-common-subsequence diff of a
// and b. A middle part too large to align is one change.
func diffLines(a, b []string) []lineOp {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	var ops []lineOp
	add := func(eq bool, a0, a1, b0, b1 int) {
		if a0 == a1 && b0 == b1 {
			return
		}
		if k := len(ops) - 1; k >= 0 && ops[k].equal == eq && ops[k].a1 == a0 && ops[k].b1 == b0 {
			ops[k].a1, ops[k].b1 = a1, b1
			return
		}
		ops = append(ops, lineOp{eq, a0, a1, b0, b1})
	}
	add(true, 0, pre, 0, pre)
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	n, m := len(ma), len(mb)
	if n > 0 && m > 0 && n*m <= maxDiffCells {
		// lcs[i][j] is the LCS length of ma[i:] and mb[j:].
		w := m + 1
		lcs := make([]int32, (n+1)*w)
		for i := n - 1; i >= 0; i-- {
			for j := m - 1; j >= 0; j-- {
				if ma[i] == mb[j] {
					lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
				} else {
					lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
				}
			}
		}
		i, j := 0, 0
		for i < n || j < m {
			switch {
			case i < n && j < m && ma[i] == mb[j]:
				add(true, pre+i, pre+i+1, pre+j, pre+j+1)
				i, j = i+1, j+1
			case j < m && (i == n || lcs[i*w+j+1] >= lcs[(i+1)*w+j]):
				add(false, pre+i, pre+i, pre+j, pre+j+1)
				j++
			default:
				add(false, pre+i, pre+i+1, pre+j, pre+j)
				i++
			}
		}
	} else {
		add(false, pre, pre+n, pre, pre+m)
	}
	add(true, len(a)-suf, len(a), len(b)-suf, len(b))
	return ops
}

// common returns the lines a and b agree on, in order: equal as
// compared ([compareKey], images by [extract.ImageKey]), in a's form.
func common(a, b []string) []string {
	var out []string
	for _, op := range diffLines(lineKeys(a), lineKeys(b)) {
		if op.equal {
			out = append(out, a[op.a0:op.a1]...)
		}
	}
	return out
}

// commonOnPage returns the lines a and b agree on ([common]) and, in
// place, those only one of them has whose unit ([units]) the other's page
// holds: the other reading left them out, its page did not.
func commonOnPage(a, b []string, pa, pb string, prev []string) []string {
	onA, onB := onPage(a, pb), onPage(b, pa)
	if len(onA) == 0 && len(onB) == 0 {
		return common(a, b)
	}
	// A line the readings hold at different places (one reading moved it)
	// comes out as many times as the reading holding it most, not once
	// from each side.
	ka, kb := lineKeys(a), lineKeys(b)
	most, taken := map[string]int{}, map[string]int{}
	for _, keys := range [][]string{ka, kb} {
		n := map[string]int{}
		for _, k := range keys {
			n[k]++
			most[k] = max(most[k], n[k])
		}
	}
	var out []string
	take := func(l, k string) {
		if strings.TrimSpace(l) == "" || taken[k] < most[k] {
			out = append(out, l)
			taken[k]++
		}
	}
	for _, op := range diffLines(ka, kb) {
		if op.equal {
			for i, l := range a[op.a0:op.a1] {
				take(l, ka[op.a0+i])
			}
			continue
		}
		da, db := a[op.a0:op.a1], b[op.b0:op.b1]
		// A line both have with another sentence after it (furniture
		// glued to a list item, another on each request): the sentences
		// both have, so that an edit inside the line is not lost with the
		// furniture. When the last version has those sentences with a
		// sentence after them, its line stands: the glued sentence is the
		// furniture's variant it took in.
		paired := make([]bool, len(db))
		for i, l := range da {
			if strings.TrimSpace(l) == "" {
				take(l, ka[op.a0+i])
				continue
			}
			if onA[l] {
				// The same words with links around others (an
				// auto-linker's pick of the request) are one line, not
				// two: in the last version's form, else with the
				// fewer links.
				if j := linkTwin(l, db, paired, onB); j >= 0 {
					paired[j] = true
					if x := db[j]; slices.Contains(prev, x) || !slices.Contains(prev, l) && strings.Count(x, "](") < strings.Count(l, "](") {
						l = x
					}
				}
				take(l, ka[op.a0+i])
				continue
			}
			for j, x := range db {
				if h, ok := commonHead(l, x); !paired[j] && !onB[x] && ok {
					paired[j] = true
					if k := slices.IndexFunc(prev, func(p string) bool { return strings.HasPrefix(p, h+" ") }); k >= 0 {
						h = prev[k]
					}
					out = append(out, h)
					break
				}
			}
		}
		for j, l := range db {
			if paired[j] {
				continue
			}
			if strings.TrimSpace(l) == "" || onB[l] && !slices.ContainsFunc(da, func(x string) bool { return onA[x] && compareKey(x) == compareKey(l) }) {
				take(l, kb[op.b0+j])
			}
		}
	}
	return out
}

// unlinkedKey is the line l as compared with its links read as their words
// ([unlinked], [compareKey]): the key two forms of a line that an
// auto-linker linked differently share.
func unlinkedKey(l string) string { return compareKey(unlinked(l)) }

// linkTwin returns the index of the line of db, not yet paired and held
// by its page (on), that is l's words with links set around other words
// or none; -1 when there is none.
func linkTwin(l string, db []string, paired []bool, on map[string]bool) int {
	if !strings.Contains(l, "](") && !slices.ContainsFunc(db, func(x string) bool { return strings.Contains(x, "](") }) {
		return -1
	}
	k := unlinkedKey(l)
	for j, x := range db {
		if !paired[j] && on[x] && unlinkedKey(x) == k && compareKey(x) != compareKey(l) {
			return j
		}
	}
	return -1
}

// bodyStart returns the index of the first line after the front matter
// and the "# Title" line: the lines rules may ever drop from a rendering.
func bodyStart(lines []string) int {
	i := 0
	if len(lines) > 0 && lines[0] == "---" {
		for i = 1; i < len(lines) && lines[i] != "---"; i++ {
		}
		i++
	}
	for i < len(lines) && lines[i] == "" {
		i++
	}
	if i < len(lines) && strings.HasPrefix(lines[i], "# ") {
		i++
	}
	return min(i, len(lines))
}

// maxTails is the most headline tails a site keeps: a site rotates a
// few, and a site whose headlines differ between fetches in more ways
// than that is not rotating a suffix.
const maxTails = 32

// titleSeps are the separators between a headline and the site's name
// in a <title>, as the markdown writes them (a pipe escaped).
var titleSeps = []string{" | ", ` \| `, " - ", " – ", " — ", " · ", " :: ", " // "}

// titleLine returns the prefix of a front line that holds the headline
// ("# " or the front matter's "title: "), "" for any other line.
func titleLine(l string) string {
	for _, pre := range []string{"# ", "title: "} {
		if rest, ok := strings.CutPrefix(l, pre); ok && rest != "" {
			return pre
		}
	}
	return ""
}

// titleText returns the headline of the line l whose prefix is pre: the
// words after the prefix, out of their quotes when YAML quoted them (a
// title with ": " in it). Whether a title is quoted depends on its tail
// (" — Courier: latest news" has a colon), so two tails of one headline
// are compared out of their quotes.
func titleText(l, pre string) string {
	t := l[len(pre):]
	if pre != "title: " || len(t) < 2 || t[0] != t[len(t)-1] {
		return t
	}
	switch t[0] {
	case '\'':
		return strings.ReplaceAll(t[1:len(t)-1], "''", "'")
	case '"':
		return t[1 : len(t)-1]
	}
	return t
}

// tailCuts returns where a headline t (see [titleText]) may be cut
// before its tail: each title separator after its first character, and
// its end.
func tailCuts(t string) []int {
	var cuts []int
	for i := 1; i < len(t); i++ {
		for _, sep := range titleSeps {
			if strings.HasPrefix(t[i:], sep) {
				cuts = append(cuts, i)
				break
			}
		}
	}
	return append(cuts, len(t))
}

// sameHead returns the tails of the headline lines a and b when they are
// one headline with other tails: the same up to a title separator (or
// the end) in each, and different after it ("# Plan | Courier" and "#
// Plan — Courier: latest news"). ok is false otherwise.
func sameHead(a, b string) (ta, tb string, ok bool) {
	pre := titleLine(a)
	if pre == "" || pre != titleLine(b) || a == b {
		return "", "", false
	}
	a, b = titleText(a, pre), titleText(b, pre)
	for _, i := range tailCuts(a) {
		for _, j := range tailCuts(b) {
			if a[:i] == b[:j] && len(strings.Fields(a[:i])) >= 1 {
				return a[i:], b[j:], true
			}
		}
	}
	return "", "", false
}

// tailChangeOnly reports whether the lines m differ from the last
// version's p only in headline lines, each the same headline with
// another tail ([sameHead]), or with a tail more or less after a title
// separator or a colon ("Courier", "Courier: latest news").
func tailChangeOnly(p, m []string) bool {
	if len(p) != len(m) {
		return false
	}
	changed := false
	for i := range p {
		if p[i] == m[i] {
			continue
		}
		pre := titleLine(p[i])
		if i >= bodyStart(p) || pre == "" || pre != titleLine(m[i]) {
			return false
		}
		if _, _, ok := sameHead(p[i], m[i]); !ok && !tailMore(titleText(p[i], pre), titleText(m[i], pre)) && !tailMore(titleText(m[i], pre), titleText(p[i], pre)) {
			return false
		}
		changed = true
	}
	return changed
}

// tailMore reports whether the headline b is a with a tail after a title
// separator or a colon.
func tailMore(a, b string) bool {
	rest, ok := strings.CutPrefix(b, a)
	if !ok || a == "" {
		return false
	}
	for _, sep := range append([]string{": "}, titleSeps...) {
		if strings.HasPrefix(rest, sep) {
			return true
		}
	}
	return false
}

// tailOnly reports whether the headline line a is b's headline with a
// known tail: a cut of a after a title separator (or at its end) whose
// tail known accepts, equal before it to b cut at a separator or at its
// end.
func tailOnly(a, b string, known func(string) bool) bool {
	pre := titleLine(a)
	if pre == "" || pre != titleLine(b) {
		return false
	}
	a, b = titleText(a, pre), titleText(b, pre)
	// The headline of a page without one of its own is the site's name,
	// with a tail or without ("Courier", "Courier: latest news").
	if known(" "+a) && known(" "+b) {
		return true
	}
	for _, i := range tailCuts(a) {
		if !known(a[i:]) {
			continue
		}
		for _, j := range tailCuts(b) {
			if a[:i] == b[:j] {
				return true
			}
		}
	}
	return false
}

// tailName returns the words of a headline tail without the separator
// before them, in lower case: "| Courier" and "— Courier" name the site
// alike, and a site that rotates its separators rotates its tails.
func tailName(t string) string {
	return strings.TrimLeft(strings.ToLower(strings.TrimSpace(t)), " |\\-–—·:/")
}

// knownTail reports whether t is no tail, or a tail naming what a tail
// the site rotates names ([tailName]): the same words, or those words
// with more after a colon ("Courier" and "Courier: latest news").
func knownTail(rules *SiteRules, t string) bool {
	n := tailName(t)
	if n == "" {
		return true
	}
	for k := range rules.Tails {
		k = tailName(k) // a rule kept before tails were kept by name
		if n == k || strings.HasPrefix(n, k+":") || strings.HasPrefix(k, n+":") {
			return true
		}
	}
	return false
}

// learnTails learns the tails of the headline lines of two fresh
// readings a and b that differ only after a title separator: a site
// that A/B-tests its title tag ("Plan | Courier", "Plan — Courier:
// latest news", "Plan") serves another tail on each request, and where
// the site's name is unknown the extraction keeps it. v.mu is held.
func (v *Volatility) learnTails(rules *SiteRules, a, b []string, today time.Time) {
	for i, j := range titlePairs(a, b) {
		ta, tb, ok := sameHead(a[i], b[j])
		if !ok {
			continue
		}
		for _, t := range []string{ta, tb} {
			if t = tailName(t); t != "" && (len(rules.Tails) < maxTails || !rules.Tails[t].IsZero()) {
				if rules.Tails == nil {
					rules.Tails = map[string]time.Time{}
				}
				if seen, ok := rules.Tails[t]; !ok || seen.Before(today) {
					rules.Tails[t] = today
					v.dirty = true
				}
			}
		}
	}
}

// headLine reports whether l is one of the headline lines of lines
// before its body ("# " or the front matter's title).
func headLine(lines []string, l string) bool {
	return (strings.HasPrefix(l, "# ") || strings.HasPrefix(l, "title: ")) && slices.Contains(lines[:bodyStart(lines)], l)
}

// titlePairs pairs the headline lines of a and b, before their bodies,
// by their prefix: index in a → index in b.
func titlePairs(a, b []string) map[int]int {
	out := map[int]int{}
	for i := range bodyStart(a) {
		pre := titleLine(a[i])
		if pre == "" {
			continue
		}
		for j := range bodyStart(b) {
			if titleLine(b[j]) == pre {
				out[i] = j
				break
			}
		}
	}
	return out
}

// keepFront returns lines, a fresh rendering, with the front lines the
// last version p settled kept: the headline when only its tail rotated
// ([keepTitle]) and the published date ([keepPublished]).
func keepFront(lines, p []string, rules *SiteRules) []string {
	return keepPublished(keepTitle(lines, p, rules), p)
}

// keepPublished returns lines, a fresh rendering, with its published
// date replaced by the last version's p, when both have one: the date
// an article was first published is the archive's first reading of it.
// A page that lacks a date of its own shows today's (an edition line, a
// masthead), which moves a day at a time: the two fetches of one run
// agree on it, so no fetch sees it rotate, and each new day made a
// commit.
func keepPublished(lines, p []string) []string {
	const key = "published: "
	old := slices.IndexFunc(p[:min(bodyStart(p), len(p))], func(l string) bool { return strings.HasPrefix(l, key) })
	i := slices.IndexFunc(lines[:min(bodyStart(lines), len(lines))], func(l string) bool { return strings.HasPrefix(l, key) })
	if old < 0 || i < 0 || lines[i] == p[old] {
		return lines
	}
	out := slices.Clone(lines)
	out[i] = p[old]
	return out
}

// keepTitle returns lines, a fresh rendering, with each headline line
// that differs from the last version's p only in its tail, when its own
// tail is one the site is known to rotate (or none), replaced by the last
// version's: the headline did not change. A headline whose words before
// the tail changed, or that gained a tail never seen to rotate, is an
// edit and is kept.
func keepTitle(lines, p []string, rules *SiteRules) []string {
	if len(rules.Tails) == 0 || len(p) == 0 {
		return lines
	}
	known := func(t string) bool { return knownTail(rules, t) }
	var out []string
	for i, j := range titlePairs(lines, p) {
		if lines[i] != p[j] && tailOnly(lines[i], p[j], known) {
			if out == nil {
				out = slices.Clone(lines)
			}
			out[i] = p[j]
		}
	}
	if out == nil {
		return lines
	}
	return out
}

// fresh is a fresh rendering as settle compares it: without the site's
// volatile query keys, and without echoes when the site's come and go.
// page is the words of the page it was rendered from. v.mu is held.
func fresh(lines []string, rules *SiteRules, page string) []string {
	lines = stripAll(lines, rules)
	if rules.Echo.IsZero() {
		return lines
	}
	if e := echoes(lines, page); len(e) > 0 {
		start := bodyStart(lines)
		lines = append(slices.Clone(lines[:start]), slices.DeleteFunc(slices.Clone(lines[start:]), func(l string) bool { return e[l] })...)
	}
	return lines
}

// minEcho is the fewest words of a block that counts as an echo.
const minEcho = 6

// echoWords returns the words of a line as echoes are compared: runs of
// letters, marks and digits in lower case, so that punctuation and
// emphasis are no part of them, and with link and image targets left out
// (they are no words of the text). Splitting at punctuation, not only at
// spaces, finds a pull quote that runs two blocks together with no space
// between them ("…meditation?A: Just…").
func echoWords(l string) []string {
	l = linkRe.ReplaceAllString(l, " $2 ")
	return strings.FieldsFunc(strings.ToLower(l), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
	})
}

// echoes returns the body lines of a rendering that belong to a block
// repeating part of another block's text, word for word: a pull quote, a
// highlighted sentence. A block equal to another of its kind is a copy,
// not an echo, and is not returned: repeated paragraphs are article text.
// A quote equal to a block that is not one is an echo (a pull quote of a
// short paragraph), and the paragraph is not. page, the words of the page
// ([pageWords], "" when unknown), finds the echoes of text the rendering
// left out: a quote whose text the page holds twice.
func echoes(lines []string, page string) map[string]bool {
	type block struct {
		lines []string
		text  string // the words, with a space around each
		sq    string // the words run together: what echoes are found in
		n     int
		quote bool
	}
	var blocks []block
	var cur []string
	flush := func() {
		if len(cur) == 0 {
			return
		}
		var w []string
		for _, l := range cur {
			w = append(w, echoWords(l)...)
		}
		if !strings.HasPrefix(cur[0], "#") && !strings.HasPrefix(cur[0], "![") {
			blocks = append(blocks, block{cur, " " + strings.Join(w, " ") + " ", strings.Join(w, ""), len(w), strings.HasPrefix(cur[0], ">")})
		}
		cur = nil
	}
	for _, l := range lines[bodyStart(lines):] {
		if strings.TrimSpace(l) == "" {
			flush()
			continue
		}
		cur = append(cur, l)
	}
	flush()
	// The text of all blocks in a row, since an echo may run across
	// blocks (a paragraph the rendering breaks in two). Echoes are found
	// in the words run together, without the spaces between them: a
	// pull quote may join two blocks with none ("…availableCons: …").
	var full strings.Builder
	start := make([]int, len(blocks))
	for i, b := range blocks {
		start[i] = full.Len()
		full.WriteString(b.sq)
	}
	all := full.String()
	pageSq := strings.ReplaceAll(page, " ", "")
	var out map[string]bool
	for i, b := range blocks {
		if b.n < minEcho {
			continue
		}
		copied := false
		for j, c := range blocks {
			copied = copied || j != i && c.text == b.text && (c.quote == b.quote || !b.quote)
		}
		if copied {
			continue
		}
		echo := false
		for from := 0; !echo; {
			k := strings.Index(all[from:], b.sq)
			if k < 0 {
				break
			}
			k += from
			// A paragraph a quote repeats is the text, and the quote its
			// echo: a paragraph is an echo only of another one.
			j, _ := slices.BinarySearch(start, k+1)
			echo = k != start[i] && (b.quote || !blocks[j-1].quote)
			from = k + 1
		}
		echo = echo || b.quote && page != "" && twice(pageSq, b.sq)
		if echo {
			if out == nil {
				out = map[string]bool{}
			}
			for _, l := range b.lines {
				out[l] = true
			}
		}
	}
	// A pull quote set among the items of a list renders as one more
	// item: an item that is all a quotation of words the text holds
	// elsewhere is an echo. Other items that repeat text (a summary of
	// key points) are article text.
	for _, b := range blocks {
		if len(b.lines) < 2 {
			continue // a block of one line is compared whole, above
		}
		for _, l := range b.lines {
			item, ok := quotedItem(l)
			if !ok {
				continue
			}
			w := echoWords(item)
			run := strings.Join(w, "")
			if len(w) >= minEcho && (twice(all, run) || page != "" && twice(pageSq, run)) {
				if out == nil {
					out = map[string]bool{}
				}
				out[l] = true
			}
		}
	}
	return out
}

// quotedItem returns the text of a list item l that is all one quotation,
// from an opening quotation mark to a closing one, and whether it is one.
func quotedItem(l string) (string, bool) {
	l = strings.TrimLeft(l, " ")
	m := listMarker.FindString(l)
	if m == "" || strings.HasPrefix(l, ">") {
		return "", false
	}
	item := strings.TrimSpace(l[len(m):])
	first, _ := utf8.DecodeRuneInString(item)
	last, _ := utf8.DecodeLastRuneInString(item)
	return item, len(item) > 2 && strings.ContainsRune(`"“„«‘`, first) && strings.ContainsRune(`"”“»’`, last)
}

// echoText is the words of a rendering's body, as echoes are compared,
// with a space at either end: the text an inline echo repeats.
func echoText(lines []string) string {
	var b strings.Builder
	b.WriteByte(' ')
	for _, l := range lines[bodyStart(lines):] {
		if strings.HasPrefix(l, "![") {
			continue
		}
		for _, w := range echoWords(l) {
			b.WriteString(w)
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// inlineEcho reports whether l, a line of a rendering with echoText lt,
// and x, one of a rendering with echoText xt, are one line but for words
// that repeat, word for word, text found elsewhere in their own
// rendering: a pull quote set inside a paragraph or a list item, which
// one reading has and another not, or has from another paragraph. Each
// side's words that differ are either none or at least minEcho words that
// its rendering holds twice.
func inlineEcho(l, x, lt, xt string, pages ...string) bool {
	wl, wx := echoWords(l), echoWords(x)
	pre, suf := commonEnds(wl, wx)
	ml, mx := wl[pre:len(wl)-suf], wx[pre:len(wx)-suf]
	if len(ml)+len(mx) == 0 || pre+suf < minEcho {
		return false
	}
	for _, side := range []struct {
		mid  []string
		text string
	}{{ml, lt}, {mx, xt}} {
		if len(side.mid) == 0 {
			continue
		}
		if len(side.mid) < minEcho {
			return false
		}
		run := " " + strings.Join(side.mid, " ") + " "
		if !twice(side.text, run) && !slices.ContainsFunc(pages, func(p string) bool { return twice(p, run) }) {
			return false
		}
	}
	return true
}

// stripAll removes the site's volatile query keys from every link in
// lines. v.mu is held.
func stripAll(lines []string, rules *SiteRules) []string {
	if rules == nil || len(rules.Params) == 0 {
		return lines
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		if !strings.Contains(l, "](") {
			out[i] = l
			continue
		}
		out[i] = linkRe.ReplaceAllStringFunc(l, func(m string) string {
			sub := linkRe.FindStringSubmatch(m)
			return sub[1] + "[" + sub[2] + "](" + stripParams(sub[3], rules) + ")"
		})
	}
	return out
}

// comparable returns lines as they are compared: canonical, without
// blank and volatile lines. v.mu is held.
func (v *Volatility) comparable(rules *SiteRules, lines []string, use bool) []string {
	var out []string
	for _, l := range lines {
		if strings.TrimSpace(l) == "" || v.volatileLine(rules, l, use) {
			continue
		}
		if c := canon(l, rules); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// lineKeys returns the lines as compared without rules.
func lineKeys(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = compareKey(canon(l, nil))
	}
	return out
}

// compareKey is a canonical line as two renderings are compared: without
// whitespace (extractions differ in the spaces between text nodes:
// "Moskwy. Strona", "Moskwy.Strona"), and a table row without its empty
// cells (extractions shift them: "| | a | b |", "| a | b | |").
func compareKey(c string) string {
	if strings.HasPrefix(c, "|") {
		var cells []string
		for cell := range strings.SplitSeq(c, "|") {
			if cell = strings.TrimSpace(cell); cell != "" {
				cells = append(cells, cell)
			}
		}
		c = "|" + strings.Join(cells, "|") + "|"
	}
	return strings.Join(strings.Fields(c), "")
}

// merge applies to prev the changes that lead to x, except those the
// rules explain (both sides compare equal), the removal of lines that a
// fresh fetch still has (seen), and, unless confirmed, changes that only
// remove lines: a block that one extraction leaves out is far more often
// the extraction wobbling under noise than an edit, so a removal waits
// for a second fetch. A line of prev whose unit ([units]) every fresh
// page (pages, their words) still holds is not removed either: the page
// did not change there, its reading did. held reports whether a removal
// was held back. v.mu is held.
func (v *Volatility) merge(rules *SiteRules, prev, x []string, confirmed bool, before, site pagePrint, pages []string, seen ...[]string) (out []string, held, removed bool) {
	still := stillOnPage(prev, pages)
	inSeen := keysOf(seen...)
	var echo map[string]bool
	if !rules.Echo.IsZero() {
		echo = echoes(prev, "")
	}
	prevText, xText := echoText(prev), echoText(x)
	// A block that repeats part of another is never added: an echo (a
	// pull quote) is not an edit, whether or not the site's were seen to
	// come and go.
	page := ""
	if len(pages) > 0 {
		page = pages[0]
	}
	xEcho := echoes(x, page)
	var xUnits []string
	var budget *printBudget
	if len(before) > 0 {
		xUnits = units(x)
		budget = newPrintBudget(before, prev)
	}
	var unstable []string
	if confirmed && len(seen) == 2 {
		onlyA, onlyB := differing(seen[0], seen[1])
		unstable = append(onlyA, onlyB...)
	}
	companion := v.counterCompanions(rules, prev, seen...)
	for _, op := range diffLines(prev, x) {
		d, ins := prev[op.a0:op.a1], x[op.b0:op.b1]
		if op.equal {
			out = append(out, d...)
			continue
		}
		// A line the last version's page held (the line, or the
		// paragraph it is a sentence of), that is no version of an old
		// line of the change, was there all along: the reading took it
		// in, the page did not change (see PagePrint).
		if budget != nil {
			var kept []string
			for j, l := range ins {
				if budget.held(l, xUnits[op.b0+j]) && !slices.ContainsFunc(d, func(x string) bool { return versionOf(rules, x, l) || versionOf(rules, l, x) }) {
					continue
				}
				kept = append(kept, l)
			}
			ins = kept
		}
		ins = v.withoutCards(rules, ins)
		// A line that differs from an old one by an echo set inside it
		// is the old line.
		ins = unEcho(d, ins, prevText, xText, pages)
		if len(xEcho) > 0 {
			ins = slices.DeleteFunc(slices.Clone(ins), func(l string) bool { return xEcho[l] && !slices.Contains(d, l) })
		}
		// Old lines the pages still hold, that the change has no line
		// equal to, stay: the reading left them out.
		kept := make([]bool, len(d))
		var left []string // d without kept and echo lines
		for i, l := range d {
			if still[op.a0+i] && !slices.ContainsFunc(ins, func(x string) bool { return versionOf(rules, l, x) }) {
				kept[i] = true
			} else if !echo[l] {
				left = append(left, l)
			}
		}
		cd, ci := v.comparable(rules, left, false), v.comparable(rules, ins, false)
		if slices.EqualFunc(cd, ci, func(a, b string) bool { return compareKey(a) == compareKey(b) }) {
			v.comparable(rules, d, true)
			v.comparable(rules, ins, true)
			out = append(out, d...)
			continue
		}
		if removes(cd, ci) {
			if !confirmed {
				out = append(out, v.holdRemoval(rules, d, ins)...)
				held = true
				continue
			}
			removed = true
		}
		// Only old lines no fresh reading still has are replaced: a note
		// beside noise that one reading kept is added, not rotated in.
		// A change that looks like the next variant of known noise waits
		// for a second reading, as a removal does; two readings that
		// agree on the new lines show that they do not rotate. So does a
		// site where no page of another article held any of the new
		// lines (site): furniture is set on many pages, an edit on one.
		gone := slices.DeleteFunc(slices.Clone(left), func(l string) bool { return inSeen[compareKey(canon(l, nil))] })
		if !confirmed && v.rotates(rules, gone, ins) && (site == nil || slices.ContainsFunc(nonBlank(ins), site.holds)) {
			out = append(out, d...)
			held = true
			continue
		}
		// A new line that compares equal to an old one of the change
		// (another rendition of an image, a space more or less) is that
		// old line, as it was.
		was := make([]string, len(ins))
		paired := make([]bool, len(d))
		for j, x := range ins {
			if strings.TrimSpace(x) == "" {
				continue
			}
			kx := compareKey(canon(x, rules))
			for i, l := range d {
				if !paired[i] && compareKey(canon(l, rules)) == kx {
					paired[i], was[j] = true, l
					break
				}
			}
			// So is a short line of the site's furniture (another
			// article's page held it) whose date moved ("Today's
			// edition · Tuesday 1 December" → "Wednesday 2
			// December"): an edition line or a masthead, on which the
			// two fetches of a run agree.
			if was[j] == "" && site != nil {
				for i, l := range d {
					if !paired[i] && dateVariant(l, x) && site.heldElsewhere(l, before) {
						paired[i], was[j] = true, l
						break
					}
				}
			}
			// So is known noise that the change has the next variant
			// of, in the same place ("1 free articles left" → "3 free
			// articles left").
			if was[j] == "" && v.volatileLine(rules, x, false) {
				for i, l := range d {
					if !paired[i] && sameLine(rules, l, x) && v.volatileLine(rules, l, false) {
						paired[i], was[j] = true, l
						break
					}
				}
			}
		}
		for i, l := range d {
			if paired[i] {
				continue
			}
			// Known noise stays as it was, unless the change has a new
			// version of the line (an edit of a line whose presence
			// wobbles).
			edited := slices.ContainsFunc(ins, func(x string) bool { return sameLine(rules, l, x) })
			noise := v.volatileLine(rules, l, true) && !edited
			// A line the change has a new version of is edited, never
			// another variant of rotating furniture ("5,7 Milliarden"
			// → "6,1 Milliarden" beside a rotating promo).
			if kept[i] {
				// A block of its own keeps blank lines around it.
				k := op.a0 + i
				own := blockKind(l) != "item" && blockKind(l) != "table"
				if own && (k == 0 || prev[k-1] == "") {
					out = append(out, "")
				}
				out = append(out, l)
				if own && (k+1 == len(prev) || prev[k+1] == "") {
					out = append(out, "")
				}
				continue
			}
			if inSeen[compareKey(canon(l, nil))] || noise || echo[l] || confirmed && !edited && v.variant(rules, l, unstable) {
				out = append(out, l)
			}
		}
		for j, l := range ins {
			switch {
			case was[j] != "":
				out = append(out, was[j])
			case !v.volatileLine(rules, l, true) && !companion[l] && !siteDateLine(site, before, l):
				out = append(out, l)
			}
		}
	}
	out = withoutCopies(out, append([][]string{prev, x}, seen...)...)
	out = withoutLinkTwins(out, append([][]string{prev, x}, seen...)...)
	return mendTables(out, append([][]string{prev}, seen...)...), held, removed
}

// maxDateLineWords is the most words of a line of furniture whose date
// moves ([dateVariant]).
const maxDateLineWords = 10

// dateVariant reports whether the line x is the short line l with other
// dates: the same words but for tokens that hold a digit or name a
// weekday or a month ([extract.CalendarWord]), at least one of them
// other.
func dateVariant(l, x string) bool {
	wl, wx := strings.Fields(l), strings.Fields(x)
	if len(wl) != len(wx) || len(wl) > maxDateLineWords || l == x {
		return false
	}
	for i := range wl {
		if wl[i] != wx[i] && !(dateToken(wl[i]) && dateToken(wx[i])) {
			return false
		}
	}
	return true
}

// siteDateLine reports whether l is a short line with a date that a page
// of another article of the site held (site, the union of the site's
// prints; own, the print of this article's last version): a masthead or
// an edition line the reading took in, not an addition to the article.
func siteDateLine(site, own pagePrint, l string) bool {
	if site == nil {
		return false
	}
	w := strings.Fields(l)
	return len(w) <= maxDateLineWords && slices.ContainsFunc(w, dateToken) && site.heldElsewhere(l, own)
}

// dateToken reports whether the word w holds a digit or is a weekday's
// or a month's name (punctuation around it aside).
func dateToken(w string) bool {
	if strings.ContainsFunc(w, unicode.IsDigit) {
		return true
	}
	return extract.CalendarWord(strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }))
}

// maxCompanionWords is the most words of a sentence that comes and goes
// with a counter in its paragraph ([Volatility.counterCompanions]).
const maxCompanionWords = 8

// counterCompanions returns the short sentences of the paragraphs of the
// fresh readings seen that the last version prev has none of and that
// hold a counter: a line with a number that the rules know as volatile
// ("Our newsroom answers within # hours."), or that the two readings
// have with other numbers. Furniture sets a counter in a paragraph with
// words that come and go with it ("Got a tip?"); a new paragraph of the
// article holds no sentence that is a site's counter. v.mu is held.
func (v *Volatility) counterCompanions(rules *SiteRules, prev []string, seen ...[]string) map[string]bool {
	old := map[string]bool{}
	for _, l := range prev {
		old[l] = true
	}
	texts := make([]map[string]string, len(seen)) // text signature → line, per reading
	for r, lines := range seen {
		texts[r] = map[string]string{}
		for _, l := range lines {
			if text, _ := sigs(canon(l, nil)); strings.Contains(text, "#") {
				texts[r][text] = l
			}
		}
	}
	counter := func(r int, l string) bool {
		if !digitToken.MatchString(l) {
			return false
		}
		if strings.TrimSpace(canon(l, rules)) == "" {
			return true // all of it is fragments
		}
		text, _ := sigs(canon(l, nil))
		if !strings.Contains(text, "#") {
			return false
		}
		if _, ok := rules.Lines[sigKey("text", text)]; ok {
			return true
		}
		for o := range seen {
			if x, ok := texts[o][text]; ok && o != r && x != l {
				return true
			}
		}
		return false
	}
	var out map[string]bool
	for r, lines := range seen {
		for i := bodyStart(lines); i < len(lines); {
			if strings.TrimSpace(lines[i]) == "" {
				i++
				continue
			}
			j := i
			for j < len(lines) && strings.TrimSpace(lines[j]) != "" {
				j++
			}
			block := lines[i:j]
			i = j
			if len(block) < 2 || slices.ContainsFunc(block, func(l string) bool { return old[l] || blockKind(l) != "paragraph" }) ||
				!slices.ContainsFunc(block, func(l string) bool { return counter(r, l) }) {
				continue
			}
			for _, l := range block {
				if len(strings.Fields(l)) <= maxCompanionWords && !counter(r, l) {
					if out == nil {
						out = map[string]bool{}
					}
					out[l] = true
				}
			}
		}
	}
	return out
}

// withoutLinkTwins returns out without the lines that are another
// line's words with links set around other words or none (an
// auto-linker's pick of the request), beyond the most times any of from
// (the last version from[0], the change, the fresh readings) holds those
// words: the last version kept its form of a line the page still holds,
// and the change brought the same line in another. The form the last
// version has stays.
func withoutLinkTwins(out []string, from ...[]string) []string {
	key := unlinkedKey
	forms := map[string]map[string]bool{}
	for _, l := range out {
		if strings.TrimSpace(l) == "" || len(strings.Fields(l)) < 4 {
			continue
		}
		k := key(l)
		if forms[k] == nil {
			forms[k] = map[string]bool{}
		}
		forms[k][l] = true
	}
	twins := map[string]bool{}
	for k, f := range forms {
		if len(f) > 1 {
			twins[k] = true
		}
	}
	if len(twins) == 0 {
		return out // the common case
	}
	most := map[string]int{}
	for _, ls := range from {
		n := map[string]int{}
		for _, l := range ls {
			if k := key(l); twins[k] {
				n[k]++
			}
		}
		for k, c := range n {
			most[k] = max(most[k], c)
		}
	}
	inPrev := map[string]bool{}
	if len(from) > 0 {
		for _, l := range from[0] {
			inPrev[l] = true
		}
	}
	count := map[string]int{}
	for _, l := range out {
		if k := key(l); twins[k] {
			count[k]++
		}
	}
	// Drop the forms the last version lacks first, then the later lines.
	drop := map[int]bool{}
	for _, pass := range []bool{false, true} {
		for i, l := range out {
			k := key(l)
			if !twins[k] || drop[i] || count[k] <= max(most[k], 1) || inPrev[l] != pass {
				continue
			}
			drop[i] = true
			count[k]--
		}
	}
	return withoutIndexes(out, drop)
}

// withoutCopies returns out without the copies of a line beyond the most
// times any of from (the last version from[0], the change, the fresh
// readings) holds it. The line diff may pair the blank lines around a
// paragraph rather than the paragraph itself, when a reading lacks the
// heading beside it: the paragraph is then both a new line of one change
// and a line another change removes, and a held removal kept it as well.
// No rendering of the page holds it twice, so neither does the merge. The
// copies that stay are those after the line they follow in the last
// version (the page as it was), then the first.
func withoutCopies(out []string, from ...[]string) []string {
	at := map[string][]int{}
	repeats := false
	for i, l := range out {
		if strings.TrimSpace(l) != "" {
			at[l] = append(at[l], i)
			repeats = repeats || len(at[l]) > 1
		}
	}
	if !repeats {
		return out // the common case: nothing to count against
	}
	most := map[string]int{}
	for _, ls := range from {
		n := map[string]int{}
		for _, l := range ls {
			if strings.TrimSpace(l) != "" {
				n[l]++
			}
		}
		for l, k := range n {
			most[l] = max(most[l], k)
		}
	}
	// after[l] holds the lines that come right before l in the last
	// version, blank lines aside.
	after := map[string]map[string]bool{}
	if len(from) > 0 {
		last := ""
		for _, l := range from[0] {
			if strings.TrimSpace(l) == "" {
				continue
			}
			if after[l] == nil {
				after[l] = map[string]bool{}
			}
			after[l][last] = true
			last = l
		}
	}
	drop := map[int]bool{}
	for l, idx := range at {
		keep := most[l]
		if keep == 0 || len(idx) <= keep {
			continue
		}
		var first, rest []int
		for _, i := range idx {
			k := i - 1
			for k >= 0 && (strings.TrimSpace(out[k]) == "" || out[k] == l) {
				k--
			}
			before := ""
			if k >= 0 {
				before = out[k]
			}
			if after[l][before] {
				first = append(first, i)
			} else {
				rest = append(rest, i)
			}
		}
		for _, i := range append(first, rest...)[keep:] {
			drop[i] = true
		}
	}
	return withoutIndexes(out, drop)
}

// withoutIndexes returns lines without the lines at the indexes drop
// holds; lines itself when it holds none.
func withoutIndexes(lines []string, drop map[int]bool) []string {
	if len(drop) == 0 {
		return lines
	}
	var kept []string
	for i, l := range lines {
		if !drop[i] {
			kept = append(kept, l)
		}
	}
	return kept
}

// tableSep matches the separator row of a pipe table.
var tableSep = regexp.MustCompile(`^\|(?: *:?-+:? *\|)+$`)

// mendTables returns out with every pipe table that is not one header
// row, one separator row and body rows (a merge that took a table's
// changes one run at a time can move its header below the separator)
// replaced by the well-formed table of from (the last version first,
// then the fresh readings) that shares most rows with it, the last
// version winning ties. Such a table is no rendering of any page: the
// change waits, whole, for a merge that keeps the table's shape.
func mendTables(out []string, from ...[]string) []string {
	var mended []string
	last := 0
	for _, r := range tableRuns(out) {
		run := out[r[0]:r[1]]
		if wellFormed(run) {
			continue
		}
		if best := closestTable(run, from); best != nil {
			mended = append(append(mended, out[last:r[0]]...), best...)
			last = r[1]
		}
	}
	if mended == nil {
		return out
	}
	return append(mended, out[last:]...)
}

// tableRuns returns the start and end of each run of table rows in lines.
func tableRuns(lines []string) [][2]int {
	var runs [][2]int
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "|") {
			continue
		}
		j := i
		for j < len(lines) && strings.HasPrefix(lines[j], "|") {
			j++
		}
		runs = append(runs, [2]int{i, j})
		i = j
	}
	return runs
}

// wellFormed reports whether the table rows run are a header, a
// separator and body rows, all with as many cells as the separator.
func wellFormed(run []string) bool {
	if len(run) < 2 || !tableSep.MatchString(run[1]) || tableSep.MatchString(run[0]) {
		return false
	}
	cols := cells(run[1])
	for i, l := range run {
		if i != 1 && tableSep.MatchString(l) || cells(l) != cols {
			return false
		}
	}
	return true
}

// cells counts the cells of table row l: its pipes but the first, not
// counting escaped ones (a pipe inside a cell).
func cells(l string) int {
	n := 0
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case '\\':
			i++
		case '|':
			n++
		}
	}
	return n - 1
}

// closestTable returns the well-formed table of the renderings from
// that shares most rows with run, nil when none shares a body or header
// row.
func closestTable(run []string, from [][]string) []string {
	has := map[string]bool{}
	for _, l := range run {
		if !tableSep.MatchString(l) {
			has[l] = true
		}
	}
	var best []string
	most := 0
	for _, lines := range from {
		for _, r := range tableRuns(lines) {
			t := lines[r[0]:r[1]]
			if !wellFormed(t) {
				continue
			}
			n := 0
			for _, l := range t {
				if has[l] {
					n++
				}
			}
			if n > most {
				best, most = t, n
			}
		}
	}
	return best
}

// twice reports whether s holds run at two places, which may share the
// spaces at their ends (a run right after itself).
func twice(s, run string) bool {
	k := strings.Index(s, run)
	return k >= 0 && strings.Contains(s[k+len(run)-1:], run)
}

// withoutInlineEchoes returns la and lb without the pairs of lines that
// are one line but for echoes ([inlineEcho]), and whether there were
// any. ta and tb are the echo texts of the renderings la and lb are from.
func withoutInlineEchoes(la, lb []string, ta, tb string, pages ...string) (restA, restB []string, found bool) {
	used := make([]bool, len(lb))
	for _, l := range la {
		paired := false
		for j, x := range lb {
			if !used[j] && inlineEcho(l, x, ta, tb, pages...) {
				used[j], paired, found = true, true, true
				break
			}
		}
		if !paired {
			restA = append(restA, l)
		}
	}
	for j, x := range lb {
		if !used[j] {
			restB = append(restB, x)
		}
	}
	return restA, restB, found
}

// units returns, for each line of a rendering, the words ([echoWords])
// of the unit it belongs to: its paragraph (the lines of a block), or
// the line itself when it is a list item, a table row, a heading or a
// quote line; "" for the front matter, the title, blank lines and images,
// whose text is no text of the page.
func units(lines []string) []string {
	out := make([]string, len(lines))
	start := bodyStart(lines)
	para := func(l string) bool { return blockKind(l) == "paragraph" && strings.TrimSpace(l) != "" }
	for i := start; i < len(lines); i++ {
		l := lines[i]
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "![") {
			continue
		}
		if !para(l) {
			out[i] = strings.Join(echoWords(l), " ")
			continue
		}
		j := i
		for j < len(lines) && para(lines[j]) {
			j++
		}
		var w []string
		for _, x := range lines[i:j] {
			w = append(w, echoWords(x)...)
		}
		for k := i; k < j; k++ {
			out[k] = strings.Join(w, " ")
		}
		i = j - 1
	}
	return out
}

// onPage returns the body lines of a rendering whose unit ([units]) the
// page (its words, [pageWords]) holds as a run of words; none when the
// page is unknown.
func onPage(lines []string, page string) map[string]bool {
	if page == "" {
		return nil
	}
	out := map[string]bool{}
	for i, u := range units(lines) {
		if u != "" && strings.Contains(page, " "+u+" ") {
			out[lines[i]] = true
		}
	}
	return out
}

// versionOf reports whether x is a version of the line l: equal as
// compared, the same words around a few others ([sameLine]), or l's
// words and more.
func versionOf(rules *SiteRules, l, x string) bool {
	if strings.TrimSpace(x) == "" {
		return false
	}
	if compareKey(canon(x, rules)) == compareKey(canon(l, rules)) || sameLine(rules, l, x) {
		return true
	}
	wl := strings.Join(echoWords(l), " ")
	return wl != "" && strings.Contains(" "+strings.Join(echoWords(x), " ")+" ", " "+wl+" ")
}

// minStillWords is the fewest words of a line that the page holds by
// itself, when not its whole paragraph ([stillOnPage]).
const minStillWords = 6

// stillOnPage reports, for each line of prev, whether its unit
// ([units]) is held by every page of pages (their words); all false when
// there is none or one is unknown.
func stillOnPage(prev []string, pages []string) []bool {
	out := make([]bool, len(prev))
	if len(pages) == 0 || slices.Contains(pages, "") {
		return out
	}
	for i, u := range units(prev) {
		if u == "" {
			continue
		}
		out[i] = true
		for _, p := range pages {
			out[i] = out[i] && strings.Contains(p, " "+u+" ")
		}
		// A sentence of a paragraph whose sentences the page holds apart
		// (furniture between them) is still on the page by itself.
		if w := echoWords(prev[i]); !out[i] && len(w) >= minStillWords {
			out[i] = true
			run := " " + strings.Join(w, " ") + " "
			for _, p := range pages {
				out[i] = out[i] && strings.Contains(p, run)
			}
		}
	}
	return out
}

// unEcho returns ins with each line that is a line of d but for echoes
// ([inlineEcho]) replaced by that line of d, as it was. prevText and
// xText are the echo texts of the renderings d and ins are from.
func unEcho(d, ins []string, prevText, xText string, pages []string) []string {
	var out []string
	used := make([]bool, len(d))
	for j, x := range ins {
		for i, l := range d {
			if !used[i] && strings.TrimSpace(x) != "" && inlineEcho(l, x, prevText, xText, pages...) {
				if out == nil {
					out = slices.Clone(ins)
				}
				out[j], used[i] = l, true
				break
			}
		}
	}
	if out == nil {
		return ins
	}
	return out
}

// holdRemoval is a change from d to ins without its removals: each old
// line stays, replaced by its new version when ins has one (the same
// words around a few others), and the new lines that are no version of
// an old one are added after them.
func (v *Volatility) holdRemoval(rules *SiteRules, d, ins []string) []string {
	used := make([]bool, len(ins))
	var out []string
	for _, l := range d {
		repl := l
		if v.volatileLine(rules, l, false) {
			out = append(out, l) // known noise stays as it was
			continue
		}
		for j, x := range ins {
			if used[j] || strings.TrimSpace(x) == "" {
				continue
			}
			wa, wb := strings.Fields(l), strings.Fields(x)
			if pre, suf := commonEnds(wa, wb); len(wa) > 0 && 2*(pre+suf) >= min(len(wa), len(wb)) {
				repl, used[j] = x, true
				if compareKey(canon(l, rules)) == compareKey(canon(x, rules)) {
					repl = l // the same line in another form keeps its bytes
				}
				break
			}
		}
		out = append(out, repl)
	}
	for j, x := range ins {
		if !used[j] && strings.TrimSpace(x) != "" && !v.volatileLine(rules, x, true) {
			out = append(out, "", x)
		}
	}
	return out
}

// removes reports whether a change from the lines d to ins mostly
// removes text: it has fewer lines than before and keeps less than half
// of the words. A line rewritten shorter (a new headline) is not a
// removal.
func removes(d, ins []string) bool {
	words := func(ls []string) int {
		n := 0
		for _, l := range ls {
			n += len(strings.Fields(l))
		}
		return n
	}
	return len(ins) < len(d) && 2*words(ins) < words(d)
}

// rotates reports whether a change replaces known noise by lines of the
// same kind: each new line (at most as many as the old ones, at most
// maxLearnWords words) has the block kind of the old line in its place
// and between half and twice its words, and every old line matches a
// rule: that place of the page may rotate. Such a change waits for a
// second reading (merge holds it); without one it is taken for the next
// variant, but never learned, since a correction note can take the place
// of a promo too. A line added beside the noise (a correction, a
// paragraph) makes the change longer than the noise it replaces, and
// stays an edit. v.mu is held.
func (v *Volatility) rotates(rules *SiteRules, d, ins []string) bool {
	nd, ni := nonBlank(d), nonBlank(ins)
	if len(nd) == 0 || len(ni) == 0 || len(ni) > len(nd) {
		return false
	}
	for _, l := range nd {
		if !v.volatileLine(rules, l, false) {
			return false
		}
	}
	for i, l := range ni {
		wl, wd := len(strings.Fields(l)), len(strings.Fields(nd[i]))
		if blockKind(l) != blockKind(nd[i]) || wl > maxLearnWords || 2*wl < wd || wl > 2*wd || wd > maxLearnWords {
			return false
		}
		// The same line with a few words changed is an edit of it, even
		// if the old one was taken for noise (compared after the rules,
		// since a promo may be glued to either).
		if wa, wb := strings.Fields(canon(nd[i], rules)), strings.Fields(canon(l, rules)); len(wa) >= 3 {
			if pre, suf := commonEnds(wa, wb); 2*(pre+suf) >= min(len(wa), len(wb)) {
				return false
			}
		}
	}
	return true
}

func nonBlank(lines []string) []string {
	var out []string
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

// blockKind is the kind of markdown block a line belongs to, by its
// start: list item, heading, quote, image, table row or paragraph.
func blockKind(l string) string {
	switch {
	case listMarker.MatchString(l) && !strings.HasPrefix(l, ">"):
		return "item"
	case strings.HasPrefix(l, "#"):
		return "heading"
	case strings.HasPrefix(l, ">"):
		return "quote"
	case strings.HasPrefix(l, "!["):
		return "image"
	case strings.HasPrefix(l, "|"):
		return "table"
	}
	return "paragraph"
}

// variant reports whether line l of the last version is another variant
// of a line the two fresh fetches disagree on (unstable): the same words
// around a few that differ. The differing words are then learned as a
// fragment, so that this place of the line counts as rotating. v.mu is
// held.
func (v *Volatility) variant(rules *SiteRules, l string, unstable []string) bool {
	wl := plainWords(l)
	if len(wl) == 0 {
		return false
	}
	if len(wl) < minFragmentLine {
		// A short line: another variant of a short line of its kind that
		// the fetches disagree on (a promo, a ticker item).
		for _, u := range unstable {
			wu := len(strings.Fields(u))
			if wu > 0 && wu < minFragmentLine && blockKind(u) == blockKind(l) && 2*len(wl) >= wu && len(wl) <= 2*wu {
				v.learnLine(rules, l, v.today())
				rules.compile()
				return true
			}
		}
		return false
	}
	for _, u := range unstable {
		wu := plainWords(u)
		if len(wu) < minFragmentLine {
			continue
		}
		pre, suf := commonEnds(wl, wu)
		if 2*(pre+suf) < min(len(wl), len(wu)) {
			continue
		}
		fl, fu := fragments(wl, wu)
		if len(fl) == 0 || !fragmentOK(fl) || !fragmentOK(fu) {
			continue
		}
		v.addFragment(rules, digitToken.ReplaceAllString(strings.ToLower(strings.Join(fl, " ")), "#"), l, v.today())
		rules.compile()
		return true
	}
	return false
}

// dropKnown removes the body lines of a new article's only rendering
// that the rules hold volatile. v.mu is held.
func (v *Volatility) dropKnown(rules *SiteRules, lines []string) []string {
	start := bodyStart(lines)
	out := slices.Clone(lines[:start])
	for _, l := range v.withoutCards(rules, lines[start:]) {
		if !v.volatileLine(rules, l, true) {
			out = append(out, l)
		}
	}
	return out
}

// agreed is the first rendering of a new article from two fetches: the
// lines both have, and the lines only one has that are long or that the
// other's page holds, in place (the other body lines only one has are
// dropped: furniture). Those are article text the extraction wobbled on,
// and kept, so that a later fetch that has them does not look like an
// edit. pa and pb are the words of the pages a and b were rendered from.
// The front matter and title come from a.
func (v *Volatility) agreed(rules *SiteRules, a, b []string, pa, pb string) []string {
	start := bodyStart(a)
	out := slices.Clone(a[:start])
	bs := bodyStart(b)
	onA, onB := onPage(a, pb), onPage(b, pa)
	long := func(l string) bool { return len(strings.Fields(canon(l, rules))) > maxLearnWords || onA[l] || onB[l] }
	ab, bb := slices.Clone(a[start:]), b[bs:]
	ta, tb := echoText(a), echoText(b)
	for _, op := range diffLines(lineKeys(ab), lineKeys(bb)) { // equal as compared: in a's form
		if op.equal {
			out = append(out, ab[op.a0:op.a1]...)
			continue
		}
		da, db := ab[op.a0:op.a1], bb[op.b0:op.b1]
		// A line both have, one of them with a pull quote set inside it
		// (or each with another): article text, without the echo.
		used, both := make([]bool, len(db)), make([]bool, len(da))
		for i, l := range da {
			for j, x := range db {
				if !used[j] && strings.TrimSpace(l) != "" && inlineEcho(l, x, ta, tb, pa, pb) {
					if len(echoWords(x)) < len(echoWords(l)) {
						da[i] = x
					}
					used[j], both[i] = true, true
					break
				}
			}
		}
		db = slices.Clone(db)
		for j := range db {
			if used[j] {
				db[j] = ""
			}
		}
		// A line both have with another sentence after it (furniture
		// glued to a list item): the sentences both have.
		for i, l := range da {
			for j, x := range db {
				if h, ok := commonHead(l, x); !both[i] && ok {
					da[i], db[j], both[i] = h, "", true
				}
			}
		}
		for i, l := range da {
			// A line both have in two variants (a promo glued into it) is
			// article text too.
			variant := !v.volatileLine(rules, l, false) && slices.ContainsFunc(db, func(x string) bool {
				return strings.TrimSpace(x) != "" && canon(x, rules) == canon(l, rules)
			})
			if long(l) || variant || both[i] {
				out = append(out, l)
			}
		}
		for _, l := range db {
			if long(l) && !slices.ContainsFunc(da, func(x string) bool { return sameLine(rules, x, l) }) {
				out = append(out, l)
			}
		}
	}
	// A block that repeats part of another (a pull quote) is not taken
	// in, as a merge never adds one: the next fetch's may be another.
	if echo := echoes(out, pa); len(echo) > 0 {
		out = slices.DeleteFunc(out, func(l string) bool { return echo[l] })
	}
	// Rows of a table the readings disagree on (a first row that
	// rotates) leave the rest without its header: the table is taken
	// whole from a reading.
	return mendTables(out, a, b)
}

// sameLine reports whether a and b are one line in two variants: equal
// after the rules, or the same words around at most maxFragment others.
func sameLine(rules *SiteRules, a, b string) bool {
	ca, cb := canon(a, rules), canon(b, rules)
	if ca == cb {
		return true
	}
	wa, wb := strings.Fields(ca), strings.Fields(cb)
	pre, suf := commonEnds(wa, wb)
	return 2*(pre+suf) >= min(len(wa), len(wb)) && len(wa)-pre-suf <= maxFragment && len(wb)-pre-suf <= maxFragment
}

// reading is one fresh rendering of a page, md, with the words of the
// whole page it was rendered from ([pageWords] of [extract.Article]'s
// PageText; "" when unknown).
type reading struct {
	md   []byte
	page string
	site pagePrint // the pages of the site's other articles (see sitePrints); nil when unknown
	// others renders the other readings of the page's body
	// ([extract.Article.Readings]); nil when there are none.
	others func() [][]byte
}

// pageWords returns the words of a page's text as echoes are compared
// ([echoWords]), with a space at either end, so that a run of words is
// looked for as " w1 w2 ".
func pageWords(text string) string {
	if strings.TrimSpace(text) == "" {
		return ""
	}
	return " " + strings.Join(echoWords(text), " ") + " "
}

// settle decides what one check of a page of host shows, given the last
// version prev (hasPrev) and the reading cur of a fresh fetch. It
// returns prev itself when nothing but known noise differs. Otherwise,
// in the site's learning runs (or within the confirming budget) it
// reads the page again through refetch (nil: it can't), learns what the
// two fresh renderings disagree on, and returns the last version with only
// the changes both reproduce; without a second reading, the last
// version with the changes the rules do not explain.
func (v *Volatility) settle(host string, cur reading, prev []byte, hasPrev bool, before pagePrint, refetch func() (reading, bool)) []byte {
	learning := v.begin(host)
	v.mu.Lock()
	rules := v.site(host)
	var p []string
	if hasPrev {
		p = splitLines(prev)
	}
	a := keepFront(fresh(splitLines(cur.md), rules, cur.page), p, rules)
	if hasPrev {
		m, held, _ := v.merge(rules, p, a, false, before, cur.site, []string{cur.page}, a)
		same := slices.Equal(m, p)
		v.mu.Unlock()
		if same && !held {
			return prev
		}
		if refetch == nil || !v.mayConfirm(host, learning, false) {
			// A headline that only gained, lost or swapped its tail
			// waits for a confirming fetch: that is how a site's
			// rotating tails are learned.
			if same || tailChangeOnly(p, m) {
				return prev
			}
			v.mu.Lock()
			defer v.mu.Unlock()
			return v.version(rules, m, p, prev, []string{cur.page}, a)
		}
	} else {
		v.mu.Unlock()
		if refetch == nil || !v.mayConfirm(host, learning, true) {
			v.mu.Lock()
			defer v.mu.Unlock()
			return joinLines(v.dropKnown(rules, a))
		}
	}
	second, ok := refetch()
	if ok {
		v.learn(host, cur, second, !hasPrev)
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	a = keepFront(fresh(splitLines(cur.md), rules, cur.page), p, rules)
	if !ok {
		if !hasPrev {
			return joinLines(v.dropKnown(rules, a))
		}
		m, _, _ := v.merge(rules, p, a, false, before, cur.site, []string{cur.page}, a)
		return v.version(rules, m, p, prev, []string{cur.page}, a)
	}
	b := keepFront(fresh(splitLines(second.md), rules, second.page), p, rules)
	if !hasPrev {
		return joinLines(v.agreed(rules, a, b, cur.page, second.page))
	}
	pages := []string{cur.page, second.page}
	agree := commonOnPage(a, b, cur.page, second.page, p)
	m, _, removed := v.merge(rules, p, agree, true, before, cur.site, pages, a, b)
	if removed {
		// Text gone from two fetches is still more often the extraction
		// wobbling than an edit: a third fetch must agree, else the
		// removal waits.
		v.mu.Unlock()
		var third reading
		ok := v.mayConfirm(host, learning, false)
		if ok {
			third, ok = refetch()
		}
		if ok {
			v.learn(host, cur, third, false)
		}
		v.mu.Lock()
		if ok {
			c := keepFront(fresh(splitLines(third.md), rules, third.page), p, rules)
			pages = append(pages, third.page)
			m, _, _ = v.merge(rules, p, common(agree, c), true, before, cur.site, pages, a, b, c)
			return v.version(rules, m, p, prev, pages, a, b, c)
		}
		m, _, _ = v.merge(rules, p, agree, false, before, cur.site, pages, a, b)
	}
	return v.version(rules, m, p, prev, pages, a, b)
}

// version returns what a check commits: the last version's bytes prev
// when the merge m left its lines p as they were, else m without the
// furniture the fresh readings (seen) and pages show gone ([shed]). v.mu
// is held.
func (v *Volatility) version(rules *SiteRules, m, p []string, prev []byte, pages []string, seen ...[]string) []byte {
	// Blank lines the merge set twice are no change: the file would be
	// the same.
	if slices.Equal(m, p) || bytes.Equal(joinLines(m), joinLines(p)) {
		return prev
	}
	return joinLines(v.shed(rules, m, p, pages, seen...))
}

// commonHead returns the sentences at the start of the lines a and b that
// both have, when that is most of each and each goes on with another
// sentence after it: furniture glued to the end of a list item or a
// paragraph, another on each request. ok is false when the lines share
// no such head.
func commonHead(a, b string) (head string, ok bool) {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	if n == len(a) || n == len(b) {
		return "", false // one holds the other whole: no two tails
	}
	// Back to the end of the last sentence both have.
	k := -1
	for i := n - 1; i > 0; i-- {
		if a[i] == ' ' && slices.ContainsFunc([]string{".", "!", "?", "”", `"`}, func(e string) bool { return strings.HasSuffix(a[:i], e) }) {
			k = i
			break
		}
	}
	if k < 0 {
		return "", false
	}
	head = strings.TrimSpace(a[:k])
	if 2*len(head) < min(len(a), len(b)) || len(plainWords(head)) < minFragmentLine ||
		strings.Count(head, "[") != strings.Count(head, "]") || strings.Count(head, "(") != strings.Count(head, ")") {
		return "", false
	}
	return head, true
}

// keysOf returns the set of the lines of lists as compared without rules
// ([lineKeys]).
func keysOf(lists ...[]string) map[string]bool {
	keys := map[string]bool{}
	for _, l := range lists {
		for _, k := range lineKeys(l) {
			keys[k] = true
		}
	}
	return keys
}

// shed returns m, a merge of the last version prev about to be committed,
// without the lines of prev that the site's rules know as volatile and
// that no fresh reading has and no fresh page (pages, their words) still
// holds: furniture an earlier version took in (the two readings of a new
// article had the same promo by chance). It goes with the next real
// change, never with a commit of its own, and an edit next to it is then
// an addition, not the next variant of the furniture. Text the page still
// holds stays, whatever the rules say: a rule never removes article text.
// v.mu is held.
func (v *Volatility) shed(rules *SiteRules, m, prev []string, pages []string, seen ...[]string) []string {
	if rules == nil || len(rules.Lines) == 0 || len(pages) == 0 || slices.Contains(pages, "") {
		return m // without the pages, nothing shows the text is gone
	}
	inSeen := keysOf(seen...)
	still := stillOnPage(prev, pages)
	stale := map[string]bool{}
	for i := bodyStart(prev); i < len(prev); i++ {
		if l := prev[i]; strings.TrimSpace(l) != "" && !still[i] && !inSeen[compareKey(canon(l, nil))] && v.volatileLine(rules, l, false) {
			stale[l] = true
		}
	}
	if len(stale) == 0 {
		return m
	}
	return slices.DeleteFunc(slices.Clone(m), func(l string) bool { return stale[l] })
}

// loadVolatile takes the learned rules out of the state files, so the
// rest decodes as the schedule state, and loads them into the tracker's
// Volatility. It returns the rest, nil when nothing is left (a state
// holding only rules, written by stet fetch, is rebuilt from the history
// like a missing one). A damaged rules file is logged and forgotten:
// rules are learned again. Without a Volatility the files are returned
// as read ([DecodeState] skips the rules), so the rules are written back
// unchanged.
func (p *Pass) loadVolatile(files map[string][]byte) map[string][]byte {
	v := p.Tracker.Volatile
	if v == nil {
		return files // kept as read, so writing the state keeps the rules
	}
	b, ok := files[VolatileFile]
	delete(files, VolatileFile)
	if !ok {
		b = nil
	}
	if err := v.Load(b); err != nil {
		p.logger().Warn("forgetting unreadable volatility rules", "err", err)
		_ = v.Load(nil)
	}
	if len(files) == 0 {
		return nil
	}
	return files
}

// withVolatile adds the learned rules to the state files to write.
func (p *Pass) withVolatile(files map[string][]byte) map[string][]byte {
	if v := p.Tracker.Volatile; v != nil {
		if b := v.Encode(); b != nil {
			files[VolatileFile] = b
		}
	}
	return files
}

// ReadVolatile returns the rules kept in the schedule state files.
func ReadVolatile(files map[string][]byte) (*Volatility, error) {
	v := &Volatility{}
	if err := v.Load(files[VolatileFile]); err != nil {
		return nil, err
	}
	return v, nil
}

// settle runs [Volatility.settle] for the article at path, reading its
// last version from the archive. pageText is the text of the page md
// was rendered from.
func (t *Tracker) settle(path, canon string, md []byte, others func() [][]byte, pageText, print string, site pagePrint, refetch func() (reading, bool)) ([]byte, error) {
	// Equal bytes are decided on the blob hash first, so an unchanged
	// article reads (in a partial clone: fetches) no blob here either.
	same, _, err := t.Archive.Unchanged(path, md)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if same {
		t.Volatile.begin(siteOf(canon))
		return md, nil
	}
	prev, hasPrev, err := t.Archive.Current(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	// Of the page's readings that its prose supports about equally, the
	// one closest to the last version is the page as it was read before;
	// a confirming fetch is read as the one closest to the last version,
	// or, for a new article, to the first fetch.
	target := prev
	if hasPrev {
		md = closest(prev, md, others)
		if bytes.Equal(md, prev) {
			t.Volatile.begin(siteOf(canon))
			return md, nil
		}
	} else {
		target = md
	}
	if refetch != nil {
		again := refetch
		refetch = func() (reading, bool) {
			r, ok := again()
			if ok {
				r.md = closest(target, r.md, r.others)
			}
			return r, ok
		}
	}
	return t.Volatile.settle(siteOf(canon), reading{md: md, page: pageWords(pageText), site: site}, prev, hasPrev, readPrint(print), refetch), nil
}

// closest returns, of the rendering md and the other readings others
// renders, the one whose body lines are most alike the lines of target
// (the share of the lines either has that both have, lines compared as
// merges compare them), when that is at least readingSwitch more alike
// than md; else md. A few lines more or less are furniture, which the
// learned rules and the merge deal with; a reading much closer to the
// last version is the page read as before, where the extractor's choice
// flipped.
func closest(target, md []byte, others func() [][]byte) []byte {
	if others == nil {
		return md
	}
	alts := others()
	if len(alts) == 0 {
		return md
	}
	keys := func(b []byte) map[string]bool {
		ls := splitLines(b)
		out := map[string]bool{}
		for _, l := range ls[bodyStart(ls):] {
			if strings.TrimSpace(l) != "" {
				out[compareKey(canon(l, nil))] = true
			}
		}
		return out
	}
	want := keys(target)
	alike := func(b []byte) float64 {
		got := keys(b)
		both := 0
		for k := range got {
			if want[k] {
				both++
			}
		}
		if all := len(got) + len(want) - both; all > 0 {
			return float64(both) / float64(all)
		}
		return 0
	}
	best, score := md, alike(md)+readingSwitch
	for _, a := range alts {
		if s := alike(a); s > score {
			best, score = a, s
		}
	}
	return best
}

// readingSwitch is how much more alike the last version (see [closest])
// another reading of a page must be to be taken instead of the
// extractor's choice.
const readingSwitch = 0.1

// refetcher returns the function that fetches and renders u once more,
// unconditionally and within the client's politeness limits, for
// [Volatility.settle]. It reports false when the page could not be
// fetched or is not the article (a gate).
func (t *Tracker) refetcher(ctx context.Context, u string) func() (reading, bool) {
	if t.Volatile == nil {
		return nil
	}
	return func() (reading, bool) {
		page, err := t.Client.Get(ctx, fetch.Request{URL: u, Kind: fetch.HTML})
		if err != nil || page.NotModified {
			t.logger().Debug("confirming fetch failed", "url", u, "err", err)
			return reading{}, false
		}
		ex := t.Extractor
		if ex == nil {
			ex = &extract.Extractor{}
		}
		art, err := ex.Extract(page.Body, page.FinalURL)
		if err != nil || art.Gate != "" {
			return reading{}, false
		}
		return reading{md: art.Markdown(), page: pageWords(art.PageText), others: art.Readings}, true
	}
}

// OpenVolatile reads the rules kept in arch's schedule state, for a
// command that checks articles without a [Pass] (stet fetch); a damaged
// rules file gives empty rules. Keep them with [SaveVolatile].
func OpenVolatile(arch *archive.Archive, now func() time.Time) (*Volatility, error) {
	files, err := arch.ReadState()
	if err != nil {
		return nil, fmt.Errorf("read state: %w", err)
	}
	v := &Volatility{Now: now}
	if err := v.Load(files[VolatileFile]); err != nil {
		_ = v.Load(nil)
	}
	v.BeginRun()
	return v, nil
}

// SaveVolatile writes v's rules into arch's schedule state, keeping the
// rest of the state as it is. It writes nothing when they are unchanged.
func SaveVolatile(arch *archive.Archive, v *Volatility, when time.Time) error {
	files, err := arch.ReadState()
	if err != nil {
		return fmt.Errorf("read state: %w", err)
	}
	if files == nil {
		files = map[string][]byte{}
	}
	b := v.Encode()
	if bytes.Equal(files[VolatileFile], b) {
		return nil
	}
	if b == nil {
		delete(files, VolatileFile)
	} else {
		files[VolatileFile] = b
	}
	if err := arch.WriteState(files, when); err != nil {
		return fmt.Errorf("write state: %w", err)
	}
	return nil
}
