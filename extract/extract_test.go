package extract

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
)

func TestExtractNoArticle(t *testing.T) {
	for _, page := range []string{"", "<html><body></body></html>", "<html><head><script>x()</script></head><body><nav>Home</nav></body></html>"} {
		_, err := FromHTML(strings.NewReader(page), "https://example.com/")
		if !errors.Is(err, ErrNoArticle) {
			t.Errorf("FromHTML(%q) error = %v, want ErrNoArticle", page, err)
		}
	}
}

func TestExtractBadURL(t *testing.T) {
	if _, err := FromHTML(strings.NewReader("<h1>x</h1>"), "http://[::1"); err == nil {
		t.Errorf("FromHTML with a malformed page URL succeeded")
	}
}

// TestExtractVolatile checks that nothing that changes between two
// requests for the same article reaches the markdown.
func TestExtractVolatile(t *testing.T) {
	page := func(n int, cb string) string {
		return `<html><head><title>Same story</title></head><body><article><h1>Same story</h1>
<p class="meta"><span class="time">` + []string{"5 minutes ago", "2 hours ago"}[n] + `</span> <span>` + []string{"10 views", "1,234 views"}[n] + `</span></p>
<p>The first paragraph of the story is long enough to be the article, and it says what happened in some detail.</p>
<p>Read the <a href="/report?utm_source=x&amp;cb=` + cb + `&amp;id=7#top">report</a>. <img src="/a.jpg?cachebust=` + cb + `" alt="chart"></p>
<img src="https://t.example.net/p.gif?r=` + cb + `" width="1" height="1">
<img src="data:image/gif;base64,` + cb + `">
<p>The second paragraph is also part of the article and has enough words to count as text for readability.</p>
</article></body></html>`
	}
	a1, err := FromHTML(strings.NewReader(page(0, "111")), "https://news.example.com/s?utm_medium=a")
	if err != nil {
		t.Fatal(err)
	}
	a2, err := FromHTML(strings.NewReader(page(1, "222")), "https://news.example.com/s?utm_medium=b")
	if err != nil {
		t.Fatal(err)
	}
	md1, md2 := a1.Markdown(), a2.Markdown()
	if diff := cmp.Diff(string(md1), string(md2)); diff != "" {
		t.Errorf("markdown differs between two requests (-first +second):\n%s", diff)
	}
	for _, bad := range []string{"ago", "views", "111", "utm_", "data:", "p.gif", "#top"} {
		if bytes.Contains(md1, []byte(bad)) {
			t.Errorf("markdown holds %q:\n%s", bad, md1)
		}
	}
	if !bytes.Contains(md1, []byte("[report](https://news.example.com/report?id=7)")) {
		t.Errorf("markdown lost the cleaned link:\n%s", md1)
	}
}

func TestIsNoise(t *testing.T) {
	tests := []struct {
		name, html string
		want       bool
	}{
		{"ad class", `<div class="ad-slot">x</div>`, true},
		{"share camel", `<div class="shareTools">x</div>`, true},
		{"related glued", `<div class="jp-relatedposts">x</div>`, true},
		{"most read pair", `<section id="most-read">x</section>`, true},
		{"newsletter data", `<div data-component="newsletter-signup">x</div>`, true},
		{"hidden attr", `<p hidden>x</p>`, true},
		{"aria hidden", `<div aria-hidden="true">x</div>`, true},
		{"display none", `<div style="color:red; display: none">x</div>`, true},
		{"cookie role dialog", `<div role="dialog" class="cookie">x</div>`, true},
		{"nav", `<nav>x</nav>`, true},
		{"story body", `<div class="story-body">x</div>`, false},
		{"header word", `<div class="article-header">x</div>`, false},
		{"shadow is not ad", `<div class="shadow head">x</div>`, false},
		{"commentary is content", `<div class="commentary">x</div>`, false},
		{"article with comments class but long text", `<div class="comments"><article><p>x</p></article></div>`, false},
		{"heading anchored by its own text", `<h2 id="h-why-use-social-shopping"><strong>Why use social shopping?</strong></h2>`, false},
		{"heading id names a widget", `<h2 id="social-share">Why use social shopping?</h2>`, true},
		{"box id is not a slug", `<div id="related-articles">Related articles</div>`, true},
		{"inline teaser card", `<section class="box teaser typo--teaser-inline"><a href="/auto-batterie-winter-71379.html"><figure><img src="/b.jpg"></figure><span class="teaser__headline">So kommt die Autobatterie durch den Winter</span></a></section>`, true},
		{"teaser portlet with a more link", `<dl class="zamgportlet portletTeaserPortlet"><dt>Wettergutachten</dt><dd><p class="teasertext"><span>Auskunft über vergangenes Wetter…</span> <a href="/produkte/wettergutachten">mehr</a></p></dd></dl>`, true},
		{"teaser that is the lead", `<div class="mosi-artikel-teaser"><p>Medienberichten zufolge hat Apple seine Pläne aufgegeben, Backups so zu verschlüsseln, dass selbst Apple sie nicht lesen könnte.</p></div>`, false},
		{"long teaser lead with a link in its prose", `<div class="teaser-text"><p>Die Temperaturen sind in den letzten Wochen immer weiter gesunken, und in einigen Orten fiel der erste Schnee. Nicht nur wir Menschen freuen uns über die ersten Flocken: auch die meisten Hunde sind <a href="/hunde/winter">außer sich vor Freude</a>, wenn sie zum ersten Mal durch den Schnee toben dürfen.</p></div>`, false},
		{"author box marked as the author", `<div class="saboxplugin-wrap" itemscope itemtype="http://schema.org/Person" itemprop="author"><div class="saboxplugin-authorname">Patrick Ludolph</div><div itemprop="description"><p>Patrick Ludolph, Fotograf aus Hamburg und Gründer des Blogs. Ich mag jede Art von Fotografie, aber ein Mensch muss bei meinen Fotos meistens mit drauf sein.</p></div></div>`, true},
		{"byline marked as the author", `<span itemprop="author" itemscope itemtype="http://schema.org/Person"><span itemprop="name">Patrick Ludolph</span></span>`, false},
		{"donation flyout", `<div class="c-flyout__content"><p>Jede kleine Spende hilft den notleidenden Menschen dieser Welt!</p></div>`, true},
		{"relative time", `<span title="2014-02-06 20:37:21Z" class="relativetime">Feb 6, 2014 at 20:37</span>`, true},
		{"affiliate disclaimer", `<p class="aawp-disclaimer">Letzte Aktualisierung am 2.02.2022 / Bei den Verlinkungen handelt es sich um Affiliate Links</p>`, true},
		{"disclosure box", `<div class="affiliate-disclosure">Purchases made through our links may earn us a commission.</div>`, true},
		{"header that has sharing", `<header class="contentHeader has-sharing">x</header>`, false},
		{"layout with a sidebar", `<div class="page with-sidebar">x</div>`, false},
		{"sharing bar of a header", `<div class="header-sharing">x</div>`, true},
		{"teaser with a fragment link only", `<div class="teaser"><a href="#comments">Kommentare</a></div>`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := parseFragment(t, tt.html)
			if got := isNoise(doc); got != tt.want {
				t.Errorf("isNoise(%s) = %v, want %v", tt.html, got, tt.want)
			}
		})
	}
}

