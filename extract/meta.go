package extract

import (
	"encoding/json"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// meta is the metadata found in a page, gathered before any precedence is
// applied; finish turns it into Article fields.
type meta struct {
	title            string
	titleFromProfile bool
	titles           []string // candidates in precedence order
	docTitle         string   // <title>
	h1               string
	h1s              []string // the first visible h1s, see pageH1s
	h1Nodes          []*html.Node
	firstH1          *html.Node // the page's first h1, logo or not
	root             *html.Node // the page, for the visible dateline
	base             *url.URL
	bylines          []string // raw candidates in precedence order
	site             string
	language         string
	dateLocale       string // language, with the region another tag gives it, for numeric dates
	published        time.Time
	modified         time.Time
	url              string
	articleBody      string
	descriptions     []string // the page's summaries (meta and JSON-LD description), see leadBlocks
	publishers       []string // names to drop from bylines
	hosts            []string // the site's name in its host, see hostNames
	// visibleByline finds a byline in the markup; it is called only when
	// the structured candidates give no names, as it walks the page.
	visibleByline func() []string
}

// articleTypes are the JSON-LD @type values of an article, best first.
var articleTypes = map[string]int{
	"newsarticle": 1, "reportagenewsarticle": 1, "analysisnewsarticle": 1,
	"opinionnewsarticle": 1, "reviewnewsarticle": 1, "backgroundnewsarticle": 1,
	"askpublicnewsarticle": 1, "article": 2, "blogposting": 2, "liveblogposting": 2,
	"socialmediaposting": 3, "scholarlyarticle": 2, "techarticle": 2, "report": 3,
	"medicalwebpage": 4, "webpage": 5, "itempage": 5, "creativework": 6,
}

// readMeta gathers the page's metadata from JSON-LD, meta tags, links and
// visible markup.
func readMeta(doc *goquery.Document, base *url.URL) *meta {
	m := &meta{}
	ld, ids := readJSONLD(doc)
	tags := metaTags(doc)
	first := func(keys ...string) string {
		for _, k := range keys {
			for _, v := range tags[k] {
				if v := cleanText(v); v != "" {
					return v
				}
			}
		}
		return ""
	}

	// Title candidates.
	m.docTitle = cleanText(firstOf(doc, titleSel).Text())
	if ld != nil {
		headline, name := cleanText(ldString(ld["headline"])), cleanText(ldString(ld["name"]))
		// When both are given and differ, the one closer to <title> is the
		// headline (Wikipedia's headline is a description).
		if headline != "" && name != "" && headline != name && similarity(headline, m.docTitle) < 0.5 && similarity(name, m.docTitle) > similarity(headline, m.docTitle) {
			headline = name
		}
		m.titles = append(m.titles, headline)
		if t := ldType(ld); articleTypes[t] > 0 && articleTypes[t] < 5 {
			m.titles = append(m.titles, name)
		}
	}
	m.titles = append(m.titles, first("dc.title", "dcterms.title", "og:title", "title", "twitter:title", "parsely-title", "sailthru.title", "citation_title", "headline"))
	h := firstOf(doc, h1Sel)
	m.h1 = cleanText(h.Text())
	if h.Length() > 0 {
		m.firstH1 = h.Nodes[0]
	}
	m.h1s, m.h1Nodes = pageH1s(doc)
	if len(doc.Nodes) > 0 {
		m.root = doc.Nodes[0]
	}
	m.base = base

	// Site.
	if ld != nil {
		if pub, ok := ld["publisher"]; ok {
			m.site = cleanText(ldName(pub))
		}
	}
	if og := first("og:site_name", "application-name", "publisher", "dc.publisher", "citation_publisher", "twitter:site"); m.site == "" && og != "" && !strings.HasPrefix(og, "@") {
		m.site = og
	} else if og != "" && !strings.HasPrefix(og, "@") {
		m.publishers = append(m.publishers, og)
	}
	if m.site != "" {
		m.publishers = append(m.publishers, m.site)
	}

	// Authors.
	if ld != nil {
		if names := ldAuthors(resolveLD(ld["author"], ids)); len(names) > 0 {
			m.bylines = append(m.bylines, strings.Join(names, ", "))
		} else if names := ldAuthors(resolveLD(ld["creator"], ids)); len(names) > 0 {
			m.bylines = append(m.bylines, strings.Join(names, ", "))
		}
	}
	// Meta authors: the first key that has any, all its values.
	for _, k := range []string{"dc.creator", "dcterms.creator", "author", "article:author", "parsely-author", "sailthru.author", "citation_author", "byl"} {
		var names []string
		for _, v := range tags[k] {
			if v = cleanText(unescapeMeta(v)); v != "" && !strings.Contains(v, "://") && !strings.HasPrefix(v, "@") {
				if k == "citation_author" || k == "dc.creator" || k == "dcterms.creator" {
					v = firstLast(v)
				}
				names = append(names, v)
			}
		}
		if len(names) > 0 {
			m.bylines = append(m.bylines, strings.Join(names, ", "))
			break
		}
	}
	// Slack's and Twitter's card labels: "Written by" and the name.
	for i := 1; i <= 4; i++ {
		n := strconv.Itoa(i)
		if l := first("twitter:label" + n); writtenByRe.MatchString(l) {
			if v := first("twitter:data" + n); v != "" {
				m.bylines = append(m.bylines, v)
			}
		}
	}
	m.visibleByline = func() []string {
		var root *html.Node
		if len(doc.Nodes) > 0 {
			root = doc.Nodes[0]
		}
		return append(visibleByline(doc), labelledBylines(root)...)
	}

	// Language.
	if ld != nil {
		m.language = ldString(ld["inLanguage"])
		if m.language == "" {
			if o, ok := ld["inLanguage"].(map[string]any); ok {
				m.language = ldString(o["alternateName"])
			}
		}
	}
	htmlEl := firstOf(doc, htmlSel)
	langs := []string{m.language, htmlEl.AttrOr("lang", ""), first("og:locale", "content-language", "language", "dc.language", "citation_language"), htmlEl.AttrOr("xml:lang", "")}
	for _, c := range langs {
		if l := normLang(c); l != "" {
			m.language = l
			break
		}
		m.language = ""
	}
	// A page whose language has no region ("en") may name it elsewhere
	// (og:locale "en_GB"); numeric dates are read by the region.
	m.dateLocale = m.language
	if m.language != "" && !strings.Contains(m.language, "-") {
		for _, c := range langs {
			if l := normLang(c); strings.HasPrefix(l, m.language+"-") {
				m.dateLocale = l
				break
			}
		}
	}

	// Dates.
	var pubs, mods []string
	if ld != nil {
		pubs = append(pubs, ldString(ld["datePublished"]), ldString(ld["dateCreated"]))
		mods = append(mods, ldString(ld["dateModified"]))
	}
	pubs = append(pubs, first("article:published_time", "og:article:published_time", "article:published", "parsely-pub-date", "sailthru.date", "dc.date", "dc.date.issued", "dcterms.created", "citation_publication_date", "citation_date", "pubdate", "publishdate", "publish-date", "date", "datepublished", "article.published", "published_time", "og:published_time", "release_date", "timestamp", "published", "published-date", "publication-date", "publish_date", "pub_date", "cludo:date", "date.published", "cxenseparse:publishtime"))
	mods = append(mods, first("article:modified_time", "og:updated_time", "dc.date.modified", "dcterms.modified", "last-modified", "datemodified", "article.updated", "modified_time"))
	if s := firstOf(doc, datePublishedSel); s.Length() > 0 {
		pubs = append(pubs, s.AttrOr("content", s.AttrOr("datetime", s.Text())))
	}
	if s := firstOf(doc, timeSel); s.Length() > 0 {
		pubs = append(pubs, s.AttrOr("datetime", ""))
	}
	for _, s := range pubs {
		if t, ok := parseDateLocal(s); ok {
			m.published = t
			break
		}
	}
	for _, s := range mods {
		if t, ok := parseDateLocal(s); ok {
			m.modified = t
			break
		}
	}

	// URL.
	var urls []string
	if ld != nil {
		urls = append(urls, ldString(ld["url"]), ldURL(ld["mainEntityOfPage"]))
	}
	urls = append(urls, first("og:url"), firstOf(doc, canonicalSel).AttrOr("href", ""))
	for _, u := range urls {
		if abs := absURL(base, u); abs != "" {
			m.url = abs
			break
		}
	}
	// The host names the site in title segments; a saved page knows its
	// host only from its canonical URL.
	m.hosts = hostNames(base)
	if cu, err := url.Parse(m.url); err == nil && m.url != "" {
		m.hosts = append(m.hosts, hostNames(cu)...)
	}
	for _, k := range []string{"description", "og:description", "twitter:description", "dc.description", "dcterms.description"} {
		for _, v := range tags[k] {
			if v := cleanText(unescapeMeta(v)); v != "" && !slices.Contains(m.descriptions, v) {
				m.descriptions = append(m.descriptions, v)
			}
		}
	}
	if ld != nil {
		if v := cleanText(ldString(ld["description"])); v != "" && !slices.Contains(m.descriptions, v) {
			m.descriptions = append(m.descriptions, v)
		}
		m.articleBody = cleanText(ldString(ld["articleBody"]))
		if strings.ContainsAny(ldString(ld["articleBody"]), "\n") {
			m.articleBody = strings.TrimSpace(normalizeText(ldString(ld["articleBody"])))
		}
	}
	return m
}

// lastFirstRe matches a name written surname first, as the scholarly
// and Dublin Core tags write it: "Roy, Aniruddha", "van Dijk, J. A.".
var lastFirstRe = regexp.MustCompile(`^([\p{L}'’. -]+), ([\p{L}'’. -]+)$`)

// firstLast turns a name written surname first ("Roy, Aniruddha") into
// reading order ("Aniruddha Roy"), so that the byline's comma still
// separates authors; other values are returned as they are.
func firstLast(v string) string {
	m := lastFirstRe.FindStringSubmatch(v)
	if m == nil || len(strings.Fields(m[1])) > 3 || len(strings.Fields(m[2])) > 3 {
		return v
	}
	return strings.TrimSpace(m[2]) + " " + strings.TrimSpace(m[1])
}

// finish applies precedence and normalisation and fills a.
func (m *meta) finish(a *Article, base *url.URL) {
	a.Site = m.site
	a.Authors = m.authors()
	if len(a.Authors) > 0 {
		a.Byline = strings.Join(a.Authors, ", ")
	}
	a.Title = m.headline(a.Authors)
	a.Language = m.language
	a.Published = m.publishedDate(a.Title, a.Authors)
	a.Modified = m.modified
	a.URL = m.url
	if a.URL == "" {
		a.URL = CleanURL(base).String()
	}
}

// headline chooses the title: a profile's title; else the page's h1 when
// it agrees with the metadata titles (see pickHeadline); else the first
// metadata title with any segment naming the site or an author cut off;
// else the <title>, cut the same way; else the first h1.
func (m *meta) headline(authors []string) string {
	if m.titleFromProfile && m.title != "" {
		return m.title
	}
	var titles []string
	for _, t := range append(append([]string{m.title}, m.titles...), m.docTitle) {
		if t = cleanText(unescapeMeta(t)); t != "" {
			titles = append(titles, t)
		}
	}
	names := append(append(append([]string{m.site}, m.publishers...), m.hosts...), authors...)
	// A title's site or author segment is no part of the headline, so the
	// h1 is also measured against each title without it (see
	// [pickHeadline]).
	var stripped []string
	for _, t := range titles {
		if s := stripTitleAffixes(t, names); s != t {
			stripped = append(stripped, s)
		}
	}
	if h := pickHeadline(h1Candidates(m.h1s, m.h1Nodes), titles, stripped, m.site); h != "" {
		// Some pages print their <title>, site name and all, as the h1.
		return stripTitleAffixes(unescapeMeta(h), names)
	}
	title := m.title
	if title == "" {
		for _, t := range m.titles {
			if t != "" {
				title = t
				break
			}
		}
	}
	title = cleanText(unescapeMeta(title))
	// A one-word title ("V8") that <title> extends is a site name.
	if len(strings.Fields(title)) == 1 && m.docTitle != "" && len(m.docTitle) > len(title) && strings.Contains(m.docTitle, title) {
		title = ""
	}
	if title != "" {
		// A one-word headline ("Coffee") is what is left of a title
		// that the page's h1 shows without the site's name.
		for _, h := range m.h1s {
			if len(strings.Fields(h)) == 1 && !siteLike(h, m.site) && strings.HasPrefix(title, h) {
				for _, sep := range titleSeps {
					if rest, ok := strings.CutPrefix(title, h+sep); ok && namesAny(strings.TrimSpace(rest), names) {
						return h
					}
				}
			}
		}
		return stripTitleAffixes(title, names)
	}
	if title = cleanText(unescapeMeta(m.docTitle)); title != "" {
		title = stripTitleAffixes(cleanTitle(title, m.site, m.h1), names)
		if m.site == "" {
			title = dropLastSegment(title)
		}
		return title
	}
	return m.h1
}

// readJSONLD returns the best article object in the page's JSON-LD, or nil,
// and every object that has an @id, by @id, for [resolveLD]. Malformed
// scripts are skipped.
func readJSONLD(doc *goquery.Document) (map[string]any, map[string]map[string]any) {
	var best map[string]any
	ids := map[string]map[string]any{}
	bestRank := 0
	doc.Find(`script[type="application/ld+json" i]`).Each(func(_ int, s *goquery.Selection) {
		raw := strings.TrimSpace(s.Text())
		for _, p := range []string{"//<![CDATA[", "<![CDATA[", "<!--"} {
			raw = strings.TrimSpace(strings.TrimPrefix(raw, p))
		}
		for _, p := range []string{"//]]>", "]]>", "-->"} {
			raw = strings.TrimSpace(strings.TrimSuffix(raw, p))
		}
		raw = strings.TrimSuffix(strings.TrimSpace(raw), ";")
		var v any
		if err := json.Unmarshal([]byte(raw), &v); err != nil {
			return
		}
		walkLD(v, 0, func(o map[string]any) {
			if id, ok := o["@id"].(string); ok && id != "" && ids[id] == nil {
				ids[id] = o
			}
			r := articleTypes[ldType(o)]
			if r > 0 && (best == nil || r < bestRank) {
				best, bestRank = o, r
			}
		})
	})
	return best, ids
}

// resolveLD replaces references ({"@id": "…#/schema/person/1"}) in v, an
// object or an array of them, by the objects they name, as WordPress's
// JSON-LD graphs give the author only by reference.
func resolveLD(v any, ids map[string]map[string]any) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = resolveLD(e, ids)
		}
		return out
	case map[string]any:
		if _, named := x["name"]; !named {
			if id, ok := x["@id"].(string); ok && ids[id] != nil {
				return ids[id]
			}
		}
	}
	return v
}

