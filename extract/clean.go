package extract

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// dropTags are elements that never hold article text.
var dropTags = map[string]bool{
	"script": true, "style": true, "template": true, "form": true, "iframe": true,
	"button": true, "input": true, "select": true, "textarea": true, "nav": true,
	"dialog": true, "object": true, "embed": true, "canvas": true, "link": true,
	"meta": true, "frame": true, "frameset": true, "applet": true, "audio": true,
	"video": true, "map": true, "label": true,
}

// noiseTokens are class, id and data-* words that mark boilerplate.
var noiseTokens = map[string]bool{
	"ad": true, "ads": true, "advert": true, "adverts": true, "advertisement": true, "advertising": true,
	"adslot": true, "adunit": true, "adcontainer": true, "dfp": true, "gpt": true, "sponsor": true,
	"sponsored": true, "promo": true, "promotion": true, "share": true, "sharing": true,
	"sharebar": true, "social": true, "socialmedia": true, "related": true, "recommended": true,
	"recommendations": true, "newsletter": true, "newsletters": true, "signup": true,
	"subscribe": true, "subscription": true, "mostread": true, "mostpopular": true, "popular": true,
	"trending": true, "comment": true, "comments": true, "disqus": true, "consent": true,
	"cookie": true, "cookies": true, "gdpr": true, "outbrain": true, "taboola": true,
	"breadcrumb": true, "breadcrumbs": true, "pagination": true, "masthead": true, "navbar": true,
	"menu": true, "sidebar": true, "footer": true, "toolbar": true, "banner": true,
	"readmore": true, "moreon": true, "morestories": true, "tags": true,
	"skip": true, "skiplink": true, "sr": true, "srOnly": true, "visuallyhidden": true,
	"modal": true, "popup": true, "overlay": true, "flyout": true, "bio": true, "authorbio": true,
	"postmetadata": true, "postmeta": true, "entrymeta": true,
	// A disclaimer or disclosure box is the site's legal notice
	// ("links on this page earn us a commission"), set on every article.
	"disclaimer": true, "disclosure": true,
	// An element marked as a relative time ("relativetime", "timeago")
	// is rewritten by script to "5 minutes ago", differently on every
	// request, whatever the page was served with.
	"relativetime": true, "timeago": true,
}

// noisePairs are two-word hints ("most read", "read more").
var noisePairs = map[string]bool{
	"most read": true, "most popular": true, "read more": true, "more on": true,
	"more stories": true, "sr only": true, "visually hidden": true, "screen reader": true,
	"you may": true, "also like": true, "top stories": true, "ad slot": true, "sign up": true,
	"author bio": true, "about author": true, "author box": true, "author info": true,
	"entry meta": true, "entry utility": true, "entry footer": true, "post meta": true,
	"post footer": true,
}

var hiddenStyle = regexp.MustCompile(`(?i)(display\s*:\s*none|visibility\s*:\s*hidden)`)

var noiseRoles = map[string]bool{
	"navigation": true, "banner": true, "contentinfo": true, "complementary": true,
	"dialog": true, "alertdialog": true, "search": true, "menu": true, "menubar": true,
	"toolbar": true, "alert": true,
}

// removeNoise removes boilerplate from sel in place: scripts, forms, hidden
// elements, ads, share and social widgets, related links, newsletters,
// comments, consent banners and the like. Elements that hold the article
// (html, body, main, article, [itemprop=articleBody]) are never removed.
func removeNoise(sel *goquery.Selection) {
	for _, n := range sel.Nodes {
		cleanNode(n)
	}
}

func cleanNode(n *html.Node) {
	dropConsentNotices(n)
	cleanTree(n, false)
}

// cleanTree removes HTML comments and boilerplate elements below n. Inside
// preformatted text and code (inCode) class names are a highlighter's
// token types and not the page's furniture: a <span class="hljs-comment">
// is a comment in the code, not a comment thread, and the code loses a
// line without it. There only elements that never hold text ([dropTags])
// go.
func cleanTree(n *html.Node, inCode bool) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		switch c.Type {
		case html.CommentNode:
			n.RemoveChild(c)
		case html.ElementNode:
			switch {
			case inCode && dropTags[c.Data], !inCode && isNoise(c):
				n.RemoveChild(c)
			case inCode || c.Data == "pre" || c.Data == "code":
				cleanTree(c, true)
			default:
				if headingTags[c.Data] {
					unmarkHeader(c)
				}
				cleanTree(c, false)
			}
		}
		c = next
	}
}

