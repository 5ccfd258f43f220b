package extract

import (
	"fmt"
	"strings"
	"testing"
)

// listingPage is a section page: a grid of teaser cards, each a headline
// link and a one-line summary.
func listingPage(head string) string {
	var b strings.Builder
	b.WriteString(`<html><head><title>World news</title>` + head + `</head><body><nav><a href="/">Home</a></nav><main><h1>World</h1><div class="grid">`)
	for i := range 12 {
		fmt.Fprintf(&b, `<div class="card"><img src="/i/%d.jpg" alt=""><h3><a href="/world/story-%d">Ministers meet again to discuss the plan for the region, number %d</a></h3><p>A short summary of the story.</p></div>`, i, i, i)
	}
	b.WriteString(`</div></main></body></html>`)
	return b.String()
}

func TestGateNotArticle(t *testing.T) {
	var prose strings.Builder
	for range 6 {
		prose.WriteString("<p>The minister said on Tuesday that the plan would be discussed again next week, after a long meeting in the capital that ended without an agreement between the parties.</p>")
	}
	article := `<html><head><title>Ministers fail to agree</title></head><body><article><h1>Ministers fail to agree</h1>` + prose.String() + `</article></body></html>`
	tests := []struct {
		name, page, url, want string
	}{
		{"section page of teaser cards", listingPage(""), "https://news.example.com/world/", GateNotArticle},
		{"home page", `<html><head><title>News</title></head><body><main><h2><a href="/a">One story headline here today</a></h2><p>Short teaser.</p></main></body></html>`, "https://news.example.com/", GateNotArticle},
		{"article", article, "https://news.example.com/world/ministers-fail-to-agree", ""},
		{"listing the page marks as an article", listingPage(`<meta property="og:type" content="article">`), "https://news.example.com/world/", ""},
		{"listing with JSON-LD NewsArticle", listingPage(`<script type="application/ld+json">{"@type":"NewsArticle","headline":"World"}</script>`), "https://news.example.com/world/", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := FromHTML(strings.NewReader(tt.page), tt.url)
			if err != nil {
				t.Fatalf("FromHTML: %v", err)
			}
			if a.Gate != tt.want {
				t.Errorf("FromHTML(%s).Gate = %q, want %q", tt.name, a.Gate, tt.want)
			}
		})
	}
}
