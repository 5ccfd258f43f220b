package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"codeberg.org/readeck/go-readability/v2"
	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// Version names the extraction and rendering rules. It is bumped whenever
// the markdown for an unchanged page would change, and goes into the
// Stet-Extractor commit trailer.
const Version = "stet-extract/14"

// ErrNoArticle is returned by [Extractor.Extract] when the page has neither
// a title nor a body that could be extracted.
var ErrNoArticle = errors.New("extract: no article in page")

// Article is one extracted news article. The zero value is an empty
// article; [Article.Markdown] renders any value.
type Article struct {
	// URL is the canonical URL: JSON-LD url or mainEntityOfPage, og:url,
	// <link rel=canonical>, else the page URL; resolved against the page
	// URL and cleaned with [CleanURL].
	URL string
	// Title is the headline as the page shows it: the h1 that agrees with
	// the metadata titles, else a metadata title without a segment that
	// names the site, the host or an author (" | Site", " | Jane Smith").
	Title string
	// Byline lists the authors joined by ", ", e.g. "Jane Smith, John Doe".
	Byline string
	// Authors are the authors' names, deduplicated, in page order.
	Authors []string
	// Site is the publisher's name (JSON-LD publisher or og:site_name).
	Site string
	// Language is a BCP 47 tag such as "en" or "en-GB"; empty when unknown.
	Language string
	// Published is the publication time, in the zone the page gave (UTC
	// when it gave none), so that its date is the publisher's; zero when
	// unknown. The markdown renders it in UTC.
	Published time.Time
	// Modified is the last modification time in UTC; zero when unknown. It
	// is never rendered into the markdown.
	Modified time.Time
	// Blocks is the body, in order.
	Blocks []Block
	// Extractor is [Version], followed by " profile=name/version" when a
	// site profile was used.
	Extractor string
	// Gate is non-empty when the page is not the article itself:
	// "paywall", "consent", "login", "error page" or [GateNotArticle].
	Gate string
	// PageText is the text of the whole page as served, not only the
	// body: every text node of <body> outside scripts, styles and
	// templates, with a line break between blocks (and none inside
	// one), NFC. It is never
	// rendered; track compares readings of one page with it, since a
	// block one reading has and another not is still on the page.
	PageText string

	// others computes the other readings of the body (see
	// [Article.Readings]); nil when there are none.
	others func() [][]Block
}

// Readings returns the article rendered ([Article.Markdown]) with each
// other reading of its body that the page's prose supports nearly as well
// as the chosen one: within switchMargin of its score (see [choose]). The
// choice between such readings turns on a few words, so furniture that
// changes per request (a promo, a pull quote, a consent banner) can tip it
// either way, and two fetches of an unchanged page then render two
// different bodies. A caller that keeps versions renders the page as the
// reading closest to its last version instead. The other readings are
// computed on the first call, so that a caller that needs none pays
// nothing; a page with next to no prose has none.
func (a *Article) Readings() [][]byte {
	if a.others == nil {
		return nil
	}
	var out [][]byte
	for _, b := range a.others() {
		c := *a
		c.Blocks = b
		out = append(out, c.Markdown())
	}
	return out
}

// Kind is the type of a [Block].
type Kind int

// The kinds of [Block].
const (
	Paragraph Kind = iota // Spans
	Heading               // Level (2..6) and Spans
	List                  // Ordered, Start and Items
	Quote                 // Children
	Image                 // Src, Alt and an optional Caption (a figure)
	Table                 // Rows; Header when the first row is a header row
	Pre                   // Code: preformatted text, kept verbatim
)

