// Package extract turns a news page into an [Article] and renders it as
// normalised markdown, the file stet keeps under version control.
//
// [Extractor.Extract] parses the page once, reads the metadata (JSON-LD
// first, then OpenGraph and other meta tags, then <link rel=canonical>,
// then visible markup), removes boilerplate (navigation, ads, share and
// social widgets, related links, newsletters, comments, consent banners,
// hidden elements, relative times and counters), finds the body with
// go-readability checked against the JSON-LD articleBody, and walks the
// body into [Block] values. When that reading is short or misses much of
// the page's prose, the page is also read with readability on the page as
// served and with go-trafilatura, and the reading the prose supports is
// kept. A home, section or listing page gets [GateNotArticle].
// [Article.Markdown] renders the result.
//
// The package is pure: it does no network or file I/O.
//
// # Determinism
//
// The same page and URL always give the same [Article], and
// [Article.Markdown] always gives the same bytes for the same Article:
// valid UTF-8 in Unicode NFC, whitespace and non-breaking spaces collapsed,
// zero-width characters removed, no trailing spaces and exactly one final
// newline. Anything that varies between two requests for an unchanged
// article is kept out of the markdown: tracking and cache-busting query
// parameters are removed from links and images with [CleanURL], data: URIs
// and tracking pixels are dropped, attributes such as ids and tokens are
// never rendered, and relative times ("5 minutes ago") and view or share
// counts are removed. The modification time is kept in [Article.Modified]
// but never rendered. When the rendering changes, [Version] is bumped so
// that the archive can tell a new extractor from a changed article.
//
// # Example
//
//	a, err := extract.FromHTML(strings.NewReader(page), "https://example.com/news/1")
//	if err != nil {
//		return err
//	}
//	os.Stdout.Write(a.Markdown())
package extract
