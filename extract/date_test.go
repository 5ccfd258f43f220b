package extract

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestFindDate(t *testing.T) {
	tests := []struct {
		name, in string
		us       bool
		want     string // "" for none
	}{
		{"month day year", "Published on July 18, 2025", true, "2025-07-18"},
		{"abbreviated with dot", "Dec. 19, 2025 · Niko Matsakis", true, "2025-12-19"},
		{"ordinal", "March 3rd, 2020 at 10:00", true, "2020-03-03"},
		{"day month year", "Last updated on 17 December 2025", true, "2025-12-17"},
		{"german", "Veröffentlicht am 17. Dezember 2025", false, "2025-12-17"},
		{"french", "Publié le 3 février 2024", false, "2024-02-03"},
		{"iso", "Posted 2025-07-09 by admin", true, "2025-07-09"},
		{"year month day", "2023 Jan 7", true, "2023-01-07"},
		{"us numeric", "Updated: 10/31/2024", true, "2024-10-31"},
		{"us numeric, month first", "2/4/2026", true, "2026-02-04"},
		{"european numeric", "2/4/2026", false, "2026-04-02"},
		{"dots are day first", "12.11.2025", true, "2025-11-12"},
		{"first of two", "November 3, 2025. Updated: December 7, 2025", true, "2025-11-03"},
		{"no such day", "February 30, 2025", true, ""},
		{"not a month", "Chapter 12, 2025 edition", true, ""},
		{"no date", "By Jane Smith", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := findDate(tt.in, tt.us)
			if s := got.Format(time.DateOnly); !ok && tt.want != "" || ok && s != tt.want {
				t.Errorf("findDate(%q, %v) = %s, %v; want %q", tt.in, tt.us, s, ok, tt.want)
			}
		})
	}
}

func TestURLDate(t *testing.T) {
	tests := []struct{ url, want string }{
		{"https://blog.example.org/2025/12/19/what-people-love", "2025-12-19"},
		{"https://example.com/blog/2025-12-17-mini-engine", "2025-12-17"},
		{"https://example.com/2025/13/40/x", ""},
		{"https://example.com/articles/2025-12-15+Rust+backend", "2025-12-15"},
		{"https://example.com/2025/12/190/x", ""},
		{"https://example.com/p/2025/story", ""},
		{"https://example.com/story?d=2025/12/19/", ""},
		{"https://example.com/blog/2023/october/03/wine-styles/", "2023-10-03"},
		{"https://example.com/blog/2023/Oct/3/wine", "2023-10-03"},
		{"https://example.com/blog/2023/fashion/03/wine", ""},
	}
	for _, tt := range tests {
		u, _ := url.Parse(tt.url)
		got, ok := urlDate(u)
		if s := got.Format(time.DateOnly); !ok && tt.want != "" || ok && s != tt.want {
			t.Errorf("urlDate(%s) = %s, %v; want %q", tt.url, s, ok, tt.want)
		}
	}
}

// TestParseDateLocal: the publisher's own date survives, while the instant
// is the same as parseDate's.
func TestParseDateLocal(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"2020-04-12T21:00:00-04:00", "2020-04-12T21:00:00-04:00"},
		{"2020-04-12T21:00:00Z", "2020-04-12T21:00:00Z"},
		{"2020-04-12", "2020-04-12T00:00:00Z"},
		{"Sun, 12 Apr 2020 21:00:00 -0400", "2020-04-12T21:00:00-04:00"},
		{"2023 Jan 7", "2023-01-07T00:00:00Z"},
		{"13/11/2025 09:21:40", "2025-11-13T00:00:00Z"},
	} {
		got, ok := parseDateLocal(tt.in)
		utc, parsed := parseDate(tt.in)
		if !ok || got.Format(time.RFC3339) != tt.want || parsed && !got.Equal(utc) {
			t.Errorf("parseDateLocal(%q) = %s, %v; want %s (same instant as %s)", tt.in, got.Format(time.RFC3339), ok, tt.want, utc)
		}
	}
}

