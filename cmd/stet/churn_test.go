package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/PuerkitoBio/goquery"
	"github.com/stet-archive/stet/extract"
	"github.com/stet-archive/stet/fetch"
	"github.com/stet-archive/stet/track"
	"golang.org/x/net/html"
)

// The churn benchmark: pages from the visible corpora served on loopback
// with page furniture that changes on every request, tracked by stet run
// for a number of steps while true edits arrive on a schedule. The short
// version runs in CI; the full one is
//
//	go test ./cmd/stet -run TestChurn -churn.pages 500 -churn.steps 10 -churn.per-site 20 -v
//
// with -churn.skip 500 for the pages after the first 500, which no rule
// was written against. Noise comes in four sets: the kinds the rules were
// built on, the held-out kinds (-churn.heldout), the fresh kinds
// (-churn.fresh) and a fourth set (-churn.fourth), each written after the
// mechanisms before it and measured before any rule looked at it.
var (
	churnPages      = flag.Int("churn.pages", 12, "churn benchmark: corpus pages to serve")
	churnSteps      = flag.Int("churn.steps", 5, "churn benchmark: runs of stet run")
	churnPerSite    = flag.Int("churn.per-site", 6, "churn benchmark: pages per served site")
	churnDebug      = flag.Bool("churn.debug", false, "churn benchmark: log the diffs of the first misses")
	churnMisses     = flag.String("churn.misses", "", "churn benchmark: write every miss with its diff to `file`")
	churnSkip       = flag.Int("churn.skip", 0, "churn benchmark: skip the first `n` usable corpus pages")
	churnHeld       = flag.Bool("churn.heldout", true, "churn benchmark: add the held-out kinds of noise (see heldOutNoise)")
	churnFreshKinds = flag.Bool("churn.fresh", true, "churn benchmark: add the third, fresh set of noise kinds (see churnStyle.fresh)")
	churnFourth     = flag.Bool("churn.fourth", true, "churn benchmark: add the fourth set of noise kinds (see churnStyle.fourth)")
	churnOnlySite   = flag.Int("churn.site", -1, "churn benchmark: track only the site of this `index` (its pages and noise as in the whole run), to look into one site's misses")
	churnFifth      = flag.Bool("churn.fifth", true, "churn benchmark: add the fifth set of noise kinds (see churnStyle.fifth)")
)

const churnCorpus = "../../../shared/corpus"

// churnSource is one corpus page: its HTML, decoded to UTF-8.
type churnSource struct {
	name string
	html string
}

// churnSources reads up to n usable pages, taking the corpora in turn.
// A page is usable when stet extracts an article with at least four
// paragraphs of article text from it as it is: the benchmark measures
// noise and edits, not extraction.
func churnSources(t *testing.T, n int) []churnSource {
	t.Helper()
	var lists [][]func() (churnSource, bool)
	// wcxb-dev: article pages only.
	if f, err := os.Open(filepath.Join(churnCorpus, "wcxb-dev", "truth.jsonl")); err == nil {
		var l []func() (churnSource, bool)
		dec := json.NewDecoder(f)
		for {
			var rec struct{ ID, Type string }
			if dec.Decode(&rec) != nil {
				break
			}
			if rec.Type != "article" {
				continue
			}
			id := rec.ID
			l = append(l, func() (churnSource, bool) {
				return readGz("wcxb-dev/"+id, filepath.Join(churnCorpus, "wcxb-dev", "pages", id+".html.gz"))
			})
		}
		f.Close()
		lists = append(lists, l)
	}
	if m, _ := filepath.Glob(filepath.Join(churnCorpus, "trafilatura", "pages", "*.html.gz")); len(m) > 0 {
		var l []func() (churnSource, bool)
		for _, p := range m {
			l = append(l, func() (churnSource, bool) { return readGz("trafilatura/"+filepath.Base(p), p) })
		}
		lists = append(lists, l)
	}
	if m, _ := filepath.Glob(filepath.Join(churnCorpus, "readability", "*", "source.html")); len(m) > 0 {
		var l []func() (churnSource, bool)
		for _, p := range m {
			l = append(l, func() (churnSource, bool) {
				b, err := os.ReadFile(p)
				if err != nil {
					return churnSource{}, false
				}
				return decodePage("readability/"+filepath.Base(filepath.Dir(p)), b)
			})
		}
		lists = append(lists, l)
	}
	if len(lists) == 0 {
		t.Skip("corpora absent: ../shared/corpus")
	}
	var out []churnSource
	for i := 0; len(out) < n; i++ {
		more := false
		for _, l := range lists {
			if i >= len(l) {
				continue
			}
			more = true
			if s, ok := l[i](); ok && usableChurnPage(s.html) {
				out = append(out, s)
				if len(out) == n {
					break
				}
			}
		}
		if !more {
			break
		}
	}
	if len(out) < n {
		t.Logf("only %d usable corpus pages", len(out))
	}
	return out
}

func readGz(name, path string) (churnSource, bool) {
	f, err := os.Open(path)
	if err != nil {
		return churnSource{}, false
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return churnSource{}, false
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return churnSource{}, false
	}
	return decodePage(name, b)
}

var metaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset[^>]*>`)

func decodePage(name string, raw []byte) (churnSource, bool) {
	page, _ := fetch.Decode(raw, "text/html")
	if len(page) > 1_500_000 {
		return churnSource{}, false
	}
	page = metaCharset.ReplaceAll(page, []byte(`<meta charset="utf-8">`))
	return churnSource{name: name, html: string(page)}, true
}

const churnBase = "http://127.0.0.1:1/a/page"

func usableChurnPage(page string) bool {
	art, err := (&extract.Extractor{}).Extract([]byte(page), churnBase)
	if err != nil || art.Gate != "" || art.Title == "" {
		return false
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		return false
	}
	return len(churnParagraphs(doc, string(art.Markdown()))) >= 4
}

// churnParagraphs returns the article paragraphs of doc: leaf <p>s of at
// least 12 words whose first six words the rendering md holds.
func churnParagraphs(doc *goquery.Document, md string) []*goquery.Selection {
	flat := strings.Join(strings.Fields(md), " ")
	var out []*goquery.Selection
	doc.Find("p").Each(func(_ int, p *goquery.Selection) {
		if p.Find("p, div, ul, ol, table").Length() > 0 || p.Closest("aside, nav, header, footer, figure, blockquote").Length() > 0 {
			return
		}
		words := strings.Fields(p.Text())
		if len(words) < 12 || !strings.Contains(flat, strings.Join(words[:6], " ")) {
			return
		}
		out = append(out, p)
	})
	return out
}

// churnEdit is one true edit: its kind and the text the archived article
// must hold after it.
type churnEdit struct {
	kind, want string
}

var churnKinds = []string{"word", "number", "append", "headline", "correction"}

// churnPage is one article of a churn site: its clean HTML (edits
// applied) and the template with noise markers built from it.
type churnPage struct {
	site *churnSite
	path string
	src  string
	mu   sync.Mutex
	html string
	tmpl string
	imgs []churnImg
	hits int
	// held-out noise: sentences of the page a pull quote may repeat,
	// and the number of article paragraphs
	quotes []string
	npara  int
	title  string
	// fifth set: the words the auto-linker may link, by marker number
	autoWords []string
}

type churnImg struct{ src, alt, width, height string }

// churnSite is one served site with its own furniture style.
type churnSite struct {
	idx    int
	srv    *httptest.Server
	pages  []*churnPage
	byPath map[string]*churnPage
	style  churnStyle
	mu     sync.Mutex
	hits   int // article requests
}

// churnStyle is how one site makes its noise, so that sites differ the
// way real ones do: parameter names, class hashing, wording, positions.
type churnStyle struct {
	buster     string   // cache-buster key on assets
	linkParam  string   // a per-request key on the article's own links ("" none)
	classPre   string   // prefix of hashed class names
	abAttr     string   // A/B attribute name
	updated    string   // format of the live "updated" line; %d is minutes
	consent    []string // consent banner sentences
	consentP   float64  // share of requests with the banner
	promo      []string // A/B variants of an in-article promo
	listHead   string   // heading of the rotating list beside the article
	ticker     bool     // a one-link ticker at the top
	imgStyle   int      // 0 file + query, 1 resizer path, 2 extensionless with query
	lazyStyle  int      // 0 data: URI, 1 placeholder file, 2 low-res copy
	adLabel    string
	counterFmt string

	// Held-out noise (heldOutNoise), written after the mechanisms and
	// never tuned against: sites' furniture the rules were not designed
	// for.
	heldOut   bool
	trendHead string   // label of a rotating link block inside the article ("" none)
	trendSec  string   // path section of its links
	bio       []string // rotating author-bio / newsletter sentences; %d is a number
	shards    int      // image hosts img1..imgN.cdn
	cacheSeg  bool     // a random cache segment in image paths

	// Fresh noise, a third set written after the held-out one and
	// measured before any rule looked at it: a clock and weather line in
	// the masthead, obfuscated e-mail links whose key changes, a live
	// reader count and a rotating video card in the body, an inline
	// "read more" link, a poll with moving figures, shuffled topic tags,
	// a comments preview and a modification time of the request; and
	// the kinds in other markup: an absolute "updated" stamp, a
	// consent notice with no role, counters in thousands, rotating teaser
	// cards inside the article, and pictures with signed, expiring URLs
	// and <source> candidates in random order.
	fresh    bool
	picture  bool // images as <picture> with signed URLs
	city     string
	moreHead string // label of the inline read-more paragraph
	pollQ    string
	tags     []string

	// A fourth set, written after the fresh one and measured before any
	// rule looked at it: a market strip in the masthead, a title tag
	// whose site suffix is A/B tested, a "new updates" bar under the
	// headline, an audio player with a per-request token, a paywall
	// meter, a countdown, a social embed with moving counts, a "most
	// viewed" table, a sponsored widget under the text, session ids in
	// the site's own link paths, and text that differs only in
	// no-break spaces and invisible characters.
	fourth   bool
	siteName string
	session  bool   // ;jsessionid= in the paths of the site's own links
	sponsor  string // heading of the sponsored widget
	meter    string // the paywall meter; %d is articles read
	handle   string // of the embedded social post's author

	// A fifth set, written after the fourth and measured before any rule
	// looked at it: an edition line whose date moves a day every few
	// requests (two fetches of one run agree on it), a reaction bar with
	// moving counts, words of the text linked to topic pages by an
	// auto-linker that picks other words on each request, heading
	// permalinks whose ids are drawn anew on each render, a language bar
	// in shuffled order, and an author box with a follower count.
	fifth     bool
	topicPath string   // of the auto-linker's links
	langs     []string // the language bar's entries
	author    string
}

var churnWords = strings.Fields(`harbour council budget river station market minister village league
	bridge festival museum school hospital airport rail forest coast summit court election theatre
	garden factory winter harvest storm energy water police library vote strike index orchestra`)

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func randKey(r *rand.Rand) string {
	const letters = "abcdefghijklmnopqrstuvwxyz"
	switch r.IntN(4) {
	case 0:
		return "_"
	case 1:
		return string(letters[r.IntN(26)])
	default:
		n := 2 + r.IntN(3)
		b := make([]byte, n)
		for i := range b {
			b[i] = letters[r.IntN(26)]
		}
		return string(b)
	}
}

func newChurnStyle(idx int) churnStyle {
	r := rand.New(rand.NewPCG(uint64(idx), 77))
	s := churnStyle{
		buster:   randKey(r),
		classPre: pick(r, []string{"css-", "sc-", "_", "jsx-", "styles_"}),
		abAttr:   pick(r, []string{"data-variant", "data-ab", "data-exp", "data-bucket"}),
		updated: pick(r, []string{"Updated %d minutes ago", "Last updated %d min ago", "Live: updated %dm ago",
			"Aktualisiert vor %d Minuten", "Updated %d mins ago"}),
		consentP:   0.2 + 0.3*r.Float64(),
		listHead:   pick(r, []string{"Most read", "Trending now", "Popular", "Don't miss", "Top stories"}),
		ticker:     r.IntN(3) > 0,
		imgStyle:   r.IntN(3),
		lazyStyle:  r.IntN(3),
		adLabel:    pick(r, []string{"Advertisement", "ADVERTISEMENT", "Sponsored", "Story continues below"}),
		counterFmt: pick(r, []string{"%d comments", "%d shares", "%d views", "%dk reads"}),
	}
	if r.IntN(2) == 0 {
		s.linkParam = randKey(r)
	}
	s.heldOut = *churnHeld
	s.trendHead = pick(r, []string{"", "Read more", "Related", "You may also like"})
	s.trendSec = pick(r, []string{"story", "a", "content", "2026/12"})
	s.bio = []string{
		pick(r, []string{"Our reporter has covered the region for %d years and writes the weekly letter.", "She has written about local politics since %d and hosts our podcast."}),
		pick(r, []string{"Sign up for the morning newsletter, read by %d people every day.", "Join %d readers who get our briefing before breakfast."}),
		pick(r, []string{"Got a tip? Our newsroom answers within %d hours.", "This story was produced with support from %d members like you."}),
		pick(r, []string{"Follow the author for more stories like this one.", "Read the rest of our coverage in the archive."}),
	}
	s.shards = 2 + r.IntN(3)
	s.cacheSeg = r.IntN(2) == 0
	s.fresh = *churnFreshKinds
	s.picture = s.fresh && r.IntN(2) == 0
	s.city = pick(r, []string{"London", "Leeds", "Berlin", "Toronto", "Denver"})
	s.moreHead = pick(r, []string{"READ MORE:", "Read more:", "Related:", "See also:", "MORE:"})
	s.pollQ = pick(r, []string{"Should the council approve the plan?", "Will you change your travel plans?", "Do you agree with the decision?"})
	for range 3 + r.IntN(4) {
		s.tags = append(s.tags, pick(r, churnWords))
	}
	s.fourth = *churnFourth
	s.fifth = *churnFifth
	s.topicPath = pick(r, []string{"/topic/", "/tag/", "/themen/", "/subject/"})
	s.langs = []string{"English", "Español", "Français", "Deutsch", "Português"}
	s.author = pick(r, []string{"Ana Ortiz", "Tom Becker", "Priya Nair", "Jonas Weber"})
	s.siteName = pick(r, []string{"The Courier", "Daily Ledger", "Abendpost", "Metro Times", "The Herald"})
	s.session = s.fourth && r.IntN(2) == 0
	s.sponsor = pick(r, []string{"Promoted stories", "From around the web", "Sponsored links", "You might like"})
	s.meter = pick(r, []string{"You have read %d of 5 free articles this month.", "%d free articles left this month.", "Sie haben noch %d kostenlose Artikel."})
	s.handle = pick(r, []string{"cityhall", "metpolice", "weatherdesk", "trafficnews"})
	s.consent = []string{
		pick(r, []string{"We value your privacy.", "This site uses cookies.", "Your choices matter to us."}),
		pick(r, []string{"We and our partners store and access information on your device.", "Cookies help us deliver our services and show you relevant offers."}),
	}
	s.promo = []string{
		pick(r, []string{"Subscribe today for unlimited access.", "Get our best journalism every morning."}),
		pick(r, []string{"Join thousands of readers: sign up now.", "Support independent reporting from one dollar."}),
		pick(r, []string{"Try the app free for a month.", "Listen to today's briefing."}),
	}
	return s
}

// prepare builds the page's template from its current HTML: markers
// (⟦name⟧) where the per-request noise goes.
func (p *churnPage) prepare() error {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(p.html))
	if err != nil {
		return err
	}
	art, err := (&extract.Extractor{}).Extract([]byte(p.html), churnBase)
	if err != nil {
		return err
	}
	paras := churnParagraphs(doc, string(art.Markdown()))
	st := p.site.style
	doc.Find("head").AppendHtml(`<meta name="csrf-token" content="⟦tok⟧"><script nonce="⟦tok⟧">window.__state={"nonce":"⟦tok⟧","ab":"⟦ab⟧"};</script><link rel="stylesheet" href="/static/site.css?⟦bust⟧">`)
	body := doc.Find("body")
	body.SetAttr(st.abAttr, "⟦ab⟧")
	body.PrependHtml("⟦consent⟧")
	if st.ticker {
		body.PrependHtml("⟦ticker⟧")
	}
	body.AppendHtml(`<form class="⟦cls⟧" action="/subscribe"><input type="hidden" name="csrf" value="⟦tok⟧"></form><script src="/static/app.js?⟦bust⟧"></script>`)
	if h := doc.Find("h1").First(); h.Length() > 0 {
		h.AfterHtml("⟦updated⟧")
	} else if len(paras) > 0 {
		paras[0].BeforeHtml("⟦updated⟧")
	}
	for i, q := range paras {
		q.SetAttr("class", strings.TrimSpace("⟦cls⟧ "+q.AttrOr("class", "")))
		q.SetAttr(st.abAttr, "⟦ab⟧")
		switch i {
		case 0:
			q.AfterHtml("⟦counters⟧")
		case 1:
			q.AfterHtml("⟦ad⟧")
		case 2:
			q.AfterHtml("⟦inlist⟧")
		case 3:
			q.AfterHtml("⟦promo⟧")
		}
		if st.heldOut {
			// A pull quote at a place that changes per request, and a
			// link block with no class inside the article.
			q.AfterHtml(fmt.Sprintf("⟦pull%d⟧", i))
			if i == 1 {
				q.AfterHtml("⟦trend⟧")
			}
		}
	}
	if st.heldOut && len(paras) > 0 {
		paras[len(paras)-1].AfterHtml("⟦bio⟧")
		p.quotes = p.quotes[:0]
		for _, q := range paras {
			if w := strings.Fields(q.Text()); len(w) >= 12 {
				p.quotes = append(p.quotes, strings.Join(w[:min(len(w), 14)], " "))
			}
		}
		p.npara = len(paras)
	}
	if st.fresh {
		doc.Find("head").AppendHtml(`<meta property="article:modified_time" content="⟦now⟧">`)
		body.PrependHtml("⟦clock⟧⟦notice⟧")
		if h := doc.Find("h1").First(); h.Length() > 0 {
			h.AfterHtml("⟦stamp⟧⟦kcount⟧")
		}
		// Between the article's blocks: after a paragraph, or after the
		// list that holds it. Furniture glued inside a list item is the
		// held-out set's (the bio after the last paragraph, the ad and
		// promo slots).
		for i, q := range paras {
			q := outside(q)
			switch i {
			case 2:
				q.AfterHtml("⟦reading⟧")
			case 3:
				q.AfterHtml("⟦video⟧")
			}
			if i == len(paras)-2 {
				q.AfterHtml("⟦cards⟧")
			}
			if i == len(paras)/2 {
				q.AfterHtml("⟦readmore⟧")
			}
		}
		if len(paras) > 0 {
			// Below the text.
			last := outside(paras[len(paras)-1])
			last.AfterHtml("⟦email⟧⟦poll⟧⟦tags⟧")
			last.Parent().AfterHtml("⟦comments⟧")
		}
	}
	if st.fourth {
		p.prepareFourth(doc, paras)
	}
	if st.fifth {
		p.prepareFifth(doc, paras)
	}
	if len(paras) > 0 {
		container := paras[len(paras)-1].Parent()
		container.SetAttr("class", strings.TrimSpace("⟦cls⟧ "+container.AttrOr("class", "")))
		container.AfterHtml("⟦mostread⟧")
	}
	if st.session {
		// A session id in the path of every link to the site's own pages,
		// as servlet containers write it for a client without cookies.
		doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
			h := a.AttrOr("href", "")
			if h == "" || strings.HasPrefix(h, "#") || strings.Contains(h, ":") && !strings.HasPrefix(h, "http") {
				return
			}
			i := strings.IndexAny(h, "?#")
			if i < 0 {
				i = len(h)
			}
			a.SetAttr("href", h[:i]+";jsessionid=⟦sid⟧"+h[i:])
		})
	}
	if st.linkParam != "" {
		doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
			h := a.AttrOr("href", "")
			if h == "" || strings.HasPrefix(h, "#") || strings.Contains(h, ":") && !strings.HasPrefix(h, "http") {
				return
			}
			sep := "?"
			if strings.Contains(h, "?") {
				sep = "&"
			}
			h, frag, _ := strings.Cut(h, "#")
			if frag != "" {
				frag = "#" + frag
			}
			a.SetAttr("href", h+sep+"⟦lp⟧"+frag)
		})
	}
	p.imgs = p.imgs[:0]
	doc.Find("img").Each(func(_ int, img *goquery.Selection) {
		src := extract.ImageSource(func(k string) string { return img.AttrOr(k, "") })
		if src == "" {
			return
		}
		p.imgs = append(p.imgs, churnImg{src: src, alt: img.AttrOr("alt", ""), width: img.AttrOr("width", ""), height: img.AttrOr("height", "")})
		img.ReplaceWithHtml(fmt.Sprintf("⟦img%d⟧", len(p.imgs)-1))
	})
	out, err := doc.Html()
	if err != nil {
		return err
	}
	if st.fresh {
		// A site that stamps the request time as the modification time.
		out = ldModifiedRe.ReplaceAllString(out, `${1}⟦now⟧"`)
	}
	p.tmpl = out
	return nil
}

