package extract

import (
	"net/url"
	"regexp"
	"strings"
	"unicode"
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
// they (and the signals without thresholds: body classes, JSON-LD types,
// sort and filter controls, archive URLs) refuse 0.5% of articles and 74%
// of collection and listing pages, and checked on the trafilatura
// evaluation pages (nearly all articles), where they refuse 0.9%.
// Allowing one paragraph of prose caught 40% of the listings but refused
// 2.6% of the trafilatura pages: a refused article is lost, so the gate
// leans to answering.
const (
	// listingMaxParas is the most paragraphs of proseParaRunes characters
	// or more the body of a listing holds: its teasers are shorter.
	listingMaxParas = 0
	// proseParaRunes is counted in characters, not words, so that text
	// without spaces between words (Chinese, Japanese) counts; see
	// [proseWidth].
	proseParaRunes = 150
	// listingCards and listingHeadlines are the runs of alike siblings
	// that each hold a link, and the headline-like links, that make a
	// page of teasers.
	listingCards     = 8
	listingHeadlines = 15
	// A teaser body: at least teaserShare of the extracted body lies in
	// teaserCards or more distinct cards, and at most teaserOwnParas
	// paragraphs of prose lie outside them. Set on the even wcxb pages,
	// where they refuse no more articles and no trafilatura page, and flat
	// from 0.5 to 0.7. Allowing one paragraph of the page's own caught two
	// more listings but refused a page of webcam pictures, and would
	// refuse a one-paragraph brief whose body took in a rail of related
	// stories.
	teaserShare    = 0.6
	teaserCards    = 4
	teaserOwnParas = 0
	// datedTeaserShare is the most of the extracted body that lies in
	// teaser cards for a dated page with no paragraph of prose to be
	// kept as an article though the page around it looks like a
	// listing. Set on the even trafilatura and wcxb pages, where such
	// pages are blog posts of short lines with the archive links of a
	// sidebar (their bodies share nothing with the cards); a dated
	// listing's body is its teasers.
	datedTeaserShare = 0.1
	// sectionOwnParas is the most paragraphs of its own prose the body of
	// a listing at a section's URL holds (an introduction to the
	// section). Two refused six articles of the wcxb pages, all at short
	// URLs with many links; one refuses none there or on trafilatura's.
	sectionOwnParas = 1
	// undatedSectionOwnParas is the most paragraphs of its own prose the
	// body of a listing at a section's URL holds when the page names
	// neither an author nor a date and has a run of listingCards alike
	// teaser cards: a shop's or a school's landing page introduces its
	// grid with a few paragraphs, while an article names who wrote it or
	// when far more often than not. Set on the even wcxb pages, where four
	// catches three listings and no article (three service pages, and
	// five or more add service pages only); an undated page at a section's
	// URL whose links are headlines rather than a run of cards is left
	// alone, as two such articles there (a programme's page, a guide) are
	// made of those.
	undatedSectionOwnParas = 4
	// pagerTargets is the number of distinct links to numbered pages of
	// the same list (see [pageNumberRe]) from which a page that names
	// neither an author nor a date and has a run of listingCards alike
	// teaser cards is a listing: it pages through its teasers. Set on the
	// even wcxb pages, where such pages with two or more of those links
	// are two listings and a forum thread, and no article; an article
	// split over pages names its author or its date.
	pagerTargets = 2
	// A card is one of cardGroup or more elements of one tag and class
	// (alike siblings when the class is empty) that each hold a link, have
	// at most cardRunes characters of text and cardLinkShare of it inside
	// links: a teaser, not a paragraph of an article nor a comment.
	cardGroup     = 4
	cardRunes     = 600
	cardLinkShare = 0.15
	// listingTypeOwnParas is the most paragraphs of its own prose
	// (outside the teaser cards) the body of a page that declares itself
	// a collection holds. CMS plugins declare every archive of a category
	// a CollectionPage, and one whose body is a few paragraphs of prose is
	// worth keeping (trafilatura's pages hold one with four); a shop's
	// introduction to a collection is a paragraph or two.
	listingTypeOwnParas = 3
	// shopPricedCards is the number of teaser cards showing a price (see
	// [priceRe]) from which a page is a shop's grid, not an article. Set
	// on the even wcxb pages: no article there or on trafilatura's has 12
	// outside the pages marked as articles (buying guides, which are
	// marked, show up to 39), a third of the unmarked collections do, and
	// so do a few product pages with long rails of related products.
	shopPricedCards = 12
	// The teasers of a page marked as an article that is a listing all
	// the same (see [markedListing]). Set on the even wcxb pages, where
	// they catch four listings and no article, and checked on the odd
	// pages (four listings, no article) and trafilatura's (none).
	markedCardRatio = 2.0
	markedHeadlines = 10
	// stubBodyRunes is the [proseWidth] under which the body of a page
	// with no article mark (nor an <article> element), no author, no date
	// and no paragraph of prose is no article: a shop's category whose
	// grid a script builds keeps a line or two of introduction. Set on
	// the wcxb pages (both halves), where such bodies are three
	// collections, a listing and a product page but no article (the
	// shortest such article holds 126 words); trafilatura's pages hold
	// none.
	stubBodyRunes = 600
)

// notArticle reports whether the page is a home page, section page,
// listing or collection rather than an article. A page marked as an
// article (JSON-LD article type or og:type article) is one, unless its
// body is the page's teasers and the page as a whole is made of them (see
// [markedListing]): sites mark their articles and rarely their listings;
// on the wcxb pages a quarter of the listings carry a mark from their
// template, but three quarters of the articles do. A page whose <body>
// carries the class its CMS gives an archive or a shop's category (see
// [archiveTemplate]) is not an article whatever its marks say: the
// template that sets og:type on every page cannot be trusted where the
// CMS itself says which view it rendered. So is a page that offers to
// sort and filter what it lists (see [listingControls]) and names no
// article type in its JSON-LD. A page with no article mark is not an
// article when it says so itself (its JSON-LD is a CollectionPage,
// SearchResultsPage or ItemList, or its og:type is product.group) and its
// body holds at most listingTypeOwnParas paragraphs of prose of its own;
// so is a page whose URL is a category or tag archive's (see
// [taxonomyPath]) and whose JSON-LD names no article type, whatever its
// og:type;
// og:type article outweighs a JSON-LD CollectionPage, which a news site
// may put on an article of short paragraphs, and the ItemList it may give
// that CollectionPage as its main entity, unless the body is shorter than
// a teaser card: a page that lists things, with a line of introduction,
// whose template sets og:type on every page. An article that lists things
// (a buying guide) names its article type beside the ItemList. A page
// with no mark is not an article when any of:
//   - the page is a shop's grid: shopPricedCards or more teaser cards
//     that each show a price;
//   - the body holds at most listingMaxParas paragraphs of prose, the
//     page is the site's root or has a run of listingCards alike teaser
//     cards or listingHeadlines headline-like links, and the page is
//     undated or more than datedTeaserShare of its body lies in the
//     teaser cards;
//   - the body is made of the page's teaser cards (see [teaserBody]);
//   - the URL names a section rather than a story (see [sectionPath]),
//     the body holds at most sectionOwnParas paragraphs of prose of its
//     own (outside the teaser cards), and the page has the cards or the
//     headlines of a listing;
//   - the page names neither an author nor a date, has a run of
//     listingCards alike teaser cards, and either its URL names a section
//     and its body holds at most undatedSectionOwnParas paragraphs of its
//     own, or it links to pagerTargets or more numbered pages of its list
//     (see [pagerLinks]).
func notArticle(doc *goquery.Document, base *url.URL, a *Article) bool {
	s := readSignals(doc, base, a)
	if s.archiveTemplate || !s.ldArticle && listingControls(doc) {
		return true
	}
	cs := cards(doc)
	listed := s.listingType && !s.ogArticle || s.taxonomy || s.itemList && (!s.ogArticle || bodyRunes(a) < cardRunes)
	if listed && !s.ldArticle && teaserBody(a, cs).own <= listingTypeOwnParas {
		return true
	}
	if s.ldArticle || s.ogArticle {
		return markedListing(doc, a, cs)
	}
	if pricedCards(cs) >= shopPricedCards {
		return true
	}
	// Nothing says it is an article: no mark (not even an <article>
	// element), no author, no date, not one paragraph of prose, and less
	// text than a brief.
	if a.Byline == "" && a.Published.IsZero() && s.paras == 0 && bodyWidth(a) < stubBodyRunes && doc.Find("article").Length() == 0 {
		return true
	}
	s.headlines, s.cards, _ = linkShapes(doc)
	listing := s.cards >= listingCards || s.headlines >= listingHeadlines
	t := teaserBody(a, cs)
	// A dated page whose body is not the page's teasers is a post of
	// short lines (a poem, lyrics, a brief, a note in a blog) beside
	// the archive links of its sidebar, however little prose it holds.
	ownBody := !a.Published.IsZero() && t.share <= datedTeaserShare && listShare(a) < 0.5
	if s.paras <= listingMaxParas && (s.rootPath || listing) && !ownBody {
		return true
	}
	if t.own <= teaserOwnParas && t.cards >= teaserCards && t.share >= teaserShare {
		return true
	}
	if s.section && listing && t.own <= sectionOwnParas {
		return true
	}
	undated := a.Byline == "" && a.Published.IsZero()
	if !undated || s.cards < listingCards {
		return false
	}
	return s.section && (t.own <= undatedSectionOwnParas || t.share >= teaserShare && t.cards >= teaserCards) || pagerLinks(doc) >= pagerTargets
}

// pageNumberRe matches a link to a numbered page of a list: a page
// parameter ("?page=2", "&paged=3", "?pg=4") or a "/page/2" path. A
// bare "?p=" is left out: WordPress names its posts so ("?p=5031").
var pageNumberRe = regexp.MustCompile(`(?i)([?&](page|paged|pg)=\d+|/page/\d+/?$)`)

// pagerLinks is the number of distinct targets of the page's links to
// numbered pages of a list (see [pageNumberRe]): a pager's "2", "3",
// "Next" and "Last".
func pagerLinks(doc *goquery.Document) int {
	targets := map[string]bool{}
	doc.Find("a[href]").Each(func(_ int, sel *goquery.Selection) {
		if h, _ := sel.Attr("href"); pageNumberRe.MatchString(h) {
			targets[h] = true
		}
	})
	return len(targets)
}

// markedListing reports whether a page marked as an article is a listing
// all the same: at least teaserShare of its body lies in the page's teaser
// cards cs, the cards outside one another hold markedCardRatio times the
// text of the body outside them, and markedHeadlines or more distinct
// links of the page read like headlines. An article whose body took in a
// rail of related stories keeps more text of its own than the rail's
// teasers hold; a section page's own text is a heading and a line.
func markedListing(doc *goquery.Document, a *Article, cs []card) bool {
	if t := teaserBody(a, cs); t.share < teaserShare ||
		float64(cardsText(cs)) < markedCardRatio*float64(outsideCards(a, cs)) {
		return false
	}
	_, _, distinct := linkShapes(doc)
	return distinct >= markedHeadlines
}

// pageSignals are the facts [notArticle] weighs.
type pageSignals struct {
	ldArticle bool // JSON-LD names an article type (NewsArticle, BlogPosting, ...)
	ogArticle bool // og:type is article
	// listingType: JSON-LD names a CollectionPage or SearchResultsPage,
	// or og:type is product.group (a shop's collection).
	listingType bool
	// itemList: JSON-LD names an ItemList, the schema.org type of a page
	// that is a list of things (a chart, a category's products, a set of
	// recipes).
	itemList bool
	// archiveTemplate: the <body> classes are those of a CMS's archive,
	// search or category view (see [archiveTemplate]).
	archiveTemplate bool
	// taxonomy: the URL is that of a category or tag archive (see
	// [taxonomyPath]).
	taxonomy  bool
	rootPath  bool // the page's URL is a site's root
	section   bool // the page's URL names a section (see [sectionPath])
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
				s.listingType = s.listingType || t == "collectionpage" || t == "searchresultspage"
				s.itemList = s.itemList || t == "itemlist"
			}
		}
	})
	if c, ok := doc.Find("body").First().Attr("class"); ok {
		s.archiveTemplate = archiveTemplate(c)
	}
	if og, ok := doc.Find(`meta[property="og:type" i]`).Attr("content"); ok {
		og = strings.TrimSpace(og)
		s.ogArticle = strings.EqualFold(og, "article")
		s.listingType = s.listingType || strings.EqualFold(og, "product.group")
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
		s.section = sectionPath(u)
		s.taxonomy = taxonomyPath(u)
	}
	for _, b := range a.Blocks {
		if b.Kind == Paragraph && proseWidth(spansText(b.Spans)) >= proseParaRunes {
			s.paras++
		}
	}
	return s
}

