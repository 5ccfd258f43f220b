package discover

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func readFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func gzipBytes(tb testing.TB, b []byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func TestParseFeed(t *testing.T) {
	tests := []struct {
		file, base string
		want       []Candidate
	}{
		{"rss.xml", "https://www.example.com/rss.xml", []Candidate{
			{URL: "https://www.example.com/news/minister-resigns", Via: "feed", Title: `Minister resigns: "I had no choice"`, Published: date("2026-11-26T10:00:00Z")},
			{URL: "https://www.example.com/news/budget", Via: "feed", Title: "Via FeedBurner", Published: date("2026-11-25T07:30:00Z")},
			{URL: "https://www.example.com/news/relative-story", Via: "feed", Title: "Relative link & more"},
			{URL: "https://www.example.com/news/guid-story", Via: "feed", Title: "Permalink guid only"},
		}},
		{"atom.xml", "https://www.example.com/atom.xml", []Candidate{
			{URL: "https://www.example.com/news/flood/", Via: "feed", Title: "Flood & storm", Published: date("2026-11-26T09:00:00Z")},
			{URL: "https://www.example.com/news/updated-only", Via: "feed", Title: "Only updated", Published: date("2026-11-24T09:00:00Z")},
		}},
		{"feed.json", "https://www.example.com/feed.json", []Candidate{
			{URL: "https://www.example.com/news/json-one", Via: "feed", Title: "JSON one", Published: date("2026-11-26T07:00:00Z")},
			{URL: "https://other.example.org/story", Via: "feed", Title: "External only"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := ParseFeed(readFixture(t, tt.file), tt.base)
			if err != nil {
				t.Fatalf("ParseFeed(%s) error: %v", tt.file, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseFeed(%s) mismatch (-want +got):\n%s", tt.file, diff)
			}
		})
	}
}

func TestParseFeedRejects(t *testing.T) {
	for _, body := range []string{"", "not a feed", "<html><body>404</body></html>", readString(t, "urlset.xml")} {
		if got, err := ParseFeed([]byte(body), "https://example.com/"); err == nil {
			t.Errorf("ParseFeed(%.30q) = %v, nil; want error", body, got)
		}
	}
}

func readString(t *testing.T, name string) string { return string(readFixture(t, name)) }

// manyItemsFeed is an RSS feed of n items whose links are /a/0 ... /a/n-1.
func manyItemsFeed(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Big</title>`)
	for i := range n {
		fmt.Fprintf(&b, "<item><title>Item %d</title><link>https://www.example.com/a/%d</link><dc:creator>x</dc:creator></item>\n", i, i)
	}
	b.WriteString(`</channel></rss>`)
	return b.Bytes()
}

func TestParseFeedMax(t *testing.T) {
	body := manyItemsFeed(1000)
	got, err := parseFeed(body, "", 10)
	if err != nil {
		t.Fatalf("parseFeed(1000 items, max 10) error: %v", err)
	}
	if len(got) != 10 || got[9].URL != "https://www.example.com/a/9" {
		t.Errorf("parseFeed(1000 items, max 10) = %d items, last %+v; want 10 ending /a/9", len(got), got[len(got)-1])
	}
	cut := truncateXMLFeed(body, 10)
	if len(cut) >= len(body)/10 || !bytes.HasSuffix(cut, []byte("</channel></rss>")) {
		t.Errorf("truncateXMLFeed(1000 items, 10) kept %d of %d bytes, ends %q", len(cut), len(body), cut[max(0, len(cut)-40):])
	}
	jsonFeed := []byte(`{"version":"https://jsonfeed.org/version/1.1","items":[{"url":"https://e.example/1"},{"url":"https://e.example/2"},{"url":"https://e.example/3"}],"title":"after items"}`)
	if got, want := string(truncateFeed(jsonFeed, 2)), `{"version":"https://jsonfeed.org/version/1.1","items":[{"url":"https://e.example/1"},{"url":"https://e.example/2"}],"title":"after items"}`; got != want {
		t.Errorf("truncateFeed(JSON, 2) = %s, want %s", got, want)
	}
	if got := truncateFeed(jsonFeed, 3); !bytes.Equal(got, jsonFeed) {
		t.Errorf("truncateFeed(JSON of 3, 3) = %s, want it unchanged", got)
	}
	if small := manyItemsFeed(3); !bytes.Equal(truncateXMLFeed(small, 10), small) {
		t.Errorf("truncateXMLFeed changed a feed with fewer items than max")
	}
}

func TestParseSitemap(t *testing.T) {
	news := readFixture(t, "news-sitemap.xml")
	newsWant := []Candidate{
		{URL: "https://www.example.com/news/election-night", Via: "sitemap", Title: "Election night: results as they come", Published: date("2026-11-26T05:15:00Z")},
		{URL: "https://www.example.com/news/markets", Via: "sitemap", Title: "Markets & money", Published: date("2026-11-25T00:00:00Z")},
	}
	tests := []struct {
		name         string
		body         []byte
		base         string
		wantEntries  []Candidate
		wantChildren []string
	}{
		{"urlset", readFixture(t, "urlset.xml"), "https://www.example.com/sitemap.xml", []Candidate{
			{URL: "https://www.example.com/news/one", Via: "sitemap"},
			{URL: "https://www.example.com/news/two", Via: "sitemap"},
			{URL: "https://www.example.com/a&b", Via: "sitemap"},
			{URL: "https://www.example.com/news/root-relative", Via: "sitemap"},
		}, nil},
		{"news", news, "https://www.example.com/news.xml", newsWant, nil},
		{"gzipped news", gzipBytes(t, news), "https://www.example.com/news.xml.gz", newsWant, nil},
		{"index", readFixture(t, "sitemap-index.xml"), "https://www.example.com/sitemap-index.xml", nil, []string{
			"https://www.example.com/sitemaps/news.xml.gz",
			"https://www.example.com/sitemaps/2019-01.xml",
		}},
		{"text", []byte("https://www.example.com/t/1\n\nhttps://www.example.com/t/2#x\r\nnot a url\n"), "", []Candidate{
			{URL: "https://www.example.com/t/1", Via: "sitemap"},
			{URL: "https://www.example.com/t/2", Via: "sitemap"},
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries, children, err := ParseSitemap(tt.body, tt.base)
			if err != nil {
				t.Fatalf("ParseSitemap error: %v", err)
			}
			if diff := cmp.Diff(tt.wantEntries, entries); diff != "" {
				t.Errorf("ParseSitemap entries mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantChildren, children); diff != "" {
				t.Errorf("ParseSitemap children mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseSitemapErrors(t *testing.T) {
	bomb := gzipBytes(t, bytes.Repeat([]byte(" "), MaxSitemapBytes+1))
	tests := []struct {
		name string
		body []byte
		want error
	}{
		{"html", []byte("<html><body>Not found</body></html>"), ErrNotSitemap},
		{"feed", readFixture(t, "rss.xml"), ErrNotSitemap},
		{"empty", nil, ErrNotSitemap},
		{"no urls in text", []byte("hello\nworld\n"), ErrNotSitemap},
		{"gzip bomb", bomb, ErrSitemapTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ParseSitemap(tt.body, "https://example.com/")
			if !errors.Is(err, tt.want) {
				t.Errorf("ParseSitemap error = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestBillionLaughs checks that entity declarations in a DOCTYPE are not
// expanded: the expanded text would be 10^9 × "lol".
func TestBillionLaughs(t *testing.T) {
	feed, err := ParseFeed(readFixture(t, "billion-laughs.xml"), "")
	if err != nil {
		t.Fatalf("ParseFeed(billion laughs) error: %v", err)
	}
	if len(feed) != 1 || len(feed[0].Title) > 100 {
		t.Errorf("ParseFeed(billion laughs) = %d items, first title %d bytes", len(feed), len(feed[0].Title))
	}
	entries, _, err := ParseSitemap(readFixture(t, "billion-laughs-sitemap.xml"), "")
	if err != nil {
		t.Fatalf("ParseSitemap(billion laughs) error: %v", err)
	}
	if len(entries) != 1 || len(entries[0].Title) > 100 {
		t.Errorf("ParseSitemap(billion laughs) = %+v", entries)
	}
}

func TestPageLinks(t *testing.T) {
	got := PageLinks(readFixture(t, "section.html"), "https://www.example.com/world/index.html")
	want := []string{
		"https://www.example.com/",
		"https://www.example.com/world/",
		"https://www.example.com/world/story-one",
		"https://www.example.com/news/story-two?utm_source=section",
		"https://other.example.org/elsewhere",
		"http://WWW.EXAMPLE.COM/news/upper",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("PageLinks mismatch (-want +got):\n%s", diff)
	}
	if got := PageLinks([]byte(`<a href="/x">x</a><a href="https://a.example/y">y</a>`), ""); !cmp.Equal(got, []string{"https://a.example/y"}) {
		t.Errorf("PageLinks without base = %q, want only the absolute link", got)
	}
	if got := PageLinks([]byte(`<base href="https://b.example/d/"><a href="x">x</a>`), ""); !cmp.Equal(got, []string{"https://b.example/d/x"}) {
		t.Errorf("PageLinks with <base> and no base = %q", got)
	}
}

func addSeeds(f *testing.F, names ...string) {
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

func FuzzParseFeed(f *testing.F) {
	addSeeds(f, "rss.xml", "atom.xml", "feed.json", "billion-laughs.xml")
	f.Add(manyItemsFeed(5))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, max := range []int{0, 2} {
			got, err := parseFeed(body, "https://www.example.com/feed", max)
			if err != nil {
				continue
			}
			if max > 0 && len(got) > max {
				t.Fatalf("parseFeed(max %d) returned %d items", max, len(got))
			}
			checkCandidates(t, got)
		}
	})
}

func FuzzParseSitemap(f *testing.F) {
	addSeeds(f, "urlset.xml", "news-sitemap.xml", "sitemap-index.xml", "billion-laughs-sitemap.xml")
	f.Add(gzipBytes(f, readFixture(f, "news-sitemap.xml")))
	f.Add([]byte("https://www.example.com/a\nhttps://www.example.com/b\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		entries, children, _ := ParseSitemap(body, "https://www.example.com/sitemap.xml")
		checkCandidates(t, entries)
		for _, c := range children {
			if _, err := parseHTTP(c); err != nil {
				t.Fatalf("child %q is not an http(s) URL: %v", c, err)
			}
		}
		again, _, _ := ParseSitemap(body, "https://www.example.com/sitemap.xml")
		if !cmp.Equal(entries, again) {
			t.Fatalf("ParseSitemap not deterministic")
		}
	})
}

// checkCandidates asserts the properties every parsed candidate has.
func checkCandidates(t *testing.T, cs []Candidate) {
	t.Helper()
	for _, c := range cs {
		if canon, err := Canonical(c.URL); err != nil || canon != c.URL {
			t.Fatalf("candidate URL %q is not canonical (%q, %v)", c.URL, canon, err)
		}
		if c.Via != ViaFeed && c.Via != ViaSitemap {
			t.Fatalf("candidate Via %q", c.Via)
		}
		if !c.Published.IsZero() && c.Published.Location() != time.UTC {
			t.Fatalf("candidate Published %v not UTC", c.Published)
		}
		if !utf8.ValidString(c.Title) || strings.Join(strings.Fields(c.Title), " ") != c.Title {
			t.Fatalf("candidate Title %q not collapsed, valid UTF-8", c.Title)
		}
	}
}

func FuzzPageLinks(f *testing.F) {
	addSeeds(f, "section.html")
	f.Add([]byte(`<base href="//x.example/a/"><a href="../b?c#d">`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		links := PageLinks(doc, "https://www.example.com/section/")
		seen := map[string]bool{}
		for _, l := range links {
			if _, err := parseHTTP(l); err != nil || strings.Contains(l, "#") || seen[l] {
				t.Fatalf("PageLinks gave %q: not an absolute, fragment-free, unique http(s) URL (%v)", l, err)
			}
			seen[l] = true
		}
	})
}
