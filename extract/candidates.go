package extract

import (
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"codeberg.org/readeck/go-readability/v2"
	"github.com/PuerkitoBio/goquery"
	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
)

// A candidate is one reading of the page's body, by one method.
type candidate struct {
	name   string // "profile", "readability", "raw", "trafilatura", "jsonld", "marked"
	blocks []Block
	bag    map[string]int // lower-cased words of the text, with counts
	words  int
}

func newCandidate(name string, blocks []Block) *candidate {
	c := &candidate{name: name, blocks: blocks}
	c.bag, c.words = wordBag(blocksText(blocks))
	return c
}

// blocksText is the plain text of blocks, one block a line.
func blocksText(blocks []Block) string {
	var b strings.Builder
	for _, bl := range blocks {
		b.WriteString(blockText(bl))
		b.WriteByte('\n')
	}
	return b.String()
}

// wordBag counts the lower-cased words (runs of letters and digits) of s.
func wordBag(s string) (map[string]int, int) {
	bag := map[string]int{}
	n := 0
	// The words of strings.ToLower(s) split at every rune that is not a
	// letter, digit or '_', without lower-casing a copy of s first: a word
	// is lower-cased only when it holds a byte that may change.
	start, fold := -1, false
	for i := 0; i <= len(s); {
		word, size := false, 1
		if i < len(s) {
			if c := s[i]; c < utf8.RuneSelf {
				word = asciiWordByte(c)
				fold = fold || word && c >= 'A' && c <= 'Z'
			} else {
				var r rune
				r, size = utf8.DecodeRuneInString(s[i:])
				word = unicode.IsLetter(r) || unicode.IsDigit(r)
				fold = fold || word
			}
		}
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			w := s[start:i]
			if fold {
				w = strings.ToLower(w)
			}
			bag[w]++
			n++
			start, fold = -1, false
		case !word:
			fold = false
		}
		i += size
	}
	return bag, n
}

// asciiWordByte reports whether c is an ASCII letter, digit or '_', the
// bytes of an ASCII word in [wordBag].
func asciiWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// overlap is the number of words two bags share, counting repeats.
func overlap(a, b map[string]int) int {
	if len(a) > len(b) {
		a, b = b, a
	}
	n := 0
	for w, ca := range a {
		n += min(ca, b[w])
	}
	return n
}

// rawReadability runs readability on the page as served, without stet's
// boilerplate removal, and cleans only inside the node it picks: the
// class-name rules of removeNoise sometimes remove the container that
// holds the whole article (<article class="newsletter-post">), and the
// same rules inside the chosen node still drop share bars and promos, and
// lists of other stories and comment sections ([dropFurniture]).
func rawReadability(root *html.Node, base *url.URL, w *walker) []Block {
	ps := readability.NewParser()
	ps.DisableJSONLD = true
	ps.CharThresholds = 250
	ps.Logger = discardLog
	ra, err := ps.ParseAndMutate(cloneTree(root), base)
	if err != nil || ra.Node == nil {
		return nil
	}
	cleanNode(ra.Node)
	dropFurniture(ra.Node)
	return w.blocks(ra.Node)
}

// dropFurniture removes from n the lists of other stories and the
// comment sections ([furnitureTexts]).
func dropFurniture(n *html.Node) {
	for _, c := range outermost(n, func(c *html.Node) bool { return storyList(c) || commentSection(c) }) {
		c.Parent.RemoveChild(c)
	}
}

// trafilaturaBody runs go-trafilatura (its own heuristics, without its
// readability and distiller fallbacks, and without its date search) and
// walks the content it returns.
func trafilaturaBody(root *html.Node, base *url.URL, w *walker) []Block {
	page := cloneTree(root)
	overlays := overlayTexts(page)
	markEdgeSpaces(page)
	res, err := trafilatura.ExtractDocument(page, trafilatura.Options{
		OriginalURL:     base,
		ExcludeComments: true,
		IncludeImages:   true,
		IncludeLinks:    true,
		HtmlDateMode:    trafilatura.Disabled,
	})
	if err != nil || res == nil || res.ContentNode == nil {
		return nil
	}
	unmarkEdgeSpaces(res.ContentNode)
	blocks := withoutOverlays(w.blocks(res.ContentNode), overlays)
	blocks = withoutFurniture(blocks, furnitureTexts(root))
	return withoutOrphanTeasers(blocks, cardTeasers(root))
}

