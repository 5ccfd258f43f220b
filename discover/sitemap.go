package discover

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/html/charset"

	"github.com/stet-archive/stet/extract"
)

// MaxSitemapBytes is the most a gzipped sitemap may inflate to: the
// sitemaps.org limit of 50 MiB uncompressed. It stops gzip bombs.
const MaxSitemapBytes = 50 << 20

// maxSitemapChildren caps the children read from one sitemap index: the
// sitemaps.org limit of 50,000 entries per file.
const maxSitemapChildren = 50000

var (
	// ErrNotSitemap is returned (wrapped) by [ParseSitemap] for XML whose
	// root element is neither <urlset> nor <sitemapindex>.
	ErrNotSitemap = errors.New("discover: not a sitemap")

	// ErrSitemapTooLarge is returned (wrapped) by [ParseSitemap] when a
	// gzipped sitemap inflates past [MaxSitemapBytes].
	ErrSitemapTooLarge = errors.New("discover: sitemap exceeds size limit")
)

// ParseSitemap reads a sitemap (<urlset>), a sitemap index
// (<sitemapindex>) or a plain-text sitemap (one URL per line). body may be
// gzip data, which is inflated to at most [MaxSitemapBytes].
//
// For a urlset it returns one [Candidate] per <url> with a usable <loc>, in
// document order, with Via "sitemap" and the URL made [Canonical]. Google News entries (<news:news>) give Title from
// <news:title> and Published from <news:publication_date>; <lastmod> is a
// modification time, not a publication time, so it does not set Published.
// For an index it returns the <sitemap><loc> URLs as children, resolved
// and cleaned with [extract.CleanURLString] but otherwise as given. A <loc>
// must be an absolute http(s) URL or a path starting with "/" (resolved
// against base); entries without one are skipped.
//
// Errors wrap [ErrNotSitemap], [ErrSitemapTooLarge], or an XML or gzip
// error; with an XML error part way through, the entries read so far are
// returned with it. DOCTYPE entity declarations are never expanded. It is
// pure and safe for concurrent use.
func ParseSitemap(body []byte, base string) (entries []Candidate, children []string, err error) {
	es, cs, err := parseSitemap(body, base, 0)
	for _, e := range es {
		entries = append(entries, e.Candidate)
	}
	for _, c := range cs {
		children = append(children, c.url)
	}
	return entries, children, err
}

// sitemapEntry is a urlset entry with its lastmod, which Discover uses for
// MaxAge.
type sitemapEntry struct {
	Candidate
	modified time.Time
}

// sitemapChild is an index entry.
type sitemapChild struct {
	url      string
	modified time.Time
}

