package extract

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestExtractNeverLosesArticle covers pages whose first reading loses the
// article, which another reading finds.
func TestExtractNeverLosesArticle(t *testing.T) {
	var paras strings.Builder
	for i := range 12 {
		fmt.Fprintf(&paras, "<p>Line %d of the essay says one short thing.</p>\n", i)
	}
	tests := []struct{ name, page string }{
		{
			// The container's class names a newsletter, so boilerplate
			// removal drops it whole; its paragraphs are too short to
			// keep it as holding an article.
			"article container with a noise class",
			`<html><head><title>Edge first</title></head><body><div id="main">
<article class="newsletter-post post"><h1>Edge first</h1><div class="body markup">` + paras.String() +
				`</div></article><footer><a href="/about">About</a></footer></div></body></html>`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := FromHTML(strings.NewReader(tt.page), "https://example.com/p/edge")
			if err != nil {
				t.Fatalf("FromHTML: %v", err)
			}
			if got := len(strings.Fields(a.Text())); got < 100 {
				t.Errorf("FromHTML gave %d words, want the whole text:\n%s", got, a.Markdown())
			}
		})
	}
}

func TestChoose(t *testing.T) {
	prose, proseWords := wordBag(strings.Repeat("alpha beta gamma delta epsilon ", 40)) // 200 words
	long := textBlocks(strings.Repeat("alpha beta gamma delta epsilon ", 40))
	half := textBlocks(strings.Repeat("alpha beta gamma delta epsilon ", 10))
	junk := textBlocks(strings.Repeat("menu login share subscribe home ", 60))
	tests := []struct {
		name       string
		cands      []*candidate
		proseWords int
		want       string
	}{
		{"first holds the prose", []*candidate{newCandidate("first", long), newCandidate("other", junk)}, proseWords, "first"},
		{"first misses most prose", []*candidate{newCandidate("first", half), newCandidate("other", long)}, proseWords, "other"},
		{"empty first", []*candidate{newCandidate("first", nil), newCandidate("other", long)}, proseWords, "other"},
		{"other longer but junk", []*candidate{newCandidate("first", half), newCandidate("other", append(half, junk...))}, proseWords, "first"},
		{"other too short to count", []*candidate{newCandidate("first", nil), newCandidate("other", textBlocks("Home"))}, proseWords, "first"},
		{"no prose, other many times longer", []*candidate{newCandidate("first", textBlocks("one two three")), newCandidate("other", long)}, 0, "other"},
		{"no prose, other slightly longer", []*candidate{newCandidate("first", half), newCandidate("other", append(half, textBlocks("a b c d e f g h i j k l")...))}, 0, "first"},
		// Two long readings a few words of furniture apart: the earlier,
		// whichever is longer on this request.
		{"no prose, a later reading a little longer", []*candidate{newCandidate("first", textBlocks("one two three")), newCandidate("raw", long), newCandidate("trafilatura", append(long, textBlocks("a b c d e f g h i j k l")...))}, 0, "raw"},
		{"no prose, a later reading a little shorter", []*candidate{newCandidate("first", textBlocks("one two three")), newCandidate("raw", append(long, textBlocks("a b c d e f g h i j k l")...)), newCandidate("trafilatura", long)}, 0, "raw"},
		// With prose, two later readings that score about as well: the
		// earlier, whichever holds a few more of the prose's words.
		{"prose, a later reading a little better", []*candidate{newCandidate("first", textBlocks("one two three")), newCandidate("raw", textBlocks(strings.Repeat("alpha beta gamma delta epsilon ", 36))), newCandidate("trafilatura", long)}, proseWords, "raw"},
		{"prose, a later reading much better", []*candidate{newCandidate("first", textBlocks("one two three")), newCandidate("raw", half), newCandidate("trafilatura", long)}, proseWords, "trafilatura"},
		{"no prose, a later reading much longer", []*candidate{newCandidate("first", textBlocks("one two three")), newCandidate("raw", half), newCandidate("trafilatura", long)}, 0, "trafilatura"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := prose
			if tt.proseWords == 0 {
				p = nil
			}
			if got := choose(tt.cands, p, tt.proseWords); got.name != tt.want {
				t.Errorf("choose = %s, want %s", got.name, tt.want)
			}
		})
	}
}