// furnitureTexts returns the folded text of each list of other stories
// ([storyList]) and each comment section below n: blocks the other
// readings leave out because of a label or a heading ("Most read",
// "Comments (12)") that go-trafilatura drops while it keeps what
// follows, so that in its reading the rotating headlines and comments
// looked like the article's paragraphs and table rows.
func furnitureTexts(n *html.Node) []string {
	var out []string
	for _, c := range outermost(n, func(c *html.Node) bool { return storyList(c) || commentSection(c) }) {
		if t := foldText(textOf(c)); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// outermost returns the elements below n that match, outside one
// another, in document order.
func outermost(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if match(c) {
				out = append(out, c)
				continue
			}
			walk(c)
		}
	}
	walk(n)
	return out
}

// minFurnitureText is the shortest folded text of a block that
// withoutFurniture drops: a shorter one ("Photos", "Yes") is found inside
// some word of a list of headlines by chance.
const minFurnitureText = 20

// withoutFurniture returns blocks without those whose folded text, at
// least minFurnitureText long, is part of one of the furniture texts
// (see [furnitureTexts]).
func withoutFurniture(blocks []Block, furniture []string) []Block {
	if len(furniture) == 0 {
		return blocks
	}
	return slices.DeleteFunc(blocks, func(b Block) bool {
		t := foldText(blockText(b))
		return len(t) >= minFurnitureText && slices.ContainsFunc(furniture, func(f string) bool { return strings.Contains(f, t) })
	})
}

// commentSection reports whether n is a section of readers' comments:
// an element whose first text is a comment heading ([commentsRe]) and
// that holds no article.
func commentSection(n *html.Node) bool {
	switch n.Data {
	case "section", "div", "aside":
	default:
		return false
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode && strings.TrimSpace(c.Data) != "" {
			return false
		}
		if c.Type != html.ElementNode {
			continue
		}
		if !headingTags[c.Data] {
			return false
		}
		return commentsRe.MatchString(strings.Trim(cleanText(textOf(c)), " :.…»›!")) && !holdsArticle(n)
	}
	return false
}

// teaser is a card of another story: its heading and the teaser under
// it, folded.
type teaser struct{ heading, text string }

// maxTeaserWords is the longest teaser of a card.
const maxTeaserWords = 40

// cardTeasers returns the cards below n: an element whose only children
// are a heading that links to another page (a link around or inside it;
// a heading's own #anchor is no such link) and one short paragraph with
// no link.
func cardTeasers(n *html.Node) []teaser {
	var out []teaser
	outermost(n, func(c *html.Node) bool {
		t, ok := cardOf(c)
		if ok {
			out = append(out, t)
		}
		return ok
	})
	return out
}

// cardOf returns the card n is, when it is one (see [cardTeasers]).
func cardOf(n *html.Node) (teaser, bool) {
	var kids []*html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.ElementNode:
			kids = append(kids, c)
		case c.Type == html.TextNode && strings.TrimSpace(c.Data) != "":
			return teaser{}, false
		}
	}
	if len(kids) != 2 || kids[1].Data != "p" || hasLink(kids[1]) {
		return teaser{}, false
	}
	h := kids[0]
	if h.Data == "a" && elsewhere(attr(h, "href")) {
		h = onlyChild(h)
	} else if !headingTags[h.Data] || !linksElsewhere(h) {
		return teaser{}, false
	}
	if h == nil || !headingTags[h.Data] {
		return teaser{}, false
	}
	text := cleanText(textOf(kids[1]))
	if w := len(strings.Fields(text)); w == 0 || w > maxTeaserWords {
		return teaser{}, false
	}
	return teaser{foldText(cleanText(textOf(h))), foldText(text)}, true
}

// onlyChild returns n's one element child when n holds nothing else.
func onlyChild(n *html.Node) *html.Node {
	var only *html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.ElementNode && only == nil:
			only = c
		case c.Type == html.ElementNode, c.Type == html.TextNode && strings.TrimSpace(c.Data) != "":
			return nil
		}
	}
	return only
}

