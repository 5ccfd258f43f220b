package track

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/stet-archive/stet/archive"
	"github.com/stet-archive/stet/diff"
	"github.com/stet-archive/stet/discover"
	"github.com/stet-archive/stet/extract"
	"github.com/stet-archive/stet/fetch"
	"go.yaml.in/yaml/v3"
)

// Status is the outcome of checking one article.
type Status string

// The statuses a check can end in.
const (
	New       Status = "new"       // first version committed
	Changed   Status = "changed"   // a new version committed
	Unchanged Status = "unchanged" // rendering equals the last version (or 304)
	Suspect   Status = "suspect"   // fetched, but failed a health gate; not committed
	Failed    Status = "failed"    // fetch or extraction failed
	Skipped   Status = "skipped"   // disallowed by robots.txt
)

// minShare is the fraction of the last version's body length below which
// a new rendering counts as a collapsed extraction.
const minShare = 0.40

// Tracker checks articles and commits their new versions. Its fields are
// settings; one Tracker may check many articles from many goroutines.
type Tracker struct {
	Archive   *archive.Archive
	Client    *fetch.Client
	Extractor *extract.Extractor // nil means a zero Extractor
	Author    archive.Signature  // zero means stet <stet@localhost>
	Logger    *slog.Logger       // nil discards
	Now       func() time.Time   // nil means time.Now
	Force     bool               // commit versions that fail a health gate
	DryRun    bool               // fetch and extract but never commit
	KeepRaw   bool               // keep each committed version's HTML on archive.RawRef
	Volatile  *Volatility        // nil: no confirming fetch, nothing learned; see volatile.go

	// commit serialises "compare with HEAD, number, save", so two forms
	// of one article checked at once can't take the same version number.
	commit sync.Mutex
}

// Request names one article to check. ETag and LastModified, when set,
// make the fetch conditional. Versions is the number of versions the
// schedule state knows of (0 when unknown); in a shallow clone, whose
// history is cut short, it keeps Stet-Version counting on. Prior is the
// state's record of the blob hashes of the versions before the latest
// (see [Entry.Prior]), for revert detection without history. Print is
// the state's print of the page the latest version was made from
// ([Entry.Print]).
type Request struct {
	URL          string
	ETag         string
	LastModified string
	Versions     int
	Prior        []string
	Print        string // the page print of the latest version ([PagePrint]); "" when unknown

	site pagePrint // the prints of the site's articles (see [sitePrints]); nil when unknown
}

// Result is what checking one article found. Err is set when Status is
// Failed, Reason when Status is Suspect, Failed or Skipped.
type Result struct {
	URL          string   `json:"url"`            // as requested
	Canonical    string   `json:"canonical"`      // the article's identity
	FinalURL     string   `json:"final_url"`      // after redirects
	Path         string   `json:"path,omitempty"` // file in the archive
	Status       Status   `json:"status"`         //
	Reason       string   `json:"reason,omitempty"`
	Commit       string   `json:"commit,omitempty"`
	Version      int      `json:"version,omitempty"`
	Reverts      int      `json:"reverts,omitempty"`
	Title        string   `json:"title,omitempty"`
	Site         string   `json:"site,omitempty"`
	Summary      []string `json:"summary,omitempty"`
	ETag         string   `json:"-"`
	LastModified string   `json:"-"`
	Err          error    `json:"-"`
	Replaced     string   `json:"-"` // blob hash of the version a Changed one replaced
	Print        string   `json:"-"` // the page print of a New or Changed version ([PagePrint])
}

func (t *Tracker) now() time.Time {
	if t.Now == nil {
		return time.Now()
	}
	return t.Now()
}

func (t *Tracker) logger() *slog.Logger {
	if t.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return t.Logger
}

// Check fetches one article and commits it when it is new or changed.
// It never returns an error: failures are in the Result, so one bad
// article never stops a pass.
func (t *Tracker) Check(ctx context.Context, req Request) Result {
	res := Result{URL: req.URL}
	if err := ctx.Err(); err != nil {
		return failed(res, err)
	}
	start := t.now()
	page, err := t.Client.Get(ctx, fetch.Request{URL: req.URL, Kind: fetch.HTML, ETag: req.ETag, LastModified: req.LastModified})
	if err != nil {
		if errors.Is(err, fetch.ErrDisallowed) {
			res.Status, res.Reason = Skipped, "disallowed by robots.txt"
			return res
		}
		return failed(res, err)
	}
	res.FinalURL = page.FinalURL
	res.ETag, res.LastModified = page.ETag, page.LastModified
	if page.NotModified {
		res.Status, res.Reason = Unchanged, "not modified"
		if c, err := discover.Canonical(req.URL); err == nil {
			res.Canonical = c
			res.Path, _ = archive.PathFor(c)
		}
		return res
	}
	return t.save(ctx, res, page.Body, page.FinalURL, start, req.Versions, req.Prior, req.Print, req.site, t.refetcher(ctx, req.URL))
}

