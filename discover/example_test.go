package discover_test

import (
	"fmt"

	"github.com/stet-archive/stet/discover"
)

func ExampleCanonical() {
	for _, raw := range []string{
		"https://m.example.com/news/story/amp/?utm_source=twitter#comments",
		"https://www-example-com.cdn.ampproject.org/c/s/www.example.com/news/story.amp",
		"HTTP://WWW.EXAMPLE.COM:80/news/story",
	} {
		c, _ := discover.Canonical(raw)
		fmt.Println(c)
	}
	// Output:
	// https://www.example.com/news/story/
	// https://www.example.com/news/story
	// http://www.example.com/news/story
}

func ExampleAlias() {
	c, alias, _ := discover.Alias("http://feedproxy.google.com/~r/Example/~3/abc/story")
	fmt.Println(c, alias)
	// Output: http://feedproxy.google.com/~r/Example/~3/abc/story true
}

func ExampleParseSitemap() {
	body := []byte(`<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>/sitemaps/news.xml.gz</loc></sitemap></sitemapindex>`)
	_, children, _ := discover.ParseSitemap(body, "https://www.example.com/sitemap.xml")
	fmt.Println(children)
	// Output: [https://www.example.com/sitemaps/news.xml.gz]
}