// String returns the kind's lower-case name.
func (k Kind) String() string {
	switch k {
	case Paragraph:
		return "paragraph"
	case Heading:
		return "heading"
	case List:
		return "list"
	case Quote:
		return "quote"
	case Image:
		return "image"
	case Table:
		return "table"
	case Pre:
		return "pre"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Span is a run of inline text; Link is its absolute, cleaned target when
// the text is a link.
type Span struct {
	Text string
	Link string
}

// Item is one list item: its own text and any nested lists.
type Item struct {
	Spans []Span
	Lists []Block // nested List blocks
}

// Block is one block of the article body. Which fields are used depends on
// Kind; the others are zero.
type Block struct {
	Kind     Kind
	Level    int     // Heading: 2..6
	Spans    []Span  // Paragraph, Heading
	Ordered  bool    // List
	Start    int     // List: number of the first item when Ordered (1 when unset)
	Items    []Item  // List
	Children []Block // Quote
	Src      string  // Image: absolute, cleaned URL
	Alt      string  // Image
	Caption  []Span  // Image: figure caption, empty when none
	Rows     [][]string
	Header   bool   // Table: Rows[0] is a header row
	Code     string // Pre
}

// Extractor holds extraction settings. The zero value is ready to use and
// an Extractor is safe for concurrent use, as it holds no per-call state.
type Extractor struct {
	// Logger receives warnings about degraded pages; nil discards.
	Logger *slog.Logger
	// Profiles are the site profiles; nil means no site profiles.
	Profiles *Profiles
	// NoPageText leaves [Article.PageText] empty, for callers that never
	// compare a reading with its page (stet extract): it saves a walk of
	// the whole page.
	NoPageText bool
}

// FromHTML reads a UTF-8 HTML page from r and extracts it with a zero
// [Extractor]. See [Extractor.Extract].
func FromHTML(r io.Reader, pageURL string) (*Article, error) {
	page, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w", pageURL, err)
	}
	var e Extractor
	return e.Extract(page, pageURL)
}

// discardLog is go-readability's logger. Its default logs to io.Discard
// through a text handler that is enabled at Info, so every pass built its
// messages, an XPath of the chosen node included, only to drop them.
var discardLog = slog.New(slog.DiscardHandler)

func (e *Extractor) logger() *slog.Logger {
	if e == nil || e.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return e.Logger
}

// Extract extracts the article from page, an HTML document already decoded
// to UTF-8, fetched from pageURL (used to resolve relative links and as the
// fallback URL). It returns [ErrNoArticle] (wrapped) when the page yields
// neither a title nor a body. The result depends only on page, pageURL and
// the Extractor's settings.
func (e *Extractor) Extract(page []byte, pageURL string) (*Article, error) {
	base, err := url.Parse(strings.TrimSpace(pageURL))
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w", pageURL, err)
	}
	root, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w", pageURL, err)
	}
	dropRubyAnnotations(root)
	doc := goquery.NewDocumentFromNode(root)
	doc.Url = base

	var profiles *Profiles
	if e != nil {
		profiles = e.Profiles
	}
	p := profiles.Match(strings.ToLower(base.Hostname()))

	m := readMeta(doc, base)
	if p == nil && m.url != "" {
		// A saved page (stet extract page.html) or one served from a mirror
		// still names its own site in its canonical URL.
		if cu, err := base.Parse(m.url); err == nil {
			p = profiles.Match(strings.ToLower(cu.Hostname()))
		}
	}
	a := &Article{Extractor: Version}
	if p != nil {
		a.Extractor = Version + " profile=" + p.Name + "/" + strconv.Itoa(p.Version)
		title, byline, published := p.meta(doc)
		if title = cleanText(title); title != "" {
			m.title = title
			m.titleFromProfile = true
		}
		if byline = cleanText(byline); byline != "" {
			m.bylines = append([]string{byline}, m.bylines...)
		}
		if !published.IsZero() {
			m.published = published.UTC()
		}
	}
	m.finish(a, base)

	// The body works on a copy, so that the page gate below sees the page
	// as served, consent banners and paywall notices included.
	work := cloneTree(root)
	wdoc := goquery.NewDocumentFromNode(work)
	wdoc.Url = base
	w := &walker{base: base, profile: p, title: a.Title}
	blocks, others := e.body(root, wdoc, w, base, m, p, pageURL)
	blocks = ownArticle(blocks, m, w, a.Title)
	a.Blocks = withLead(trimBlocks(blocks, a, base), root, m, w)
	if others != nil {
		var once sync.Once
		var alts [][]Block
		a.others = func() [][]Block {
			once.Do(func() {
				for _, b := range others() {
					alts = append(alts, withLead(trimBlocks(b, a, base), root, m, w))
				}
			})
			return alts
		}
	}

	if a.Title == "" && len(a.Blocks) == 0 {
		return nil, fmt.Errorf("extract %s: %w", pageURL, ErrNoArticle)
	}
	if !e.NoPageText {
		a.PageText = pageText(root)
	}
	a.Gate = pageGate(doc, a)
	if a.Gate == "" && notArticle(doc, base, a) {
		a.Gate = GateNotArticle
	}
	return a, nil
}

