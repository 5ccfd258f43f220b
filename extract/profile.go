package extract

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"go.yaml.in/yaml/v3"
)

//go:embed profiles/*.yaml
var builtinFS embed.FS

// Profile is a declarative set of extraction rules for one site, decoded
// from YAML by [ParseProfiles]:
//
//	name: bbc
//	version: 1
//	hosts: [bbc.co.uk, bbc.com]
//	body: ["article", "main#main-content"]
//	title: ["h1#main-heading"]
//	byline: ["[data-testid=byline-name]"]
//	published: ["time[datetime]"]
//	drop: ["[data-component=links-block]"]
//	drop_text: ["^Follow us on", "(?i)^sign up for"]
//	images:
//	  - match: ichef.bbci.co.uk
//	    strip_query: [width, quality]
//	    replace: {pattern: "/(\\d+)/cpsprodpb/", with: "/976/cpsprodpb/"}
//
// Every selector list is tried in order and the first selector that
// matches anything wins, so a list holds the current markup first and
// older or alternative markup after it. A Profile must come from
// [ParseProfiles] (or [BuiltinProfiles]): its rules are compiled there.
type Profile struct {
	// Name identifies the profile in Article.Extractor ("profile=bbc/1")
	// and in [Profiles.With]: lower-case letters, digits and '-'.
	Name string `yaml:"name"`
	// Version is bumped whenever a change to the rules may change the
	// extracted text, so archive history can tell rule changes from edits.
	Version int `yaml:"version"`
	// Hosts are the host names the profile applies to. A plain name such
	// as "bbc.com" matches that host and every subdomain of it
	// (www.bbc.com, news.bbc.com); "*.bbc.com" matches only subdomains.
	// Matching ignores case and a trailing dot.
	Hosts []string `yaml:"hosts"`
	// Body selects the article body root. When the selector matches
	// several nodes, all of them are the body, in document order.
	Body []string `yaml:"body"`
	// Title selects the headline (its text, or its content attribute).
	Title []string `yaml:"title"`
	// Byline selects author names; the texts of all nodes the first
	// matching selector finds are joined with ", ".
	Byline []string `yaml:"byline"`
	// Published selects the publication time: the datetime attribute is
	// preferred, then the content attribute, then the text. A value found
	// here replaces the page's JSON-LD date, so list precise sources
	// (datetime attributes, meta tags) before day-only display text.
	Published []string `yaml:"published"`
	// Drop selects boilerplate removed from the page before the body is
	// chosen: related links, share bars, newsletter boxes, promos.
	Drop []string `yaml:"drop"`
	// DropText holds regular expressions (RE2 syntax) matched against
	// each paragraph's text; a paragraph that matches any is dropped.
	DropText []string `yaml:"drop_text"`
	// Images are rewrite rules for image URLs, applied in order.
	Images []ImageRule `yaml:"images"`

	dropRes []*regexp.Regexp
}

// ImageRule rewrites the URLs of images that match it, typically to ask a
// site's image server for one stable rendition so that resizing an image
// does not show up as an edit.
type ImageRule struct {
	// Match selects the URLs the rule applies to. A plain host name
	// matches that host and its subdomains, like [Profile.Hosts]; a value
	// holding any of the characters \^$*+?()[]{}| is a regular expression
	// matched against the whole URL.
	Match string `yaml:"match"`
	// StripQuery names query parameters to remove; "*" removes the whole
	// query.
	StripQuery []string `yaml:"strip_query"`
	// Replace, when set, rewrites the URL with a regular expression after
	// StripQuery.
	Replace *Rewrite `yaml:"replace"`

	match *regexp.Regexp
}

// Rewrite is a regular expression replacement, as in
// [regexp.Regexp.ReplaceAllString]: With may refer to groups as $1.
type Rewrite struct {
	// Pattern is the regular expression (RE2 syntax) to replace.
	Pattern string `yaml:"pattern"`
	// With is the replacement text; $1 or ${name} refer to groups.
	With string `yaml:"with"`

	re *regexp.Regexp
}