// mdLinkRe matches a markdown link (not an image) and its words.
var mdLinkRe = regexp.MustCompile(`(^|[^!])\[([^\]]*)\]\([^()\s]*\)`)

// hasEdit reports whether the version b holds the edit's text want, as
// written or with links read as their words: the fifth set's auto-linker
// may link a word of an appended note, and the note is still captured.
func hasEdit(b []byte, want string) bool {
	return bytes.Contains(b, []byte(want)) || strings.Contains(mdLinkRe.ReplaceAllString(string(b), "$1$2"), want)
}

// outside returns the block that holds paragraph q between the
// article's blocks: q, or the outermost list or table it is in.
func outside(q *goquery.Selection) *goquery.Selection {
	if l := q.ParentsFiltered("ul, ol, dl, table").Last(); l.Length() > 0 {
		return l
	}
	return q
}

// prepareFourth places the fourth set's markers in the page.
func (p *churnPage) prepareFourth(doc *goquery.Document, paras []*goquery.Selection) {
	body := doc.Find("body")
	body.PrependHtml("⟦markets⟧")
	if t := doc.Find("head title").First(); t.Length() > 0 {
		t.SetText(t.Text() + "⟦tsuf⟧")
	}
	if h := doc.Find("h1").First(); h.Length() > 0 {
		h.AfterHtml("⟦live⟧")
	}
	if len(paras) == 0 {
		return
	}
	outside(paras[0]).BeforeHtml("⟦listen⟧")
	for i, q := range paras {
		o := outside(q)
		switch {
		case i == 1:
			o.AfterHtml("⟦meter⟧")
		case i == 4:
			o.AfterHtml("⟦countdown⟧")
		case i == len(paras)/3 && i > 1:
			o.AfterHtml("⟦social⟧")
		case i == len(paras)*2/3 && i > 1:
			o.AfterHtml("⟦viewed⟧")
		}
		// A no-break space for one space of each paragraph, and an
		// invisible character inside one long word, on some requests.
		for c := q.Nodes[0].FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.TextNode {
				continue
			}
			if i := strings.Index(c.Data, " "); i > 0 && i < len(c.Data)-1 {
				c.Data = c.Data[:i] + "⟦sp⟧" + c.Data[i+1:]
			}
			for _, w := range strings.Fields(c.Data) {
				if len(w) >= 9 && !strings.ContainsAny(w, "⟦⟧") && isLetters(w) {
					c.Data = strings.Replace(c.Data, w, w[:4]+"⟦zw⟧"+w[4:], 1)
					break
				}
			}
			break
		}
	}
	last := outside(paras[len(paras)-1])
	last.AfterHtml("⟦sponsor⟧")
}