// body selects the body root and turns it into blocks. Selecting the root
// (profile or generic) and dropping boilerplate are separate steps, so that
// a site profile can take over either.
func (e *Extractor) body(root *html.Node, wdoc *goquery.Document, w *walker, base *url.URL, m *meta, p *Profile, pageURL string) ([]Block, func() [][]Block) {
	removeNoise(wdoc.Selection)
	var profileBlocks []Block
	if p != nil {
		pdoc := goquery.NewDocumentFromNode(cloneTree(wdoc.Nodes[0]))
		pdoc.Url = base
		p.drop(pdoc.Selection)
		// The furniture the other readings leave out by its label
		// (see dropFurniture) is no more the article inside a
		// profile's body than outside it.
		dropFurniture(pdoc.Nodes[0])
		if sel := p.selectBody(pdoc); sel != nil && sel.Length() > 0 {
			for _, n := range sel.Nodes {
				profileBlocks = append(profileBlocks, w.blocks(n)...)
			}
		}
	}
	generic := e.genericBody(wdoc, w, base, m)
	first := newCandidate("readability", generic)
	if p != nil {
		if len(profileBlocks) > 0 && textLen(profileBlocks) >= textLen(generic)/2 {
			first = newCandidate("profile", profileBlocks)
		} else {
			e.logger().Warn("profile did not match, using generic extraction", "profile", p.Name, "url", pageURL)
		}
	}
	prose, proseWords := evidence(goquery.NewDocumentFromNode(root))
	// The other readings of the page, after the first.
	readings := func() []*candidate {
		var cands []*candidate
		if first.name == "profile" {
			cands = append(cands, newCandidate("readability", generic))
		}
		cands = append(cands,
			newCandidate("raw", rawReadability(root, base, w)),
			newCandidate("trafilatura", trafilaturaBody(root, base, w)))
		if len(m.articleBody) > 200 {
			cands = append(cands, newCandidate("jsonld", textBlocks(m.articleBody)))
		}
		return cands
	}
	if trusted(first, prose, proseWords) {
		return first.blocks, func() [][]Block { return near(first, readings(), prose, proseWords) }
	}
	// The first reading is short or misses much of the page's prose: read
	// the page in other ways and keep the reading the evidence supports,
	// so that one broken heuristic or profile never empties a page
	// another method reads well.
	cands := append([]*candidate{first}, readings()...)
	// When no reading holds even widenBelow of the prose, the article may
	// be split among sibling boxes that each method reads one of.
	held := 0
	for _, c := range cands {
		held = max(held, overlap(c.bag, prose))
	}
	if float64(held) < widenBelow*float64(proseWords) {
		if wide := widenedBody(root, first.blocks, w); len(wide) > 0 {
			cands = append(cands, newCandidate("widened", wide))
		}
	}
	if len(generic) == 0 {
		// Readability mutated wdoc; start again from the page as served.
		spare := goquery.NewDocumentFromNode(cloneTree(root))
		removeNoise(spare.Selection)
		cands = append(cands, newCandidate("marked", markedBody(spare, w)))
	}
	best := choose(cands, prose, proseWords)
	if log := e.logger(); log.Enabled(context.Background(), slog.LevelDebug) {
		var words []string
		for _, c := range cands {
			words = append(words, c.name+"="+strconv.Itoa(c.words))
		}
		log.Debug("body chosen among readings", "reading", best.name, "words", strings.Join(words, " "), "prose", proseWords, "url", pageURL)
	}
	return best.blocks, func() [][]Block { return near(best, cands, prose, proseWords) }
}

// genericBody finds the body with go-readability, checked against the
// JSON-LD articleBody when the page has one. Readability runs even when the
// page marks an itemprop=articleBody node: on real pages that node often
// holds embedded galleries and promos that readability's conditional
// cleaning removes (the corpus test's body F1 on news pages went from
// 0.973 to 0.989 without the shortcut).
func (e *Extractor) genericBody(wdoc *goquery.Document, w *walker, base *url.URL, m *meta) []Block {
	var blocks []Block
	ps := readability.NewParser()
	ps.DisableJSONLD = true
	ps.CharThresholds = 250
	ps.Logger = discardLog
	dropStoryLists(wdoc.Nodes[0])
	lists := setLinkListsAside(wdoc.Nodes[0])
	ra, err := ps.ParseAndMutate(wdoc.Nodes[0], base)
	if err == nil && ra.Node != nil {
		putLinkListsBack(ra.Node, lists)
		blocks = w.blocks(ra.Node)
	}
	if body := m.articleBody; len(body) > 200 {
		if n := textLen(blocks); n < len(body)/2 {
			blocks = textBlocks(body)
		}
	}
	return blocks
}

