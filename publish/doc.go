// Package publish turns an archive's git history into Atom feeds and a
// static web site of changes.
//
// [Publish] reads the branch with package archive and writes, through an
// [Output] (a folder with [Dir], or a gh-pages branch with [GitBranch]):
//
//   - index.html: every article, newest change first, with "changed N times";
//   - feed.xml: one Atom feed of changes across the archive;
//   - s/<host>/index.html and s/<host>/feed.xml: a page and a feed per source;
//   - a/<article path>/index.html and feed.xml: a page and a feed per
//     article (its source, first seen, versions with times and gaps, and the
//     latest text);
//   - a/<article path>/v<N>.html: version N-1 beside version N, a
//     side-by-side word diff aligned by paragraph, headline first;
//   - .stet-publish.json: the manifest (the head published and one row per
//     article), which makes the next run incremental;
//   - style.css and .nojekyll.
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
// (paragraphs, headings, lists, quotes, links, emphasis), never as raw HTML,
// and only http, https and mailto links become anchors. Pages have no
// JavaScript and no external resources.
//
// # Incremental runs
//
// When the manifest's head is an ancestor of the branch tip, only the
// articles changed since then are read and their pages rewritten, plus the
// index, the site-wide feed and the pages of their sources.
package publish
