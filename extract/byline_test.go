package extract

import (
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestNameLike(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"Jane Smith", true},
		{"The Investopedia Team", true},
		{"A. J. Neal", true},
		{"Anya von Bremzen", true},
		{"Eliz", true},
		{"王小明", true},
		{"Name *", false},
		{"you agree to our Terms", false},
		{"Full Bio", false},
		{"View all posts", false},
		{"Jiobal says", false},
		{"integrating", false},
		{"Fact checked by Yarilet Perez", false},
		{"Sat", false},
		{"CEO of CaseBasix", false},
		{"AI Specialist", false},
		{"Personal finance", false},
		{"The Currency editors", true},
		{"Maria de la Cruz", true},
	}
	for _, tt := range tests {
		if got := nameLike(tt.name); got != tt.want {
			t.Errorf("nameLike(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestAuthorsFromPage runs the whole byline choice on pages.
func TestAuthorsFromPage(t *testing.T) {
	para := `<p>The council voted on Tuesday to back the harbour plan after a long debate in the chamber.</p>`
	tests := []struct{ name, head, body, want string }{
		{"json-ld author by reference",
			`<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"Article","headline":"Harbour plan","author":{"@id":"https://x.example/#/schema/person/1"}},{"@type":"Person","@id":"https://x.example/#/schema/person/1","name":"Nirmala Patel"}]}</script>`,
			`<h1>Harbour plan</h1>` + para, "Nirmala Patel"},
		{"card label",
			`<meta name="twitter:label1" content="Written by"><meta name="twitter:data1" content="Chase Bernard"><meta name="twitter:label2" content="Est. reading time"><meta name="twitter:data2" content="4 minutes">`,
			`<h1>Harbour plan</h1>` + para, "Chase Bernard"},
		{"form label is no byline",
			`<meta property="og:site_name" content="Daily Example">`,
			`<h1>Harbour plan</h1>` + para + `<form class="comment-form"><label for="author">Name *</label><input id="author"></form><p>By Jane Smith</p>`, "Jane Smith"},
		{"the publisher signs its post",
			`<meta property="og:site_name" content="Help Net Security"><script type="application/ld+json">{"@type":"BlogPosting","headline":"Harbour plan","author":{"@type":"Organization","name":"Help Net Security"}}</script>`,
			`<h1>Harbour plan</h1>` + para, "Help Net Security"},
		{"label in its own element",
			``,
			`<h1>Harbour plan</h1><div class="meta"><p>Written by</p><p>Edzel Tabing</p></div>` + para, "Edzel Tabing"},
		{"posted by a link",
			``,
			`<h1>Harbour plan</h1><span class="story-byline">Posted by <a href="https://social.example/u/beau">BeauHD</a></span>` + para, "BeauHD"},
		{"a team signs in a meta tag",
			`<meta name="author" content="Great Day Editorial Team">`,
			`<h1>Harbour plan</h1>` + para, "Great Day Editorial Team"},
		{"a team signs under the headline",
			``,
			`<h1>Harbour plan</h1><ul class="article__meta"><li>by <a href="#">Marketing Team</a></li></ul>` + para, "Marketing Team"},
		{"job title beside the name",
			``,
			`<h1>Harbour plan</h1><div class="author-box">Mayank Gupta, CEO of Harbour Consulting</div>` + para, "Mayank Gupta"},
		{"double-escaped meta author",
			`<meta name="author" content="Maria &amp;amp; Katerina">`,
			`<h1>Harbour plan</h1>` + para, "Maria, Katerina"},
		{"a byline label in a menu is no byline",
			``,
			`<header><div class="dropdown-menu top-full"><p>BY USE CASE</p><a href="/a">Analytics</a></div></header><h1>Harbour plan</h1><p>By Jane Smith</p>` + para, "Jane Smith"},
		{"a job title after the name",
			``,
			`<h1>Harbour plan</h1><div class="article-author">By Keith Barry Senior Autos Reporter</div>` + para, "Keith Barry"},
		{"the field of a job title",
			``,
			`<h1>Harbour plan</h1><div class="authors-data">Zackery Cuevas Writer, Hardware</div>` + para, "Zackery Cuevas"},
		{"a page hidden while it loads",
			``,
			`<div class="root hide"><h1>Harbour plan</h1><div class="post-author">Christian Winter</div>` + para + `</div>`, "Christian Winter"},
		{"a tag in the author's meta line is no name",
			``,
			`<h1>Harbour plan</h1><div class="author-meta"><a class="tag" href="/t/pf">Personal finance</a> January 27, 2025</div>` + para, ""},
		{"written by, then the name in a link",
			``,
			`<h1>Harbour plan</h1>` + para + `<p class="note">Written by <a href="https://people.example/jg">Paula Gomes</a></p>`, "Paula Gomes"},
		{"a link to the author's page",
			``,
			`<h1>Harbour plan</h1><div class="meta"><a href="/blog/authors/emil-okafor" aria-label="Emil Okafor"><span class="max-md:hidden">Emil Okafor</span></a></div>` + para +
				`<ul class="related"><li><a href="/blog/authors/dara-ng">Dara Ng</a></li><li><a href="/blog/authors/li-wei">Li Wei</a></li></ul>`, "Emil Okafor"},
		{"two links to authors' pages side by side",
			``,
			`<h1>Harbour plan</h1><p class="meta">By <a href="/author/ann-lee">Ann Lee</a> and <a href="/author/bo-chan">Bo Chan</a></p>` + para, "Ann Lee, Bo Chan"},
		{"a person beats the publisher",
			`<meta property="og:site_name" content="Daily Example"><meta name="author" content="Daily Example">`,
			`<h1>Harbour plan</h1><p class="byline">By Jane Smith</p>` + para, "Jane Smith"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := FromHTML(strings.NewReader(`<html><head>`+tt.head+`</head><body>`+tt.body+`</body></html>`), "https://news.example.com/harbour")
			if err != nil {
				t.Fatal(err)
			}
			if a.Byline != tt.want {
				t.Errorf("Byline = %q, want %q", a.Byline, tt.want)
			}
		})
	}
}

func TestWholeName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"By the Lavazza Team", "the Lavazza Team"},
		{"Staff", "Staff"},
		{"News Desk", "News Desk"},
		{"@dailyexample", ""},
		{"https://example.com/author/jane", ""},
		{"Updated 12 May 2025", ""},
		{"one two three four five six", ""},
	}
	for _, tt := range tests {
		if got := wholeName(tt.in); got != tt.want {
			t.Errorf("wholeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestVisibleBylineCandidates: the markup paths that give visible byline
// candidates, each on its own.
func TestVisibleBylineCandidates(t *testing.T) {
	para := `<p>The council voted on Tuesday to back the harbour plan after a long debate in the chamber.</p>`
	tests := []struct{ name, body, want string }{
		{"by, with the name in a link", `<h1>Harbour plan</h1>` + para + `<p>Written by <a href="https://people.example/pg">Paula Gomes</a></p>`, "Written by Paula Gomes"},
		{"the first link to an author's page and its neighbours",
			`<h1>Harbour plan</h1><div><a href="/blog/authors/emil-okafor" aria-label="Emil Okafor"><img src="e.jpg"></a> <a href="/blog/authors/ann-lee">Ann Lee</a></div>` + para +
				`<ul class="related"><li><a href="/blog/authors/dara-ng">Dara Ng</a></li></ul>`, "Emil Okafor, Ann Lee"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(`<html><head></head><body>` + tt.body + `</body></html>`))
			if err != nil {
				t.Fatal(err)
			}
			got := visibleByline(doc)
			if !slices.Contains(got, tt.want) {
				t.Errorf("visibleByline = %q, want it to hold %q", got, tt.want)
			}
		})
	}
}