// elsewhere reports whether href leads to another page, not to a place
// in this one (a section heading's own anchor).
func elsewhere(href string) bool {
	href = strings.TrimSpace(href)
	return href != "" && !strings.HasPrefix(href, "#")
}

// linksElsewhere reports whether n holds a link to another page.
func linksElsewhere(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.Data == "a" && elsewhere(attr(c, "href")) || linksElsewhere(c)) {
			return true
		}
	}
	return false
}

// withoutOrphanTeasers drops from blocks the teaser of each card whose
// heading blocks leave out: go-trafilatura drops a heading that is all
// link and keeps the paragraph under it, which then read as the
// article's. A reading that keeps the headings (an article that lists its
// own parts under linked headings) keeps the teasers too.
func withoutOrphanTeasers(blocks []Block, cards []teaser) []Block {
	if len(cards) == 0 {
		return blocks
	}
	have := map[string]bool{}
	for _, b := range blocks {
		have[foldText(blockText(b))] = true
	}
	orphan := map[string]bool{}
	for _, c := range cards {
		if !have[c.heading] {
			orphan[c.text] = true
		}
	}
	return slices.DeleteFunc(blocks, func(b Block) bool {
		return b.Kind == Paragraph && orphan[foldText(blockText(b))]
	})
}

// overlayTexts returns the folded text (see [foldText]) of each dialog
// laid over the page below n: a <dialog>, or an element whose role is
// dialog or alertdialog or that is aria-modal, unless it holds the
// article. go-trafilatura reads no roles, and a consent banner served on
// some requests only came into its reading as the article's first
// paragraph; the other readings drop such elements with the rest of the
// furniture ([noiseRoles]).
func overlayTexts(n *html.Node) []string {
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			role := strings.ToLower(strings.TrimSpace(attr(c, "role")))
			if (c.Data == "dialog" || role == "dialog" || role == "alertdialog" || strings.EqualFold(attr(c, "aria-modal"), "true")) && !holdsArticle(c) {
				if t := foldText(textOf(c)); t != "" {
					out = append(out, t)
				}
				continue
			}
			walk(c)
		}
	}
	walk(n)
	// A consent notice set with no role at all is laid over the page too.
	for _, c := range consentNotices(n) {
		if t := foldText(textOf(c)); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// withoutOverlays returns blocks without those whose text is part of one
// of the overlays' texts (see [overlayTexts]). The page go-trafilatura
// reads keeps its overlays: taking them out of it changes which part of
// the page it chooses.
func withoutOverlays(blocks []Block, overlays []string) []Block {
	if len(overlays) == 0 {
		return blocks
	}
	return slices.DeleteFunc(blocks, func(b Block) bool {
		t := foldText(blockText(b))
		return t != "" && slices.ContainsFunc(overlays, func(o string) bool { return strings.Contains(o, t) })
	})
}

// edgeSpace stands in, while go-trafilatura reads the page, for the white
// space at either end of a text node. go-trafilatura trims every text
// node, so that a word and the inline element after it ran together
// ("read <i>the manual</i> first" came back as "readthe manual
// first"). The character is one of Unicode's private use, which no text
// needs (an icon font's glyph at that point becomes a space), and goes
// back to a space in what go-trafilatura returns.
const edgeSpace = '\uE000'

// markEdgeSpaces replaces the white space at the ends of the text nodes
// below n that hold words with edgeSpace, outside preformatted text.
func markEdgeSpaces(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			t := c.Data
			body := strings.TrimSpace(t)
			if body == "" || body == t {
				continue
			}
			var b strings.Builder
			if body[0] != t[0] {
				b.WriteRune(edgeSpace)
			}
			b.WriteString(body)
			if body[len(body)-1] != t[len(t)-1] {
				b.WriteRune(edgeSpace)
			}
			c.Data = b.String()
		case html.ElementNode:
			switch c.Data {
			case "pre", "textarea", "script", "style", "template":
				continue
			}
			markEdgeSpaces(c)
		}
	}
}

// unmarkEdgeSpaces turns edgeSpace back into spaces below n.
func unmarkEdgeSpaces(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			c.Data = strings.ReplaceAll(c.Data, string(edgeSpace), " ")
		case html.ElementNode:
			unmarkEdgeSpaces(c)
		}
	}
}

