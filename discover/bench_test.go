package discover

import "testing"

func BenchmarkParseFeedRSS(b *testing.B) {
	body := manyItemsFeed(1000)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseFeed(body, "https://www.example.com/feed"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseFeedCapped is a 100,000-item feed read with the default
// MaxItems, as Discover reads it.
func BenchmarkParseFeedCapped(b *testing.B) {
	body := bigFeed(100_000)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseFeed(body, "https://www.example.com/feed", DefaultMaxItems); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseSitemapNewsGzip(b *testing.B) {
	body := gzipBytes(b, readFixture(b, "news-sitemap.xml"))
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ParseSitemap(body, "https://www.example.com/news.xml.gz"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCanonical(b *testing.B) {
	urls := []string{
		"https://www.example.com/news/story",
		"HTTP://M.Example.COM:80/news/amp/story?utm_source=rss&id=3#c",
		"https://www-example-com.cdn.ampproject.org/c/s/www.example.com/a.amp.html",
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, u := range urls {
			if _, err := Canonical(u); err != nil {
				b.Fatal(err)
			}
		}
	}
}