// archiveTemplate reports whether class, the class attribute of a page's
// <body>, names a view of many posts or products rather than one: the
// classes WordPress's body_class gives an archive of a category, a tag, an
// author, a date or a post type ("archive category category-news"), of
// WooCommerce's product categories and tags, its search results, a front
// page listing the latest posts ("home blog") and WooCommerce's shop page;
// the layout handles Magento gives a category page and search results;
// PrestaShop's category page; and the templates a Shopify theme names for
// a collection, a list of collections and search results. An archive of a
// custom taxonomy ("archive tax-language") is left to the other signals:
// sites build those for pages of their own, and the wcxb and trafilatura
// pages hold two such that they take for articles.
func archiveTemplate(class string) bool {
	has := map[string]bool{}
	for _, c := range strings.Fields(strings.ToLower(class)) {
		has[c] = true
	}
	if has["archive"] && (has["category"] || has["tag"] || has["author"] || has["date"] || has["post-type-archive"] ||
		has["tax-product_cat"] || has["tax-product_tag"]) {
		return true
	}
	for _, c := range []string{"search-results", "woocommerce-shop", "catalog-category-view", "catalogsearch-result-index",
		"page-category", "template-collection", "template-list-collections", "template-search"} {
		if has[c] {
			return true
		}
	}
	return has["home"] && has["blog"]
}

