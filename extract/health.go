package extract

import "github.com/PuerkitoBio/goquery"

// pageGate returns why the page is not the article itself (a paywall,
// consent, login or error page), or "" when it looks like the article.
// (Placeholder: the site-profiles work fills this in.)
func pageGate(doc *goquery.Document, a *Article) string {
	return ""
}
