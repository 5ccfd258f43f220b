package extract

import (
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"
)

func TestPickHeadline(t *testing.T) {
	tests := []struct {
		name     string
		h1s      []string
		titles   []string
		stripped []string
		site     string
		want     string
	}{
		{"h1 over an SEO title", []string{"Best Residential Movers in NYC 2025"}, []string{"Best Movers NYC 2025 | Top 19 Companies"}, nil, "", "Best Residential Movers in NYC 2025"},
		{"h1 without the site suffix", []string{"Council backs harbour plan"}, []string{"Council backs harbour plan | Daily Example"}, nil, "Daily Example", "Council backs harbour plan"},
		{"logo h1 is not the headline", []string{"Daily Example", "Council backs harbour plan"}, []string{"Council backs harbour plan - Daily Example"}, nil, "Daily Example", "Council backs harbour plan"},
		{"unrelated h1", []string{"Form your company today"}, []string{"How to start a bakery in Ohio"}, nil, "", ""},
		{"no metadata title", []string{"Council backs harbour plan"}, nil, nil, "", ""},
		{"best of several h1s", []string{"Latest news", "Harbour plan wins council backing"}, []string{"Council backs harbour plan"}, nil, "", "Harbour plan wins council backing"},
		{"h1 under a kicker and a long site tail",
			[]string{"Der WindRebell"},
			[]string{"SONNENENERGIE: Der WindRebell — Daily Ledger: latest news"},
			[]string{"SONNENENERGIE: Der WindRebell"},
			"Daily Ledger", "Der WindRebell"},
		{"a section's one-word h1 is not a stripped title's headline",
			[]string{"Coupons"},
			[]string{"Residential Electrician Coupons | Blue Collar Electricians"},
			[]string{"Residential Electrician Coupons"},
			"Blue Collar Electricians", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pickHeadline(tt.h1s, tt.titles, tt.stripped, tt.site); got != tt.want {
				t.Errorf("pickHeadline(%q, %q, %q, %q) = %q, want %q", tt.h1s, tt.titles, tt.stripped, tt.site, got, tt.want)
			}
		})
	}
}

func TestStripTitleAffixes(t *testing.T) {
	tests := []struct {
		name, title string
		names       []string
		want        string
	}{
		{"site suffix", "Council backs harbour plan | Daily Example", []string{"Daily Example"}, "Council backs harbour plan"},
		{"author suffix", "'What is the sea telling us?': tribes fear whale strandings | Eleanor Roy", []string{"The Paper", "Eleanor Roy"}, "'What is the sea telling us?': tribes fear whale strandings"},
		{"site prefix", "Daily Example - Council backs harbour plan", []string{"Daily Example"}, "Council backs harbour plan"},
		{"host name", "10 Easy Steps for a Great Kitchen | Tarkett", []string{"tarkett"}, "10 Easy Steps for a Great Kitchen"},
		{"host name run together", "Black Friday deals to explore - Help Net Security", []string{"helpnetsecurity"}, "Black Friday deals to explore"},
		{"site and section", "Harbour plan approved | Politics | Daily Example", []string{"Daily Example", "Politics"}, "Harbour plan approved"},
		{"other segment kept", "Harbour plan approved | Top 19 Companies", []string{"Daily Example"}, "Harbour plan approved | Top 19 Companies"},
		{"colon kept", "Daily Example: the harbour plan", []string{"Daily Example"}, "Daily Example: the harbour plan"},
		{"one word left is kept whole", "Politics | Daily Example", []string{"Daily Example"}, "Politics | Daily Example"},
		// Whatever follows a named segment is furniture too, in any of
		// the separators, so that an A/B-tested tail does not move it.
		{"author then another site", "Harbour plan approved | Politics | Eleanor Roy | The Courier", []string{"Eleanor Roy"}, "Harbour plan approved | Politics"},
		{"author then a tagline", "Harbour plan approved | Eleanor Roy — The Courier: latest news", []string{"Eleanor Roy"}, "Harbour plan approved"},
		{"a name inside a segment is kept", "Harbour plan approved - Eleanor Roy reports | The Courier", []string{"Eleanor Roy"}, "Harbour plan approved - Eleanor Roy reports | The Courier"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := stripTitleAffixes(tt.title, tt.names); got != tt.want {
				t.Errorf("stripTitleAffixes(%q, %q) = %q, want %q", tt.title, tt.names, got, tt.want)
			}
		})
	}
}