// headingTags are the section headings.
var headingTags = map[string]bool{"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true}

// unmarkHeader drops the class and id of a section heading that calls
// itself a header (class="header-anchor-post"): readability takes the word
// for the page's header and removes the heading, so an article lost every
// section title. A section heading is one with a permalink anchor (an
// element whose class or id names an anchor, or a link to "#..."): the
// headings of side boxes ("Weitere Themen", class="box-header") have none,
// and a heading that is boilerplate by its other words ("related-header")
// is gone before this.
func unmarkHeader(n *html.Node) {
	if !hasPermalink(n) {
		return
	}
	attrs := n.Attr[:0]
	for _, a := range n.Attr {
		if (a.Key == "class" || a.Key == "id") && containsFoldASCII(a.Val, "header") {
			continue
		}
		attrs = append(attrs, a)
	}
	n.Attr = attrs
}

// hasPermalink reports whether heading n, or an element inside it, is a
// permalink anchor to the section.
func hasPermalink(n *html.Node) bool {
	for _, a := range n.Attr {
		switch {
		case (a.Key == "class" || a.Key == "id") && containsFoldASCII(a.Val, "anchor"):
			return true
		case n.Data == "a" && a.Key == "href" && strings.HasPrefix(a.Val, "#") && len(a.Val) > 1:
			return true
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && hasPermalink(c) {
			return true
		}
	}
	return false
}

// isNoise reports whether element n is boilerplate.
func isNoise(n *html.Node) bool {
	tag := n.Data
	if dropTags[tag] {
		return true
	}
	if tag == "html" || tag == "body" || tag == "main" || tag == "head" {
		return false
	}
	var hints []string
	for _, a := range n.Attr {
		switch {
		case hidesElement(a):
			return true
		case a.Key == "role" && noiseRoles[strings.ToLower(strings.TrimSpace(a.Val))]:
			return !holdsArticle(n)
		case a.Key == "itemprop" && hasToken(a.Val, "articlebody"):
			return false
		case a.Key == "itemprop" && hasToken(a.Val, "author") && textLenNode(n) >= minAuthorBox:
			// The author marked up with a paragraph about them is the
			// box about the author, not the byline.
			return !holdsArticle(n)
		case a.Key == "class" && hiddenClass(a.Val):
			return true
		case a.Key == "id" && headingTags[tag] && sluggedText(n, a.Val):
			// The id is the heading's own text made an anchor
			// (id="h-why-use-social-shopping"): it names the section, not
			// a widget.
		case a.Key == "class" || a.Key == "id" || hintAttr(a.Key) && len(a.Val) < 60:
			hints = append(hints, a.Val)
		}
	}
	if len(hints) == 0 {
		return (tag == "aside" || tag == "footer") && !holdsArticle(n)
	}
	if hasNoiseHint(hints) {
		return !holdsArticle(n)
	}
	if teaserHint(hints) && teaserCard(n) {
		return !holdsArticle(n)
	}
	if creditHint(hints) && textLenNode(n) < 100 {
		// A photo credit or copyright line names who made the picture,
		// not what it shows: it goes even beside its picture, inside a
		// figure's caption too. A wrapper that holds the caption as well
		// (class="credit-caption") stays.
		return true
	}
	if captionHint(hints) && !nearImage(n) && textLenNode(n) < 400 {
		// A caption or credit away from any picture has lost it: the
		// picture is a lazy-loaded or scripted one stet drops, or a
		// video's.
		return true
	}
	return tag == "aside" && !holdsArticle(n)
}

// sluggedText reports whether id is made of the words of n's text, as
// the anchors that editors and site generators give headings are, with at
// most one other short word ("h-", "toc-"). Only an id that names
// boilerplate is checked, so the text is read only then.
func sluggedText(n *html.Node, id string) bool {
	if !hasNoiseHint([]string{id}) {
		return false
	}
	words := map[string]bool{}
	for _, w := range tokens(textOf(n)) {
		words[w] = true
	}
	in, out := 0, 0
	for _, w := range tokens(id) {
		switch {
		case words[w]:
			in++
		case len(w) > 3 || out > 0:
			return false
		default:
			out++
		}
	}
	return in >= 2
}

// captionHint reports whether the class/id values name a caption or a
// credit.
func captionHint(hints []string) bool {
	for _, h := range hints {
		for _, w := range tokens(h) {
			switch w {
			case "caption", "credit", "credits", "figcaption", "copyright":
				return true
			}
		}
	}
	return false
}

// creditHint reports whether the class/id values name a credit or a
// copyright line (class="credit", "photo-credit", "image__copyright") and
// not a caption as well (class="credit-caption" wraps both).
func creditHint(hints []string) bool {
	credit := false
	for _, h := range hints {
		for _, w := range tokens(h) {
			switch w {
			case "credit", "credits", "copyright", "photographer":
				credit = true
			case "caption", "figcaption":
				return false
			}
		}
	}
	return credit
}

// nearImage reports whether n is inside a <figure> or <picture>, sits
// right beside an image (see [besideImage]), or a small ancestor up to
// four levels up (under 600 bytes of text: the picture's wrapper, not the
// article) holds an image: the caption's own picture.
func nearImage(n *html.Node) bool {
	if besideImage(n) {
		return true
	}
	for p, up := n.Parent, 0; p != nil; p, up = p.Parent, up+1 {
		if p.Type != html.ElementNode {
			continue
		}
		if p.Data == "figure" || p.Data == "picture" || up < 4 && textLenNode(p) < 600 && hasImage(p) {
			return true
		}
	}
	return false
}

// besideImage reports whether the element next to n, before or after it,
// is or holds an image: a caption set as the sibling of its figure.
// Unlike the size of a wrapper, which a pull quote or a promo placed in
// it on some requests pushes past any bound, where the caption stands
// does not change from request to request.
func besideImage(n *html.Node) bool {
	isImage := func(s *html.Node) bool {
		return s != nil && (s.Data == "img" || s.Data == "picture" || hasImage(s))
	}
	return isImage(elementSibling(n, -1)) || isImage(elementSibling(n, +1))
}

// elementSibling is the first element before (dir < 0) or after n among
// its siblings, skipping text and comments; nil when there is none.
func elementSibling(n *html.Node, dir int) *html.Node {
	for s := siblingOf(n, dir); s != nil; s = siblingOf(s, dir) {
		if s.Type == html.ElementNode {
			return s
		}
	}
	return nil
}

// siblingOf is the node before (dir < 0) or after n.
func siblingOf(n *html.Node, dir int) *html.Node {
	if dir < 0 {
		return n.PrevSibling
	}
	return n.NextSibling
}

// hasNoiseHint reports whether any of the class/id/data values names
// boilerplate.
func hasNoiseHint(hints []string) bool {
	for _, h := range hints {
		words := tokens(h)
		for i, w := range words {
			if i > 0 && modifierWords[words[i-1]] {
				// "has-sharing", "with-sidebar": the element holds
				// the widget or sits beside it, it is not the widget.
				continue
			}
			if noiseTokens[w] || noisePrefix(w) {
				return true
			}
			if i > 0 && noisePairs[words[i-1]+" "+w] {
				return true
			}
		}
	}
	return false
}

// teaserHint reports whether any of the class/id/data values names a
// teaser.
func teaserHint(hints []string) bool {
	for _, h := range hints {
		if !containsFoldASCII(h, "teaser") {
			continue
		}
		for _, w := range tokens(h) {
			if w == "teaser" || w == "teasers" {
				return true
			}
		}
	}
	return false
}

// maxCardText is the most text (bytes) a teaser card with a link of its
// own may hold when the link covers less than half of it: a card's
// headline and excerpt are short, an article's lead is longer.
const maxCardText = 200

// teaserCard reports whether n, named a teaser, is another story's card
// set into the page ("typo--teaser-inline", "portletTeaser"): it links to
// another page, and its linked text is half its text or more or its text
// is at most maxCardText. A teaser with no such link, or a long one with
// a link in its prose, is the article's own lead.
func teaserCard(n *html.Node) bool {
	linked, ok := linkedText(n, false)
	if !ok {
		return false
	}
	all := textLenNode(n)
	return linked*2 >= all || all <= maxCardText
}

// linkedText returns the length of the text below n inside links (in
// tells whether n itself is inside one) and whether any of those links
// goes to another page: an href that is neither a fragment of this page
// nor a script.
func linkedText(n *html.Node, in bool) (int, bool) {
	if n.Type == html.TextNode {
		if in {
			return len(strings.TrimSpace(n.Data)), false
		}
		return 0, false
	}
	out := false
	if n.Type == html.ElementNode && n.Data == "a" {
		h := strings.TrimSpace(attr(n, "href"))
		out = h != "" && !strings.HasPrefix(h, "#") && !strings.HasPrefix(strings.ToLower(h), "javascript:")
		in = true
	}
	t := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		l, o := linkedText(c, in)
		t += l
		out = out || o
	}
	return t, out
}

// minAuthorBox is the least text (bytes) of an element marked
// itemprop=author for it to be a box about the author (a bio) rather than
// the byline.
const minAuthorBox = 150

// modifierWords are the words of a class name that say what an element
// has or lacks rather than what it is ("has-sharing", "with-sidebar",
// "no-comments").
var modifierWords = map[string]bool{"has": true, "with": true, "without": true, "no": true}

// tokens splits a class or id value into lower-case words at punctuation
// and camelCase boundaries ("mostRead-box" gives "most", "read", "box").
func tokens(s string) []string {
	var out []string
	start := -1 // of the current word; words are ASCII, so cut by bytes
	var prevLower bool
	flush := func(end int) {
		if start >= 0 {
			out = append(out, strings.ToLower(s[start:end]))
			start = -1
		}
	}
	for i := 0; i < len(s); i++ {
		switch r := s[i]; {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if start < 0 {
				start = i
			}
			prevLower = true
		case r >= 'A' && r <= 'Z':
			if prevLower {
				flush(i)
			}
			if start < 0 {
				start = i
			}
			prevLower = false
		default:
			flush(i)
			prevLower = false
		}
	}
	flush(len(s))
	return out
}

// holdsArticle reports whether n contains the article: an <article>,
// <main> or [itemprop=articleBody] element, or a lot of paragraph text.
func holdsArticle(n *html.Node) bool {
	paras := 0
	var found bool
	var walk func(*html.Node)
	walk = func(c *html.Node) {
		for c := c.FirstChild; c != nil && !found; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.Data {
			case "article", "main":
				found = true
				return
			case "p":
				if textLenNode(c) > 150 {
					paras++
				}
			}
			for _, a := range c.Attr {
				if a.Key == "itemprop" && hasToken(a.Val, "articlebody") {
					found = true
					return
				}
			}
			walk(c)
		}
	}
	walk(n)
	return found || paras >= 5
}