// TestTrafilaturaKeepsSpaces checks that the trafilatura reading keeps the
// spaces between a word and the inline element next to it, which
// go-trafilatura trims away, and that no stand-in character is left.
func TestTrafilaturaKeepsSpaces(t *testing.T) {
	var paras strings.Builder
	for i := range 6 {
		fmt.Fprintf(&paras, "<p>Paragraph %d of the post explains how the editor speaks each line that the cursor moves to, and why that mattered.</p>\n", i)
	}
	page := `<html><head><title>Twenty years of a talking editor</title></head><body><main><article>
<h1>Twenty years of a talking editor</h1>` + paras.String() + `
<ol><li>Bind <code>say-line</code> and <code>say-word</code> to the arrow keys &#x2014; the rest follows.</li>
<li>The whole story is in the second edition<br>
of <i>The Talking Desktop</i>, chapter four.</li></ol>
</article></main></body></html>`
	root, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse("https://blog.example.org/2014/talking-editor.html")
	got := blocksText(trafilaturaBody(root, base, &walker{base: base}))
	for _, want := range []string{"Bind say-line and say-word to the arrow keys — the rest", "of The Talking Desktop, chapter four."} {
		if !strings.Contains(got, want) {
			t.Errorf("trafilatura reading lacks %q:\n%s", want, got)
		}
	}
	if strings.ContainsRune(got, edgeSpace) {
		t.Errorf("trafilatura reading keeps the stand-in for spaces:\n%q", got)
	}
}

