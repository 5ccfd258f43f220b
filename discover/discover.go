package discover

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/stet-archive/stet/extract"
	"github.com/stet-archive/stet/fetch"
)

// Defaults used when the matching [Discoverer] field is zero.
const (
	DefaultMaxItems    = 5000
	DefaultMaxSitemaps = 50
)

// Via values of [Candidate].
const (
	ViaFeed    = "feed"
	ViaSitemap = "sitemap"
	ViaPage    = "page"
)

// Candidate is one article URL found by discovery.
type Candidate struct {
	URL       string    // canonical (see [Canonical])
	Source    string    // the [Source] name; empty from the Parse functions
	Via       string    // [ViaFeed], [ViaSitemap] or [ViaPage]
	Title     string    // when the feed or news sitemap gives one
	Published time.Time // UTC, when the feed or news sitemap gives one; else zero
}

// Source is one site's discovery configuration.
type Source struct {
	Name     string   // copied to [Candidate].Source and used in errors and logs
	Feeds    []string // RSS, Atom or JSON Feed URLs
	Sitemaps []string // sitemap or sitemap index URLs, incl. Google News sitemaps and .xml.gz
	// Pages are section or front pages; their <a href> links become
	// candidates. Without Include, only links to the page's own site
	// (its host, ignoring "www.") count, and never the page itself or a
	// site's front page ("/"); with Include, Include decides.
	Pages []string
	// Include, when non-empty, keeps only candidates whose canonical URL
	// matches at least one pattern. It applies to feeds, sitemaps and pages.
	Include []*regexp.Regexp
	// Exclude drops candidates whose canonical URL matches any pattern. It
	// applies to feeds, sitemaps and pages, after Include.
	Exclude []*regexp.Regexp
}

// Discoverer finds candidate article URLs. Its fields are settings; the
// zero value is ready to use, and a Discoverer is safe for concurrent use
// as long as its fields are not changed.
type Discoverer struct {
	// Client fetches feeds, sitemaps and pages and answers robots.txt
	// questions. nil means a fetch.Client with default options and Robots
	// on, made afresh for each call to Discover.
	Client *fetch.Client
	Logger *slog.Logger // nil discards; Debug per URL, Warn for skips, Info per source
	// MaxItems caps the candidates returned per source; 0 means
	// DefaultMaxItems. Discovery stops fetching once it is reached.
	MaxItems int
	// MaxSitemaps caps the sitemap files fetched per source, counting
	// those reached through indexes; 0 means DefaultMaxSitemaps.
	MaxSitemaps int
	// MaxAge drops feed items and sitemap entries dated (published, else
	// <lastmod>) more than MaxAge before Now, and skips index children whose
	// <lastmod> is that old. Undated entries are kept. 0 keeps everything.
	MaxAge time.Duration
	Now    func() time.Time // nil means time.Now
}

// Discover fetches s's feeds (in order), then its sitemaps (breadth first
// through indexes, each file at most once), then its pages, and returns the
// candidates found, in that order, with Source set to s.Name. Candidates
// are deduplicated by article: URLs whose [Canonical] forms differ only in
// http/https or a leading "www." are one candidate, which keeps the first
// one's position, takes the https URL when one was seen, and the first
// non-empty Title and Published.
//
// URLs that robots.txt disallows (asked through Client.Allowed) are
// skipped with a warning, not reported as errors. A URL that cannot be
// fetched or parsed is recorded and discovery goes on; the returned error
// is the errors.Join of those failures (each wrapping the fetch or parse
// error, e.g. a *fetch.StatusError or [ErrNotSitemap]), returned together
// with the candidates found. When ctx is done Discover stops and returns
// what it has, joined with ctx.Err().
func (d *Discoverer) Discover(ctx context.Context, s Source) ([]Candidate, error) {
	p := &pass{
		d:      d,
		src:    s,
		client: d.Client,
		log:    d.Logger,
		max:    d.MaxItems,
		index:  map[string]int{},
	}
	if p.client == nil {
		p.client = fetch.New(fetch.Options{Robots: true})
	}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	if p.max <= 0 {
		p.max = DefaultMaxItems
	}
	p.now = time.Now()
	if d.Now != nil {
		p.now = d.Now()
	}

	for _, u := range s.Feeds {
		if p.stop(ctx) {
			break
		}
		p.feed(ctx, u)
	}
	p.sitemaps(ctx)
	for _, u := range s.Pages {
		if p.stop(ctx) {
			break
		}
		p.page(ctx, u)
	}
	if err := ctx.Err(); err != nil {
		p.errs = append(p.errs, fmt.Errorf("discover %s: %w", s.Name, err))
	}
	p.log.Info("discovered", "source", s.Name, "candidates", len(p.out), "errors", len(p.errs))
	return p.out, errors.Join(p.errs...)
}

// pass is the per-call state of one Discover call.
type pass struct {
	d      *Discoverer
	src    Source
	client *fetch.Client
	log    *slog.Logger
	max    int
	now    time.Time

	out   []Candidate
	index map[string]int // identity → position in out
	errs  []error
}

// stop reports whether discovery should end: ctx is done or the source
// has MaxItems candidates.
func (p *pass) stop(ctx context.Context) bool {
	return ctx.Err() != nil || len(p.out) >= p.max
}

// fail records a failure for one discovery URL.
func (p *pass) fail(via, u string, err error) {
	p.log.Warn("discovery url failed", "source", p.src.Name, "via", via, "url", u, "error", err)
	p.errs = append(p.errs, fmt.Errorf("discover %s %s %s: %w", p.src.Name, via, u, err))
}