func textLenNode(n *html.Node) int {
	if n.Type == html.TextNode {
		return len(strings.TrimSpace(n.Data))
	}
	t := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		t += textLenNode(c)
	}
	return t
}

var (
	relTimeRe = regexp.MustCompile(`(?i)^(?:(?:updated|published|posted|last updated|modified)\s*:?\s*)?(?:about\s+|an?\s+|\d+\s*)(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|h|m|days?|d|weeks?|wks?|months?|years?)\s+ago\.?$|^(?:just now|yesterday|today)$`)
	countRe   = regexp.MustCompile(`(?i)^[\d.,]+\s*[km]?\s*(?:views?|shares?|comments?|reads?|likes?|reactions?|replies)$`)
)

// volatileText reports whether s is text that changes while the article
// does not: a relative time or a view, share or comment count.
func volatileText(s string) bool {
	s = strings.TrimSpace(s)
	return len(s) < 60 && (relTimeRe.MatchString(s) || countRe.MatchString(s))
}

// noisePrefixes start glued class words that mark boilerplate
// ("relatedposts", "sharedaddy", "newsletterbox").
var noisePrefixes = []string{"related", "newsletter", "sharedaddy", "sharebar", "sharing", "social",
	"advert", "sponsor", "outbrain", "taboola", "mostread", "mostpopular", "recommend", "subscribe",
	"cookie", "consent", "promo", "comments", "disqus", "adslot", "adunit", "dfp"}