// Page archives an already fetched page. pageURL is the address it was
// served from. It is what Check does after the fetch, and what
// `stet fetch` uses for files.
func (t *Tracker) Page(ctx context.Context, body []byte, pageURL string) Result {
	res := Result{URL: pageURL, FinalURL: pageURL}
	return t.save(ctx, res, body, pageURL, t.now(), 0, nil, "", nil, nil)
}

func (t *Tracker) save(ctx context.Context, res Result, body []byte, pageURL string, fetched time.Time, known int, prior []string, print string, site pagePrint, refetch func() (reading, bool)) Result {
	ex := t.Extractor
	if ex == nil {
		ex = &extract.Extractor{}
	}
	art, err := ex.Extract(body, pageURL)
	if err != nil {
		return failed(res, fmt.Errorf("extract %s: %w", pageURL, err))
	}
	canon, err := identity(art.URL, pageURL)
	if err != nil {
		return failed(res, err)
	}
	res.Canonical = canon
	res.Title, res.Site = art.Title, art.Site
	path, err := archive.PathFor(canon)
	if err != nil {
		return failed(res, fmt.Errorf("path for %s: %w", canon, err))
	}
	res.Path = path
	md := art.Markdown()
	if t.Volatile != nil {
		md, err = t.settle(path, canon, md, art.Readings, art.PageText, print, site, refetch)
		if err != nil {
			return failed(res, err)
		}
	}

	t.commit.Lock()
	defer t.commit.Unlock()
	// Unchanged is decided on blob hashes, so an unchanged article never
	// reads (in a partial clone: fetches) its last version.
	same, hasPrev, err := t.Archive.Unchanged(path, md)
	if err != nil {
		return failed(res, fmt.Errorf("read %s: %w", path, err))
	}
	if same {
		res.Status = Unchanged
		return res
	}
	var prev []byte
	if hasPrev {
		if prev, _, err = t.Archive.Current(path); err != nil {
			return failed(res, fmt.Errorf("read %s: %w", path, err))
		}
		res.Replaced = archive.BlobHash(prev)
	}
	if reason := gate(art, md, prev, hasPrev); reason != "" && !t.Force {
		res.Status, res.Reason = Suspect, reason
		t.logger().Warn("suspect page not committed", "url", res.URL, "path", path, "reason", reason)
		return res
	}
	history, err := t.Archive.History(path)
	if err != nil {
		return failed(res, fmt.Errorf("history of %s: %w", path, err))
	}
	n := nextVersion(history)
	if n <= known {
		n = known + 1
	}
	res.Version = n
	reverts, err := t.revertsTo(history, path, md, known, prior)
	if err != nil {
		return failed(res, err)
	}
	res.Reverts = reverts

	var sum diff.Summary
	if hasPrev {
		sum = diff.Summarize(prev, md)
	} else {
		sum = diff.Summarize(nil, md)
	}
	res.Summary = sum.Lines()
	res.Print = PagePrint(art.PageText)
	msg := message(art, canon, res.URL, pageURL, n, reverts, fetched, sum, history, hasPrev)
	if hasPrev {
		res.Status = Changed
	} else {
		res.Status = New
	}
	if t.DryRun {
		return res
	}
	if err := ctx.Err(); err != nil {
		return failed(res, err)
	}
	commit, changed, err := t.Archive.Save(archive.Change{
		Path:    path,
		Content: md,
		Message: msg,
		Author:  t.Author,
		When:    fetched,
	})
	if err != nil {
		return failed(res, fmt.Errorf("save %s: %w", path, err))
	}
	if !changed {
		// Another worker committed the same bytes first.
		res.Status = Unchanged
		return res
	}
	res.Commit = commit
	if t.KeepRaw {
		// The version is committed; a page that can't be kept costs only
		// a later re-render, so it is logged, not failed.
		if err := t.Archive.SaveRaw(path, n, body, fetched); err != nil {
			t.logger().Warn("raw page not kept", "path", path, "version", n, "err", err)
		}
	}
	t.logger().Info("saved version", "url", canon, "path", path, "version", n, "commit", short(commit))
	return res
}