// Labels of the controls of a list of results: "Sort by", a count of
// results ("24 products", "Showing 1–24 of 120 results") and "Filter".
var (
	sortLabelRe   = regexp.MustCompile(`(?i)^sort(ed)? by\b`)
	resultCountRe = regexp.MustCompile(`(?i)^(showing\s+)?\d[\d,.]*(\s*(-|–|of)\s*\d[\d,.]*)*\s+(products|results|items)\b`)
	filterLabelRe = regexp.MustCompile(`(?i)^(filters?|refine)(\s+by)?:?$`)
)

// listingControls reports whether the page offers the controls of a list
// of results: a text that starts "Sort by" and either a count of results
// or a "Filter" label. A shop's category page keeps them in its HTML even
// when a script builds the grid of products, and its body is then the
// category's introduction, which reads like an article. A comment thread's
// "Sort by" comes with neither. The labels are English; a page in another
// language is left to the other signals.
func listingControls(doc *goquery.Document) bool {
	var sorted, counted, filtered bool
	var walk func(n *html.Node) bool // true once the answer is known
	walk = func(n *html.Node) bool {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "noscript", "template", "head":
				return false
			}
		}
		if t := strings.TrimSpace(n.Data); n.Type == html.TextNode && t != "" {
			// The labels' first letters spare most texts the patterns
			// ((?i) folds "s" with "ſ" too).
			c := t[0] | 0x20
			s := c == 's' || strings.HasPrefix(t, "ſ")
			sorted = sorted || s && sortLabelRe.MatchString(t)
			counted = counted || (s || t[0] >= '0' && t[0] <= '9') && resultCountRe.MatchString(t)
			filtered = filtered || (c == 'f' || c == 'r') && filterLabelRe.MatchString(t)
			return sorted && (counted || filtered)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if walk(c) {
				return true
			}
		}
		return false
	}
	for _, n := range doc.Nodes {
		if walk(n) {
			return true
		}
	}
	return false
}