// walkLD calls fn on every object in v, looking into arrays and @graph.
func walkLD(v any, depth int, fn func(map[string]any)) {
	if depth > 4 {
		return
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			walkLD(e, depth+1, fn)
		}
	case map[string]any:
		if _, ok := x["@type"]; ok {
			fn(x)
		}
		if g, ok := x["@graph"]; ok {
			walkLD(g, depth+1, fn)
		}
		if me, ok := x["mainEntity"]; ok {
			walkLD(me, depth+1, fn)
		}
	}
}

// ldType returns the object's article @type in lower case (the best one
// when @type is an array).
func ldType(o map[string]any) string {
	switch t := o["@type"].(type) {
	case string:
		return strings.ToLower(t)
	case []any:
		best, rank := "", 0
		for _, e := range t {
			if s, ok := e.(string); ok {
				r := articleTypes[strings.ToLower(s)]
				if r > 0 && (rank == 0 || r < rank) {
					best, rank = strings.ToLower(s), r
				}
			}
		}
		return best
	}
	return ""
}

// ldString returns v as a string: a string, the first string of an array,
// or an object's @value.
func ldString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		for _, e := range x {
			if s := ldString(e); s != "" {
				return s
			}
		}
	case map[string]any:
		return ldString(x["@value"])
	case float64:
		return ""
	}
	return ""
}