// get fetches u after asking robots.txt. It returns nil, nil for a URL
// that robots.txt disallows (already logged).
func (p *pass) get(ctx context.Context, via, u string, kind fetch.Kind) (*fetch.Page, error) {
	ok, err := p.client.Allowed(ctx, u)
	if err != nil {
		return nil, err
	}
	if ok {
		var page *fetch.Page
		page, err = p.client.Get(ctx, fetch.Request{URL: u, Kind: kind})
		if err == nil {
			p.log.Debug("fetched discovery url", "source", p.src.Name, "via", via, "url", u, "bytes", len(page.Body))
			return page, nil
		}
		if !errors.Is(err, fetch.ErrDisallowed) {
			return nil, err
		}
	}
	p.log.Warn("skipped discovery url disallowed by robots.txt", "source", p.src.Name, "via", via, "url", u)
	return nil, nil
}

func (p *pass) feed(ctx context.Context, u string) {
	page, err := p.get(ctx, ViaFeed, u, fetch.Feed)
	if err != nil {
		p.fail(ViaFeed, u, err)
		return
	}
	if page == nil {
		return
	}
	cs, err := parseFeed(page.Body, finalURL(page, u), p.max)
	if err != nil {
		p.fail(ViaFeed, u, err)
		return
	}
	for _, c := range cs {
		p.add(c, time.Time{})
	}
}

// sitemaps walks s.Sitemaps and the indexes they lead to, breadth first.
func (p *pass) sitemaps(ctx context.Context) {
	limit := p.d.MaxSitemaps
	if limit <= 0 {
		limit = DefaultMaxSitemaps
	}
	queue := append([]string(nil), p.src.Sitemaps...)
	visited := map[string]bool{}
	fetched := 0
	for len(queue) > 0 && !p.stop(ctx) {
		u := queue[0]
		queue = queue[1:]
		key := sitemapKey(u)
		if visited[key] {
			continue
		}
		if fetched >= limit {
			p.log.Warn("sitemap limit reached", "source", p.src.Name, "limit", limit, "url", u)
			return
		}
		visited[key] = true
		fetched++
		page, err := p.get(ctx, ViaSitemap, u, fetch.Feed)
		if err != nil {
			p.fail(ViaSitemap, u, err)
			continue
		}
		if page == nil {
			continue
		}
		final := finalURL(page, u)
		visited[sitemapKey(final)] = true
		entries, children, err := parseSitemap(page.Body, final, maxSitemapChildren)
		if err != nil {
			// Keep what was read before the error.
			p.fail(ViaSitemap, u, err)
		}
		for _, e := range entries {
			p.add(e.Candidate, e.modified)
		}
		for _, c := range children {
			if p.tooOld(c.modified) {
				continue
			}
			queue = append(queue, c.url)
		}
	}
}

// sitemapKey identifies a sitemap file for the visited set.
func sitemapKey(u string) string {
	return identity(extract.CleanURLString(u))
}

func (p *pass) page(ctx context.Context, u string) {
	page, err := p.get(ctx, ViaPage, u, fetch.HTML)
	if err != nil {
		p.fail(ViaPage, u, err)
		return
	}
	if page == nil {
		return
	}
	final := finalURL(page, u)
	self, _ := Canonical(final)
	site := siteHost(self)
	for _, link := range PageLinks(page.Body, final) {
		c, err := Canonical(link)
		if err != nil || identity(c) == identity(self) {
			continue
		}
		if len(p.src.Include) == 0 {
			lu, _ := url.Parse(c)
			if siteHost(c) != site || lu.Path == "/" {
				continue
			}
		}
		p.add(Candidate{URL: c, Via: ViaPage}, time.Time{})
		if len(p.out) >= p.max {
			return
		}
	}
}

// siteHost is the host of a canonical URL without a leading "www.".
func siteHost(canon string) string {
	u, err := url.Parse(canon)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Host, "www.")
}

func finalURL(page *fetch.Page, requested string) string {
	if page.FinalURL != "" {
		return page.FinalURL
	}
	return requested
}

// tooOld reports whether t is set and more than MaxAge before now.
func (p *pass) tooOld(t time.Time) bool {
	return p.d.MaxAge > 0 && !t.IsZero() && p.now.Sub(t) > p.d.MaxAge
}

// add filters c and merges it into the result. modified is a sitemap
// <lastmod>, used for MaxAge when c has no Published time.
func (p *pass) add(c Candidate, modified time.Time) {
	dated := c.Published
	if dated.IsZero() {
		dated = modified
	}
	if p.tooOld(dated) || !p.wanted(c.URL) {
		return
	}
	c.Source = p.src.Name
	key := identity(c.URL)
	if i, ok := p.index[key]; ok {
		old := &p.out[i]
		if strings.HasPrefix(c.URL, "https://") && !strings.HasPrefix(old.URL, "https://") {
			old.URL = c.URL
		}
		if old.Title == "" {
			old.Title = c.Title
		}
		if old.Published.IsZero() {
			old.Published = c.Published
		}
		return
	}
	if len(p.out) >= p.max {
		return
	}
	p.index[key] = len(p.out)
	p.out = append(p.out, c)
}

// wanted applies the source's Include and Exclude patterns.
func (p *pass) wanted(u string) bool {
	if len(p.src.Include) > 0 {
		ok := false
		for _, re := range p.src.Include {
			if re.MatchString(u) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	for _, re := range p.src.Exclude {
		if re.MatchString(u) {
			return false
		}
	}
	return true
}