// linkShapes counts the headline-like links of the page (4 to 25 words,
// outside navigation, headers and footers), how many distinct targets
// they have, and the largest run of siblings of one tag and class that
// each hold a link: the cards of a listing.
func linkShapes(doc *goquery.Document) (headlines, cards, distinct int) {
	targets := map[string]bool{}
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
					if h := attr(c, "href"); h != "" && h[0] != '#' {
						targets[h] = true
					}
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
	return headlines, cards, len(targets)
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

// proseWidth is the length of s in characters, a Han, kana or Hangul
// character counting two: a paragraph of Chinese holds as much as one of
// English twice as long, and a short news paragraph in Chinese (the
// readability corpus's qq page) is still prose.
func proseWidth(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x1100 && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
			n++
		}
	}
	return n
}

// teaserStats measure how much of a body is the page's teaser cards.
type teaserStats struct {
	share float64 // of the body's text inside cards
	cards int     // distinct cards the body holds
	own   int     // body paragraphs of proseParaRunes or more outside the cards
}

// teaserBody measures how much of the extracted body of a is made of the
// page's teaser cards cs (see [cards]). A listing's body is its teasers;
// an article with a rail of related stories keeps its own prose outside
// the rail's cards, even when the body took in the rail.
func teaserBody(a *Article, cs []card) teaserStats {
	// Folded text is letters and digits only, so a NUL cannot occur in it
	// and a match never spans two cards.
	folded := make([]string, len(cs))
	for i, c := range cs {
		folded[i] = c.folded
	}
	all := strings.Join(folded, "\x00")
	touched := map[int]bool{}
	var body, inCards int
	var st teaserStats
	for _, b := range a.Blocks {
		var t string
		switch b.Kind {
		case Paragraph, Heading:
			t = spansText(b.Spans)
		case List:
			var sb strings.Builder
			for _, it := range b.Items {
				sb.WriteString(spansText(it.Spans))
				sb.WriteByte(' ')
			}
			t = sb.String()
		default:
			continue
		}
		n := utf8.RuneCountInString(t)
		body += n
		if len(cs) > 0 && inCard(foldText(t), all, folded, touched) {
			inCards += n
		} else if b.Kind == Paragraph && proseWidth(t) >= proseParaRunes {
			st.own++
		}
	}
	st.cards = len(touched)
	st.share = float64(inCards) / float64(max(body, 1))
	return st
}