// ldName returns the name of a person or organisation given as a string,
// an object or an array of either.
func ldName(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		for _, e := range x {
			if s := ldName(e); s != "" {
				return s
			}
		}
	case map[string]any:
		if n := ldString(x["name"]); n != "" {
			return n
		}
		if g, f := ldString(x["givenName"]), ldString(x["familyName"]); g != "" || f != "" {
			return strings.TrimSpace(g + " " + f)
		}
	}
	return ""
}

// ldAuthors returns the names in a JSON-LD author value.
func ldAuthors(v any) []string {
	var out []string
	switch x := v.(type) {
	case string:
		if !strings.Contains(x, "://") {
			out = append(out, x)
		}
	case []any:
		for _, e := range x {
			out = append(out, ldAuthors(e)...)
		}
	case map[string]any:
		if n := ldName(x); n != "" && !strings.Contains(n, "://") {
			out = append(out, n)
		}
	}
	return out
}

// ldURL returns a URL given as a string or as an object's @id or url.
func ldURL(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		if s := ldString(x["url"]); s != "" {
			return s
		}
		return ldString(x["@id"])
	}
	return ""
}

// metaTags maps lower-case property, name and itemprop keys of <meta> tags
// (dc: and dcterm: written dc. and dcterms.) to their non-empty contents in
// page order, values from property attributes ahead of name ones.
func metaTags(doc *goquery.Document) map[string][]string {
	byProp := make(map[string][]string)
	byName := make(map[string][]string)
	doc.Find("meta").Each(func(_ int, s *goquery.Selection) {
		content, ok := s.Attr("content")
		if !ok || strings.TrimSpace(content) == "" {
			return
		}
		if v, ok := s.Attr("http-equiv"); ok && strings.EqualFold(v, "content-language") {
			byName["content-language"] = append(byName["content-language"], content)
		}
		for _, attr := range []string{"property", "name", "itemprop"} {
			for k := range strings.FieldsSeq(strings.ToLower(s.AttrOr(attr, ""))) {
				k = strings.Replace(k, "dcterm:", "dcterms.", 1)
				k = strings.Replace(k, "dcterms:", "dcterms.", 1)
				k = strings.Replace(k, "dc:", "dc.", 1)
				if attr == "property" {
					byProp[k] = append(byProp[k], content)
				} else {
					byName[k] = append(byName[k], content)
				}
			}
		}
	})
	for k, v := range byName {
		byProp[k] = append(byProp[k], v...)
	}
	return byProp
}

