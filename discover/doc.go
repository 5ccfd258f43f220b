// Package discover finds candidate article URLs for a source, from its
// RSS, Atom and JSON feeds, its sitemaps (including sitemap indexes, Google
// News sitemaps and gzipped sitemaps) and its section pages, and it owns
// URL identity: one article is one canonical URL.
//
// [Canonical] maps the many forms of an article URL (tracking parameters,
// fragments, AMP pages and AMP cache URLs, mobile hosts) to one, and
// [Alias] says whether a URL was such an alternate form. [ParseFeed],
// [ParseSitemap] and [PageLinks] are pure parsers; [Discoverer.Discover]
// fetches a [Source]'s discovery URLs through a fetch.Client and returns
// deduplicated [Candidate]s.
//
// # Identity
//
// Canonical keeps the scheme it is given, because some sites serve only
// http, but Discover treats the http and https forms of a URL, and the
// "www." and bare forms of a host, as one article and keeps one URL for it
// (https before http, then the form seen first). Mobile and AMP hosts map
// to "www." (m.example.com → www.example.com).
//
// # Hostile input
//
// Feeds and sitemaps are parsed with encoding/xml in non-strict mode, which
// never expands entities declared in a DOCTYPE: a "billion laughs" document
// leaves its entity references as literal text and costs no more than its
// size. Gzipped sitemaps are inflated to at most [MaxSitemapBytes]. XML
// and JSON feeds are cut after the items Discover will use before they are
// handed to gofeed, which builds every item in memory, so a feed with
// 100,000 items costs memory for only MaxItems of them (the body itself is
// capped by the fetch.Client). Sitemap indexes are followed breadth first with a visited set and a
// cap on files, so cycles and self-references end.
//
// # Determinism
//
// The same responses give the same candidates in the same order: feeds in
// the order listed, then sitemaps breadth first, then pages, each in
// document order.
package discover
