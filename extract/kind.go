package extract

import (
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// GateNotArticle is the [Article.Gate] of a home page, section page,
// listing or collection: a page of links to articles rather than an
// article. Callers that track pages stop tracking a page that never was
// anything else.
const GateNotArticle = "not an article"

// Thresholds of [notArticle], set on the wcxb development pages, where
// they refuse 0.3% of articles and 29% of collection and listing pages,
// and checked on the trafilatura evaluation pages (nearly all articles),
// where they refuse 0.6%. Allowing one paragraph of prose caught 40% of
// the listings but refused 2.6% of the trafilatura pages: a refused
// article is lost, so the gate leans to answering.
const (
	// listingMaxParas is the most paragraphs of proseParaRunes characters
	// or more the body of a listing holds: its teasers are shorter.
	listingMaxParas = 0
	// proseParaRunes is counted in characters, not words, so that text
	// without spaces between words (Chinese, Japanese) counts.
	proseParaRunes = 150
	// listingCards and listingHeadlines are the runs of alike siblings
	// that each hold a link, and the headline-like links, that make a
	// page of teasers.
	listingCards     = 8
	listingHeadlines = 15
)

// notArticle reports whether the page is a home page, section page,
// listing or collection rather than an article. It needs every sign: no
// JSON-LD article type and no og:type article (sites mark their articles
// and rarely their listings), at most listingMaxParas paragraphs of prose
// in the body, and either the site's root URL, a run of listingCards
// alike teaser cards or listingHeadlines headline-like links.
func notArticle(doc *goquery.Document, base *url.URL, a *Article) bool {
	s := readSignals(doc, base, a)
	if s.ldArticle || s.ogArticle || s.paras > listingMaxParas {
		return false
	}
	if s.rootPath {
		return true
	}
	s.headlines, s.cards = linkShapes(doc)
	return s.cards >= listingCards || s.headlines >= listingHeadlines
}

// pageSignals are the facts [notArticle] weighs.
type pageSignals struct {
	ldArticle bool // JSON-LD names an article type (NewsArticle, BlogPosting, ...)
	ogArticle bool // og:type is article
	rootPath  bool // the page's URL is a site's root
	paras     int  // body paragraphs of proseParaRunes characters or more
	headlines int  // links of 4 to 25 words outside navigation, headers and footers
	cards     int  // the largest group of sibling elements shaped alike that each hold a link
}

var ldTypeRe = regexp.MustCompile(`"@type"\s*:\s*(\[[^\]]*\]|"[^"]*")`)

// ldArticleTypes are the JSON-LD @type values of articles, lower-cased.
var ldArticleTypes = map[string]bool{
	"article": true, "newsarticle": true, "blogposting": true, "reportagenewsarticle": true,
	"analysisnewsarticle": true, "opinionnewsarticle": true, "reviewnewsarticle": true,
	"backgroundnewsarticle": true, "techarticle": true, "scholarlyarticle": true,
	"liveblogposting": true, "socialmediaposting": true, "report": true, "recipe": true,
	"howto": true, "review": true,
}

// readSignals gathers the cheap signals of the page doc, served from
// base, whose extracted article is a; [linkShapes] gives the others.
func readSignals(doc *goquery.Document, base *url.URL, a *Article) pageSignals {
	var s pageSignals
	doc.Find(`script[type="application/ld+json" i]`).Each(func(_ int, sel *goquery.Selection) {
		for _, m := range ldTypeRe.FindAllStringSubmatch(sel.Text(), -1) {
			for _, t := range strings.Split(strings.Trim(m[1], "[]"), ",") {
				t = strings.ToLower(strings.Trim(strings.TrimSpace(t), `"`))
				t = t[strings.LastIndex(t, "/")+1:] // "http://schema.org/Article"
				s.ldArticle = s.ldArticle || ldArticleTypes[t]
			}
		}
	})
	if og, ok := doc.Find(`meta[property="og:type" i]`).Attr("content"); ok {
		s.ogArticle = strings.EqualFold(strings.TrimSpace(og), "article")
	}
	u := base
	if a.URL != "" {
		if cu, err := url.Parse(a.URL); err == nil {
			u = cu
		}
	}
	if u != nil && u.Host != "" {
		p := strings.Trim(u.Path, "/")
		s.rootPath = p == "" || p == "index.html" || p == "index.php" || len(p) == 2 && u.RawQuery == "" // "/en/"
	}
	for _, b := range a.Blocks {
		if b.Kind == Paragraph && utf8.RuneCountInString(spansText(b.Spans)) >= proseParaRunes {
			s.paras++
		}
	}
	return s
}

// linkShapes counts the headline-like links of the page (4 to 25 words,
// outside navigation, headers and footers) and the largest run of
// siblings of one tag and class that each hold a link: the cards of a
// listing.
func linkShapes(doc *goquery.Document) (headlines, cards int) {
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		groups := map[string]int{}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.Data {
			case "nav", "header", "footer", "script", "style", "noscript", "template", "svg", "select":
				continue
			case "a":
				if k := len(strings.Fields(textOf(c))); k >= 4 && k <= 25 {
					headlines++
				}
			}
			if c.Data != "a" && c.Data != "p" && c.Data != "span" && hasLink(c) {
				groups[c.Data+"."+attr(c, "class")]++
			}
			walk(c)
		}
		for _, k := range groups {
			cards = max(cards, k)
		}
	}
	for _, n := range doc.Nodes {
		walk(n)
	}
	return headlines, cards
}

// hasLink reports whether n holds an <a href>.
func hasLink(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.Data == "a" && attr(c, "href") != "" || hasLink(c)) {
			return true
		}
	}
	return false
}