// prepareFifth places the fifth set's markers in the page.
func (p *churnPage) prepareFifth(doc *goquery.Document, paras []*goquery.Selection) {
	if h := doc.Find("h1").First(); h.Length() > 0 {
		h.BeforeHtml("⟦edition⟧")
		h.AfterHtml("⟦authorbox⟧")
	}
	doc.Find("h2, h3").Each(func(i int, h *goquery.Selection) {
		h.PrependHtml(fmt.Sprintf("⟦anchor%d⟧", i))
	})
	if len(paras) == 0 {
		return
	}
	// The auto-linker: one long word in each of the first paragraphs,
	// linked on some requests.
	p.autoWords = p.autoWords[:0]
	n := 0
	for _, q := range paras {
		if n == 3 {
			break
		}
		for c := q.Nodes[0].FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.TextNode {
				continue
			}
			w := ""
			for _, f := range strings.Fields(c.Data) {
				if len(f) >= 7 && isLetters(f) {
					w = f
					break
				}
			}
			if w == "" {
				continue
			}
			c.Data = strings.Replace(c.Data, w, fmt.Sprintf("⟦alo%d⟧%s⟦alc%d⟧", n, w, n), 1)
			p.autoWords = append(p.autoWords, strings.ToLower(w))
			n++
			break
		}
	}
	last := outside(paras[len(paras)-1])
	last.AfterHtml("⟦reactions⟧⟦langs⟧")
}