// bodyWidth is the [proseWidth] of the body of a, blocks of every kind.
func bodyWidth(a *Article) int {
	n := 0
	for _, b := range a.Blocks {
		n += proseWidth(blockText(b))
	}
	return n
}

// bodyRunes is the number of characters of the body of a, blocks of
// every kind.
func bodyRunes(a *Article) int {
	n := 0
	for _, b := range a.Blocks {
		n += utf8.RuneCountInString(blockText(b))
	}
	return n
}

// outsideCards is the number of characters of the body of a, blocks of
// every kind, that lie inside none of the cards cs: the article's own
// text. Unlike [teaserBody] it does not count a block that holds several
// cards as teasers, so that a long paragraph naming two stories of a rail
// stays the article's.
func outsideCards(a *Article, cs []card) int {
	folded := make([]string, len(cs))
	for i, c := range cs {
		folded[i] = c.folded
	}
	all := strings.Join(folded, "\x00")
	n := 0
	for _, b := range a.Blocks {
		t := blockText(b)
		if ft := foldText(t); len(ft) < minCardMatch || !strings.Contains(all, ft) {
			n += utf8.RuneCountInString(t)
		}
	}
	return n
}

// sectionPath reports whether u names a section rather than a story: no
// query, at most two path segments, and a last segment that is no
// story's slug (four or more words joined by hyphens or underscores), id
// (a run of four digits) or file (.html, .php, ...): "/", "/news/",
// "/category/science/", "/c/hiking-boots".
func sectionPath(u *url.URL) bool {
	if u.RawQuery != "" {
		return false
	}
	segs := strings.FieldsFunc(u.Path, func(r rune) bool { return r == '/' })
	if len(segs) == 0 {
		return true
	}
	if len(segs) > 2 {
		return false
	}
	last := segs[len(segs)-1]
	if strings.Count(last, "-")+strings.Count(last, "_") >= 3 || storyIDRe.MatchString(last) {
		return false
	}
	return !strings.Contains(last, ".")
}