// nextVersion is the number the next version of an article with this
// history gets: one more than the latest's Stet-Version, or, when the
// latest has none, one more than the number of edits seen (re-renders are
// not edits).
func nextVersion(history []archive.Version) int {
	if len(history) > 0 && history[len(history)-1].Trailer("Stet-Version") != "" {
		return history[len(history)-1].N + 1
	}
	return archive.Edits(history) + 1
}

// revertsTo returns the number of the earlier version whose bytes equal
// md, or 0 when md is new content. It compares blob hashes, so it reads
// no old version: first the history this clone has, newest first, then
// the state's prior hashes (of versions known-len(prior) .. known-1,
// oldest first, known being the state's latest version), which reach back
// past a shallow boundary.
func (t *Tracker) revertsTo(history []archive.Version, path string, md []byte, known int, prior []string) (int, error) {
	want := archive.BlobHash(md)
	// The latest version differs from md (or it would be unchanged), so
	// look at the ones before it, newest first.
	for i := len(history) - 2; i >= 0; i-- {
		h, err := t.Archive.FileHash(history[i].Commit, path)
		if err != nil {
			return 0, fmt.Errorf("read version %d of %s: %w", history[i].N, path, err)
		}
		if h == want {
			return history[i].N, nil
		}
	}
	for i := len(prior) - 1; i >= 0; i-- {
		if v := known - len(prior) + i; v >= 1 && prior[i] != "" && strings.HasPrefix(want, prior[i]) {
			return v, nil
		}
	}
	return 0, nil
}

// identity picks the article's canonical URL: the page's own canonical
// when it stays on the same site as the address it was served from,
// else that address.
func identity(articleURL, pageURL string) (string, error) {
	pu, err := url.Parse(pageURL)
	if err != nil {
		return "", fmt.Errorf("page url %q: %w", pageURL, err)
	}
	if articleURL != "" {
		if au, err := url.Parse(articleURL); err == nil && sameSite(au.Hostname(), pu.Hostname()) {
			if c, err := discover.Canonical(articleURL); err == nil {
				return c, nil
			}
		}
	}
	c, err := discover.Canonical(pageURL)
	if err != nil {
		return "", fmt.Errorf("canonical url of %q: %w", pageURL, err)
	}
	return c, nil
}

// sameSite reports whether two hosts belong to one site: equal, or one
// a subdomain of the other's parent (www.x.com and m.x.com).
func sameSite(a, b string) bool {
	a, b = strings.ToLower(a), strings.ToLower(b)
	if a == "" || b == "" {
		return false
	}
	if a == b {
		return true
	}
	return registrable(a) == registrable(b)
}

// registrable approximates the registrable domain as the last two labels,
// or three when the second-level label is a common public suffix part
// (co.uk, com.au).
func registrable(h string) string {
	labels := strings.Split(h, ".")
	if len(labels) <= 2 {
		return h
	}
	n := 2
	switch labels[len(labels)-2] {
	case "co", "com", "org", "net", "gov", "ac", "edu", "ne", "or":
		if len(labels[len(labels)-1]) == 2 {
			n = 3
		}
	}
	if len(labels) < n {
		return h
	}
	return strings.Join(labels[len(labels)-n:], ".")
}

// gate returns why art, rendered as md, must not be committed as a new
// version, or "" when it may be.
func gate(art *extract.Article, md, prev []byte, hasPrev bool) string {
	if art.Gate != "" && !(art.Gate == extract.GateNotArticle && hasPrev && stillTheArticle(prev, md)) {
		return art.Gate
	}
	if strings.TrimSpace(art.Text()) == "" {
		return "empty body"
	}
	if !hasPrev {
		return ""
	}
	oldFields, oldBody := splitFile(prev)
	_, newBody := splitFile(md)
	if oldLen := len(oldBody); oldLen > 0 && float64(len(newBody)) < minShare*float64(oldLen) {
		return fmt.Sprintf("body collapsed to %d%% of the last version", len(newBody)*100/oldLen)
	}
	if l := oldFields["language"]; l != "" && art.Language != "" && !sameLanguage(l, art.Language) {
		return fmt.Sprintf("language changed from %s to %s", l, art.Language)
	}
	if s := oldFields["site"]; s != "" && art.Site != "" && !strings.EqualFold(s, art.Site) {
		return fmt.Sprintf("site changed from %q to %q", s, art.Site)
	}
	return ""
}

// keptShare is the share of the last version's body lines a fresh
// rendering must keep for a "not an article" verdict to be overruled.
const keptShare = 0.5