// parseSitemap is [ParseSitemap] stopping after max entries (0 means all).
func parseSitemap(body []byte, base string, max int) ([]sitemapEntry, []sitemapChild, error) {
	if bytes.HasPrefix(body, []byte{0x1f, 0x8b}) {
		var err error
		if body, err = gunzip(body); err != nil {
			return nil, nil, fmt.Errorf("parse sitemap: %w", err)
		}
	}
	baseURL, _ := url.Parse(base)
	trimmed := bytes.TrimLeft(body, " \t\r\n\ufeff")
	if len(trimmed) > 0 && trimmed[0] != '<' {
		entries := parseTextSitemap(trimmed, baseURL, max)
		if len(entries) == 0 {
			return nil, nil, fmt.Errorf("parse sitemap: %w: no URL lines", ErrNotSitemap)
		}
		return entries, nil, nil
	}

	d := xml.NewDecoder(bytes.NewReader(body))
	// Non-strict: tolerate the HTML entities and stray ampersands real
	// sitemaps contain. Entities declared in a DOCTYPE are never expanded
	// by encoding/xml in either mode.
	d.Strict = false
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charset.NewReaderLabel

	root, err := rootElement(d)
	if err != nil {
		return nil, nil, fmt.Errorf("parse sitemap: %w", err)
	}
	var (
		entries  []sitemapEntry
		children []sitemapChild
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return entries, children, nil
		}
		if err != nil {
			return entries, children, fmt.Errorf("parse sitemap: %w", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch {
		case root == "urlset" && se.Name.Local == "url":
			var u xmlURL
			if err := d.DecodeElement(&u, &se); err != nil {
				return entries, children, fmt.Errorf("parse sitemap: %w", err)
			}
			c, err := Canonical(resolveLoc(baseURL, u.Loc))
			if err != nil {
				continue
			}
			e := sitemapEntry{Candidate: Candidate{URL: c, Via: ViaSitemap}, modified: parseW3CDate(u.Lastmod)}
			if u.News != nil {
				e.Title = cleanTitle(u.News.Title)
				e.Published = parseW3CDate(u.News.PublicationDate)
			}
			entries = append(entries, e)
			if max > 0 && len(entries) >= max {
				return entries, children, nil
			}
		case root == "sitemapindex" && se.Name.Local == "sitemap":
			var s xmlSitemap
			if err := d.DecodeElement(&s, &se); err != nil {
				return entries, children, fmt.Errorf("parse sitemap: %w", err)
			}
			loc := resolveLoc(baseURL, s.Loc)
			if _, err := parseHTTP(loc); err != nil {
				continue
			}
			children = append(children, sitemapChild{url: extract.CleanURLString(loc), modified: parseW3CDate(s.Lastmod)})
			if len(children) >= maxSitemapChildren {
				return entries, children, nil
			}
		default:
			if err := d.Skip(); err != nil {
				return entries, children, fmt.Errorf("parse sitemap: %w", err)
			}
		}
	}
}

type xmlURL struct {
	Loc     string `xml:"loc"`
	Lastmod string `xml:"lastmod"`
	News    *struct {
		Title           string `xml:"title"`
		PublicationDate string `xml:"publication_date"`
	} `xml:"news"`
}

type xmlSitemap struct {
	Loc     string `xml:"loc"`
	Lastmod string `xml:"lastmod"`
}

// rootElement reads up to the root start element and returns its local
// name, which must be urlset or sitemapindex.
func rootElement(d *xml.Decoder) (string, error) {
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return "", ErrNotSitemap
		}
		if err != nil {
			return "", err
		}
		if se, ok := tok.(xml.StartElement); ok {
			switch se.Name.Local {
			case "urlset", "sitemapindex":
				return se.Name.Local, nil
			}
			return "", fmt.Errorf("%w: root element <%s>", ErrNotSitemap, se.Name.Local)
		}
	}
}

// resolveLoc resolves a sitemap <loc>. sitemaps.org requires absolute
// URLs; we also accept a path starting with "/", which some generators
// write, resolved against base. Anything else relative ("story", "") is
// returned as is and then fails [Canonical], so it is skipped.
func resolveLoc(base *url.URL, loc string) string {
	loc = strings.TrimSpace(loc)
	if strings.HasPrefix(loc, "/") && !strings.HasPrefix(loc, "//") {
		return resolve(base, loc)
	}
	return loc
}

func gunzip(body []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("gunzip: %w", err)
	}
	out, err := io.ReadAll(io.LimitReader(zr, MaxSitemapBytes+1))
	if err != nil {
		return nil, fmt.Errorf("gunzip: %w", err)
	}
	if len(out) > MaxSitemapBytes {
		return nil, ErrSitemapTooLarge
	}
	return out, nil
}

// parseTextSitemap reads a sitemaps.org text sitemap: one URL per line.
func parseTextSitemap(body []byte, base *url.URL, max int) []sitemapEntry {
	var out []sitemapEntry
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	for sc.Scan() {
		c, err := Canonical(resolveLoc(base, sc.Text()))
		if err != nil {
			continue
		}
		out = append(out, sitemapEntry{Candidate: Candidate{URL: c, Via: ViaSitemap}})
		if max > 0 && len(out) >= max {
			break
		}
	}
	return out
}

// parseW3CDate parses a W3C Datetime; it returns the zero time for
// anything else. Times without a zone are taken as UTC.
func parseW3CDate(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	// The W3C Datetime forms sitemaps use, most precise first.
	for _, l := range [...]string{
		time.RFC3339Nano,
		"2006-01-02T15:04Z07:00",
		"2006-01-02T15:04:05",
		"2006-01-02T15:04",
		"2006-01-02",
		"2006-01",
		"2006",
	} {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}