var storyIDRe = regexp.MustCompile(`[0-9]{4}`)

// taxonomyPath reports whether u is the address of a category or tag
// archive or a shop's collection: a "category", "categories", "tag",
// "tags", "product-category", "product-tag" or "collections" segment
// followed by the archive's name and perhaps a child's, neither a story's
// id or file nor the child a story's slug (see [sectionPath]), and
// optionally a page number: "/category/news/",
// "/blog/tag/bridges/page/2/", "/magazine/category/parent/child",
// "/collections/boots"; or a path that ends in "shop". These are
// WordPress's default bases for its category and tag archives, which
// other CMSs (Ghost's /tag/) share, WooCommerce's for its product
// categories and tags and its shop page, and Shopify's for a collection
// (whose products live at /products/ or /collections/boots/products/...);
// a story does not live there. Like the <body> classes of an archive (see
// [archiveTemplate]), the URL names the view the CMS rendered, so it
// outweighs an og:type set on every page; like a CollectionPage, such an
// archive whose body is more than listingTypeOwnParas paragraphs of prose
// is kept. On the wcxb pages 26 URLs have such a path: 19 collections, 5
// listings, a product page and a service's list; no trafilatura page has
// one.
func taxonomyPath(u *url.URL) bool {
	segs := strings.FieldsFunc(strings.ToLower(u.Path), func(r rune) bool { return r == '/' })
	if n := len(segs); n >= 2 && segs[n-2] == "page" && strings.Trim(segs[n-1], "0123456789") == "" {
		segs = segs[:n-2]
	}
	if len(segs) > 0 && segs[len(segs)-1] == "shop" {
		return true
	}
	for i, s := range segs {
		switch s {
		case "category", "categories", "tag", "tags", "product-category", "product-tag", "collections":
		default:
			continue
		}
		rest := segs[i+1:]
		if len(rest) == 0 || len(rest) > 2 {
			return false
		}
		for j, r := range rest {
			// The archive's own name may be many words
			// ("/collections/womens-trail-running-shoes"); a story's slug
			// would follow it.
			slug := j > 0 && strings.Count(r, "-")+strings.Count(r, "_") >= 3
			if slug || storyIDRe.MatchString(r) || strings.Contains(r, ".") {
				return false
			}
		}
		return true
	}
	return false
}

// minCardMatch is the length of folded text, in bytes, under which a
// block or a card is too short to match ("Read more", a date).
const minCardMatch = 12

// inCard reports whether the folded block text ft lies inside one of the
// cards cs (joined with NULs as all), or holds two or more of them (a
// body that ran the teasers together), and marks in touched the cards it
// matched.
func inCard(ft, all string, cs []string, touched map[int]bool) bool {
	if len(ft) < minCardMatch {
		return false
	}
	if i := strings.Index(all, ft); i >= 0 {
		touched[strings.Count(all[:i], "\x00")] = true
		return true
	}
	var hold []int
	for j, c := range cs {
		if len(c) >= minCardMatch && strings.Contains(ft, c) {
			hold = append(hold, j)
		}
	}
	if len(hold) < 2 {
		return false
	}
	for _, j := range hold {
		touched[j] = true
	}
	return true
}

// card is one teaser card of a page (see [cards]).
type card struct {
	folded string // its text, folded (see [foldText])
	runes  int    // characters of its text
	top    bool   // it lies inside no other card
	priced bool   // its text shows a price (see [priceRe])
}