func isLetters(w string) bool {
	for _, r := range w {
		if r > unicode.MaxASCII || !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

var ldModifiedRe = regexp.MustCompile(`("dateModified"\s*:\s*")[^"]*"`)

var markerRe = regexp.MustCompile(`⟦([a-z]+)(\d*)⟧`)

// render fills the template with fresh noise for request n.
func (p *churnPage) render(n int) string {
	st := p.site.style
	r := rand.New(rand.NewPCG(uint64(p.site.idx)<<32|uint64(n), uint64(len(p.path))))
	ab := pick(r, []string{"a", "b", "c"})
	consent := r.Float64() < st.consentP
	minutes := 1 + r.IntN(58)
	pullAt := -1
	if len(p.quotes) > 0 && r.IntN(3) > 0 {
		pullAt = r.IntN(max(p.npara-1, 1))
	}
	linked := map[int]int{} // auto-linked word: 0 undecided, 1 plain, 2 linked
	return markerRe.ReplaceAllStringFunc(p.tmpl, func(m string) string {
		sub := markerRe.FindStringSubmatch(m)
		switch sub[1] {
		case "tok":
			return fmt.Sprintf("%x", r.Uint64())
		case "ab":
			return ab
		case "bust":
			return fmt.Sprintf("%s=%d", st.buster, r.Uint32())
		case "lp":
			return fmt.Sprintf("%s=%x", st.linkParam, r.Uint32())
		case "cls":
			return fmt.Sprintf("%s%x", st.classPre, r.Uint32()&0xffffff)
		case "consent":
			if !consent {
				return ""
			}
			return fmt.Sprintf(`<div class="%s%x" role="dialog"><p>%s %s (ref %d)</p><button>Accept</button></div>`,
				st.classPre, r.Uint32(), st.consent[0], st.consent[1], r.IntN(100000))
		case "ticker":
			return fmt.Sprintf(`<div class="%s%x"><a href="/news/%s-%d">%s</a></div>`, st.classPre, r.Uint32(), pick(r, churnWords), r.IntN(1e6), churnHeadline(r))
		case "updated":
			return fmt.Sprintf(`<p class="%s%x">%s</p>`, st.classPre, r.Uint32(), fmt.Sprintf(st.updated, minutes))
		case "counters":
			return fmt.Sprintf(`<div class="%s%x"><span>%s</span> <span>%s</span></div>`, st.classPre, r.Uint32(),
				fmt.Sprintf(st.counterFmt, r.IntN(5000)), fmt.Sprintf("%d minutes ago", minutes))
		case "ad":
			return fmt.Sprintf(`<div id="div-gpt-ad-%d-%d" class="%s%x" data-slot="%x"><p>%s</p></div>`, r.IntN(1e9), r.IntN(9), st.classPre, r.Uint32(), r.Uint32(), st.adLabel)
		case "inlist":
			return "<ul>" + churnLinks(r, 2+r.IntN(2)) + "</ul>"
		case "mostread":
			return fmt.Sprintf(`<section class="%s%x"><h2>%s</h2><ol>%s</ol></section>`, st.classPre, r.Uint32(), st.listHead, churnLinks(r, 3+r.IntN(3)))
		case "promo":
			return fmt.Sprintf(`<div class="%s%x"><p>%s</p></div>`, st.classPre, r.Uint32(), pick(r, st.promo))
		case "pull":
			var i int
			fmt.Sscan(sub[2], &i)
			if i != pullAt {
				return ""
			}
			return fmt.Sprintf("<blockquote><p>“%s …”</p></blockquote>", html.EscapeString(pick(r, p.quotes)))
		case "trend":
			var b strings.Builder
			b.WriteString("<div>")
			if st.trendHead != "" {
				fmt.Fprintf(&b, "<p><strong>%s</strong></p>", st.trendHead)
			}
			for range 2 + r.IntN(3) {
				fmt.Fprintf(&b, `<p><a href="/%s/%s-%d.html">%s</a></p>`, st.trendSec, pick(r, churnWords), r.IntN(1e7), churnHeadline(r))
			}
			b.WriteString("</div>")
			return b.String()
		case "bio":
			line := pick(r, st.bio)
			if strings.Contains(line, "%d") {
				line = fmt.Sprintf(line, 2+r.IntN(40000))
			}
			return "<p><em>" + line + "</em></p>"
		case "now":
			return churnEpoch.Add(time.Duration(n) * 7 * time.Minute).Format(time.RFC3339)
		case "clock":
			t := churnEpoch.Add(time.Duration(n) * 7 * time.Minute)
			return fmt.Sprintf(`<div class="%s%x"><span>%s</span> <span>%s %d°C</span></div>`, st.classPre, r.Uint32(),
				t.Format("Monday, 2 January 2006 15:04"), st.city, r.IntN(25)-3)
		case "stamp":
			t := churnEpoch.Add(time.Duration(n) * 7 * time.Minute)
			return fmt.Sprintf(`<p class="%s%x">Updated: %s</p>`, st.classPre, r.Uint32(), t.Format("2 January 2006, 15:04 MST"))
		case "kcount":
			return fmt.Sprintf(`<div class="%s%x"><span>%d.%dK shares</span> · <span>%d comments</span></div>`, st.classPre, r.Uint32(), 1+r.IntN(9), r.IntN(10), r.IntN(900))
		case "notice":
			if r.IntN(3) > 0 {
				return ""
			}
			return fmt.Sprintf(`<div class="%s%x"><p>We use cookies to improve your experience and to show you personalised content.</p><a href="/privacy">Manage settings</a> <button>Accept all</button></div>`, st.classPre, r.Uint32())
		case "cards":
			var b strings.Builder
			fmt.Fprintf(&b, `<div class="%s%x">`, st.classPre, r.Uint32())
			for range 2 + r.IntN(2) {
				fmt.Fprintf(&b, `<div><a href="/%s/%s-%d"><h4>%s</h4></a><p>%s and the %s, in pictures.</p></div>`,
					pick(r, []string{"news", "sport"}), pick(r, churnWords), r.IntN(1e6), churnHeadline(r), churnHeadline(r), pick(r, churnWords))
			}
			b.WriteString("</div>")
			return b.String()
		case "email":
			return fmt.Sprintf(`<p>Contact the reporter: <a href="/cdn-cgi/l/email-protection#%x%x">[email&#160;protected]</a></p>`, r.Uint64(), r.Uint32())
		case "reading":
			return fmt.Sprintf(`<p class="%s%x">%d people are reading this story right now</p>`, st.classPre, r.Uint32(), 20+r.IntN(3000))
		case "video":
			return fmt.Sprintf(`<figure class="%s%x"><video poster="/static/poster-%d.jpg?%s"></video><figcaption>Watch: %s (%d:%02d)</figcaption></figure>`,
				st.classPre, r.Uint32(), r.IntN(1e5), fmt.Sprintf("%s=%d", st.buster, r.Uint32()), churnHeadline(r), r.IntN(5), r.IntN(60))
		case "readmore":
			return fmt.Sprintf(`<p><strong>%s</strong> <a href="/%s/%s-%d">%s</a></p>`, st.moreHead, pick(r, []string{"news", "world"}), pick(r, churnWords), r.IntN(1e6), churnHeadline(r))
		case "poll":
			yes := 30 + r.IntN(50)
			return fmt.Sprintf(`<div class="%s%x"><p><strong>Poll:</strong> %s</p><ul><li>Yes %d%%</li><li>No %d%%</li></ul><p>%d votes</p></div>`,
				st.classPre, r.Uint32(), st.pollQ, yes, 100-yes, 100+r.IntN(9000))
		case "tags":
			tags := append([]string(nil), st.tags...)
			r.Shuffle(len(tags), func(i, j int) { tags[i], tags[j] = tags[j], tags[i] })
			var b strings.Builder
			b.WriteString(`<ul class="tags">`)
			for _, t := range tags {
				fmt.Fprintf(&b, `<li><a href="/topic/%s">%s</a></li>`, t, t)
			}
			b.WriteString("</ul>")
			return b.String()
		case "comments":
			var b strings.Builder
			fmt.Fprintf(&b, `<section class="%s%x"><h3>Comments (%d)</h3>`, st.classPre, r.Uint32(), 3+r.IntN(400))
			for range 2 + r.IntN(2) {
				fmt.Fprintf(&b, "<p><b>user%d</b> %s, and the %s of it all.</p>", r.IntN(1e4), churnHeadline(r), pick(r, churnWords))
			}
			b.WriteString("</section>")
			return b.String()
		case "markets":
			return fmt.Sprintf(`<div class="%s%x"><span>FTSE 100 %d.%02d ▲%d.%02d%%</span> · <span>DAX %d ▼%d.%02d%%</span> · <span>EUR/USD 1.%04d</span></div>`,
				st.classPre, r.Uint32(), 7000+r.IntN(900), r.IntN(100), r.IntN(2), r.IntN(100), 15000+r.IntN(3000), r.IntN(2), r.IntN(100), r.IntN(10000))
		case "tsuf":
			return pick(r, []string{" | " + st.siteName, " - " + st.siteName, " — " + st.siteName + ": latest news", ""})
		case "live":
			if r.IntN(2) == 0 {
				return ""
			}
			return fmt.Sprintf(`<div class="%s%x"><a href="#live-feed">%d new updates</a></div>`, st.classPre, r.Uint32(), 1+r.IntN(12))
		case "listen":
			return fmt.Sprintf(`<div class="%s%x"><audio controls src="/audio/%d.mp3?token=%x"></audio><p>Listen to this article · %d listens</p></div>`,
				st.classPre, r.Uint32(), len(p.path)*31, r.Uint64(), 50+r.IntN(5000))
		case "meter":
			return fmt.Sprintf(`<p>%s <a href="/subscribe">Subscribe</a></p>`, fmt.Sprintf(st.meter, 1+r.IntN(4)))
		case "countdown":
			left := 3*24*60 - n*7
			return fmt.Sprintf(`<p><strong>Voting closes in %d days, %d hours and %d minutes.</strong></p>`, left/(24*60), left/60%24, left%60)
		case "social":
			pr := rand.New(rand.NewPCG(uint64(len(p.path)), 5)) // the post is the page's, its counts the request's
			return fmt.Sprintf(`<blockquote class="social-post"><p>%s: the %s will stay closed until further notice.</p>— City desk (@%s) <a href="https://social.test/%s/status/%d">1 December 2026</a><div>♥ %d · ↻ %d</div></blockquote>`,
				churnHeadline(pr), pick(pr, churnWords), st.handle, st.handle, pr.IntN(1e9), r.IntN(20000), r.IntN(900))
		case "viewed":
			var b strings.Builder
			b.WriteString("<table><caption>Most viewed</caption>")
			for i := range 3 + r.IntN(2) {
				fmt.Fprintf(&b, `<tr><td>%d</td><td><a href="/news/%s-%d">%s</a></td></tr>`, i+1, pick(r, churnWords), r.IntN(1e6), churnHeadline(r))
			}
			b.WriteString("</table>")
			return b.String()
		case "sponsor":
			var b strings.Builder
			fmt.Fprintf(&b, `<div><h3>%s</h3>`, st.sponsor)
			for range 3 + r.IntN(3) {
				fmt.Fprintf(&b, `<div><a href="https://ads.test/click?c=%x&amp;p=%x"><img src="https://ads.test/img/%x.jpg" alt=""><span>%s</span></a> <span>%s</span></div>`,
					r.Uint64(), r.Uint32(), r.Uint32(), churnHeadline(r), pick(r, []string{"HealthDigest", "Finance Today", "TravelPulse", "Gadget Deals"}))
			}
			b.WriteString("</div>")
			return b.String()
		case "sid":
			return fmt.Sprintf("%X", r.Uint64())
		case "edition":
			day := churnEpoch.Add(time.Duration(n/8) * 24 * time.Hour)
			return fmt.Sprintf(`<p class="%s%x">Today's edition · %s</p>`, st.classPre, r.Uint32(), day.Format("Monday 2 January 2006"))
		case "authorbox":
			return fmt.Sprintf(`<div class="%s%x"><a href="/authors/%s">%s</a> · <span>%d.%dK followers</span> <button>Follow</button></div>`,
				st.classPre, r.Uint32(), strings.ToLower(strings.ReplaceAll(st.author, " ", "-")), st.author, 1+r.IntN(40), r.IntN(10))
		case "anchor":
			id := fmt.Sprintf("h-%x", r.Uint32())
			return fmt.Sprintf(`<a class="anchor" id="%s" href="#%s">#</a> `, id, id)
		case "alo", "alc":
			var i int
			fmt.Sscan(sub[2], &i)
			if linked[i] == 0 {
				linked[i] = 1 + r.IntN(2)
			}
			if linked[i] == 1 {
				return ""
			}
			if sub[1] == "alc" {
				return "</a>"
			}
			return fmt.Sprintf(`<a href="%s%s">`, st.topicPath, p.autoWords[i])
		case "reactions":
			return fmt.Sprintf(`<div class="%s%x"><button>👍 %d</button> <button>❤️ %d</button> <button>😮 %d</button></div>`, st.classPre, r.Uint32(), r.IntN(900), r.IntN(300), r.IntN(50))
		case "langs":
			l := slices.Clone(st.langs)
			r.Shuffle(len(l), func(i, j int) { l[i], l[j] = l[j], l[i] })
			var b strings.Builder
			fmt.Fprintf(&b, `<div class="%s%x"><span>Read in:</span>`, st.classPre, r.Uint32())
			for _, x := range l {
				fmt.Fprintf(&b, ` <a href="?lang=%s">%s</a>`, strings.ToLower(x[:2]), x)
			}
			b.WriteString("</div>")
			return b.String()
		case "sp":
			if r.IntN(2) == 0 {
				return "&nbsp;"
			}
			return " "
		case "zw":
			return pick(r, []string{"", "&#8203;", "&shy;", "&#8288;"})
		case "img":
			var i int
			fmt.Sscan(sub[2], &i)
			if i < len(p.imgs) {
				return p.renderImg(r, p.imgs[i])
			}
		}
		return ""
	})
}

// renderImg writes one image the way the site serves it on this request:
// the real source with a fresh cache buster, or a lazy-load placeholder
// whose real source waits in data-src, with srcset candidates in random
// order.
func (p *churnPage) renderImg(r *rand.Rand, img churnImg) string {
	st := p.site.style
	base, _, _ := strings.Cut(img.src, "?")
	id := len(base) * 7919 % 100000 // of the picture, not of this request's URL
	if st.heldOut {
		// Held out: the image host is one of a few shards, and the path
		// may carry a per-request cache segment.
		u, err := url.Parse(base)
		if err == nil {
			dir, file := path.Split(u.Path)
			if st.cacheSeg {
				dir += fmt.Sprintf("cache/%016x/", r.Uint64())
			}
			base = fmt.Sprintf("http://img%d.cdn-%d.test%s%s", 1+r.IntN(st.shards), p.site.idx, dir, file)
		}
	}
	bust := fmt.Sprintf("%s=%d", st.buster, r.Uint32())
	var real string
	sizes := []int{320, 640, 1080}
	variant := func(w int) string {
		switch st.imgStyle {
		case 1:
			dir, file := filepath.Split(base)
			return fmt.Sprintf("%sresize/%dx%d/%s?%s", dir, w, w*2/3, file, bust)
		case 2:
			if st.heldOut {
				// the shard host and cache segment, then the image's id
				return fmt.Sprintf("%smedia/image/%d?w=%d&%s", base[:strings.LastIndex(base, "/")+1], id, w, bust)
			}
			return fmt.Sprintf("/media/image/%d?w=%d&%s", id, w, bust)
		}
		return fmt.Sprintf("%s?itok=Ab%d&%s&width=%d", base, len(base), bust, w)
	}
	real = variant(1080)
	r.Shuffle(len(sizes), func(i, j int) { sizes[i], sizes[j] = sizes[j], sizes[i] })
	var set []string
	for _, w := range sizes {
		set = append(set, fmt.Sprintf("%s %dw", variant(w), w))
	}
	attrs := fmt.Sprintf(` alt="%s" srcset="%s"`, html.EscapeString(img.alt), html.EscapeString(strings.Join(set, ", ")))
	if img.width != "" {
		attrs += fmt.Sprintf(` width="%s" height="%s"`, html.EscapeString(img.width), html.EscapeString(img.height))
	}
	if st.picture {
		// A picture whose every URL is signed and expires, with its
		// <source> candidates in random order.
		sign := func(u string) string {
			u, _, _ = strings.Cut(u, "?")
			return fmt.Sprintf("%s?Expires=%d&Signature=%x%x&Key-Pair-Id=K%d", u, 1790000000+r.IntN(1e6), r.Uint64(), r.Uint64(), p.site.idx)
		}
		var srcs []string
		for _, w := range sizes {
			srcs = append(srcs, fmt.Sprintf(`<source media="(min-width: %dpx)" srcset="%s">`, w, html.EscapeString(sign(variant(w)))))
		}
		return fmt.Sprintf(`<picture>%s<img src="%s" alt="%s"></picture>`, strings.Join(srcs, ""), html.EscapeString(sign(real)), html.EscapeString(img.alt))
	}
	if r.IntN(2) == 0 {
		return fmt.Sprintf(`<img src="%s"%s>`, html.EscapeString(real), attrs)
	}
	var ph string
	switch st.lazyStyle {
	case 0:
		ph = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
	case 1:
		ph = "/static/img/placeholder.svg"
	default:
		ph = variant(24)
	}
	return fmt.Sprintf(`<img src="%s" data-src="%s" class="lazy %s%x"%s>`, html.EscapeString(ph), html.EscapeString(real), st.classPre, r.Uint32(), attrs)
}

// churnEpoch is the served clock's start: request n of a page is served
// at churnEpoch plus 7n minutes.
var churnEpoch = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)

func churnHeadline(r *rand.Rand) string {
	n := 4 + r.IntN(5)
	w := make([]string, n)
	for i := range w {
		w[i] = pick(r, churnWords)
	}
	w[0] = strings.ToUpper(w[0][:1]) + w[0][1:]
	return strings.Join(w, " ") + fmt.Sprintf(" %d", r.IntN(100))
}

func churnLinks(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		fmt.Fprintf(&b, `<li><a href="/%s/%s-%d">%s</a></li>`, pick(r, []string{"news", "world", "2026/11"}), pick(r, churnWords), r.IntN(1e6), churnHeadline(r))
	}
	return b.String()
}