// markedBody returns the blocks of the element the page marks as its
// article (itemprop=articleBody, <article>, role=main, <main>), for pages
// where readability finds no candidate; nil when there is none.
func markedBody(doc *goquery.Document, w *walker) []Block {
	for _, sel := range []string{`[itemprop="articleBody"]`, "article", `[role="main"]`, "main", "body"} {
		if s := doc.Find(sel).First(); s.Length() > 0 {
			if b := w.blocks(s.Nodes[0]); len(b) > 0 {
				return b
			}
		}
	}
	return nil
}

// textBlocks splits a plain-text body (a JSON-LD articleBody) into
// paragraphs at line breaks.
func textBlocks(body string) []Block {
	var out []Block
	for line := range strings.SplitSeq(strings.ReplaceAll(body, "\r", "\n"), "\n") {
		if t := cleanText(line); t != "" {
			out = append(out, Block{Kind: Paragraph, Spans: []Span{{Text: t}}})
		}
	}
	return out
}

// textLen is the number of bytes of text in blocks.
func textLen(blocks []Block) int {
	n := 0
	for _, b := range blocks {
		n += len(blockText(b))
	}
	return n
}

// tailRe matches headings that start the list of other stories after an
// article ("Related", "More from", "You may also like", "Related articles
// that may interest you", "Previous article").
var tailRe = regexp.MustCompile(`(?i)^(related|related (stories|articles|content|posts|coverage|links|topics|reads|reading|guides)\b.*|more (from|on|stories|news|videos)\b.*|recent (articles|posts|stories|news)|read more|read next|(previous|next|older|newer) (article|post|story|entry)|read (this|these) next|keep reading|.*\byou (may|might) (also )?(like|enjoy|be interested in)\b.*|.*\bmight (be interesting to|interest) you|recommended( for you| reading| articles| posts| stories)?|most read|most popular|most (viewed|watched|shared|commented)|(sponsored|promoted|partner|paid) (stories|links|content|posts)|sponsored|from (around|across) the web|trending( now)?|top stories|what to read next|latest (news|stories)|also in (the )?news|in other news|see also|mehr zum thema|weitere artikel|verwandte artikel|ähnliche artikel|mehr themen|zum weiterlesen|weitere beiträge.*|vorschau auf den nächsten artikel|weitere nachrichten|das könnte sie auch interessieren|auch interessant|lesen sie auch|siehe auch|mehr (aus|zum|zu diesem) .*|à lire aussi|lire aussi|sur le même sujet|dans la même rubrique|leer más|lee también|noticias relacionadas|te puede interesar|veja também|leia também|notícias relacionadas|leggi anche|articoli correlati|czytaj (też|także)|zobacz też|polecamy)$`)

// tailLabel reports whether the text t of a heading or short paragraph
// starts the list of other stories ([tailRe], punctuation aside).
func tailLabel(t string) bool {
	t = strings.Trim(t, " :.…»›!")
	return tailRe.MatchString(t) || commentsRe.MatchString(t)
}

// commentsRe matches the heading of a comment section: readers' words,
// never the article's, and new ones on any request. A bare "Comments" is
// no such heading (a tutorial's section on comments in code), one with
// its count, or an invitation to write one, is.
var commentsRe = regexp.MustCompile(`(?i)^((reader|readers'|user) comments?|comments? \(\d[\d.,]*\)|\d[\d.,]* (reader )?(comments?|responses|replies)|(leave|post|add|write) an? (comment|reply)|(show|view|read|see) (all )?(\d+ )?comments|join the (conversation|discussion)|kommentare? \(\d+\)|\d+ kommentare?|leserkommentare|(\d+ )?commentaires? \(\d+\)|\d+ commentaires?|laisser un commentaire|(\d+ )?comentarios? \(\d+\)|\d+ comentarios|deja un comentario|\d+ commenti|lascia un commento)$`)

// authorBoxRe matches the headings of the box about the people behind an
// article ("About the author", "Meet the testers", "Written by") that
// pages set after its last paragraph, above a bio and links to their
// other work.
var authorBoxRe = regexp.MustCompile(`(?i)^(about the (author|authors|reviewer|reviewers|writer|writers|contributors?)|about our (authors|writers|contributors)|meet (the|our) (author|authors|writer|writers|reviewers|testers)|learn more about our (authors|writers|contributors)|author bio|written by|über (den autor|die autorin|die autoren)|zum autor|zur autorin|à propos de l'auteur|sobre (el|la|o|a) autora?)$`)