func noisePrefix(w string) bool {
	for _, p := range noisePrefixes {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	return false
}

// hasToken reports whether the space-separated list v holds tok, ignoring
// case.
func hasToken(v, tok string) bool {
	for f := range strings.FieldsSeq(v) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

// hintAttr reports whether a data-* attribute names what an element is
// (data-component="share-tools"), as opposed to holding data about it
// (data-media-action="modal", data-src).
func hintAttr(key string) bool {
	if !strings.HasPrefix(key, "data-") {
		return false
	}
	for _, k := range []string{"component", "module", "testid", "test-id", "type", "role", "widget", "block", "ad-", "ad", "section", "region", "name", "container", "qa"} {
		if strings.HasSuffix(key, "-"+k) || strings.HasPrefix(key, "data-"+k) {
			return true
		}
	}
	return false
}

// hiddenClasses are whole class names that CSS frameworks use for
// display:none ("hidden-xs", which hides on phones only, is not one).
var hiddenClasses = map[string]bool{
	"hidden": true, "is-hidden": true, "u-hidden": true, "d-none": true, "hide": true,
	"display-none": true, "invisible": true, "visually-hidden": true, "visuallyhidden": true,
	"sr-only": true, "screen-reader-only": true, "screen-reader-text": true, "offscreen": true,
}

func hiddenClass(v string) bool {
	for c := range strings.FieldsSeq(strings.ToLower(v)) {
		if hiddenClasses[c] {
			return true
		}
	}
	return false
}

// hiddenAttr reports whether attribute a hides its element: by
// [hidesElement] or by a hiding class name ([hiddenClasses]).
func hiddenAttr(a html.Attribute) bool {
	return hidesElement(a) || a.Key == "class" && hiddenClass(a.Val)
}

// hidesElement reports whether attribute a hides its element from the
// reader: hidden, aria-hidden="true", or a display:none / visibility:hidden
// style.
func hidesElement(a html.Attribute) bool {
	switch a.Key {
	case "hidden":
		return true
	case "aria-hidden":
		return strings.EqualFold(strings.TrimSpace(a.Val), "true")
	case "style":
		return (containsFoldASCII(a.Val, "none") || containsFoldASCII(a.Val, "hidden")) && hiddenStyle.MatchString(a.Val)
	}
	return false
}

// dropRubyAnnotations removes the annotations of ruby text below n: the
// readings (<rt>) set in small type above the characters they gloss, and
// the fallback parentheses (<rp>) around them. Flattened to text they
// double every glossed word, the reading following the word, so the body
// keeps the base text only. No space is left where they were: ruby sits
// inside a word.
func dropRubyAnnotations(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode {
			if c.Data == "rt" || c.Data == "rp" {
				n.RemoveChild(c)
			} else {
				dropRubyAnnotations(c)
			}
		}
		c = next
	}
}

// dropStoryLists removes from n the lists of other stories: an element
// that is a heading or a short label ("Most read") and nothing else but
// links to at least minStoryLinks pages, each named by a few words
// (headlines, not a menu). A list of links with no label of its own is
// more often part of the article (the sources, the tools it reviews).
// Readability weighs the text around its best candidate by link density,
// so a "most read" list inside the article's container, a link more or
// less on every request, decides whether the article's last part is taken
// in; without the list the decision does not wobble. Such a list is cut
// from the body anyway ([trimBlocks]).
func dropStoryLists(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode {
			if storyList(c) {
				n.RemoveChild(c)
			} else {
				dropStoryLists(c)
			}
		}
		c = next
	}
}