// TestPublishedFromPage: a structured date wins; else the date printed by
// the headline; else the URL's.
func TestPublishedFromPage(t *testing.T) {
	para := `<p>The council voted on Tuesday to back the harbour plan after a long debate in the chamber.</p>`
	tests := []struct{ name, url, page, want string }{
		{"json-ld over the dateline", "https://news.example.com/harbour",
			`<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2025-03-01T08:00:00+01:00"}</script></head><body><h1>Harbour plan</h1><p>Updated June 2, 2025</p>` + para,
			"2025-03-01T08:00:00+01:00"},
		{"printed date days earlier than the structured one", "https://news.example.com/harbour",
			`<meta property="article:published_time" content="2025-06-24T00:00:00Z"></head><body><h1>Harbour plan</h1><div class="text__date">August 25, 2024</div>` + para,
			"2024-08-25T00:00:00Z"},
		{"a day apart is the zone, not a republication", "https://news.example.com/harbour",
			`<meta property="article:published_time" content="2025-12-19T02:41:41Z"></head><body><h1>Harbour plan</h1><p>December 18, 2025</p>` + para,
			"2025-12-19T02:41:41Z"},
		{"today's date widget", "https://news.example.com/harbour",
			`</head><body><p id="todays-date">Friday, December 19, 2025</p><h1>Harbour plan</h1>` + para,
			""},
		{"dateline under the headline", "https://news.example.com/harbour",
			`</head><body><aside><p>Trending: March 9, 2021</p></aside><article><h1>Harbour plan</h1><div class="meta"><span>By Jane Smith</span> <span>Published on July 18, 2025</span></div>` + para + `</article>`,
			"2025-07-18T00:00:00Z"},
		{"dateline above the headline", "https://news.example.com/harbour",
			`</head><body><article><div><div>Last updated:</div><div>Dec 12, 2025</div></div><h1>Harbour plan</h1>` + para + `</article>`,
			"2025-12-12T00:00:00Z"},
		{"comment dates are not the article's", "https://news.example.com/harbour",
			`</head><body><h1>Harbour plan</h1>` + para + `<div class="comments"><p>December 20, 2025 at 6:20 am</p></div>`,
			""},
		{"date in the URL", "https://blog.example.org/2025/12/19/harbour-plan",
			`</head><body><h1>Harbour plan</h1>` + para,
			"2025-12-19T00:00:00Z"},
		{"date in the canonical URL", "https://mirror.example.net/p/1",
			`<link rel="canonical" href="https://blog.example.org/articles/2025-12-15+harbour-plan"></head><body><h1>Harbour plan</h1>` + para,
			"2025-12-15T00:00:00Z"},
		{"a UTC stamp shown in the page's zone when the URL's date is the day there", "https://blog.example.org/2025/12/18/harbour-plan",
			`<meta property="article:published_time" content="2025-12-19T02:41:41+00:00"></head><body><h1>Harbour plan</h1>` + para + `<div class="comments"><time datetime="2025-12-18T21:46:01-05:00">9:46 pm</time></div>`,
			"2025-12-18T21:41:41-05:00"},
		{"a UTC stamp stays UTC when the URL does not say the local day", "https://news.example.com/harbour",
			`<meta property="article:published_time" content="2026-02-23T00:57:30+00:00"></head><body><h1>Harbour plan</h1>` + para + `<time datetime="2026-02-22T19:57:30-05:00">Feb 22</time>`,
			"2026-02-23T00:57:30Z"},
		{"date in the author box at the end", "https://news.example.com/harbour",
			`</head><body><h1>Harbour plan</h1>` + strings.Repeat(para, 50) + `<div class="author"><p>By Jane Smith</p><p>Jane Smith covers the harbour for Example News.</p><div>April 13, 2023</div></div>`,
			"2023-04-13T00:00:00Z"},
		{"a labelled date far below the headline", "https://news.example.com/harbour",
			`</head><body><h1>Harbour plan</h1>` + strings.Repeat(para, 50) + `<div class="meta"><p>Published</p><p>Feb 2, 2023</p></div>`,
			"2023-02-02T00:00:00Z"},
		{"related posts' labelled dates are not the article's", "https://news.example.com/harbour",
			`</head><body><h1>Harbour plan</h1>` + strings.Repeat(para, 50) + `<ul class="related"><li><p>Posted on March 1, 2023</p></li><li><p>Posted on March 9, 2023</p></li></ul>`,
			""},
		{"a numeric date read the way the URL's date says", "https://example.org/blog/2023/october/03/harbour-plan",
			`</head><body><h1>Harbour plan</h1><div class="blog-date"><span>03/10/2023</span></div>` + para,
			"2023-10-03T00:00:00Z"},
		{"a numeric date the URL does not contradict stays as the language reads it", "https://example.org/blog/2023/11/02/harbour-plan",
			`</head><body><h1>Harbour plan</h1><div class="blog-date"><span>03/10/2023</span></div>` + para,
			"2023-03-10T00:00:00Z"},
		{"a date mentioned in a sentence by the headline is no dateline", "https://news.example.com/harbour",
			`<meta property="article:published_time" content="2022-01-14T10:31:00Z"></head><body><h1>Harbour plan</h1><p>Ferries have run to the new timetable since December 23, 2021 under <strong>the harbour plan</strong>, the council said.</p>` + para,
			"2022-01-14T10:31:00Z"},
		{"a wire story's dateline at the start of its first paragraph", "https://news.example.com/harbour",
			`</head><body><h1>Harbour plan</h1><p>April 17, 2015 -- The council voted on Tuesday to back the <a href="/plan">harbour plan</a> after a long debate in the chamber that lasted into the night.</p>` + para,
			"2015-04-17T00:00:00Z"},
		{"an embedded post's date is the post's", "https://blog.example.org/2025/12/16/harbour-plan",
			`</head><body><h1>Harbour plan</h1>` + para + `<blockquote class="social-post"><p>The ferry will stay closed until further notice.</p>— City desk (@cityhall) <a href="https://social.example/cityhall/status/1">1 December 2026</a></blockquote>` + para,
			"2025-12-16T00:00:00Z"},
		{"only a modification time", "https://news.example.com/harbour",
			`<meta property="article:modified_time" content="2023-06-12T10:39:42+00:00"></head><body><h1>Harbour plan</h1>` + para,
			"2023-06-12T10:39:42Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := FromHTML(strings.NewReader(`<html><head>`+tt.page+`</body></html>`), tt.url)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if !a.Published.IsZero() {
				got = a.Published.Format(time.RFC3339)
			}
			if got != tt.want {
				t.Errorf("Published = %q, want %q", got, tt.want)
			}
		})
	}
}