// evidence is the text of the page's paragraphs that read as prose: <p>
// elements outside navigation, headers, footers, asides, list items (the
// captions of a gallery, the teasers of a list), figures, hidden elements
// and comment threads, with at least minProseChars characters outside
// links. Every method should find most of it on an article page.
//
// The walk skips what [notProse] reports.
func evidence(doc *goquery.Document) (map[string]int, int) {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if notProse(c) {
				continue
			}
			switch c.Data {
			case "p":
				if t, linked := proseText(c); len(t)-linked >= minProseChars {
					b.WriteString(t)
					b.WriteByte('\n')
				}
				continue
			}
			walk(c)
		}
	}
	for _, n := range doc.Nodes {
		walk(n)
	}
	return wordBag(b.String())
}

// minProseChars is the length of text outside links from which a <p>
// counts as prose for [evidence].
const minProseChars = 80

// proseText returns n's text and how many of its bytes are inside links.
func proseText(n *html.Node) (string, int) {
	var b strings.Builder
	linked := 0
	var visit func(n *html.Node, inLink bool)
	visit = func(n *html.Node, inLink bool) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			if inLink {
				linked += len(strings.TrimSpace(n.Data))
			}
			return
		case html.ElementNode:
			if dropTags[n.Data] {
				return
			}
			if n.Data == "a" {
				inLink = true
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c, inLink)
		}
	}
	visit(n, false)
	return cleanText(b.String()), linked
}

// Thresholds of [choose]. They were set on the wcxb development pages and
// checked on the trafilatura and readability corpora; the choice is flat
// around them (0.4 to 0.6, 1.0 to 1.5 and 0.1 to 0.3 give the same picks
// within a few pages).
const (
	// trustedShare is the share of the page's prose (see [evidence]) the
	// first reading must hold, with at least trustedWords words, to be
	// taken without looking at other readings.
	trustedShare = 0.5
	trustedWords = 150
	// extraCost is what a word outside the page's prose costs a reading,
	// against one point for each word of prose it holds.
	extraCost = 0.2
	// switchMargin is how much better than the first reading another one
	// must score to replace it.
	switchMargin = 1.2
	// agreeBelow is the prose size, in words, under which the evidence
	// says nothing and readings are judged by their agreement instead.
	agreeBelow = 50
	// minOtherWords is the length under which a reading other than the
	// first is not an article (a lone "Home" link of a bare page).
	minOtherWords = 20
)

// trusted reports whether c, the first reading, can be taken as it is: it
// is long enough and holds enough of the page's prose.
func trusted(c *candidate, prose map[string]int, proseWords int) bool {
	held := float64(overlap(c.bag, prose))
	if held < trustedShare*float64(proseWords) {
		return false
	}
	// A short reading is trusted when it holds nearly all the prose there
	// is: a brief is short.
	return c.words >= trustedWords || proseWords >= agreeBelow && held >= 0.9*float64(proseWords)
}

// choose returns the best of the readings, cands[0] being the first
// (preferred) one. A reading scores the page prose it holds less
// extraCost for each other word, and the first is replaced only by a
// reading that scores switchMargin times better. When the page has next to
// no prose, a short first reading gives way to one at least four times as
// long, and a long one to the reading that agrees best with the others
// when that is at least twice as long. An empty reading never wins over a non-empty one.
func choose(cands []*candidate, prose map[string]int, proseWords int) *candidate {
	var live []*candidate
	for i, c := range cands {
		if c.words > 0 && (i == 0 || c.words >= minOtherWords) {
			live = append(live, c)
		}
	}
	if len(live) == 0 {
		return cands[0]
	}
	first := cands[0]
	if proseWords < agreeBelow {
		if first.words < trustedWords {
			// Nothing to check a short first reading against: when
			// readability finds a few lines on a page whose text is not in
			// <p> elements, a reading many times longer is the likely
			// article.
			longest := live[0]
			for _, c := range live[1:] {
				if c.words > longest.words {
					longest = c
				}
			}
			if longest.words < 4*first.words {
				return first
			}
			// Of the readings about as long as the longest, the first in
			// order: lengths that furniture moves by a few words must
			// not flip the choice between two readings on every request.
			for _, c := range live[1:] {
				if switchMargin*float64(c.words) >= float64(longest.words) {
					return c
				}
			}
			return longest
		}
		var best *candidate
		bestScore := -1.0
		for _, c := range live {
			s := 0.0
			for _, d := range live {
				if d != c {
					s += bagF1(c, d)
				}
			}
			if c == first {
				s += 0.01 // ties go to the first reading
			}
			if s > bestScore {
				best, bestScore = c, s
			}
		}
		if best.words < 2*first.words {
			return first
		}
		return best
	}
	score := func(c *candidate) float64 { return proseScore(c, prose) }
	best := live[0]
	for _, c := range live[1:] {
		if score(c) > score(best) {
			best = c
		}
	}
	if best != first && first.words > 0 && score(best) < switchMargin*score(first) {
		return first
	}
	// Of the later readings that score about as well as the best, the
	// first in order: two readings a few words of furniture apart must
	// not win in turns.
	for _, c := range live[1:] {
		if c == best {
			break
		}
		if s := score(c); s > 0 && switchMargin*s >= score(best) {
			return c
		}
	}
	return best
}