func (s *churnSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/sitemap.xml" {
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
		for _, p := range s.pages {
			fmt.Fprintf(w, "<url><loc>%s%s</loc></url>", s.srv.URL, p.path)
		}
		fmt.Fprint(w, "</urlset>")
		return
	}
	p := s.byPath[r.URL.Path]
	if p == nil {
		http.NotFound(w, r)
		return
	}
	s.mu.Lock()
	s.hits++
	s.mu.Unlock()
	p.mu.Lock()
	p.hits++
	out := p.render(p.hits)
	p.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	io.WriteString(w, out)
}

// edit applies a true edit of kind to the page and returns what the
// archive must then hold, or ok false when the page has nothing to edit
// that way. The edit goes to a paragraph the archived version holds, and
// is kept only when stet's extractor shows it on the clean page: the
// benchmark measures noise, not extraction.
func (p *churnPage) edit(kind, archived string, r *rand.Rand) (churnEdit, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	art, err := (&extract.Extractor{}).Extract([]byte(p.html), churnBase)
	if err != nil {
		return churnEdit{}, false
	}
	token := churnToken(r)
	for attempt := range 4 {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(p.html))
		if err != nil {
			return churnEdit{}, false
		}
		paras := churnParagraphs(doc, archived)
		if len(paras) == 0 {
			return churnEdit{}, false
		}
		last := paras[max(len(paras)-1-attempt, 0)]
		var want string
		switch kind {
		case "word":
			for _, q := range paras[r.IntN(len(paras)):] {
				if node, word := longTextWord(q); node != nil {
					everywhere(doc, node.Data, strings.Replace(node.Data, word, token, 1))
					want = token
					break
				}
			}
		case "number":
			num := regexp.MustCompile(`\d+`)
			for _, q := range paras[attempt*len(paras)/4:] {
				for _, n := range q.Nodes {
					for c := n.FirstChild; c != nil && want == ""; c = c.NextSibling {
						if c.Type != html.TextNode || !num.MatchString(c.Data) {
							continue
						}
						newNum := fmt.Sprint(20000 + r.IntN(70000))
						everywhere(doc, c.Data, strings.Replace(c.Data, num.FindString(c.Data), newNum, 1))
						want = newNum
					}
				}
				if want != "" {
					break
				}
			}
		case "append":
			want = fmt.Sprintf("In a statement on %s the %s said the %s review would continue.", pick(r, []string{"Monday", "Friday"}), token, pick(r, churnWords))
			appendAfter(last, want)
		case "headline":
			want = "Revised: " + strings.ToUpper(token[:1]) + token[1:] + " " + pick(r, churnWords) + " plan approved"
			retitle(doc, art.Title, want)
			want = "# " + want
		case "correction":
			want = fmt.Sprintf("Correction: An earlier version of this article misstated the %s of the %s %s.", pick(r, []string{"date", "name", "cost"}), token, pick(r, churnWords))
			appendAfter(last, "<em>"+want+"</em>")
		}
		if want == "" {
			return churnEdit{}, false
		}
		out, err := doc.Html()
		if err != nil {
			return churnEdit{}, false
		}
		if a, err := (&extract.Extractor{}).Extract([]byte(out), churnBase); err != nil || !strings.Contains(string(a.Markdown()), want) {
			continue
		}
		p.html = out
		return churnEdit{kind, want}, p.prepare() == nil
	}
	return churnEdit{}, false
}