var langRe = regexp.MustCompile(`^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$`)

// normLang returns s as a BCP 47 tag ("en", "en-GB"), or "" when it is not
// one.
func normLang(s string) string {
	s = strings.TrimSpace(s)
	if !langRe.MatchString(s) {
		return ""
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' })
	parts[0] = strings.ToLower(parts[0])
	for i := 1; i < len(parts); i++ {
		switch len(parts[i]) {
		case 2:
			parts[i] = strings.ToUpper(parts[i])
		case 4:
			parts[i] = strings.ToUpper(parts[i][:1]) + strings.ToLower(parts[i][1:])
		default:
			parts[i] = strings.ToLower(parts[i])
		}
	}
	return strings.Join(parts, "-")
}

// absURL resolves ref against base and cleans it; "" when it is not an
// http(s) URL.
func absURL(base *url.URL, ref string) string {
	u := resolveHTTP(base, ref)
	if u == nil {
		return ""
	}
	return strings.ToValidUTF8(CleanURL(u).String(), "")
}

// resolveHTTP parses ref (made valid UTF-8 and trimmed) and resolves it
// against base; nil when ref is empty or not an http(s) URL with a host.
func resolveHTTP(base *url.URL, ref string) *url.URL {
	ref = strings.ToValidUTF8(strings.TrimSpace(ref), "")
	if ref == "" {
		return nil
	}
	u, err := url.Parse(ref)
	if err != nil {
		return nil
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil
	}
	return u
}

// visibleByline returns byline candidates from the page's markup, best
// first: itemprop=author, rel=author, elements whose class or id names a
// byline or author, then a short text starting with "By".
func visibleByline(doc *goquery.Document) []string {
	var out []string
	var names []string
	doc.Find(`[itemprop~="author"]`).Each(func(_ int, s *goquery.Selection) {
		n := s.Find(`[itemprop="name"]`).First()
		v := s.AttrOr("content", "")
		if n.Length() > 0 {
			v = n.AttrOr("content", n.Text())
		} else if v == "" {
			v = s.Text()
		}
		if v = cleanText(v); v != "" && len(v) < 100 {
			names = append(names, v)
		}
	})
	if len(names) > 0 {
		out = append(out, strings.Join(names, ", "))
	}
	names = nil
	doc.Find(`a[rel~="author"]`).Each(func(_ int, s *goquery.Selection) {
		if v := cleanText(s.Text()); v != "" && len(v) < 100 {
			names = append(names, v)
		}
	})
	if len(names) > 0 {
		out = append(out, strings.Join(names, ", "))
	}
	// Links to an author's page: /author/jane-smith, /authors/jane-smith.
	// The first one, and those beside it ("By <a>A</a> and <a>B</a>"): a
	// list of related posts links to other authors.
	names = nil
	var byline *html.Node
	doc.Find(`a[href*="/author/" i], a[href*="/authors/" i]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		if menuUp(s.Nodes[0]) || s.Closest("script, style, noscript, head").Length() > 0 {
			return true
		}
		v := cleanText(s.Text())
		if v == "" {
			v = cleanText(s.AttrOr("aria-label", ""))
		}
		if v == "" || len(v) >= 60 || !nameLike(v) || slices.Contains(names, v) {
			return true
		}
		if p := s.Nodes[0].Parent; byline == nil {
			byline = p
		} else if p != byline && (p == nil || p.Parent != byline) {
			return true
		}
		names = append(names, v)
		return len(names) < 4
	})
	if len(names) > 0 {
		out = append(out, strings.Join(names, ", "))
	}
	doc.Find(`[class*="byline" i], [id*="byline" i], [class*="author" i], [id*="author" i], address`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		if s.Closest("script, style, noscript, [hidden], [aria-hidden=true], head").Length() > 0 || menuUp(s.Nodes[0]) {
			return true
		}
		if v := cleanText(s.Text()); v != "" && len(v) < 120 {
			out = append(out, v)
		}
		return len(out) < 16
	})
	// "By X and Y" at the start of a short text, the first three; "Written
	// by " may be followed by the name in a link.
	found := 0
	var walk func(n *html.Node) bool
	walk = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				if t := strings.TrimLeftFunc(c.Data, unicode.IsSpace); len(strings.TrimSpace(t)) < 80 && len(strings.TrimSpace(t)) > 4 && byLeads[leadWord(t)] && byRe.MatchString(t) {
					v := cleanText(textOf(c.Parent))
					if len(v) >= 80 {
						v = cleanText(t)
					}
					out = append(out, v)
					if found++; found == 3 {
						return true
					}
				}
			case html.ElementNode:
				if c.Data == "script" || c.Data == "style" || c.Data == "head" || c.Data == "noscript" || menuElement(c) {
					continue
				}
				if walk(c) {
					return true
				}
			}
		}
		return false
	}
	for _, n := range doc.Nodes {
		walk(n)
	}
	return out
}

// Selectors readMeta needs only the first match of.
var (
	titleSel         = cascadia.MustCompile("title")
	h1Sel            = cascadia.MustCompile("h1")
	htmlSel          = cascadia.MustCompile("html")
	datePublishedSel = cascadia.MustCompile(`[itemprop="datePublished"]`)
	timeSel          = cascadia.MustCompile("time[datetime]")
	canonicalSel     = cascadia.MustCompile(`link[rel~="canonical" i]`)
)

// firstOf returns the first element under doc that sel matches, as
// doc.Find(...).First() does, but stops walking the page at the match.
func firstOf(doc *goquery.Document, sel cascadia.Selector) *goquery.Selection {
	if len(doc.Nodes) > 0 {
		if n := cascadia.Query(doc.Nodes[0], sel); n != nil {
			return doc.FindNodes(n)
		}
	}
	return doc.FindNodes()
}