// near returns the blocks of the readings of cands, other than best, that
// the page's prose supports nearly as well as best: each scores at least
// best's score over switchMargin, the margin by which choose would not
// have switched between them. Readings of the same text as best are left
// out. On a page with next to no prose, where choose goes by length,
// they are the readings within switchMargin of best's length.
func near(best *candidate, cands []*candidate, prose map[string]int, proseWords int) [][]Block {
	if proseWords < agreeBelow {
		text := blocksText(best.blocks)
		var out [][]Block
		for _, c := range cands {
			if c != best && c.words >= minOtherWords && switchMargin*float64(c.words) >= float64(best.words) &&
				float64(c.words) <= switchMargin*float64(best.words) && blocksText(c.blocks) != text {
				out = append(out, c.blocks)
			}
		}
		return out
	}
	floor := proseScore(best, prose) / switchMargin
	if floor <= 0 {
		return nil // best holds more other words than prose: no evidence to go by
	}
	text := blocksText(best.blocks)
	var out [][]Block
	for _, c := range cands {
		if c == best || c.words < minOtherWords || proseScore(c, prose) < floor || blocksText(c.blocks) == text {
			continue
		}
		out = append(out, c.blocks)
	}
	return out
}

// proseScore is what [choose] scores a reading by: the page prose it
// holds, less extraCost for each other word.
func proseScore(c *candidate, prose map[string]int) float64 {
	o := float64(overlap(c.bag, prose))
	return o - extraCost*(float64(c.words)-o)
}

// bagF1 is the word-bag F1 of two readings.
func bagF1(a, b *candidate) float64 {
	if a.words == 0 || b.words == 0 {
		return 0
	}
	o := float64(overlap(a.bag, b.bag))
	if o == 0 {
		return 0
	}
	p, r := o/float64(a.words), o/float64(b.words)
	return 2 * p * r / (p + r)
}

// commentTokens are the class and id words of comment threads, the one
// kind of long prose a page holds beside its article.
var commentTokens = map[string]bool{
	"comment": true, "comments": true, "disqus": true, "respond": true, "replies": true,
	"reply": true, "discussion": true, "commentlist": true,
}

// hiddenOrComments reports whether element n is hidden or holds comments.
func hiddenOrComments(n *html.Node) bool {
	for _, a := range n.Attr {
		switch {
		case hiddenAttr(a):
			return true
		case a.Key == "itemtype" && strings.Contains(strings.ToLower(a.Val), "comment"):
			return true
		case mayNameComments(a.Val) && namedBy(a, commentTokens):
			return true
		}
	}
	return false
}

// mayNameComments is a cheap test before tokens: whether v can hold one of
// commentTokens at all.
func mayNameComments(v string) bool {
	for i := 0; i+3 <= len(v); i++ {
		switch c := v[i] | 0x20; c {
		case 'c', 'd', 'r':
			w := strings.ToLower(v[i:min(i+7, len(v))])
			if strings.HasPrefix(w, "comment") || strings.HasPrefix(w, "disqus") || strings.HasPrefix(w, "respond") ||
				strings.HasPrefix(w, "repl") || strings.HasPrefix(w, "discuss") {
				return true
			}
		}
	}
	return false
}