// minStoryLinks is the fewest links of a list of other stories.
const minStoryLinks = 3

// storyList reports whether n is a list of other stories ([dropStoryLists]).
func storyList(n *html.Node) bool {
	switch n.Data {
	case "section", "aside", "div", "ul", "ol":
	case "table":
		// A "most viewed" table: a rank and a link a row. A table of
		// more columns is data (a league table, a price list).
		if !twoColumns(n) {
			return false
		}
	default:
		return false
	}
	links, linkWords, other, label, tail := 0, 0, 0, false, false
	var walk func(*html.Node)
	walk = func(m *html.Node) {
		for c := m.FirstChild; c != nil && other <= 2; c = c.NextSibling { // stop at the first prose
			switch {
			case c.Type == html.ElementNode && c.Data == "a" && attr(c, "href") != "":
				links++
				linkWords += len(strings.Fields(textOf(c)))
			case c.Type == html.ElementNode && (headingTags[c.Data] || c.Data == "strong" || c.Data == "b" || c.Data == "caption"):
				if w := len(strings.Fields(textOf(c))); w > 6 {
					other += w
				} else if w > 0 {
					label = true
					tail = tail || tailLabel(cleanText(textOf(c)))
				}
			case c.Type == html.ElementNode && (c.Data == "img" || c.Data == "figure" || c.Data == "picture" || c.Data == "table" || c.Data == "blockquote"):
				other += 100 // pictures and tables are content of their own
			case c.Type == html.ElementNode:
				walk(c)
			case c.Type == html.TextNode && rankRe.MatchString(c.Data):
				// the rank of a numbered list of stories
			case c.Type == html.TextNode:
				other += len(strings.Fields(c.Data))
			}
		}
	}
	walk(n)
	// Under a label of other stories ("Most read", "From around the
	// web"), each link may carry a few words of its own: the source of a
	// sponsored story, a section name.
	return label && links >= minStoryLinks && linkWords >= 3*links && (other <= 2 || tail && other <= 3*links)
}