// stillTheArticle reports whether md keeps at least keptShare of the
// body lines of prev, the last version of an archived article. Whether
// a page is a listing is judged on its whole markup (teaser cards,
// headline links), and rotating furniture moves those counts, so a
// page archived as an article may be judged a listing on one request
// and not the next; its body being the article's, with an edit, says
// otherwise, and the edit must not be lost. An article whose page
// became a listing keeps next to none of its lines.
func stillTheArticle(prev, md []byte) bool {
	_, oldBody := splitFile(prev)
	_, newBody := splitFile(md)
	have := map[string]int{}
	for l := range strings.SplitSeq(string(newBody), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			have[l]++
		}
	}
	kept, all := 0, 0
	for l := range strings.SplitSeq(string(oldBody), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			all++
			if have[l] > 0 {
				have[l]--
				kept++
			}
		}
	}
	return all > 0 && float64(kept) >= keptShare*float64(all)
}

// splitFile splits an article file into its front matter fields and its
// body after the "# Title" line. Unreadable front matter gives no fields.
func splitFile(md []byte) (map[string]string, []byte) {
	fields := map[string]string{}
	rest := md
	if fm, after, ok := bytes.Cut(md, []byte("\n---\n")); ok && bytes.HasPrefix(md, []byte("---\n")) {
		if err := yaml.Unmarshal(fm[4:], &fields); err != nil {
			fields = map[string]string{}
		}
		rest = after
	}
	rest = bytes.TrimLeft(rest, "\n")
	if bytes.HasPrefix(rest, []byte("# ")) {
		if _, after, ok := bytes.Cut(rest, []byte("\n")); ok {
			rest = after
		} else {
			rest = nil
		}
	}
	return fields, bytes.TrimSpace(rest)
}

func sameLanguage(a, b string) bool {
	base := func(s string) string {
		s, _, _ = strings.Cut(strings.ToLower(s), "-")
		s, _, _ = strings.Cut(s, "_")
		return s
	}
	return base(a) == base(b)
}

// message builds the commit message: subject, summary body and trailers.
func message(art *extract.Article, canon, requested, finalURL string, n, reverts int, fetched time.Time, sum diff.Summary, history []archive.Version, hasPrev bool) string {
	var b strings.Builder
	site := art.Site
	if site == "" {
		if u, err := url.Parse(canon); err == nil {
			site = u.Hostname()
		}
	}
	title := oneLine(art.Title)
	if title == "" {
		title = "(untitled)"
	}
	fmt.Fprintf(&b, "%s: %s\n\n", oneLine(site), title)
	var body []string
	switch {
	case !hasPrev:
		// The tip tree says whether the article is new; the history may
		// be cut short by a shallow clone.
		body = append(body, "New article")
	case reverts > 0:
		body = append(body, fmt.Sprintf("Reverts to version %d", reverts))
		body = append(body, sum.Lines()...)
	default:
		body = append(body, sum.Lines()...)
	}
	if len(history) > 0 {
		if prevEx := history[len(history)-1].Trailer("Stet-Extractor"); prevEx != "" && extractorBase(prevEx) != extractorBase(art.Extractor) {
			body = append(body, fmt.Sprintf("May include a re-render: extractor changed from %s to %s", prevEx, art.Extractor))
		}
	}
	if len(body) == 0 {
		body = append(body, "Formatting changed")
	}
	for _, l := range body {
		b.WriteString(oneLine(l))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	fmt.Fprintf(&b, "Stet-Url: %s\n", canon)
	fmt.Fprintf(&b, "Stet-Version: %d\n", n)
	fmt.Fprintf(&b, "Stet-Fetched: %s\n", fetched.UTC().Format(time.RFC3339))
	if finalURL != "" && finalURL != requested {
		fmt.Fprintf(&b, "Stet-Final-Url: %s\n", oneLine(finalURL))
	}
	if !art.Modified.IsZero() {
		fmt.Fprintf(&b, "Stet-Modified: %s\n", art.Modified.UTC().Format(time.RFC3339))
	}
	fmt.Fprintf(&b, "Stet-Extractor: %s\n", oneLine(art.Extractor))
	if reverts > 0 {
		fmt.Fprintf(&b, "Stet-Reverts: %s\n", strconv.Itoa(reverts))
	}
	return b.String()
}

// extractorBase is the extractor name and version without the profile,
// so a profile change alone is not called a re-render of everything.
func extractorBase(s string) string {
	f, _, _ := strings.Cut(s, " ")
	return f
}

// oneLine folds s onto one line, so article text can't forge trailers or
// break the message layout.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func failed(res Result, err error) Result {
	res.Status, res.Err, res.Reason = Failed, err, err.Error()
	return res
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
