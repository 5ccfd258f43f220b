// Package publish turns an archive's git history into Atom feeds and a
// static web site of changes.
//
// [Publish] reads the branch with package archive and writes, through an
// [Output] (a folder with [Dir], or a gh-pages branch with [GitBranch]):
//
//   - index.html: the 100 newest changes, the sources, and links to the
//     listing of every article;
//   - m/<YYYY-MM>-<N>.html: the listing, by month first seen, in pages of
//     200 articles in the order they were found, so an article keeps its
//     page and a change rewrites one page;
//   - feed.xml: one Atom feed of changes across the archive;
//   - s/<host>/index.html, s/<host>/m/... and s/<host>/feed.xml: the same
//     per source, named by its configured name ([Options.Tracking]), else
//     the site name most of its articles give, else the host;
//   - a/<article path>/index.html and feed.xml: a page and a feed per
//     article (its source, the current article, first published and
//     first seen, last and next check, how often it changed, a timeline of
//     every version with its summary, and the latest text);
//   - a/<article path>/v<N>.html: version N-1 beside version N, aligned by
//     paragraph, headline first, each block rendered as the reader sees it
//     with the changed words in <del> and <ins>; prev/next links at the top
//     and bottom, and a "changes only" view at #changes (CSS :target, no
//     script);
//   - .stet-publish.json: the manifest (the head published and one row per
//     article), which makes the next run incremental;
//   - style.css and .nojekyll.
//
// Feed entries carry the changed blocks as rendered HTML with the same
// marks.
//
// # Determinism
//
// The same history gives the same bytes: no page or feed records when it
// was generated; feeds are dated by their newest entry. Each version is
// one feed entry whose id, "tag:stet,2026:<commit hash>", never changes.
//
// # Safety
//
// Article text can contain anything. Every piece of it is HTML-escaped
// (pages use html/template, and the markdown and diff renderers escape
// each run of text themselves); markdown is rendered from a small subset
// (paragraphs, headings, lists, quotes, links, emphasis, images), never as
// raw HTML, and only http, https and mailto links become anchors. Images
// are links in a figure, never <img>: pages have no JavaScript and no
// external resources. Change marks are private-use runes inside the
// renderer only; article text holding them is cleaned first.
//
// # Incremental runs
//
// When the manifest's head is an ancestor of the branch tip, only the
// articles changed since then are read and their pages rewritten, plus the
// index, the site-wide feed, the pages of their sources and the listing
// pages that show them. An article whose tracking changed (a new last
// check) has its page rewritten too.
package publish