// TestTrafilaturaDropsOverlays checks that a consent dialog set in the
// article's container, as some requests get it, stays out of the trafilatura
// reading, in each of the ways a page marks an overlay, while the
// article's paragraphs stay.
func TestTrafilaturaDropsOverlays(t *testing.T) {
	var paras strings.Builder
	for i := range 6 {
		fmt.Fprintf(&paras, "<p>Paragraph %d of the report on the orchard says how the growers chose the trees they planted, and what the frost cost them.</p>\n", i)
	}
	for _, overlay := range []string{
		`<div class="x7f3a" role="dialog"><p>We value your privacy. We and our partners store and access information on your device.</p><button>Accept</button></div>`,
		`<div class="x7f3a" role="alertdialog"><p>We value your privacy. We and our partners store and access information on your device.</p></div>`,
		`<div class="x7f3a" aria-modal="true"><p>We value your privacy. We and our partners store and access information on your device.</p></div>`,
		`<dialog open><p>We value your privacy. We and our partners store and access information on your device.</p></dialog>`,
	} {
		page := `<html><head><title>The orchard after the frost</title></head><body><div class="page"><div class="story">
<h1>The orchard after the frost</h1>` + overlay + paras.String() + `</div></div></body></html>`
		root, err := html.Parse(strings.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		base, _ := url.Parse("https://news.example.org/2026/orchard-frost.html")
		got := blocksText(trafilaturaBody(root, base, &walker{base: base}))
		if strings.Contains(got, "partners store") {
			t.Errorf("trafilatura reading keeps the overlay %.40s…:\n%s", overlay, got)
		}
		if !strings.Contains(got, "Paragraph 5 of the report") {
			t.Errorf("trafilatura reading lost the article:\n%s", got)
		}
	}
}

// TestNearReadings checks which other readings [near] offers beside the
// chosen one: a reading of nearly the same prose with a line more, not
// one holding a fraction of it, nor one of the same text, nor any on a
// page with next to no prose.
func TestNearReadings(t *testing.T) {
	var prose []string
	for i := range 8 {
		prose = append(prose, fmt.Sprintf("Paragraph %d tells how the growers of the valley chose the trees they planted and what the frost cost them.", i))
	}
	page := strings.Join(prose, "\n")
	bag, words := wordBag(page)
	best := newCandidate("readability", textBlocks(strings.Join(prose, "\n\n")))
	close := newCandidate("trafilatura", textBlocks(strings.Join(append(slices.Clone(prose), "Support independent reporting from one dollar."), "\n\n")))
	short := newCandidate("raw", textBlocks(prose[0]+"\n\n"+prose[1]))
	same := newCandidate("jsonld", textBlocks(strings.Join(prose, "\n\n")))
	got := near(best, []*candidate{best, close, short, same}, bag, words)
	if len(got) != 1 || blocksText(got[0]) != blocksText(close.blocks) {
		t.Errorf("near = %d readings, want only the one with a line more", len(got))
	}
	// Without prose, choose went by length: the readings about as long
	// are near, a short one is not.
	if got := near(best, []*candidate{best, close, short, same}, map[string]int{"frost": 1}, 1); len(got) != 1 || blocksText(got[0]) != blocksText(close.blocks) {
		t.Errorf("near on a page without prose = %d readings, want only the one about as long", len(got))
	}
}

// TestOtherReadingsDropFurniture checks that the raw and trafilatura
// readings leave out what the first reading leaves out by its label or
// heading: a ranked table of other stories, a comment section and the
// teasers of cards whose linked headings the reading dropped, all set
// inside the article's container, while the article's paragraphs stay.
func TestOtherReadingsDropFurniture(t *testing.T) {
	var paras strings.Builder
	for i := range 6 {
		fmt.Fprintf(&paras, "<p>Paragraph %d of the report on the orchard says how the growers chose the trees they planted, and what the frost cost them.</p>\n", i)
	}
	furniture := map[string]string{
		"table":    `<table><caption>Most viewed</caption><tr><td>1</td><td><a href="/news/ferry-strike-ends">Ferry strike ends after a week of talks</a></td></tr><tr><td>2</td><td><a href="/news/quay-opens">New quay opens to the fishing fleet</a></td></tr><tr><td>3</td><td><a href="/news/budget-vote">Council votes on the harbour budget</a></td></tr></table>`,
		"comments": `<section class="c9x1"><h3>Comments (12)</h3><p><b>reader12</b> The frost was worse up the valley, and nobody came to count the trees there.</p><p><b>grower7</b> We lost half the blossom in one night and the insurers still have not called.</p></section>`,
		"cards":    `<div class="k3f"><div><a href="/news/river-festival"><h4>River festival returns with a night parade</h4></a><p>The parade and the lanterns, in pictures from the quay.</p></div><div><a href="/sport/league-final"><h4>League final goes to extra time again</h4></a><p>The final and the fans, in pictures from the stand.</p></div></div>`,
	}
	for name, f := range furniture {
		t.Run(name, func(t *testing.T) {
			page := `<html><head><title>The orchard after the frost</title></head><body><div class="page"><div class="story">
<h1>The orchard after the frost</h1>` + paras.String() + f + `</div></div></body></html>`
			root, err := html.Parse(strings.NewReader(page))
			if err != nil {
				t.Fatal(err)
			}
			base, _ := url.Parse("https://news.example.org/2026/orchard-frost.html")
			for reading, got := range map[string]string{
				"raw":         blocksText(rawReadability(root, base, &walker{base: base})),
				"trafilatura": blocksText(trafilaturaBody(root, base, &walker{base: base})),
			} {
				for _, junk := range []string{"Ferry strike", "insurers"} {
					if strings.Contains(got, junk) {
						t.Errorf("%s reading keeps %q:\n%s", reading, junk, got)
					}
				}
				// A reading that keeps a card's heading may keep its
				// teaser: the card is whole, as in an article that lists
				// its own parts.
				if strings.Contains(got, "in pictures") != strings.Contains(got, "River festival returns") {
					t.Errorf("%s reading keeps a teaser without its heading, or the reverse:\n%s", reading, got)
				}
				if !strings.Contains(got, "Paragraph 5 of the report") {
					t.Errorf("%s reading lost the article:\n%s", reading, got)
				}
			}
		})
	}
}

// TestWithoutFurniture: a block inside a story list's text goes, a short
// block found inside it by chance stays.
func TestWithoutFurniture(t *testing.T) {
	furniture := []string{foldText("Most read Ferry strike ends after a week of talks New quay opens to the fishing fleet")}
	got := blocksText(withoutFurniture(textBlocks("Ferry strike ends after a week of talks\n\nStrike ends\n\nThe quay was busy."), furniture))
	if strings.Contains(got, "Ferry strike") || !strings.Contains(got, "Strike ends") || !strings.Contains(got, "quay was busy") {
		t.Errorf("withoutFurniture kept or dropped the wrong blocks:\n%s", got)
	}
}

// TestWithoutOrphanTeasers checks that a card's teaser goes only when the
// reading dropped the card's heading.
func TestWithoutOrphanTeasers(t *testing.T) {
	cards := []teaser{{foldText("River festival returns"), foldText("The parade, in pictures.")}}
	orphan := textBlocks("The orchard after the frost.\n\nThe parade, in pictures.")
	if got := blocksText(withoutOrphanTeasers(orphan, cards)); strings.Contains(got, "parade") {
		t.Errorf("the teaser of a dropped heading stayed:\n%s", got)
	}
	// A section of the article under a heading that links to its own
	// anchor is no card.
	root, err := html.Parse(strings.NewReader(`<html><body><div><h2><a href="#costs">The costs</a></h2><p>The frost cost the growers half the harvest.</p></div><div><a href="/news/river"><h4>River festival returns</h4></a><p>The parade, in pictures.</p></div></body></html>`))
	if err != nil {
		t.Fatal(err)
	}
	if got := cardTeasers(root); len(got) != 1 || got[0].heading != foldText("River festival returns") {
		t.Errorf("cardTeasers = %q, want only the card that links elsewhere", got)
	}
	kept := append([]Block{{Kind: Heading, Level: 2, Spans: []Span{{Text: "River festival returns"}}}}, textBlocks("The orchard after the frost.\n\nThe parade, in pictures.")...)
	if got := blocksText(withoutOrphanTeasers(kept, cards)); !strings.Contains(got, "parade") {
		t.Errorf("the teaser of a kept heading went:\n%s", got)
	}
}