// authorBox reports whether the text t of a heading or short paragraph
// opens an author box ([authorBoxRe], punctuation aside).
func authorBox(t string) bool { return authorBoxRe.MatchString(strings.Trim(t, " :.…»›!")) }

// trimBlocks drops a leading heading that repeats the title, byline and
// dateline lines at the top, and a trailing "Related" section or author
// box. Repeated paragraphs are kept: an article may repeat itself.
func trimBlocks(blocks []Block, a *Article, base *url.URL) []Block {
	hosts := []string{base.Hostname()}
	if u, err := url.Parse(a.URL); err == nil {
		hosts = append(hosts, u.Hostname())
	}
	total := textLen(blocks)
	// Most bodies hold no run of dated teasers: look for one only when
	// there are dates to make it.
	dated := bareDates(blocks) >= 2
	seen := 0
	for i := 0; i < len(blocks); i++ {
		b := blocks[i]
		t := blockText(b)
		// An author box is at most a quarter of the body (as in
		// [pruneBio]): with more text after its heading, that text may
		// be the article's.
		isBox := authorBox(t)
		box := isBox && (total-seen)*4 <= total
		label := (b.Kind == Heading || b.Kind == Paragraph && len(t) < 40) && i > 0 && (tailLabel(t) || box)
		if label && seen > total*6/10 {
			// A related block set inside the article (a heading and its
			// links) with the article's prose going on after it is an
			// inset: it goes, the prose stays. An author box's bio is
			// prose too, so it is no sign of an inset.
			if j := insetEnd(blocks, i, hosts); j > 0 && !isBox {
				blocks = slices.Delete(slices.Clone(blocks), i, j)
				i--
				continue
			}
			blocks = blocks[:i]
			break
		}
		if label && dated && seen > total/5 {
			// Earlier in the body a label ends it only when what follows
			// is a run of dated teasers, not the article going on under
			// a heading that happens to match.
			if ok, _ := teaserRun(blocks[i+1:]); ok {
				blocks = blocks[:i]
				break
			}
		}
		if b.Kind == Heading && dated && seen > total*6/10 {
			// With no label, the teasers' own headlines start the run;
			// their excerpts cut short tell them from a timeline of
			// dated entries that closes an article.
			if ok, cut := teaserRun(blocks[i:]); ok && cut >= 2 {
				blocks = blocks[:i]
				break
			}
		}
		seen += len(t)
	}
	blocks = dropHeadlineRuns(dropPrompts(dropPointers(blocks), siteNames(a.Site, hosts)), hosts)
	blocks = pruneBio(pruneTail(pruneHead(blocks, hosts), hosts), a.Authors)
	out := blocks[:0:0]
	for i, b := range blocks {
		if i == 0 && b.Kind == Heading && sameText(spansText(b.Spans), a.Title) {
			continue
		}
		if i < 6 && b.Kind == Paragraph && isBylineLine(spansText(b.Spans), a) {
			continue
		}
		out = append(out, b)
	}
	return out
}

// dropHeadlineRuns removes the runs of two or more paragraphs that are
// each a headline linked to another page of the site (see
// [headlineLink]), with the short label before a run ("Read more",
// "Related") when it has one, and a single such headline under such a
// label (the reading kept one of the block's links). A block of the
// site's other stories set inside the article without a list or a label
// of its own came into the body as paragraphs, other stories on every
// request. A run of links to other sites is the article's (its sources,
// what it reviews), and so is a lone linked line (a pointer the article
// makes).
func dropHeadlineRuns(blocks []Block, hosts []string) []Block {
	var out []Block
	for i := 0; i < len(blocks); {
		j := i
		for j < len(blocks) && headlineLink(blocks[j], hosts) {
			j++
		}
		if j == i {
			out = append(out, blocks[i])
			i++
			continue
		}
		k := len(out) - 1
		labelled := k >= 0 && (out[k].Kind == Paragraph || out[k].Kind == Heading) && len(blockText(out[k])) < 40 && tailLabel(blockText(out[k]))
		if j-i >= 2 || labelled {
			if labelled {
				out = out[:k]
			}
		} else {
			out = append(out, blocks[i:j]...)
		}
		i = j
	}
	return out
}