// ErrProfile is wrapped by every error [ParseProfiles] returns.
var ErrProfile = errors.New("invalid site profile")

var profileNameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// hostRe accepts a host name, optionally led by "*.", without a port.
var hostRe = regexp.MustCompile(`^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$`)

// ParseProfiles decodes one or more YAML documents (separated by "---"),
// one profile each. Decoding is strict: unknown keys are errors. Selectors
// and regular expressions are compiled here, and an error names the line
// of the offending value and wraps [ErrProfile].
func ParseProfiles(data []byte) ([]*Profile, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	nodes := yaml.NewDecoder(bytes.NewReader(data))
	var out []*Profile
	for {
		var p Profile
		err := dec.Decode(&p)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrProfile, err)
		}
		var doc yaml.Node
		if err := nodes.Decode(&doc); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrProfile, err)
		}
		if err := p.compile(&doc); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrProfile, err)
		}
		out = append(out, &p)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no profile in input", ErrProfile)
	}
	return out, nil
}

// compile validates p and compiles its patterns. doc is the YAML node p
// was decoded from, used to name lines in errors.
func (p *Profile) compile(doc *yaml.Node) error {
	at := func(key string, i int) string {
		if n := valueNode(doc, key, i); n != nil {
			return fmt.Sprintf("line %d: ", n.Line)
		}
		return ""
	}
	if !profileNameRe.MatchString(p.Name) {
		return fmt.Errorf("%sname %q: want lower-case letters, digits and '-'", at("name", -1), p.Name)
	}
	if p.Version < 1 {
		return fmt.Errorf("%sprofile %s: version must be 1 or more", at("version", -1), p.Name)
	}
	if len(p.Hosts) == 0 {
		return fmt.Errorf("%sprofile %s: no hosts", at("name", -1), p.Name)
	}
	for i, h := range p.Hosts {
		h = normHost(h)
		if !hostRe.MatchString(h) {
			return fmt.Errorf("%sprofile %s: bad host %q", at("hosts", i), p.Name, p.Hosts[i])
		}
		p.Hosts[i] = h
	}
	for _, f := range []struct {
		key  string
		sels []string
	}{{"body", p.Body}, {"title", p.Title}, {"byline", p.Byline}, {"published", p.Published}, {"drop", p.Drop}} {
		for i, s := range f.sels {
			if strings.TrimSpace(s) == "" {
				return fmt.Errorf("%sprofile %s: %s: empty selector", at(f.key, i), p.Name, f.key)
			}
			if _, err := cascadia.ParseGroup(s); err != nil {
				return fmt.Errorf("%sprofile %s: %s selector %q: %w", at(f.key, i), p.Name, f.key, s, err)
			}
		}
	}
	p.dropRes = nil
	for i, s := range p.DropText {
		re, err := regexp.Compile(s)
		if err != nil {
			return fmt.Errorf("%sprofile %s: drop_text: %w", at("drop_text", i), p.Name, err)
		}
		p.dropRes = append(p.dropRes, re)
	}
	for i := range p.Images {
		r := &p.Images[i]
		where := ""
		if n := valueNode(doc, "images", i); n != nil {
			where = fmt.Sprintf("line %d: ", n.Line)
		}
		switch {
		case strings.TrimSpace(r.Match) == "":
			return fmt.Errorf("%sprofile %s: image rule without match", where, p.Name)
		case strings.ContainsAny(r.Match, `\^$*+?()[]{}|`):
			re, err := regexp.Compile(r.Match)
			if err != nil {
				return fmt.Errorf("%sprofile %s: image match: %w", where, p.Name, err)
			}
			r.match = re
		default:
			r.Match = normHost(r.Match)
			if !hostRe.MatchString(r.Match) {
				return fmt.Errorf("%sprofile %s: image match: bad host %q", where, p.Name, r.Match)
			}
		}
		if r.Replace != nil {
			re, err := regexp.Compile(r.Replace.Pattern)
			if err != nil {
				return fmt.Errorf("%sprofile %s: image replace: %w", where, p.Name, err)
			}
			if r.Replace.Pattern == "" {
				return fmt.Errorf("%sprofile %s: image replace without pattern", where, p.Name)
			}
			r.Replace.re = re
		}
		if len(r.StripQuery) == 0 && r.Replace == nil {
			return fmt.Errorf("%sprofile %s: image rule does nothing (no strip_query or replace)", where, p.Name)
		}
	}
	return nil
}