// Thresholds of the widened reading, set on the even wcxb article pages
// (where it lifts body F1 from 0.946 to 0.951) and checked on the odd ones
// and on trafilatura's pages.
const (
	// widenShare is the share of the page's prose paragraphs (in the page
	// cleaned of boilerplate) the element [widenedBody] climbs to must
	// hold; 0.5 and 0.6 read the same pages alike.
	widenShare = 0.5
	// widenBelow is the share of the page's prose (see [evidence]) under
	// which, when no reading holds more, the widened reading is read too.
	// A reading that holds half of it is the article beside a long rail of
	// other prose (video transcripts, other stories' excerpts) more often
	// than part of a split one.
	widenBelow = 0.5
)

// widenedBody is the reading of a page whose article is split among
// sibling boxes (a buying guide's product boxes, a list of venues with a
// paragraph each) that readability reads one of: the blocks of the
// lowest element, in a copy of the page cleaned of boilerplate, that
// holds the longest paragraph of the first reading first and widenShare
// of the page's prose paragraphs (see [evidence]), cut at a heading of
// other stories (see [cutTail]). It is nil when that element would be
// the <body> itself, or when the paragraph is not found. [choose] weighs
// it against the other readings like any of them.
func widenedBody(root *html.Node, first []Block, w *walker) []Block {
	anchor := ""
	for _, b := range first {
		if b.Kind != Paragraph {
			continue
		}
		if t := foldText(spansText(b.Spans)); len(t) > len(anchor) {
			anchor = t
		}
	}
	if len(anchor) < minProseChars/2 {
		return nil
	}
	spare := cloneTree(root)
	removeNoise(goquery.NewDocumentFromNode(spare).Selection)
	var at *html.Node
	// prose is the length of the prose paragraphs below n; it notes the
	// paragraph that holds the anchor on the way.
	var prose func(n *html.Node) int
	prose = func(n *html.Node) int {
		sum := 0
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if notProse(c) {
				continue
			}
			if c.Data == "p" {
				t, linked := proseText(c)
				if len(t)-linked >= minProseChars {
					sum += len(t) - linked
				}
				if at == nil && strings.Contains(foldText(t), anchor) {
					at = c
				}
				continue
			}
			sum += prose(c)
		}
		return sum
	}
	total := prose(spare)
	if at == nil || total == 0 {
		return nil
	}
	for n := at.Parent; n != nil; n = n.Parent {
		if n.Type != html.ElementNode || n.Data == "body" || n.Data == "html" {
			return nil
		}
		if float64(prose(n)) >= widenShare*float64(total) {
			// The lists of other stories and the comment sections
			// the other readings leave out are no more the article in
			// a wider element.
			return withoutFurniture(cutTail(w.blocks(n), anchor), furnitureTexts(root))
		}
	}
	return nil
}

// cutTail returns blocks up to the first heading after the paragraph that
// holds anchor (folded) that opens the list of other stories (see
// [tailRe]): the element that holds the whole article may hold the
// site's rails of other stories and videos after it. A heading of
// comments does not cut: on a question-and-answer page the comments on
// the question come before the answers.
func cutTail(blocks []Block, anchor string) []Block {
	past := false
	for i, b := range blocks {
		switch {
		case !past && b.Kind == Paragraph:
			past = strings.Contains(foldText(spansText(b.Spans)), anchor)
		case past && b.Kind == Heading && tailRe.MatchString(strings.Trim(spansText(b.Spans), " :.…»›!")):
			return blocks[:i]
		}
	}
	return blocks
}

// notProse reports whether the prose walks ([evidence], [widenedBody])
// skip the node c and all below it: a non-element, page chrome (nav,
// header, footer, aside), list items, figures, code and forms, and
// hidden or comment sections.
func notProse(c *html.Node) bool {
	if c.Type != html.ElementNode {
		return true
	}
	switch c.Data {
	case "nav", "header", "footer", "aside", "li", "figure", "script", "style", "noscript", "template", "form", "svg":
		return true
	}
	return hiddenOrComments(c)
}