// headlineLink reports whether b is a paragraph made of one link into the
// site (hosts) named by three to 25 words: another story's headline.
func headlineLink(b Block, hosts []string) bool {
	if b.Kind != Paragraph || linkShare(b, hosts) < 0.9 {
		return false
	}
	link := ""
	for _, sp := range b.Spans {
		if sp.Link == "" {
			continue
		}
		if link != "" && sp.Link != link || strings.HasPrefix(sp.Link, "#") {
			return false
		}
		link = sp.Link
	}
	n := len(strings.Fields(blockText(b)))
	return link != "" && n >= 3 && n <= 25
}

// teaserRun reports whether blocks are a list of teasers for other stories
// rather than an article's text: two or more paragraphs that are a bare
// date (a teaser's dateline), and at most two paragraphs of prose (a
// headline, an excerpt) to each of them. cut is how many of those
// paragraphs end in an ellipsis, an excerpt cut short.
func teaserRun(blocks []Block) (ok bool, cut int) {
	dates, prose := 0, 0
	for _, b := range blocks {
		if b.Kind != Paragraph {
			continue
		}
		t := blockText(b)
		if _, ok := parseDate(t); ok {
			dates++
			continue
		}
		if len(strings.Fields(t)) >= 12 {
			prose++
		}
		if strings.HasSuffix(t, "...") || strings.HasSuffix(t, "…") {
			cut++
		}
	}
	return dates >= 2 && prose <= 2*dates, cut
}

// bareDates is the number of paragraphs in blocks that are a bare date.
func bareDates(blocks []Block) int {
	n := 0
	for _, b := range blocks {
		if b.Kind == Paragraph {
			if _, ok := parseDate(blockText(b)); ok {
				n++
			}
		}
	}
	return n
}

// insetProse is how much prose (bytes of text, in paragraphs mostly of text
// rather than links) must follow a related block for the block to be an
// inset in the article rather than the start of its tail.
const insetProse = 200

// insetEnd returns the end of the related block that starts with the
// heading blocks[i] when the article's prose goes on after it: the
// heading, then one to three blocks of links into the site, then
// two or more paragraphs holding at least insetProse bytes of unlinked
// text before any other tail heading. It returns 0 when the block is the
// article's tail.
func insetEnd(blocks []Block, i int, hosts []string) int {
	j := i + 1
	for j < len(blocks) && j-i <= 3 && (blocks[j].Kind == List || blocks[j].Kind == Paragraph) && linkShare(blocks[j], hosts) >= 0.6 {
		j++
	}
	if j == i+1 || j >= len(blocks) || blocks[j].Kind != Paragraph || linkShare(blocks[j], hosts) > 0.3 {
		return 0
	}
	prose, n := 0, 0
	for _, b := range blocks[j:] {
		t := blockText(b)
		if b.Kind == Heading && tailLabel(t) {
			break
		}
		if b.Kind == Paragraph && linkShare(b, hosts) <= 0.3 {
			prose += len(t)
			n++
		}
	}
	if prose < insetProse || n < 2 {
		return 0
	}
	return j
}

// isBylineLine reports whether a short paragraph near the top of the body
// is the byline or dateline rather than article text: a date, or the
// authors' names with at most "By", dates and connecting words around them.
func isBylineLine(text string, a *Article) bool {
	if len(text) > 160 {
		return false
	}
	if t, ok := parseDate(text); ok && !t.IsZero() {
		return true
	}
	if len(a.Authors) == 0 {
		return false
	}
	if byRe.MatchString(text) {
		for _, name := range a.Authors {
			if strings.Contains(foldText(text), foldText(name)) {
				return true
			}
		}
	}
	rest := strings.ToLower(text)
	found := false
	for _, name := range a.Authors {
		// Cut by the lower-cased name's length: lower-casing can change
		// it ("ẞ" is three bytes, "ß" two).
		if ln := strings.ToLower(name); ln != "" {
			if i := strings.Index(rest, ln); i >= 0 {
				rest = rest[:i] + " " + rest[i+len(ln):]
				found = true
			}
		}
	}
	if !found {
		return false
	}
	rest = stripDates(rest + " 0")
	for _, w := range strings.FieldsFunc(rest, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if !bylineFiller[w] && !byRe.MatchString(w+" ") {
			return false
		}
	}
	return true
}

// bylineFiller are the words a byline line may hold besides names and dates.
var bylineFiller = map[string]bool{
	"by": true, "and": true, "updated": true, "published": true, "posted": true, "on": true,
	"at": true, "last": true, "am": true, "pm": true, "et": true, "gmt": true, "utc": true,
	"min": true, "read": true, "minute": true, "minutes": true,
}