// valueNode returns the value of key in the mapping doc holds, or its
// i'th item when i >= 0 and the value is a sequence; nil when absent.
func valueNode(doc *yaml.Node, key string, i int) *yaml.Node {
	n := doc
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for j := 0; j+1 < len(n.Content); j += 2 {
		if n.Content[j].Value != key {
			continue
		}
		v := n.Content[j+1]
		if i >= 0 && v.Kind == yaml.SequenceNode && i < len(v.Content) {
			return v.Content[i]
		}
		return v
	}
	return nil
}

func normHost(h string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
}

// Profiles is a set of site profiles matched by host. A nil *Profiles
// matches nothing. A Profiles is not changed after it is built, so it is
// safe for concurrent use.
type Profiles struct {
	list []*Profile // sorted by name
}

// BuiltinProfiles returns the site profiles embedded in stet, parsed anew
// on each call, which takes milliseconds: call it once and share the
// result, which is safe for concurrent use. The embedded files are checked
// by tests, so it does not fail; should one ever be unreadable, it is left
// out.
func BuiltinProfiles() *Profiles {
	ps := &Profiles{}
	files, _ := fs.Glob(builtinFS, "profiles/*.yaml")
	for _, f := range files {
		data, err := builtinFS.ReadFile(f)
		if err != nil {
			continue
		}
		list, err := ParseProfiles(data)
		if err != nil {
			continue
		}
		ps = ps.With(list...)
	}
	return ps
}

// builtinErrors parses the embedded profiles and reports the first error;
// the tests use it to keep [BuiltinProfiles] from skipping anything.
func builtinErrors() error {
	files, err := fs.Glob(builtinFS, "profiles/*.yaml")
	if err != nil {
		return err
	}
	for _, f := range files {
		data, err := builtinFS.ReadFile(f)
		if err != nil {
			return err
		}
		if _, err := ParseProfiles(data); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
	}
	return nil
}