func TestVolatileText(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"5 minutes ago", true},
		{"Updated 2 hours ago", true},
		{"an hour ago", true},
		{"1,234 views", true},
		{"48 comments", true},
		{"12K shares", true},
		{"Just now", true},
		{"He arrived 5 minutes ago.", false},
		{"Comments are closed on the report, officials said", false},
		{"2 hours", false},
	}
	for _, tt := range tests {
		if got := volatileText(tt.in); got != tt.want {
			t.Errorf("volatileText(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

const testProfiles = `name: daily
version: 3
hosts: [www.dailyexample.co.uk]
body:
  - "div.story-body"
drop:
  - ".ad-mpu"
drop_text:
  - "(?i)^the council said"
---
name: tiny
version: 1
hosts: [tiny.example.com]
body:
  - "p.dateline"
`

// TestExtractProfiles checks the hooks for site profiles: the profile's
// body and drop rules are used and named in Extractor, and a profile whose
// body is much shorter than the generic one falls back with a warning.
func TestExtractProfiles(t *testing.T) {
	list, err := ParseProfiles([]byte(testProfiles))
	if err != nil {
		t.Fatalf("ParseProfiles: %v", err)
	}
	var logs bytes.Buffer
	e := &Extractor{Profiles: (*Profiles)(nil).With(list...), Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	page := readPage(t, filepath.Join("testdata", "golden", "jsonld-graph", "page.html"))

	a, err := e.Extract(page, "https://www.dailyexample.co.uk/news/harbour-bridge-reopens")
	if err != nil {
		t.Fatal(err)
	}
	if want := "stet-extract/14 profile=daily/3"; a.Extractor != want {
		t.Errorf("Extractor = %q, want %q", a.Extractor, want)
	}
	if strings.Contains(a.Text(), "The council said") {
		t.Errorf("drop_text paragraph kept:\n%s", a.Text())
	}
	if !strings.Contains(a.Text(), "Lorries over 7.5 tonnes") {
		t.Errorf("profile body lost article text:\n%s", a.Text())
	}

	logs.Reset()
	b, err := e.Extract(page, "https://tiny.example.com/story")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.Text(), "Lorries over 7.5 tonnes") {
		t.Errorf("fallback to the generic body failed:\n%s", b.Text())
	}
	if !strings.Contains(logs.String(), "profile did not match") || !strings.Contains(logs.String(), "profile=tiny") {
		t.Errorf("no warning for the fallback; logs:\n%s", logs.String())
	}

	// Served from elsewhere (a mirror, a saved file), the page's own
	// canonical URL still picks its site's profile.
	c, err := e.Extract(page, "https://other.example.com/story")
	if err != nil {
		t.Fatal(err)
	}
	if want := "stet-extract/14 profile=daily/3"; c.Extractor != want {
		t.Errorf("Extractor of the page served from another host = %q, want %q", c.Extractor, want)
	}

	other := readPage(t, filepath.Join("testdata", "golden", "lists-and-quotes", "page.html"))
	d, err := e.Extract(other, "https://other.example.com/story")
	if err != nil {
		t.Fatal(err)
	}
	if d.Extractor != Version {
		t.Errorf("Extractor without a profile = %q, want %q", d.Extractor, Version)
	}
}

// TestExtractShortPage checks that a page too short for readability's
// scoring still yields its body.
func TestExtractShortPage(t *testing.T) {
	a, err := FromHTML(strings.NewReader(`<html><head><title>Short</title></head><body><nav><a href="/">Home</a></nav><article><p>One line only.</p></article><footer>© Paper</footer></body></html>`), "https://x.example/")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := a.Text(), "One line only."; got != want {
		t.Errorf("Text() = %q, want %q", got, want)
	}
}

func TestIsNoiseResponsive(t *testing.T) {
	// Bootstrap's hidden-xs hides on phones only; a teaser is the standfirst.
	for _, h := range []string{`<div class="hidden-xs">x</div>`, `<p class="article-teaser">x</p>`} {
		if isNoise(parseFragment(t, h)) {
			t.Errorf("isNoise(%s) = true, want false", h)
		}
	}
}

// TestTitleSources: the visible h1 is the headline when the metadata
// titles agree with it, so a site suffix in og:title, JSON-LD or <title>
// does not reach the title (issue 10).
func TestTitleSources(t *testing.T) {
	body := `<body><article><h1>Council backs harbour plan</h1><p>The council voted on Tuesday to back the harbour plan after a long debate in the chamber.</p></article></body></html>`
	tests := []struct{ name, head, want string }{
		{"og:title", `<meta property="og:title" content="Council backs harbour plan - Daily Example"><meta property="og:site_name" content="Daily Example"><title>Council backs harbour plan - Daily Example</title>`,
			"Council backs harbour plan"},
		{"json-ld headline", `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Council backs harbour plan | Daily Example"}</script><meta property="og:site_name" content="Daily Example">`,
			"Council backs harbour plan"},
		{"title with site name", `<meta property="og:site_name" content="Daily Example"><title>Council backs harbour plan - Daily Example</title>`,
			"Council backs harbour plan"},
		{"title with h1", `<title>Daily Example | Council backs harbour plan</title>`,
			"Council backs harbour plan"},
	}
	for _, tt := range tests {
		a, err := FromHTML(strings.NewReader(`<html><head>`+tt.head+`</head>`+body), "https://news.example.com/harbour")
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if a.Title != tt.want {
			t.Errorf("%s: Title = %q, want %q", tt.name, a.Title, tt.want)
		}
	}
}

// TestIsBylineLineCaseFolding: lower-casing "ẞ" (3 bytes) gives "ß" (2),
// so cutting the name out of the lower-cased line must use the lower-cased
// length (this panicked with slice bounds out of range).
func TestIsBylineLineCaseFolding(t *testing.T) {
	for _, tt := range []struct {
		text, author string
		want         bool
	}{
		{"By ẞẞẞẞ", "ẞẞẞẞ", true},
		{"ẞẞẞẞ", "ẞẞẞẞ", true},
		{"Von Anna GROẞ und Ölaf İnce", "Anna GROẞ", true},
		{"ẞẞẞẞ reports that the harbour will reopen", "ẞẞẞẞ", false},
	} {
		if got := isBylineLine(tt.text, &Article{Authors: []string{tt.author}}); got != tt.want {
			t.Errorf("isBylineLine(%q, %q) = %v, want %v", tt.text, tt.author, got, tt.want)
		}
	}
}

func TestInSite(t *testing.T) {
	hosts := []string{"www.example.com", "news.example.org"}
	tests := []struct {
		link string
		want bool
	}{
		{"https://www.example.com/a", true},
		{"https://example.com/a", true},
		{"http://sport.example.com/b", true},
		{"https://example.org/c", true},
		{"https://news.example.org/d", true},
		{"file:///tmp/page.html#x", true},
		{"https://www.other.net/e", false},
		{"https://notexample.com/f", false},
	}
	for _, tt := range tests {
		if got := inSite(tt.link, hosts); got != tt.want {
			t.Errorf("inSite(%q, %q) = %v, want %v", tt.link, hosts, got, tt.want)
		}
	}
}

func TestStoryPointer(t *testing.T) {
	link := func(label, text string) []Span {
		return []Span{{Text: label}, {Text: text, Link: "https://www.example.com/x"}}
	}
	tests := []struct {
		name  string
		spans []Span
		want  bool
	}{
		{"labelled headline", link("Lea también: ", "Impiden ingreso a reportero"), true},
		{"label of four words", link("Das sollten Sie lesen: ", "Neues Hallenbad öffnet im Herbst"), false},
		{"link of two words", link("Lesen Sie: ", "Hallenbad eröffnet"), false},
		{"sentence before the colon", link("He said, ", "this is: the story of it"), false},
		{"text after the link", append(link("Source: ", "The annual report of the port"), Span{Text: " and interviews with its staff"}), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := storyPointer(spansText(tt.spans), tt.spans); got != tt.want {
				t.Errorf("storyPointer(%q) = %v, want %v", spansText(tt.spans), got, tt.want)
			}
		})
	}
}

// TestPageTextOption: the page's whole text is given unless the caller
// asks not to have it.
func TestPageTextOption(t *testing.T) {
	page := []byte("<html><body><nav>Most read today</nav><article><h1>Harbour plan</h1><p>The council voted on Tuesday to back the harbour plan\nafter a <b>long debate</b> in the chamber.</p></article></body></html>")
	a, err := (&Extractor{}).Extract(page, "https://news.example.com/harbour")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.PageText, "Most read today") || !strings.Contains(a.PageText, "long debate") {
		t.Errorf("PageText = %q, want the whole page's text", a.PageText)
	}
	// One block a line, and no break inside one (track's page print
	// hashes the blocks).
	if lines := strings.Fields(strings.ReplaceAll(strings.TrimSpace(a.PageText), " ", "_")); !slices.Contains(lines, "The_council_voted_on_Tuesday_to_back_the_harbour_plan_after_a_long_debate_in_the_chamber.") {
		t.Errorf("PageText = %q, want each block on a line of its own", a.PageText)
	}
	b, err := (&Extractor{NoPageText: true}).Extract(page, "https://news.example.com/harbour")
	if err != nil {
		t.Fatal(err)
	}
	if b.PageText != "" || b.Markdown() == nil || string(b.Markdown()) != string(a.Markdown()) {
		t.Errorf("NoPageText: PageText = %q and the markdown changed", b.PageText)
	}
}

// TestCodeKeepsHighlightedComments: a highlighter's token classes inside
// <pre> and <code> ("hljs-comment", "token comment") are not the page's
// comment threads, so the code keeps its comment lines.
func TestCodeKeepsHighlightedComments(t *testing.T) {
	page := `<html><head><title>Git basics</title></head><body><article>
<h1>Git basics</h1>
<p>Git is a version control system that keeps the history of a project, and these are the commands one needs on the first day with it.</p>
<pre><code class="language-bash"><span class="hljs-comment"># view the state of the repo</span>
git status
<span class="token comment"># stage every change</span>
git add -A</code></pre>
<p>Run <code><span class="comment">#</span> git log</code> to see what was committed, and by whom, in the order it happened.</p>
<div class="comments"><p>Nice post, thanks for writing it up for beginners like me.</p></div>
</article></body></html>`
	a, err := FromHTML(strings.NewReader(page), "https://blog.example/git")
	if err != nil {
		t.Fatal(err)
	}
	text := a.Text()
	for _, want := range []string{"# view the state of the repo\ngit status\n# stage every change\ngit add -A", "Run # git log"} {
		if !strings.Contains(text, want) {
			t.Errorf("Text() lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Nice post") {
		t.Errorf("Text() kept the comment thread:\n%s", text)
	}
}

// TestSectionHeadingCalledHeader: a section heading whose class names a
// header and which holds a permalink anchor (as a newsletter platform
// marks them) stays; readability alone takes it for the page's header.
func TestSectionHeadingCalledHeader(t *testing.T) {
	page := `<html><head><title>Edge first</title></head><body><article><h1>Edge first</h1>
<p>For the last decade, we have treated the cloud as the default execution environment, and that has been a mistake for many teams.</p>
<h2 class="header-anchor-post">The cloud is not the computer<div class="header-anchor-parent"><div id="the-cloud" class="header-anchor"></div><button aria-label="Link">Link</button></div></h2>
<p>Computation, storage, identity, and application logic are centralized, always online, and always remote, which breaks in the field.</p>
<h2 class="section-header"><a href="#data">Data belongs to the application</a></h2>
<p>Latency is unpredictable and costs grow without bounds, while privacy and sovereignty concerns grow with every release.</p>
</article></body></html>`
	a, err := FromHTML(strings.NewReader(page), "https://news.example/p/edge")
	if err != nil {
		t.Fatal(err)
	}
	var headings []string
	for _, b := range a.Blocks {
		if b.Kind == Heading {
			headings = append(headings, blockText(b))
		}
	}
	want := []string{"The cloud is not the computer", "Data belongs to the application"}
	if diff := cmp.Diff(want, headings); diff != "" {
		t.Errorf("headings (-want +got):\n%s", diff)
	}
}

// TestUnmarkHeader: only a heading with a permalink loses its header class.
func TestUnmarkHeader(t *testing.T) {
	tests := []struct {
		name, html string
		unmarked   bool
	}{
		{"anchor class inside", `<h2 class="header-anchor-post">A<div class="header-anchor"></div></h2>`, true},
		{"link to the section", `<h3 class="section-header"><a href="#a">A</a></h3>`, true},
		{"side box heading", `<h3 class="box-header">Weitere Themen</h3>`, false},
		{"link elsewhere", `<h3 class="box-header"><a href="/more">More</a></h3>`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := parseFragment(t, tt.html)
			unmarkHeader(n)
			kept := attr(n, "class") != ""
			if kept == tt.unmarked {
				t.Errorf("unmarkHeader(%s): class kept = %v, want %v", tt.html, kept, !tt.unmarked)
			}
		})
	}
}

// TestLazyImagesRenderTheSame: a picture renders as one line with the
// same identity however the page's lazy loader serves it: a source in a
// data- attribute no list names, the copy in <noscript>, or the real
// image beside its lazy copy from another shard.
func TestLazyImagesRenderTheSame(t *testing.T) {
	const para = "<p>The council voted on Tuesday to back the harbour plan after a long debate in the chamber that lasted well into the night.</p><p>Work on the new quay is due to start in the spring and should take about two years to finish, the council said.</p>"
	page := func(img string) []byte {
		return []byte("<html><body><article><h1>Harbour plan</h1>" + para + img + para + "</article></body></html>")
	}
	for _, tt := range []struct{ name, img string }{
		{"plain", `<img src="https://img1.news.example.com/photos/quay-plan.jpg" alt="The quay">`},
		{"unknown lazy attribute", `<img src="/static/lazy.gif" data-hq-src="https://img2.news.example.com/photos/quay-plan.jpg" alt="The quay">`},
		{"noscript copy", `<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="The quay"><noscript><img src="https://img3.news.example.com/photos/quay-plan.jpg" alt="The quay"></noscript>`},
		{"lazy copy beside the real one", `<img src="https://img1.news.example.com/photos/quay-plan.jpg" alt="The quay"><img src="https://img4.news.example.com/photos/quay-plan.jpg?w=640" alt="The quay">`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a, err := (&Extractor{}).Extract(page(tt.img), "https://news.example.com/harbour")
			if err != nil {
				t.Fatal(err)
			}
			var imgs []string
			for _, l := range strings.Split(string(a.Markdown()), "\n") {
				if strings.HasPrefix(l, "![") {
					imgs = append(imgs, l)
				}
			}
			if len(imgs) != 1 || !strings.Contains(imgs[0], "quay-plan.jpg") {
				t.Errorf("image lines = %q, want the picture once\n%s", imgs, a.Markdown())
			}
		})
	}
}

// TestExtractParagraphCopy checks that a paragraph the page sets again
// right after itself (a highlighted copy) renders once, while a short
// line repeated and a paragraph repeated further on stay.
func TestExtractParagraphCopy(t *testing.T) {
	const first = "<p>The council voted on Tuesday to back the harbour plan after a long debate in the chamber that lasted well into the night.</p>"
	const second = "<p>Work on the new quay is due to start in the spring and should take about two years to finish, the council said.</p>"
	const third = "<p>Residents who spoke at the meeting asked for the fishing fleet to keep its berths while the work goes on.</p>"
	page := "<html><body><article><h1>Harbour plan</h1>" + first + first + second + "<p>Yes.</p><p>Yes.</p>" + third + second + "</article></body></html>"
	a, err := (&Extractor{}).Extract([]byte(page), "https://news.example.com/harbour")
	if err != nil {
		t.Fatal(err)
	}
	md := string(a.Markdown())
	for _, c := range []struct {
		text string
		n    int
	}{{"The council voted on Tuesday", 1}, {"Work on the new quay", 2}, {"Yes.", 2}} {
		if got := strings.Count(md, c.text); got != c.n {
			t.Errorf("%q renders %d times, want %d\n%s", c.text, got, c.n, md)
		}
	}
}

// TestExtractStoryListDoesNotMoveTheEnd checks that lists of other
// stories inside the article's container ("Popular", "Trending"), a link
// more or less on each request, neither reach the body nor decide whether
// the article's last part is taken in.
func TestExtractStoryListDoesNotMoveTheEnd(t *testing.T) {
	const tail = "<h2>Looking ahead</h2><p>At the end of the day, the quay is not just about boats. It also helps the town keep its fleet, and lets the harbour take the larger ferries that now sail past it to the next port.</p><p>Whether the council finds the money this year or next, the plan now has the backing of most of the town, the harbour master said after the meeting, and work could start soon after the vote.</p>"
	for links := 3; links <= 7; links++ {
		var teasers strings.Builder
		for i := range links {
			fmt.Fprintf(&teasers, `<div class="teaser"><a href="/news/story-%d.html">Council votes on the budget for the coming year %d</a></div>`, 100+i*7, i)
		}
		page := twoBlockPage(`<div class="content">` + tail + `</div><section class="x9f2"><h2>Popular</h2><ol>` + storyLinks(links) + `</ol></section>` +
			`<section class="x9f3"><h2>Trending</h2>` + teasers.String() + `</section>`)
		md := extractMarkdown(t, page)
		if strings.Contains(md, "Council votes on the budget") || !strings.Contains(md, "Whether the council finds the money") {
			t.Errorf("%d links: want the article to its end, without the list\n%s", links, md)
		}
	}
}

// TestExtractLinkListDoesNotMoveASection checks that a list of links set
// inside the article, a link more or less on each request, does not
// decide whether the section around it is taken in, and that the list
// itself stays where it was.
func TestExtractLinkListDoesNotMoveASection(t *testing.T) {
	for links := 2; links <= 6; links++ {
		page := twoBlockPage(`<div class="content"><h3>Technology on the quay</h3><p>Cranes and sensors are changing how the harbour works.</p>` +
			`<p>From automatic moorings to software that books the berths, these tools cut the time a ferry waits outside the harbour.</p>` +
			`<ul>` + storyLinks(links) + `</ul><p>The harbour master said the new systems would be tested over the summer.</p></div>`)
		md := extractMarkdown(t, page)
		if !strings.Contains(md, "From automatic moorings") || strings.Count(md, "Council votes on the budget") != links {
			t.Errorf("%d links: want the section and its %d links\n%s", links, links, md)
		}
	}
}

// TestStoryList checks which elements dropStoryLists takes for a list of
// other stories: a short label and nothing but headline links.
func TestStoryList(t *testing.T) {
	links := `<a href="/a">Council votes on the budget</a><a href="/b">Ferry strike ends after a week</a><a href="/c">New quay opens to the fleet</a>`
	for _, tt := range []struct {
		html string
		want bool
	}{
		{`<section><h2>Most read</h2><ol><li>` + strings.ReplaceAll(links, "</a><a", "</a></li><li><a") + `</li></ol></section>`, true},
		{`<div><p><strong>Trending</strong></p><p>` + strings.ReplaceAll(links, "</a><a", "</a></p><p><a") + `</p></div>`, true},
		{`<div>` + links + `</div>`, false}, // no label: the article's own list, maybe
		{`<div><h2>Sources</h2><p>The figures come from the council.</p>` + links + `</div>`, false},
		{`<div><h2>Most read</h2><a href="/a">Budget</a><a href="/b">Ferries</a><a href="/c">Quay</a></div>`, false}, // a menu
		{`<div><h2>Gallery</h2>` + links + `<img src="/p.jpg"></div>`, false},
		// Numbered lists of stories built of other elements.
		{`<div><h3>Most read</h3><div><span>1</span>` + strings.ReplaceAll(links, "</a><a", "</a></div><div><span>2.</span><a") + `</div></div>`, true},
		{`<table><caption>Most viewed</caption><tr><td>1</td><td>` + strings.ReplaceAll(links, "</a><a", "</a></td></tr><tr><td>2</td><td><a") + `</td></tr></table>`, true},
		// A sponsored widget: each link with its source's name.
		{`<div><h3>From around the web</h3><div><a href="https://ads.example/c?1"><img src="/a.jpg" alt=""><span>Doctors stunned by this simple morning habit</span></a> <span>HealthDigest</span></div><div><a href="https://ads.example/c?2"><span>The one card every traveller should carry abroad</span></a> <span>TravelPulse</span></div><div><a href="https://ads.example/c?3"><span>Ten gadgets that sold out in a single week</span></a> <span>Gadget Deals</span></div></div>`, true},
		// Links with a few words each under a label that is not one of
		// other stories are the article's (its sources).
		{`<div><h3>Sources</h3><p><a href="/a">Council budget report for 2024</a> (PDF)</p><p><a href="/b">Harbour authority annual review</a> (PDF)</p><p><a href="/c">Ferry operator statement to the press</a> (web)</p></div>`, false},
		// A table of more columns is data, links or not.
		{`<table><caption>League table</caption><tr><td>1</td><td>` + strings.ReplaceAll(links, "</a><a", "</a></td><td>45</td></tr><tr><td>2</td><td><a") + `</td><td>41</td></tr></table>`, false},
		{`<div><h3>Results</h3><p>Turnout was 41 per cent.</p>` + links + `</div>`, false},
	} {
		doc, err := html.Parse(strings.NewReader("<html><body>" + tt.html + "</body></html>"))
		if err != nil {
			t.Fatal(err)
		}
		body := doc.FirstChild.LastChild
		if got := storyList(body.FirstChild); got != tt.want {
			t.Errorf("storyList(%.60s…) = %v, want %v", tt.html, got, tt.want)
		}
		if dropStoryLists(body); (body.FirstChild == nil) != tt.want {
			t.Errorf("dropStoryLists(%.60s…): removed %v, want %v", tt.html, body.FirstChild == nil, tt.want)
		}
	}
}

// bodyTexts extracts page, served from pageURL, and returns the article
// and the text of each of its blocks.
func bodyTexts(t *testing.T, page, pageURL string) (*Article, []string) {
	t.Helper()
	a, err := FromHTML(strings.NewReader(page), pageURL)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, b := range a.Blocks {
		texts = append(texts, blockText(b))
	}
	return a, texts
}

// twoBlockPage is a page of two sibling blocks, as site builders lay an
// article out: six paragraphs of a report, then second.
func twoBlockPage(second string) []byte {
	var body strings.Builder
	for i := range 6 {
		fmt.Fprintf(&body, "<p>Paragraph %d of the report: the council heard from residents, engineers and the harbour master about the cost of the new quay, and about how long the work would close the old slipway to the fishing fleet.</p>", i+1)
	}
	return []byte(`<html><head><title>Harbour plan</title></head><body><div class="page"><div class="col">` +
		`<div class="block"><div class="content">` + body.String() + `</div></div>` +
		`<div class="block">` + second + `</div></div></div></body></html>`)
}

// storyLinks is n list items, each a link to another story.
func storyLinks(n int) string {
	var list strings.Builder
	for i := range n {
		fmt.Fprintf(&list, `<li><a href="/news/story-%d.html">Council votes on the budget for the coming year %d</a></li>`, 100+i*7, i)
	}
	return list.String()
}

// extractMarkdown extracts page as served from a news site's address.
func extractMarkdown(t *testing.T, page []byte) string {
	t.Helper()
	a, err := (&Extractor{}).Extract(page, "https://news.example.com/harbour")
	if err != nil {
		t.Fatal(err)
	}
	return string(a.Markdown())
}

// TestExtractRubyAnnotations checks that the readings of ruby text do not
// reach the body: an easy-reading news page glosses its kanji with
// furigana, and flattened to text every glossed word came out twice.
func TestExtractRubyAnnotations(t *testing.T) {
	page := `<html lang="ja"><head><title>図書館が新しくなる</title></head><body><header><a href="/">ニュース</a></header><main><article><h1>図書館が新しくなる</h1>
<div class="article-body">
<p><ruby>市<rt>し</rt></ruby>の<ruby>図書館<rt>としょかん</rt></ruby>が<ruby>来月<rp>(</rp><rt>らいげつ</rt><rp>)</rp></ruby>から<ruby>新<rt>あたら</rt></ruby>しい<ruby>建物<rt>たてもの</rt></ruby>に<ruby>移<rt>うつ</rt></ruby>ります。</p>
<p><ruby>本<rt>ほん</rt></ruby>の<ruby>数<rt>かず</rt></ruby>は<ruby>今<rt>いま</rt></ruby>の<ruby>二倍<rt>にばい</rt></ruby>になって、<ruby>子<rt>こ</rt></ruby>どもが<ruby>遊<rt>あそ</rt></ruby>べる<ruby>部屋<rt>へや</rt></ruby>もできます。</p>
<p><ruby>夜<rt>よる</rt></ruby>は９<ruby>時<rt>じ</rt></ruby>まで<ruby>開<rt>あ</rt></ruby>いていて、<ruby>仕事<rt>しごと</rt></ruby>の<ruby>帰<rt>かえ</rt></ruby>りにも<ruby>本<rt>ほん</rt></ruby>を<ruby>借<rt>か</rt></ruby>りることができるようになります。<ruby>市<rt>し</rt></ruby>は、<ruby>多<rt>おお</rt></ruby>くの<ruby>人<rt>ひと</rt></ruby>に<ruby>来<rt>き</rt></ruby>てほしいと<ruby>話<rt>はな</rt></ruby>しています。</p>
</div>
</article></main></body></html>`
	a, err := FromHTML(strings.NewReader(page), "https://news.example.jp/easy/1.html")
	if err != nil {
		t.Fatal(err)
	}
	var text []string
	for _, b := range a.Blocks {
		text = append(text, blockText(b))
	}
	got := strings.Join(text, "\n")
	const want = "市の図書館が来月から新しい建物に移ります。\n" +
		"本の数は今の二倍になって、子どもが遊べる部屋もできます。\n" +
		"夜は９時まで開いていて、仕事の帰りにも本を借りることができるようになります。市は、多くの人に来てほしいと話しています。"
	if got != want {
		t.Errorf("body = %q, want %q", got, want)
	}
}

// TestExtractRelatedTail checks that the body ends where a heading that
// opens the related links starts, also when the heading ends in an
// exclamation mark.
func TestExtractRelatedTail(t *testing.T) {
	para := `<p>Die Werkstatt im Keller ist klein, aber mit etwas Planung passt ein Frästisch samt Absaugung hinein, und die Späne landen nicht mehr auf der Treppe.</p>`
	page := `<html lang="de"><head><title>Frästisch im Keller</title></head><body><main><article><h1>Frästisch im Keller</h1>
` + strings.Repeat(para+"\n", 6) + `<h3>Lesen Sie auch!</h3>
<p>06. Aug 2020 // Tipps</p>
<p>Eine Hobelbank aus Resten bauen, die auch nach Jahren noch gerade steht und nicht wackelt.</p>
<p>18. Feb 2021 // Sonstiges</p>
<p>Warum sich ein zweiter Satz Stemmeisen für grobe Arbeiten lohnt und wie man ihn schärft.</p>
</article></main></body></html>`
	a, err := FromHTML(strings.NewReader(page), "https://magazin.example.de/tipps/fraestisch")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range a.Blocks {
		if s := blockText(b); strings.Contains(s, "Lesen Sie") || strings.Contains(s, "Hobelbank") {
			t.Errorf("body keeps the related links: %q", s)
		}
	}
	if len(a.Blocks) != 6 {
		t.Errorf("body has %d blocks, want the 6 paragraphs: %+v", len(a.Blocks), a.Blocks)
	}
}

// TestExtractRelatedInset: a related block set inside the article, with
// the article going on after it, is dropped and the prose after it kept;
// at the article's end it still ends the body.
func TestExtractRelatedInset(t *testing.T) {
	paras := []string{
		"The council approved the harbour plan on Tuesday after a long debate that lasted well into the night and ended with a narrow vote.",
		"The mayor said the vote would be remembered as the moment the town chose its future over its past, and thanked the residents who came.",
		"Work on the new quay is due to start in the spring and should take about two years to finish, according to the council's own schedule.",
		"Opponents said the cost had doubled since the plan was first put forward and asked for an independent review of the figures.",
		"The harbour board will publish the full plan on its website next week, with a map of the new quay and the stages of the work.",
		"Residents can send their comments to the council until the end of next month, and a public meeting will be held in the town hall.",
	}
	related := `<h3>Related</h3><ul><li><a href="/news/storm-warning">Storm warning issued for the coast</a></li><li><a href="/news/ferry-times">New ferry times from May</a></li></ul>`
	page := func(at int) string {
		var b strings.Builder
		b.WriteString(`<html><head><title>Harbour plan approved</title></head><body><main><article><h1>Harbour plan approved</h1>`)
		for i, p := range paras {
			if i == at {
				b.WriteString(related)
			}
			b.WriteString("<p>" + p + "</p>\n")
		}
		if at == len(paras) {
			b.WriteString(related)
		}
		b.WriteString(`</article></main></body></html>`)
		return b.String()
	}
	for _, at := range []int{4, len(paras)} {
		_, texts := bodyTexts(t, page(at), "https://news.example.com/news/harbour-plan")
		if !slices.Equal(texts, paras) {
			t.Errorf("related block before paragraph %d: body = %q, want the %d paragraphs", at, texts, len(paras))
		}
	}
}

// TestExtractAuthorBox checks that the body ends where the box about the
// article's author starts, also when the bio under its heading is prose
// and the author is not named in the page's metadata.
func TestExtractAuthorBox(t *testing.T) {
	paras := []string{
		"Regular walks of half an hour a day lowered the symptoms of mild depression about as much as counselling did, the review of ninety trials found.",
		"The effect was largest in people who had not exercised before, and it held for walking, cycling, yoga and strength training alike.",
		"The authors caution that the trials were short and that few followed the volunteers for more than a year after the programme ended.",
		"They also note that people who drop out of exercise programmes are seldom counted, which may make the benefit look larger than it is.",
		"Doctors should still offer the usual treatments, the review says, but exercise is a cheap addition that most patients can start at once.",
	}
	var b strings.Builder
	b.WriteString(`<html><head><title>Walking eases low mood</title></head><body><main><article><h1>Walking eases low mood</h1>`)
	for _, p := range paras {
		b.WriteString("<p>" + p + "</p>\n")
	}
	b.WriteString(`<h3>About the Author</h3>
<p>Executive Editor, Women's Health Letter</p>
<p>She has written about medicine and public health for twenty years, and before that she worked as a nurse in a children's hospital.</p>
<p><a href="/staff/">See the editorial team</a></p>
</article></main></body></html>`)
	_, texts := bodyTexts(t, b.String(), "https://health.example.org/mood/walking-eases-low-mood")
	if !slices.Equal(texts, paras) {
		t.Errorf("body = %q, want the %d paragraphs", texts, len(paras))
	}
}

// TestExtractRelatedTailPhrases checks headings that open the list of
// other stories in longer words than "Related": the body ends there, teasers
// ending in full stops and all.
func TestExtractRelatedTailPhrases(t *testing.T) {
	paras := []string{
		"An online degree costs less than a campus one in most states, but the gap has narrowed as public universities raised their online fees.",
		"Students who work full time often choose programmes with start dates every eight weeks, so that a busy term can be skipped without penalty.",
		"Accreditation matters more than the school's name: employers and other universities check it before they accept a degree or its credits.",
		"Ask each school how many of its online students finish within six years, and how much they borrowed, before you apply to any of them.",
		"Financial aid works the same way for online students as for those on campus, as long as the programme is accredited and you enrol at least half time.",
	}
	for _, heading := range []string{"Related articles that may interest you", "More Articles You Might Enjoy", "Recommended reading", "Previous article"} {
		var b strings.Builder
		b.WriteString(`<html><head><title>How to choose an online degree</title></head><body><main><article><h1>How to choose an online degree</h1>`)
		for _, p := range paras {
			b.WriteString("<p>" + p + "</p>\n")
		}
		b.WriteString(`<h2>` + heading + `</h2>
<h3><a href="/degrees/low-gpa">Getting into a programme with a low grade average</a></h3>
<p>A low average need not end your plans: many schools weigh work experience and test scores as well.</p>
<h3><a href="/degrees/fast-track">The fastest online degrees</a></h3>
<p>Some programmes let you finish in a year by taking courses back to back through the summer.</p>
</article></main></body></html>`)
		_, texts := bodyTexts(t, b.String(), "https://colleges.example.org/degrees/choosing-online")
		if !slices.Equal(texts, paras) {
			t.Errorf("%q: body = %q, want the %d paragraphs", heading, texts, len(paras))
		}
	}
}

// TestExtractTeaserRun checks that a short article followed by a long run
// of dated teasers under "Also in the news" ends at that heading, though
// the teasers hold more text than the article, and that the same heading
// over the article's own prose ends nothing.
func TestExtractTeaserRun(t *testing.T) {
	paras := []string{
		"The cultural institute has opened enrolment for its new Spanish courses, which are open to adults and to students over sixteen.",
		"Enrolment runs until the sixth of January, and classes begin the following Monday in the institute's rooms on the harbour road.",
		"Courses run for twelve weeks at three levels, and those who finish them receive a certificate recognised by the ministry of education.",
	}
	teaser := `<div class="card"><img src="/img/%d.jpg" alt="">
<p><a href="/category/front-page">Front Page</a></p>
<p>December 19, 2025</p>
<p>THE CHARITY continued its long tradition of outreach with the distribution of hampers to families in need across the island on Tuesday...</p></div>
`
	var b strings.Builder
	b.WriteString(`<html><head><title>Enrolment open for Spanish classes</title></head><body><main><article><h1>Enrolment open for Spanish classes</h1>`)
	for _, p := range paras {
		b.WriteString("<p>" + p + "</p>\n")
	}
	b.WriteString("<h3>Also in the news</h3>\n")
	for i := range 6 {
		b.WriteString(fmt.Sprintf(teaser, i))
	}
	b.WriteString(`</article></main></body></html>`)
	a, err := FromHTML(strings.NewReader(b.String()), "https://news.example.com/press-release/2025/12/19/spanish-classes")
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, bl := range a.Blocks {
		if bl.Kind != Image {
			texts = append(texts, blockText(bl))
		}
	}
	if !slices.Equal(texts, paras) {
		t.Errorf("body = %q, want the %d paragraphs", texts, len(paras))
	}

	// The same heading over prose with no dated teasers is the article's.
	page := strings.Replace(b.String(), "<h3>Also in the news</h3>", "<h3>Also in the news</h3><p>"+strings.Join(paras, "</p><p>")+"</p>", 1)
	page = strings.ReplaceAll(page, "<p>December 19, 2025</p>", "")
	a, err = FromHTML(strings.NewReader(page), "https://news.example.com/press-release/2025/12/19/spanish-classes")
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Text(); !strings.Contains(got, "hampers") {
		t.Errorf("body without dated teasers lost the text under the heading: %q", got)
	}
}

// TestExtractSignedBio checks that an author box which opens with a line
// signing the article ("By Northwind") ends the body, also when the author
// has a one-word name.
func TestExtractSignedBio(t *testing.T) {
	paras := []string{
		"Sharding splits a ledger's state across groups of validators, so that each group checks only part of the transactions and the network as a whole goes faster.",
		"Layer-two channels move small payments off the main chain altogether and settle only the final balance, which cuts both fees and waiting times for users.",
		"Caching the results of frequent queries at the edge of the network spares the nodes a good deal of repeated work during busy hours of the day.",
		"Each of these methods has costs, and a team should measure its own traffic before it chooses one, since the gains depend on how the chain is used.",
		"Security reviews matter more after such changes, because every new component is one more place where an attacker may find a way in.",
	}
	var b strings.Builder
	b.WriteString(`<html><head><title>Ways to speed up a blockchain</title><meta name="author" content="Northwind"></head><body><main><article><h1>Ways to speed up a blockchain</h1>`)
	for _, p := range paras {
		b.WriteString("<p>" + p + "</p>\n")
	}
	b.WriteString(`<h4>By Northwind</h4>
<p>Northwind is an international technology company specialised in outsourcing services in the latest technologies, with offices in three countries.</p>
</article></main></body></html>`)
	_, texts := bodyTexts(t, b.String(), "https://www.example.com/blog/speed-up-blockchain")
	if !slices.Equal(texts, paras) {
		t.Errorf("body = %q, want the %d paragraphs", texts, len(paras))
	}
}

// TestExtractTwoBios checks that an opinion piece by two authors, which
// ends with a line about each, ends before the first of them.
func TestExtractTwoBios(t *testing.T) {
	paras := []string{
		"Meditation is no longer a fringe practice: one adult in six has tried it, and hospitals now offer classes to patients with chronic pain.",
		"Studies that scan the brain before and after eight weeks of practice find changes in the regions that govern attention and the response to stress.",
		"The effects are modest and not every trial finds them, but the practice is cheap, safe and open to almost anyone who can sit still for ten minutes.",
		"On this day set aside for it, pause, silence your devices and take a few deep breaths; a few minutes of stillness can change how you meet the world.",
	}
	var b strings.Builder
	b.WriteString(`<html><head><title>Why meditation matters</title><meta name="author" content="Maria Lopez, Daniel Okafor"></head><body><main><article><h1>Why meditation matters</h1>`)
	for _, p := range paras {
		b.WriteString("<p>" + p + "</p>\n")
	}
	b.WriteString(`<p><em>Maria Lopez is adjunct faculty at a medical school and a physician based in Memphis.</em></p>
<p><em>Daniel Okafor is an associate professor of radiology.</em></p>
</article></main></body></html>`)
	a, texts := bodyTexts(t, b.String(), "https://news.example.com/opinion/2025/12/19/why-meditation-matters")
	if !slices.Equal(texts, paras) {
		t.Errorf("authors %q: body = %q, want the %d paragraphs", a.Authors, texts, len(paras))
	}
}

// TestExtractUnlabelledTeasers checks that dated teasers with excerpts cut
// short end the body at the first teaser's headline when no label stands
// over them, and that a timeline of dated entries closing an article,
// whose entries are whole, stays.
func TestExtractUnlabelledTeasers(t *testing.T) {
	paras := []string{
		"Set the top edge of the screen at eye level, so that your head stays upright and your neck does not bend forward through the working day.",
		"Keep the monitor about an arm's length away: close enough to read without leaning in, far enough that your eyes do not tire by the afternoon.",
		"Raise a laptop on a stand and use a separate keyboard and mouse, because a laptop on the desk forces either your neck or your wrists to bend.",
		"Check the set-up again after a week, since small aches in the shoulders or the lower back usually show where something is still too high or too low.",
		"Move every half an hour even with a perfect desk, because no position is good for the body when it is held for hours without a break.",
		"Light matters too: put the screen at a right angle to the window, so that neither glare on the glass nor the bright sky behind it strains your eyes.",
		"Finally, keep what you use most within reach of a bent arm, and the rest further off, so that you stand up now and then to fetch it.",
	}
	body := func(tail string) string {
		var b strings.Builder
		b.WriteString(`<html><head><title>How to set up your desk</title></head><body><main><article><h1>How to set up your desk</h1>`)
		for _, p := range paras {
			b.WriteString("<p>" + p + "</p>\n")
		}
		b.WriteString(tail + `</article></main></body></html>`)
		return b.String()
	}
	teasers := `<h3><a href="/blogs/news/recap">Another year behind us: a recap</a></h3><p>They say the older you get, the faster time seems to pass, and this year we can only agree with that. Today, as we prepare for new challenges, we take one la...</p><p>Dec 28, 2025</p>
<h3><a href="/blogs/news/rented-office">A home office in a rented flat</a></h3><p>In your own house you can paint the ceiling or move a wall, but when you are renting, hammering a single nail could cost...</p><p>Oct 17, 2025</p>
<h3><a href="/blogs/news/standing">How to stand at your desk</a></h3><p>Is standing at a desk some kind of complicated philosophy? At first glance it seems simple, yet working while standing can also cause i...</p><p>Sep 18, 2025</p>
`
	_, texts := bodyTexts(t, body(teasers), "https://shop.example.com/blogs/news/desk-setup")
	if !slices.Equal(texts, paras) {
		t.Errorf("body = %q, want the %d paragraphs", texts, len(paras))
	}

	timeline := `<h2>How the rules changed</h2><p>March 3, 2020</p><p>The first guidance on home working asked employers to check every employee's desk within a month.</p>
<p>June 1, 2021</p><p>The guidance was extended to people who work from home for only part of the week.</p>
<p>January 9, 2023</p><p>Employers were told to pay for a chair and a monitor stand when an employee asks for them.</p>
`
	a, _ := bodyTexts(t, body(timeline), "https://shop.example.com/blogs/news/desk-setup")
	if got := a.Text(); !strings.Contains(got, "chair and a monitor stand") || !strings.Contains(got, "How the rules changed") {
		t.Errorf("body lost the timeline that closes the article: %q", got)
	}
}

// TestCaptionBesideImage checks that a caption set as the sibling of its
// figure stays whatever the size of the wrapper around them (a pull
// quote or promo put in it on some requests made it too big to count as
// the picture's own), and that a caption with no picture beside it or
// around it still goes.
func TestCaptionBesideImage(t *testing.T) {
	long := strings.Repeat("The jars keep their own moisture and need no water for weeks, which is why they suit a dark shelf. ", 7)
	step := `<div class="step"><div class="content"><p>` + long + `</p></div>` +
		`<figure class="thumb"><img src="https://cdn.example.com/jars.jpg" alt="Glass jars on a shelf"></figure>` +
		`<figcaption class="small caption">Glass jars on a shelf (A. Writer)</figcaption></div>`
	lone := `<div class="media"><p class="caption">Media caption The mayor speaks at the opening</p></div>`
	page := `<html><head><title>How to keep a jar garden</title></head><body><article><h1>How to keep a jar garden</h1>` +
		storyParas(3) + step + lone + storyParas(2) + `</article></body></html>`
	a, err := FromHTML(strings.NewReader(page), "https://news.example.com/jar-garden")
	if err != nil {
		t.Fatal(err)
	}
	md := string(a.Markdown())
	if !strings.Contains(md, "Glass jars on a shelf (A. Writer)") {
		t.Errorf("the caption beside its figure is gone:\n%s", md)
	}
	if strings.Contains(md, "The mayor speaks") {
		t.Errorf("the caption without a picture stays:\n%s", md)
	}
}

// TestHeadlineRunsInsideTheArticle checks that a block of the site's
// other stories set between the article's paragraphs as bare linked
// headlines leaves the body, with its label when it has one, while a run
// of links to other sites (the article's sources), a lone linked line and
// the prose stay.
func TestHeadlineRunsInsideTheArticle(t *testing.T) {
	para := func(t string) Block { return Block{Kind: Paragraph, Spans: []Span{{Text: t}}} }
	link := func(t, href string) Block { return Block{Kind: Paragraph, Spans: []Span{{Text: t, Link: href}}} }
	prose := para("Council officials said on Tuesday that the ferry fares would rise in the spring.")
	hosts := []string{"news.example.com"}
	run := []Block{
		link("Harbour council delays the vote on the ferry budget", "https://news.example.com/story/harbour-4380684.html"),
		link("Rail strike ends after talks at the station", "https://news.example.com/2026/12/rail-3560952.html"),
	}
	sources := []Block{
		link("The statistics office's annual ferry report", "https://stats.example.org/report-2025"),
		link("Minutes of the port authority's last meeting", "https://port.example.net/minutes"),
	}
	lone := link("Read the whole new ferry timetable here", "https://news.example.com/story/ferry-timetable.html")
	for _, label := range []*Block{nil, {Kind: Paragraph, Spans: []Span{{Text: "Read more"}}}} {
		var in []Block
		in = append(in, prose)
		if label != nil {
			in = append(in, *label)
		}
		in = append(in, run...)
		in = append(in, prose)
		in = append(in, sources...)
		in = append(in, prose, lone, prose)
		if label != nil {
			in = append(in, *label, run[0], prose) // one headline left under the label
		}
		want := append(append([]Block{prose, prose}, sources...), prose, lone, prose)
		if label != nil {
			want = append(want, prose)
		}
		if diff := cmp.Diff(want, dropHeadlineRuns(in, hosts)); diff != "" {
			t.Errorf("label %v: dropHeadlineRuns (-want +got):\n%s", label != nil, diff)
		}
	}
}

// TestExtractDropsCommentSection: a comment section set after the
// article's last paragraph, under a heading with its count, is readers'
// words and goes; a section on comments in code, under a bare
// "Comments" heading, is the article's and stays.
func TestExtractDropsCommentSection(t *testing.T) {
	body := `<p>The council approved the harbour plan on Tuesday after a long debate that lasted well into the night.</p>
<p>The mayor said the vote would be remembered as the moment the town chose its future over its past.</p>
<p>Work on the new quay is to begin in the spring, and the first ferries could berth there within two years.</p>
<p>Opponents of the plan said they would ask the regional court to review the decision before the summer.</p>
<p>The harbour master said the new berths would be tested over the summer, before the first ferries arrive.</p>`
	for _, tt := range []struct {
		heading string
		dropped bool
	}{
		{"Comments (12)", true},
		{"12 comments", true},
		{"Leave a reply", true},
		{"Join the conversation", true},
		{"Kommentare (3)", true},
		{"Comments", false},
	} {
		page := `<html><head><title>Harbour plan</title></head><body><article><h1>Harbour plan</h1>` + body +
			`<section class="css-9f2a1c"><h3>` + tt.heading + `</h3><p><b>reader1</b> I have waited years for this, and the quay will change the town for good.</p>` +
			`<p><b>reader2</b> Nobody asked the fishermen what they think of the new berths on the quay.</p></section></article></body></html>`
		md := extractMarkdown(t, []byte(page))
		if !strings.Contains(md, "The harbour master said") {
			t.Fatalf("%q: the article lost its end:\n%s", tt.heading, md)
		}
		if got := strings.Contains(md, "Nobody asked the fishermen"); got == tt.dropped {
			t.Errorf("%q: comments kept = %v, want %v:\n%s", tt.heading, got, !tt.dropped, md)
		}
	}
}

// TestExtractDropsConsentNoticeWithoutRole: a consent notice set inside
// the article with neither a role nor a telling class (a hashed one) goes
// by its words and its button; a paragraph of the article about cookies,
// with no button to agree, stays.
func TestExtractDropsConsentNoticeWithoutRole(t *testing.T) {
	page := `<html><head><title>Harbour plan</title></head><body><article><h1>Harbour plan</h1>
<p>The council approved the harbour plan on Tuesday after a long debate that lasted well into the night.</p>
<div class="x77a1"><p>We use cookies to show this video. Manage your cookie settings to see it.</p><button>Accept all</button> <button>Settings</button></div>
<p>The mayor said the vote would be remembered as the moment the town chose its future over its past.</p>
<p>The council's own website, which says we use cookies to count visitors, will publish the plan in full.</p>
<p>Work on the new quay is to begin in the spring, and the first ferries could berth there within two years.</p>
</article></body></html>`
	md := extractMarkdown(t, []byte(page))
	if strings.Contains(md, "show this video") {
		t.Errorf("the consent notice stays:\n%s", md)
	}
	if !strings.Contains(md, "we use cookies to count visitors") || !strings.Contains(md, "The mayor said") {
		t.Errorf("article text is lost:\n%s", md)
	}
}

// TestOverlayTexts: the texts go-trafilatura's reading is filtered by are
// those of dialogs and of consent notices set with no role.
func TestOverlayTexts(t *testing.T) {
	root, err := html.Parse(strings.NewReader(`<body><div role="dialog"><p>Your choices matter to us.</p></div>` +
		`<div class="q1"><p>This site uses cookies to remember your settings.</p><button>OK</button></div>` +
		`<div class="q2"><p>Subscribe to the morning letter.</p><button>Continue</button></div><p>The council approved the plan.</p></body>`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{foldText("Your choices matter to us."), foldText("This site uses cookies to remember your settings.")}
	if diff := cmp.Diff(want, overlayTexts(root)); diff != "" {
		t.Errorf("overlayTexts (-want +got):\n%s", diff)
	}
}
