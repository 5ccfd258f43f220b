// Package track runs stet's passes: for each article it fetches the page,
// extracts and renders the article, decides whether the rendering is a new
// version worth keeping, and commits it to the archive.
//
// # Health gates
//
// A fetch is committed only when it looks like the article. A page whose
// extraction collapsed (an empty body, or under 40 % of the last version's
// body), a paywall, consent, login or error page, or a page whose language
// or site changed is reported as [Suspect] and the last good version stands,
// unless [Tracker.Force] is set.
//
// # Versions
//
// Every commit changes one article file and carries trailers (Stet-Url,
// Stet-Version, Stet-Fetched, ...) documented in docs/design.md. A version
// whose bytes equal an earlier version's is still committed, with
// "Reverts to version K" and a Stet-Reverts trailer.
package track