// With returns a new set holding ps's profiles and extra: a profile in
// extra replaces the one of the same name in ps, or is added. Later
// entries in extra win over earlier ones; nil entries are skipped. ps may
// be nil, and is not changed.
func (ps *Profiles) With(extra ...*Profile) *Profiles {
	out := &Profiles{}
	if ps != nil {
		out.list = slices.Clone(ps.list)
	}
	for _, p := range extra {
		if p == nil {
			continue
		}
		i := slices.IndexFunc(out.list, func(q *Profile) bool { return q.Name == p.Name })
		if i >= 0 {
			out.list[i] = p
		} else {
			out.list = append(out.list, p)
		}
	}
	slices.SortStableFunc(out.list, func(a, b *Profile) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Names returns the names of the profiles in ps, sorted.
func (ps *Profiles) Names() []string {
	if ps == nil {
		return nil
	}
	names := make([]string, len(ps.list))
	for i, p := range ps.list {
		names[i] = p.Name
	}
	return names
}

// Match returns the profile for host, or nil when none matches or ps is
// nil. The most specific pattern wins: the one with the most labels, and
// an exact host over "*." of the same length; ties go to the profile whose
// name sorts first.
func (ps *Profiles) Match(host string) *Profile {
	if ps == nil {
		return nil
	}
	host = normHost(host)
	if h, _, ok := strings.Cut(host, ":"); ok && !strings.Contains(h, "]") {
		host = h
	}
	var best *Profile
	bestScore := 0
	for _, p := range ps.list {
		for _, pat := range p.Hosts {
			if s := hostScore(pat, host); s > bestScore {
				best, bestScore = p, s
			}
		}
	}
	return best
}

// hostScore is 0 when pat does not match host, else higher for more
// specific patterns.
func hostScore(pat, host string) int {
	if host == "" || pat == "" {
		return 0
	}
	labels := strings.Count(pat, ".") + 1
	if rest, ok := strings.CutPrefix(pat, "*."); ok {
		if strings.HasSuffix(host, "."+rest) {
			return 2 * labels
		}
		return 0
	}
	if host == pat || strings.HasSuffix(host, "."+pat) {
		return 2*labels + 1
	}
	return 0
}

// first returns the nodes the first selector of sels that matches
// anything in sel finds; an empty selection when none does.
func first(sel *goquery.Selection, sels []string) *goquery.Selection {
	for _, s := range sels {
		if found := sel.Find(s); found.Length() > 0 {
			return found
		}
	}
	return sel.Find("stet-profile-none")
}

// selectBody returns the body root chosen by the profile, or an empty
// selection when the profile's selectors match nothing. Nested matches
// are reduced to the outermost, so no text is taken twice.
func (p *Profile) selectBody(doc *goquery.Document) *goquery.Selection {
	found := first(doc.Selection, p.Body)
	if found.Length() < 2 {
		return found
	}
	return found.FilterFunction(func(_ int, s *goquery.Selection) bool {
		return s.ParentsFiltered("*").FilterNodes(found.Nodes...).Length() == 0
	})
}

// drop removes the profile's boilerplate nodes from sel.
func (p *Profile) drop(sel *goquery.Selection) {
	for _, s := range p.Drop {
		sel.Find(s).Remove()
	}
}

// dropText reports whether a paragraph's text matches one of the profile's
// text patterns to drop.
func (p *Profile) dropText(text string) bool {
	for _, re := range p.dropRes {
		if re.MatchString(text) {
			return true
		}
	}
	return false
}

// imageURL rewrites an image URL by the profile's image rules. A URL that
// does not parse is returned unchanged.
func (p *Profile) imageURL(u string) string {
	for _, r := range p.Images {
		pu, err := url.Parse(u)
		if err != nil {
			return u
		}
		if r.match != nil {
			if !r.match.MatchString(u) {
				continue
			}
		} else if hostScore(r.Match, normHost(pu.Hostname())) == 0 {
			continue
		}
		if len(r.StripQuery) > 0 && pu.RawQuery != "" {
			if slices.Contains(r.StripQuery, "*") {
				pu.RawQuery = ""
			} else {
				q := pu.Query()
				for _, k := range r.StripQuery {
					q.Del(k)
				}
				pu.RawQuery = q.Encode()
			}
			u = pu.String()
		}
		if r.Replace != nil && r.Replace.re != nil {
			u = r.Replace.re.ReplaceAllString(u, r.Replace.With)
		}
	}
	return u
}

// meta returns metadata the profile's selectors find; empty when none.
func (p *Profile) meta(doc *goquery.Document) (title, byline string, published time.Time) {
	if s := first(doc.Selection, p.Title).First(); s.Length() > 0 {
		title = nodeValue(s)
	}
	if s := first(doc.Selection, p.Byline); s.Length() > 0 {
		var names []string
		s.Each(func(_ int, n *goquery.Selection) {
			if v := cleanText(nodeValue(n)); v != "" && !slices.Contains(names, v) {
				names = append(names, v)
			}
		})
		byline = strings.Join(names, ", ")
	}
	for _, sel := range p.Published {
		found := false
		doc.Find(sel).EachWithBreak(func(_ int, n *goquery.Selection) bool {
			for _, v := range []string{n.AttrOr("datetime", ""), n.AttrOr("content", ""), n.Text()} {
				if t, ok := parseDate(v); ok {
					published, found = t, true
					return false
				}
			}
			return true
		})
		if found {
			break
		}
	}
	return title, byline, published
}

// nodeValue is a meta tag's content or an element's text.
func nodeValue(s *goquery.Selection) string {
	if goquery.NodeName(s) == "meta" {
		return s.AttrOr("content", "")
	}
	return s.Text()
}