// FuzzFindDate: findDate never panics, and a date it finds is a real
// calendar date at midnight UTC.
func FuzzFindDate(f *testing.F) {
	for _, s := range []string{"Published on July 18, 2025", "17. Dezember 2025", "10/31/2024", "12.11.2025", "2025-07-09", "31 April 2025", "Dec. 19, 2025 · X"} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, us bool) {
		d, ok := findDate(s, us)
		if !ok {
			return
		}
		if d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 || d.Year() < 1990 || d.Year() > 2100 {
			t.Fatalf("findDate(%q, %v) = %v", s, us, d)
		}
	})
}

// TestDateLocaleRegion: a page whose lang says only "en" but whose
// og:locale says en_GB writes numeric dates day first.
func TestDateLocaleRegion(t *testing.T) {
	para := `<p>The council voted on Tuesday to back the harbour plan after a long debate in the chamber.</p>`
	for _, tt := range []struct{ locale, want string }{
		{"en_GB", "2023-10-03"},
		{"en_US", "2023-03-10"},
		{"", "2023-03-10"},
	} {
		head := ""
		if tt.locale != "" {
			head = `<meta property="og:locale" content="` + tt.locale + `">`
		}
		page := `<html lang="en"><head>` + head + `</head><body><h1>Harbour plan</h1><div class="blog-date"><span>03/10/2023</span></div>` + para + `</body></html>`
		a, err := FromHTML(strings.NewReader(page), "https://example.org/harbour-plan")
		if err != nil {
			t.Fatal(err)
		}
		if got := a.Published.Format(time.DateOnly); got != tt.want {
			t.Errorf("og:locale %q: Published = %s, want %s", tt.locale, got, tt.want)
		}
		if a.Language != "en" {
			t.Errorf("og:locale %q: Language = %q, want the page's own \"en\"", tt.locale, a.Language)
		}
	}
}