func TestUnescapeMeta(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Budget Traveler&#8217;s Guide", "Budget Traveler’s Guide"},
		{"M&#038;A Roundup", "M&A Roundup"},
		{"Tips &amp; Tricks", "Tips & Tricks"},
		{"Salt & Pepper", "Salt & Pepper"},
		{"Plain title", "Plain title"},
	}
	for _, tt := range tests {
		if got := unescapeMeta(tt.in); got != tt.want {
			t.Errorf("unescapeMeta(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHostNames(t *testing.T) {
	tests := []struct {
		url  string
		want []string
	}{
		{"https://www.example.com/a", []string{"example"}},
		{"https://home.tarkett.co.uk/en_GB/node/x", []string{"tarkett"}},
		{"https://news.example.com.au/x", []string{"example"}},
		{"http://localhost/x", nil},
	}
	for _, tt := range tests {
		u, _ := url.Parse(tt.url)
		if diff := cmp.Diff(tt.want, hostNames(u)); diff != "" {
			t.Errorf("hostNames(%s) (-want +got):\n%s", tt.url, diff)
		}
	}
}

// TestHeadlineFromPage runs the whole title choice on pages.
func TestHeadlineFromPage(t *testing.T) {
	body := func(h1 string) string {
		return `<body><header><h1 class="logo">Daily Example</h1></header><article><h1>` + h1 + `</h1><p>The council voted on Tuesday to back the harbour plan after a long debate in the chamber.</p></article></body></html>`
	}
	tests := []struct{ name, head, body, want string }{
		{"og:title with author suffix", `<meta property="og:title" content="Harbour plan is a mistake | Jane Smith"><meta property="og:site_name" content="Daily Example"><meta name="author" content="Jane Smith">`,
			`<body><p>The council voted on Tuesday to back the harbour plan after a long debate in the chamber.</p></body></html>`, "Harbour plan is a mistake"},
		{"escaped twice", `<meta property="og:title" content="Council&amp;#8217;s harbour plan">`, body("Council’s harbour plan"), "Council’s harbour plan"},
		{"an h1 that prints the <title>, site name and all", `<title>Harbour plan approved – Daily Example</title><meta property="og:site_name" content="Daily Example">`,
			body("Harbour plan approved – Daily Example"), "Harbour plan approved"},
		{"an h1 that escapes its ampersand twice", `<title>Harbour plan: tides &amp; ferries | Daily Example</title>`,
			body("Harbour plan: tides &amp;#x26; ferries"), "Harbour plan: tides & ferries"},
		{"a one-word headline beside the site's name", `<meta property="og:title" content="Coffee - University of Example"><meta property="og:site_name" content="University of Example">`,
			body("Coffee"), "Coffee"},
		{"share counts in a block inside the h1", `<meta property="og:title" content="Harbour plan approved after a long debate">`,
			body(`<p class="_cc37">Harbour plan approved after a long debate</p><div class="_4fa2"><span>1529 shares</span> <span>45 minutes ago</span></div>`), "Harbour plan approved after a long debate"},
		{"a headline set in two blocks", `<meta property="og:title" content="Harbour plan approved after a long debate">`,
			body(`<div>Harbour plan approved</div><div>after a long debate</div>`), "Harbour plan approved after a long debate"},
		{"visible headline differs", `<title>Harbour plan 2025: what to know | Daily Example</title>`, body("Everything you need to know about the harbour plan"), "Everything you need to know about the harbour plan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := FromHTML(strings.NewReader(`<html><head>`+tt.head+`</head>`+tt.body), "https://news.example.com/harbour")
			if err != nil {
				t.Fatal(err)
			}
			if a.Title != tt.want {
				t.Errorf("Title = %q, want %q", a.Title, tt.want)
			}
		})
	}
}

func TestLogoH1(t *testing.T) {
	tests := []struct {
		name, html string
		want       bool
	}{
		{"logo class", `<h1 class="topbar__logo__title">Daily Example</h1>`, true},
		{"inside a brand link", `<a class="navbar-brand" href="/"><h1>Daily Example</h1></a>`, true},
		{"link to the home page", `<h1><a href="/">Daily Example</a></h1>`, true},
		{"absolute link to the home page", `<h1><a href="https://news.example.com/">Daily Example</a></h1>`, true},
		{"headline", `<h1 class="article-title">Council backs harbour plan</h1>`, false},
		{"headline linking to itself", `<h1><a href="/2025/harbour-plan">Council backs harbour plan</a></h1>`, false},
		{"link and text", `<h1><a href="/">Daily Example</a>: Council backs harbour plan</h1>`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(`<html><body>` + tt.html + `</body></html>`))
			if err != nil {
				t.Fatal(err)
			}
			if got := logoH1(doc.Find("h1").Nodes[0]); got != tt.want {
				t.Errorf("logoH1(%s) = %v, want %v", tt.html, got, tt.want)
			}
		})
	}
}

// TestHeadlineLineBreak: a headline set on two lines with <br> or block
// elements keeps a space between them.
func TestHeadlineLineBreak(t *testing.T) {
	for _, h1 := range []string{
		`Top programs of 2025<br>Your guide to the best schools`,
		`Top programs of 2025<div>Your guide to the best schools</div>`,
	} {
		page := `<html><head><title>Top programs of 2025 Your guide to the best schools | Example</title></head><body><article><h1>` + h1 + `</h1>` + storyParas(3) + `</article></body></html>`
		a, err := FromHTML(strings.NewReader(page), "https://example.com/guide")
		if err != nil {
			t.Fatal(err)
		}
		if want := "Top programs of 2025 Your guide to the best schools"; a.Title != want {
			t.Errorf("Title = %q, want %q", a.Title, want)
		}
	}
}