// everywhere replaces the text old by repl in every text node of doc,
// scripts included, as a CMS edit changes every copy of a paragraph (a
// hidden duplicate, the JSON-LD articleBody).
func everywhere(doc *goquery.Document, old, repl string) {
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode && strings.Contains(n.Data, old) {
			n.Data = strings.ReplaceAll(n.Data, old, repl)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range doc.Nodes {
		walk(n)
	}
}

// appendAfter adds a paragraph holding inner right after p, with p's tag
// and class, as the site's own CMS would.
func appendAfter(p *goquery.Selection, inner string) {
	tag := goquery.NodeName(p)
	class := ""
	if c, ok := p.Attr("class"); ok {
		class = fmt.Sprintf(` class="%s"`, html.EscapeString(c))
	}
	p.AfterHtml(fmt.Sprintf("<%s%s>%s</%s>", tag, class, inner, tag))
}

// retitle gives the page a new headline everywhere it states one: <h1>
// (and a heading equal to the old title), <title>, title meta tags and
// the headline of JSON-LD.
func retitle(doc *goquery.Document, old, repl string) {
	norm := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	doc.Find("h1, h2").Each(func(i int, h *goquery.Selection) {
		if norm(h.Text()) == norm(old) || h.Is("h1") && i == 0 {
			h.SetText(repl)
		}
	})
	doc.Find("head title").First().SetText(repl)
	doc.Find(`meta[property="og:title"], meta[name="twitter:title"], meta[name="title"], meta[itemprop="headline"]`).SetAttr("content", repl)
	newJSON, _ := json.Marshal(repl)
	headline := regexp.MustCompile(`("(?:headline|alternativeHeadline)"\s*:\s*)"(?:[^"\\]|\\.)*"`)
	doc.Find(`script[type="application/ld+json"]`).Each(func(_ int, s *goquery.Selection) {
		// Set the raw text node: SetText would escape the JSON.
		for c := s.Nodes[0].FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode {
				c.Data = headline.ReplaceAllString(c.Data, "${1}"+strings.ReplaceAll(string(newJSON), "$", "$$"))
			}
		}
	})
}

// churnToken is a fresh made-up word, so an edit is found in the archive
// only when it was committed.
func churnToken(r *rand.Rand) string {
	syl := []string{"zan", "qui", "bor", "vel", "tam", "rix", "osh", "pel", "dru", "kav"}
	var b strings.Builder
	for range 4 {
		b.WriteString(pick(r, syl))
	}
	return b.String()
}

func longTextWord(p *goquery.Selection) (*html.Node, string) {
	for _, n := range p.Nodes {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.TextNode {
				continue
			}
			for _, w := range strings.Fields(c.Data) {
				if len([]rune(w)) >= 6 && !strings.ContainsFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }) {
					return c, w
				}
			}
		}
	}
	return nil, ""
}