// cards returns the page's teaser cards: groups of cardGroup or more
// elements outside navigation, headers and footers that share a tag and a
// class anywhere on the page (or, with no class, are siblings), each
// holding a link, with at most cardRunes characters of text and
// cardLinkShare of it in links. Cards nested in cards are kept too; a
// match in either counts.
func cards(doc *goquery.Document) []card {
	var out []card
	kept := map[*html.Node]bool{}
	var nodes []*html.Node
	classed := map[string][]*html.Node{}
	var order []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		plain := map[string][]*html.Node{}
		var plainOrder []string
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.Data {
			case "nav", "header", "footer", "script", "style", "noscript", "template", "svg", "select", "head", "p", "a", "span":
				continue
			}
			if hasLink(c) {
				k := c.Data + "." + attr(c, "class")
				m, ord := plain, &plainOrder
				if attr(c, "class") != "" {
					m, ord = classed, &order
				}
				if m[k] == nil {
					*ord = append(*ord, k)
				}
				m[k] = append(m[k], c)
			}
			walk(c)
		}
		for _, k := range plainOrder {
			out, nodes = keepCards(plain[k], out, nodes)
		}
	}
	for _, n := range doc.Nodes {
		walk(n)
	}
	for _, k := range order {
		out, nodes = keepCards(classed[k], out, nodes)
	}
	for _, n := range nodes {
		kept[n] = true
	}
	for i, n := range nodes {
		out[i].top = true
		for p := n.Parent; p != nil; p = p.Parent {
			if kept[p] {
				out[i].top = false
				break
			}
		}
	}
	return out
}

// keepCards appends to out (and their nodes to nodes) the members of
// group g that are teaser-sized and linked enough, or none when fewer
// than cardGroup are.
func keepCards(g []*html.Node, out []card, nodes []*html.Node) ([]card, []*html.Node) {
	if len(g) < cardGroup {
		return out, nodes
	}
	n0 := len(out)
	for _, m := range g {
		if visibleRunesOver(m, 4*cardRunes) {
			continue // far too long for a card: spare building its text
		}
		t, linked := proseText(m)
		n := utf8.RuneCountInString(t)
		if n == 0 || n > cardRunes || float64(linked) < cardLinkShare*float64(len(t)) {
			continue
		}
		out = append(out, card{folded: foldText(t), runes: n, priced: priceRe.MatchString(t)})
		nodes = append(nodes, m)
	}
	if len(out)-n0 < cardGroup {
		return out[:n0], nodes[:n0]
	}
	return out, nodes
}

// visibleRunesOver reports whether the text [proseText] gives for n holds
// more than limit runes that are letters, digits, punctuation or symbols,
// stopping at the first rune past limit. Cleaning that text keeps at least
// a quarter of them: it drops spaces, controls and marks, which are not
// counted, and merges at most four runes into one (a UTF-8 character read
// as Latin-1, Hangul jamo composed into a syllable). So when it reports
// true for 4*cardRunes, the cleaned text is longer than a card's.
func visibleRunesOver(n *html.Node, limit int) bool {
	count := 0
	var visit func(n *html.Node) bool
	visit = func(n *html.Node) bool {
		switch n.Type {
		case html.TextNode:
			for _, r := range n.Data {
				if r > ' ' && r < utf8.RuneSelf && r != 0x7f || r >= utf8.RuneSelf && (unicode.In(r, unicode.L, unicode.N, unicode.P, unicode.S)) {
					if count++; count > limit {
						return true
					}
				}
			}
			return false
		case html.ElementNode:
			if dropTags[n.Data] {
				return false
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if visit(c) {
				return true
			}
		}
		return false
	}
	return visit(n)
}

// priceRe matches a price: an amount after a currency sign, or before a
// currency's sign or code ("$24.99", "€ 12", "19,90 €", "249 kr").
var priceRe = regexp.MustCompile(`[$€£¥₹₽]\s?\d|\d\s?(€|EUR\b|USD\b|CHF\b|kr\b|zł|Kč|₽)`)

// pricedCards is the number of cards of cs, outside one another, that
// show a price.
func pricedCards(cs []card) int {
	n := 0
	for _, c := range cs {
		if c.top && c.priced {
			n++
		}
	}
	return n
}

// cardsText is the number of characters of text in the cards of cs,
// outside one another.
func cardsText(cs []card) int {
	n := 0
	for _, c := range cs {
		if c.top {
			n += c.runes
		}
	}
	return n
}

// listShare is the share of the body's text, in characters, that lies in
// lists.
func listShare(a *Article) float64 {
	var all, listed int
	for _, b := range a.Blocks {
		n := utf8.RuneCountInString(blockText(b))
		all += n
		if b.Kind == List {
			listed += n
		}
	}
	return float64(listed) / float64(max(all, 1))
}