// rankRe matches a text that is only a rank ("3", "3."), as numbered
// lists of stories built of other elements than <ol> write it.
var rankRe = regexp.MustCompile(`^\s*\d{1,2}\.?\s*$`)

// twoColumns reports whether no row of table n has more than two cells.
func twoColumns(n *html.Node) bool {
	ok := true
	var walk func(*html.Node)
	walk = func(m *html.Node) {
		for c := m.FirstChild; c != nil && ok; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if c.Data == "tr" {
				cells := 0
				for d := c.FirstChild; d != nil; d = d.NextSibling {
					if d.Type == html.ElementNode && (d.Data == "td" || d.Data == "th") {
						cells++
					}
				}
				ok = cells <= 2
				continue
			}
			if c.Data != "table" { // a nested table is the caller's "other"
				walk(c)
			}
		}
	}
	walk(n)
	return ok
}

// slotAttr marks the stand-in of a list of links while readability reads
// the page ([setLinkListsAside]).
const slotAttr = "data-stet-slot"

// setLinkListsAside replaces each list (<ul>, <ol>) whose items are all
// one link named by a few words (headlines) with a stand-in image, and
// returns the lists in the order of their slots. Readability weighs the
// text around its best candidate by link density, so a list of links set
// inside the article, a link more or less on each request, decides
// whether a whole section is taken in. With the lists set aside the
// decision is the prose's alone; [putLinkListsBack] returns each list to
// its place in what readability kept, so the article loses none of them.
func setLinkListsAside(n *html.Node) []*html.Node {
	var lists []*html.Node
	var walk func(*html.Node)
	walk = func(m *html.Node) {
		for c := m.FirstChild; c != nil; {
			next := c.NextSibling
			if c.Type == html.ElementNode && (c.Data == "ul" || c.Data == "ol") && linkList(c) {
				slot := &html.Node{Type: html.ElementNode, Data: "img", DataAtom: atom.Img, Attr: []html.Attribute{
					{Key: "src", Val: "data:image/gif;base64,R0lGODlhAQABAAAAACw="},
					{Key: slotAttr, Val: strconv.Itoa(len(lists))},
				}}
				m.InsertBefore(slot, c)
				m.RemoveChild(c)
				lists = append(lists, c)
			} else if c.Type == html.ElementNode {
				walk(c)
			}
			c = next
		}
	}
	walk(n)
	return lists
}

// putLinkListsBack puts the lists [setLinkListsAside] took from the page
// back in the place of their stand-ins below n, and removes stand-ins
// whose list is unknown.
func putLinkListsBack(n *html.Node, lists []*html.Node) {
	var slots []*html.Node
	var walk func(*html.Node)
	walk = func(m *html.Node) {
		for c := m.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.Data == "img" && attr(c, slotAttr) != "" {
				slots = append(slots, c)
			} else if c.Type == html.ElementNode {
				walk(c)
			}
		}
	}
	walk(n)
	for _, s := range slots {
		if i, err := strconv.Atoi(attr(s, slotAttr)); err == nil && i >= 0 && i < len(lists) && lists[i].Parent == nil {
			s.Parent.InsertBefore(lists[i], s)
		}
		s.Parent.RemoveChild(s)
	}
}

// linkList reports whether the list n has at least two items and each is
// one link of at least three words and nothing else.
func linkList(n *html.Node) bool {
	items := 0
	for li := n.FirstChild; li != nil; li = li.NextSibling {
		switch {
		case li.Type == html.TextNode && strings.TrimSpace(li.Data) == "":
			continue
		case li.Type != html.ElementNode || li.Data != "li":
			return false
		}
		links, other := 0, false
		var walk func(*html.Node)
		walk = func(m *html.Node) {
			for c := m.FirstChild; c != nil; c = c.NextSibling {
				switch {
				case c.Type == html.ElementNode && c.Data == "a":
					links++
					if attr(c, "href") == "" || len(strings.Fields(textOf(c))) < 3 {
						other = true
					}
				case c.Type == html.TextNode:
					other = other || strings.TrimSpace(c.Data) != ""
				case c.Type == html.ElementNode:
					walk(c)
				}
			}
		}
		walk(li)
		if links != 1 || other {
			return false
		}
		items++
	}
	return items >= 2
}