// churnFresh explains a miss: whether two fresh renderings of u hold
// want, and the line diff from the archived version b to each.
func churnFresh(t *testing.T, u, want string, b []byte) string {
	t.Helper()
	dir := t.TempDir()
	arch := filepath.Join(dir, "archived.md")
	os.WriteFile(arch, b, 0o644)
	var out strings.Builder
	for i := range 2 {
		resp, err := http.Get(u)
		if err != nil {
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		a, err := (&extract.Extractor{}).Extract(body, u)
		if err != nil {
			continue
		}
		md := a.Markdown()
		fresh := filepath.Join(dir, fmt.Sprintf("fresh%d.md", i))
		os.WriteFile(fresh, md, 0o644)
		d, _ := exec.Command("git", "diff", "--no-index", "-U1", arch, fresh).Output()
		fmt.Fprintf(&out, "--- fresh rendering %d has it: %v\n%s\n", i+1, bytes.Contains(md, []byte(want)), d)
	}
	return out.String()
}

type churnTally struct {
	unchangedChecks, noiseCommits int
	edits, caught                 map[string]int
	checks, fetches               [3]int // by phase: run 1, run 2, later runs
	suspect, failed               int
	misses                        []string
	all                           []string // every miss with its diff, for -churn.misses
}

func TestChurn(t *testing.T) {
	srcs := churnSources(t, *churnSkip+*churnPages)
	srcs = srcs[min(*churnSkip, len(srcs)):]
	if len(srcs) == 0 {
		t.Skip("no usable corpus pages")
	}
	var sites []*churnSite
	for i, src := range srcs {
		if i%*churnPerSite == 0 {
			s := &churnSite{idx: len(sites), byPath: map[string]*churnPage{}, style: newChurnStyle(len(sites))}
			s.srv = httptest.NewServer(s)
			t.Cleanup(s.srv.Close)
			sites = append(sites, s)
		}
		s := sites[len(sites)-1]
		p := &churnPage{site: s, path: fmt.Sprintf("/%s/%d/story.html", pick(rand.New(rand.NewPCG(uint64(i), 1)), []string{"news", "world", "politics"}), i), src: src.name, html: src.html}
		if err := p.prepare(); err != nil {
			t.Fatalf("%s: %v", src.name, err)
		}
		s.pages = append(s.pages, p)
		s.byPath[p.path] = p
		// A page whose canonical URL is on the same site is tracked under
		// it, so the site answers there too, as real sites do.
		if art, err := (&extract.Extractor{}).Extract([]byte(src.html), s.srv.URL+p.path); err == nil {
			if cu, err := url.Parse(art.URL); err == nil && cu.Host == strings.TrimPrefix(s.srv.URL, "http://") && s.byPath[cu.Path] == nil {
				s.byPath[cu.Path] = p
			}
		}
	}
	byURL := func(raw string) *churnPage {
		u, err := url.Parse(raw)
		if err != nil {
			return nil
		}
		for _, s := range sites {
			if s.srv.URL == "http://"+u.Host {
				return s.byPath[u.Path]
			}
		}
		return nil
	}
	repo := t.TempDir()
	var cfg strings.Builder
	cfg.WriteString("fetch:\n  allow_private_addresses: true\n  host_interval: 0s\n  max_body: 5000000\n  timeout: 20s\n  workers: 8\nschedule:\n  max_fetches_per_run: 100000\nsources:\n")
	if *churnOnlySite >= 0 {
		sites = slices.DeleteFunc(sites, func(s *churnSite) bool { return s.idx != *churnOnlySite })
	}
	for _, s := range sites {
		fmt.Fprintf(&cfg, "  - name: site%d\n    sitemaps:\n      - %s/sitemap.xml\n", s.idx, s.srv.URL)
	}
	if err := os.WriteFile(filepath.Join(repo, "stet.yaml"), []byte(cfg.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	tio := testEnv(t)
	var clock sync.Mutex
	now := fixedTime
	tio.env.Now = func() time.Time { clock.Lock(); defer clock.Unlock(); return now }

	tally := churnTally{edits: map[string]int{}, caught: map[string]int{}}
	rng := rand.New(rand.NewPCG(42, 42))
	all := []*churnPage{}
	for _, s := range sites {
		all = append(all, s.pages...)
	}
	nEdits := 0
	paths := map[*churnPage]string{} // article file
	for step := 0; step < *churnSteps; step++ {
		clock.Lock()
		now = fixedTime.Add(time.Duration(step) * 6 * time.Hour)
		clock.Unlock()
		// Edits: from the third run on, a fifth of the pages each run,
		// kinds in turn.
		pending := map[*churnPage]churnEdit{}
		if step >= 2 {
			for i, p := range all {
				if (i+step)%5 != 0 {
					continue
				}
				kind := churnKinds[nEdits%len(churnKinds)]
				archived, err := os.ReadFile(filepath.Join(repo, paths[p]))
				if err != nil {
					continue
				}
				if e, ok := p.edit(kind, string(archived), rng); ok {
					pending[p] = e
					nEdits++
				}
			}
		}
		before := 0
		for _, s := range sites {
			s.mu.Lock()
			before += s.hits
			s.mu.Unlock()
		}
		out := tio.mustRun(t, "run", "--repo", repo, "--all", "--json")
		var rep track.Report
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("report: %v\n%s", err, out)
		}
		after := 0
		for _, s := range sites {
			s.mu.Lock()
			after += s.hits
			s.mu.Unlock()
		}
		phase := min(step, 2)
		tally.checks[phase] += rep.Checked
		tally.fetches[phase] += after - before
		for _, res := range rep.Results {
			page := byURL(res.URL)
			if res.Path != "" && page != nil {
				paths[page] = res.Path
			}
			switch res.Status {
			case track.Suspect:
				tally.suspect++
			case track.Failed:
				tally.failed++
			}
			e, edited := pending[page]
			if step == 0 {
				continue
			}
			if !edited {
				tally.unchangedChecks++
				if res.Status == track.Changed {
					tally.noiseCommits++
					if *churnMisses != "" {
						tally.all = append(tally.all, fmt.Sprintf("=== step %d: noise commit %s (%s)", step, res.URL, res.Path), git(t, repo, "log", "-p", "-1", "--format=%h", "--", res.Path))
					}
					if tally.noiseCommits <= 15 {
						tally.misses = append(tally.misses, fmt.Sprintf("step %d: noise commit %s: %s", step, res.URL, strings.Join(res.Summary, "; ")))
						if *churnDebug {
							tally.misses = append(tally.misses, git(t, repo, "log", "-p", "-1", "--format=%h", "--", res.Path))
						}
					}
				}
				continue
			}
			tally.edits[e.kind]++
			b, err := os.ReadFile(filepath.Join(repo, res.Path))
			if res.Status == track.Changed && err == nil && hasEdit(b, e.want) {
				tally.caught[e.kind]++
			} else if *churnMisses != "" {
				tally.all = append(tally.all, fmt.Sprintf("=== step %d: %s edit missed (%s %s) %s (%s): want %q", step, e.kind, res.Status, res.Reason, res.URL, res.Path, e.want), churnFresh(t, res.URL, e.want, b))
			}
			if !(res.Status == track.Changed && err == nil && hasEdit(b, e.want)) && tally.edits[e.kind]-tally.caught[e.kind] <= 5 {
				tally.misses = append(tally.misses, fmt.Sprintf("step %d: %s edit missed (%s %s) %s: want %q", step, e.kind, res.Status, res.Reason, res.URL, e.want))
				if *churnDebug {
					fresh := ""
					if resp, err := http.Get(res.URL); err == nil {
						body, _ := io.ReadAll(resp.Body)
						resp.Body.Close()
						if a, err := (&extract.Extractor{}).Extract(body, res.URL); err == nil {
							fresh = string(a.Markdown())
						}
					}
					tally.misses = append(tally.misses, fmt.Sprintf("a fresh rendering has it: %v", strings.Contains(fresh, e.want)), string(b), git(t, repo, "log", "-p", "-1", "--format=%h", "--", res.Path))
				}
			}
		}
	}
	git(t, repo, "fsck", "--strict")
	if *churnDebug {
		t.Log(tio.mustRun(t, "volatile", "--repo", repo, "--json"))
	}

	rate := float64(tally.noiseCommits) / float64(max(tally.unchangedChecks, 1))
	t.Logf("churn: %d pages on %d sites, %d steps", len(all), len(sites), *churnSteps)
	t.Logf("noise-commit rate %.4f (%d of %d checks of unchanged articles); suspect %d, failed %d",
		rate, tally.noiseCommits, tally.unchangedChecks, tally.suspect, tally.failed)
	kinds := append([]string(nil), churnKinds...)
	sort.Strings(kinds)
	minRecall := 1.0
	for _, k := range kinds {
		rec := float64(tally.caught[k]) / float64(max(tally.edits[k], 1))
		if tally.edits[k] > 0 {
			minRecall = min(minRecall, rec)
		}
		t.Logf("edit recall %-10s %.3f (%d of %d)", k, rec, tally.caught[k], tally.edits[k])
	}
	for i, name := range []string{"run 1", "run 2", "later runs"} {
		if tally.checks[i] > 0 {
			t.Logf("extra fetches, %-10s %+.1f%% (%d fetches for %d checks)", name, 100*float64(tally.fetches[i]-tally.checks[i])/float64(tally.checks[i]), tally.fetches[i], tally.checks[i])
		}
	}
	for _, m := range tally.misses {
		t.Log(m)
	}
	if *churnMisses != "" {
		if err := os.WriteFile(*churnMisses, []byte(strings.Join(tally.all, "\n")), 0o644); err != nil {
			t.Error(err)
		}
	}
	if tally.noiseCommits > 0 {
		t.Errorf("noise commits: %d", tally.noiseCommits)
	}
	if minRecall < 0.99 {
		t.Errorf("edit recall %.3f for some kind, want ≥ 0.99", minRecall)
	}
	if c := tally.checks[2]; c > 0 && float64(tally.fetches[2]-c) > 0.05*float64(c) {
		t.Errorf("later runs made %d fetches for %d checks, want ≤ 5%% more", tally.fetches[2], c)
	}
}
