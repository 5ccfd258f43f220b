package extract

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// buyingGuide is a buying guide whose intro and product boxes are
// siblings in one content block, with a rail of recent articles after
// it: the product boxes are the article too.
func buyingGuide(rail string) string {
	var b strings.Builder
	b.WriteString(`<html><head><title>The best appliances of the year</title></head><body><header><a href="/">Reviews</a></header><main><div class="page"><div class="col-12"><div class="content-block">` +
		`<h1>The best appliances of the year</h1><p>Buying a new large appliance can bring on feelings of both excitement and dread, since it is a big purchase that you will live with for a decade or more.</p>` +
		`<p>Every year we test the latest releases in our labs, and here is what topped our lists this year, from dishwashers to ranges and refrigerators.</p>`)
	for i, n := range []string{"dishwasher", "refrigerator", "range", "washer", "dryer"} {
		fmt.Fprintf(&b, `<div class="c-product-widget" id="model-%d-review"><div class="c-product-widget__text"><div class="c-product-widget__label">Best %s</div><div class="c-product-widget__name">Model %d</div>`+
			`<div class="c-product-widget__content"><p>This %s delivers strong performance in every test we ran, and its controls are easy to learn, which makes it the best %s we have tested this year.</p>`+
			`<p>It is also quiet and efficient, with a warranty that covers parts and labour for two years and a service network with technicians ready to come.</p></div>`+
			`<a class="btn" rel="sponsored" href="https://shop.example.com/buy/%d">Buy now</a></div></div>`, i, n, i, n, n, i)
	}
	b.WriteString(`</div>` + rail + `</div></div></main><footer><a href="/about">About</a></footer></body></html>`)
	return b.String()
}

func TestWidenedBody(t *testing.T) {
	intro := []Block{{Kind: Paragraph, Spans: []Span{{Text: "Buying a new large appliance can bring on feelings of both excitement and dread, since it is a big purchase that you will live with for a decade or more."}}}}
	rail := `<div class="rail"><h2>Recent articles</h2>` + strings.Repeat(`<div class="post-item"><h3><a href="/a">How to choose a dishwasher for a small kitchen</a></h3><p>We looked at the narrow models on the market and found three that clean as well as the full-size ones do, for less money.</p></div>`, 16) + `</div>`
	// A rank and a headline link a row, as sites set their most viewed
	// stories.
	var vb strings.Builder
	vb.WriteString(`<table><caption>Most viewed</caption>`)
	for i, h := range []string{"Harbour strike ends after talks", "Council approves the new bridge plan", "Storm warning issued for the coast", "School year starts a week later"} {
		fmt.Fprintf(&vb, `<tr><td>%d</td><td><a href="/news/story-%d">%s</a></td></tr>`, i+1, i, h)
	}
	vb.WriteString(`</table>`)
	viewed := vb.String()
	tests := []struct {
		name, page string
		first      []Block
		want       []string // texts the reading holds
		wantNot    []string // texts it does not
	}{
		{"product boxes beside the intro", buyingGuide(""), intro,
			[]string{"best dishwasher we have tested", "best dryer we have tested", "Every year we test"}, nil},
		{"rail of recent articles after the guide", buyingGuide(rail), intro,
			[]string{"best dryer we have tested"}, []string{"Recent articles", "narrow models"}},
		{"a table of the most viewed stories among the boxes", strings.Replace(buyingGuide(""), `<div class="c-product-widget" id="model-2-review">`, viewed+`<div class="c-product-widget" id="model-2-review">`, 1), intro,
			[]string{"best dryer we have tested"}, []string{"Harbour strike ends", "Most viewed"}},
		{"anchor not on the page", buyingGuide(""), []Block{{Kind: Paragraph, Spans: []Span{{Text: "A paragraph of some other page, long enough to be an anchor for the reading."}}}},
			nil, []string{"best dishwasher"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, err := html.Parse(strings.NewReader(tt.page))
			if err != nil {
				t.Fatal(err)
			}
			got := blocksText(widenedBody(root, tt.first, &walker{}))
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("widenedBody(%s) lacks %q:\n%s", tt.name, w, got)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(got, w) {
					t.Errorf("widenedBody(%s) holds %q:\n%s", tt.name, w, got)
				}
			}
		})
	}
}

// TestFromHTMLReadsTheWidenedBody checks that extraction weighs the
// widened reading: readability alone reads one product box of the guide.
func TestFromHTMLReadsTheWidenedBody(t *testing.T) {
	a, err := FromHTML(strings.NewReader(buyingGuide("")), "https://reviews.example.com/best-appliances")
	if err != nil {
		t.Fatal(err)
	}
	md := string(a.Markdown())
	for _, w := range []string{"Every year we test", "best dishwasher we have tested", "best dryer we have tested"} {
		if !strings.Contains(md, w) {
			t.Errorf("FromHTML(buying guide) lacks %q:\n%s", w, md)
		}
	}
}
