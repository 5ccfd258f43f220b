package extract

import (
	"fmt"
	"strings"
	"testing"
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
