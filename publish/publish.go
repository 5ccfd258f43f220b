package publish

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/stet-archive/stet/archive"
	"github.com/stet-archive/stet/diff"
)

// DefaultFeedEntries is the number of entries per feed when
// Options.FeedEntries is zero.
const DefaultFeedEntries = 50

// DefaultTitle is the site title when Options.Title is empty.
const DefaultTitle = "stet archive"

// ManifestName is the manifest file at the root of the output.
const ManifestName = ".stet-publish.json"

// manifestVersion changes when the layout of the output changes, forcing
// a full rewrite.
const manifestVersion = 2

// Options configure Publish. The zero value means: title DefaultTitle,
// relative links in feeds, DefaultFeedEntries entries per feed, an
// incremental run when the manifest allows one, no logging.
type Options struct {
	// Title names the site in pages and the site-wide feed.
	Title string
	// BaseURL is the absolute URL of the site's root, such as
	// "https://user.github.io/news/"; feeds use it for their links.
	// "" leaves feed links relative to the feed.
	BaseURL string
	// FeedEntries caps the entries of every feed.
	FeedEntries int
	// Full ignores the manifest and rewrites every page.
	Full bool
	// Logger receives one Info line per run; nil discards.
	Logger *slog.Logger
	// Tracking is what the schedule knows of each article, keyed by
	// archive path. Nil, or a path missing from it, means unknown: the
	// article's page then says nothing of checks, and its source is
	// named from the articles' front matter. An article whose entry
	// differs from the last run's has its page rewritten.
	Tracking map[string]Tracking
}

// Tracking is the schedule state of one article, as pages show it. The
// zero value means unknown.
type Tracking struct {
	Source      string    `json:"source,omitempty"`      // the configured source's name
	FirstSeen   time.Time `json:"first_seen,omitzero"`   // when it was first discovered
	LastChecked time.Time `json:"last_checked,omitzero"` // the last fetch attempt
	NextCheck   time.Time `json:"next_check,omitzero"`   // when it is next due
	Retired     bool      `json:"retired,omitempty"`     // no longer checked
}

func (t Tracking) equal(u Tracking) bool {
	return t.Source == u.Source && t.FirstSeen.Equal(u.FirstSeen) && t.LastChecked.Equal(u.LastChecked) &&
		t.NextCheck.Equal(u.NextCheck) && t.Retired == u.Retired
}

// Output is where Publish writes. Names are slash-separated and relative.
// ReadFile returns an error wrapping fs.ErrNotExist for a missing file.
type Output interface {
	ReadFile(name string) ([]byte, error)
	WriteFile(name string, data []byte) error
}

// Result says what a Publish run did.
type Result struct {
	Head      string // the branch tip published ("" for an empty branch)
	Full      bool   // every article was rewritten
	Articles  int    // articles whose pages were rewritten
	Files     int    // files written
	Unchanged bool   // the manifest already held Head; nothing was written
	Total     int    // articles in the index
}

// Dir is an Output writing into a folder, created when needed.
type Dir string

// ReadFile reads name under the folder.
func (d Dir) ReadFile(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join(string(d), filepath.FromSlash(name)))
}

// WriteFile writes name under the folder, creating its directories. A file
// that already holds data is left alone, so its modification time keeps
// saying when it last changed.
func (d Dir) WriteFile(name string, data []byte) error {
	p := filepath.Join(string(d), filepath.FromSlash(name))
	if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, data) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, p)
}

// manifest is .stet-publish.json.
type manifest struct {
	Version  int                       `json:"version"`
	Head     string                    `json:"head"`
	Articles map[string]manifestRecord `json:"articles"`
	// Sources names each source (host) as its pages were last written.
	Sources map[string]string `json:"sources,omitempty"`
}

// manifestRecord is what the index and source pages need about an article.
type manifestRecord struct {
	URL      string    `json:"url"`
	Title    string    `json:"title"`
	Site     string    `json:"site"`
	Versions int       `json:"versions"`
	First    time.Time `json:"first"`
	Last     time.Time `json:"last"`
	Lang     string    `json:"lang,omitempty"`
	// Track is the schedule state the article's page was written with.
	Track Tracking `json:"track,omitzero"`
}

// article is one article's history; the content of each version is read
// on first use, the newest from the branch tip (whose tree is shared by
// every article, so it is cheap), older ones from their commits.
type article struct {
	p        *publisher
	path     string
	versions []archive.Version
	contents [][]byte
	docs     []*diff.Doc
	read     []bool
}

// content returns version i's bytes. A read error is kept in the
// publisher (Publish returns it) and gives nil here.
func (a *article) content(i int) []byte {
	if a.read[i] {
		return a.contents[i]
	}
	a.read[i] = true
	var b []byte
	var err error
	if i == len(a.versions)-1 {
		var ok bool
		b, ok, err = a.p.arch.Current(a.path)
		if err == nil && !ok {
			b = nil // deleted at the tip
		}
	} else {
		b, err = a.p.arch.Read(a.versions[i].Commit, a.path)
		if errors.Is(err, archive.ErrNotFound) {
			b, err = nil, nil // deleted in this commit
		}
	}
	if err != nil && a.p.err == nil {
		a.p.err = fmt.Errorf("publish: read %s at %s: %w", a.path, short(a.versions[i].Commit), err)
	}
	a.contents[i] = b
	return b
}

// doc returns version i parsed.
func (a *article) doc(i int) diff.Doc {
	if a.docs[i] == nil {
		d := diff.Parse(a.content(i))
		a.docs[i] = &d
	}
	return *a.docs[i]
}

func (a *article) record() manifestRecord {
	last := len(a.versions) - 1
	return manifestRecord{
		URL:      a.versions[last].URL,
		Title:    titleOf(a.doc(last), a.versions[last], a.path),
		Site:     siteOf(a.doc(last), a.path),
		Versions: archive.Edits(a.versions),
		First:    a.versions[0].When.UTC(),
		Last:     a.versions[last].When.UTC(),
		Lang:     lang(a.doc(last)),
		Track:    a.p.opts.Tracking[a.path],
	}
}

func titleOf(d diff.Doc, v archive.Version, p string) string {
	if d.Title != "" {
		return d.Title
	}
	if i := strings.Index(v.Subject, ": "); i >= 0 {
		return v.Subject[i+2:]
	}
	if v.Subject != "" {
		return v.Subject
	}
	return p
}

func siteOf(d diff.Doc, p string) string {
	if d.Site != "" {
		return d.Site
	}
	return hostOf(p)
}

// hostOf is the source key of an archive path: its first component.
func hostOf(p string) string {
	host, _, _ := strings.Cut(p, "/")
	return host
}

// Publish writes the feeds and pages for arch's branch to out. See the
// package documentation for the layout. It reads the manifest from out;
// when the manifest's head is an ancestor of the tip (and opts.Full is
// not set) only the articles changed since are rewritten, with the
// pages of articles whose tracking changed. Errors name the step and the
// article; a failed run leaves the manifest of the previous run, so the
// next run redoes the work.
func Publish(arch *archive.Archive, out Output, opts Options) (Result, error) {
	if opts.Title == "" {
		opts.Title = DefaultTitle
	}
	if opts.FeedEntries <= 0 {
		opts.FeedEntries = DefaultFeedEntries
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	head, err := arch.Head()
	if err != nil {
		return Result{}, fmt.Errorf("publish: %w", err)
	}
	res := Result{Head: head}
	old := readManifest(out)
	// Articles at the tip that the manifest lacks were never published
	// (say, by a run in a shallow clone, which saw no history for them):
	// they are written now, even when the manifest holds the tip.
	var unpublished []string
	if !opts.Full && old != nil {
		if unpublished, err = missingArticles(arch, old); err != nil {
			return res, err
		}
	}
	if !opts.Full && old != nil && old.Head == head && len(unpublished) == 0 && !trackingChanged(old, opts.Tracking) {
		res.Unchanged = true
		res.Total = len(old.Articles)
		return res, nil
	}
	p := &publisher{arch: arch, out: out, opts: opts, loaded: map[string]*article{}, tmpl: newPages()}

	var changed []string
	if !opts.Full && old != nil && old.Head != "" {
		if old.Head == head {
			changed = []string{}
		} else if changed, err = changedSince(arch, old.Head); err != nil {
			return res, err
		}
		if changed != nil {
			changed = mergePaths(changed, unpublished)
		}
	}
	m := &manifest{Version: manifestVersion, Head: head, Articles: map[string]manifestRecord{}, Sources: map[string]string{}}
	if changed == nil {
		res.Full = true
		old = nil
		changed, err = arch.Paths()
		if err != nil {
			return res, fmt.Errorf("publish: %w", err)
		}
		if err := p.writeStatic(); err != nil {
			return res, err
		}
	} else {
		for k, v := range old.Articles {
			m.Articles[k] = v
		}
	}

	// Read the changed articles first, so that sources are named from
	// every article before any page is written.
	var arts []*article
	isChanged := map[string]bool{}
	for _, path := range changed {
		a, err := p.load(path)
		if err != nil {
			return res, err
		}
		if a == nil {
			continue // a file without history (not an article)
		}
		arts = append(arts, a)
		isChanged[path] = true
		m.Articles[path] = a.record()
	}
	// Articles whose tracking changed get their page rewritten.
	var retracked []*article
	if old != nil {
		for _, path := range sortedKeysT(opts.Tracking) {
			r, ok := m.Articles[path]
			if !ok || isChanged[path] || r.Track.equal(opts.Tracking[path]) {
				continue
			}
			a, err := p.load(path)
			if err != nil {
				return res, err
			}
			if a == nil {
				continue
			}
			r.Track = opts.Tracking[path]
			m.Articles[path] = r
			retracked = append(retracked, a)
		}
	}
	p.names = sourceNames(m)
	m.Sources = p.names

	hosts := map[string]bool{}
	dirty := map[string]bool{} // articles whose row in a listing changed
	for _, a := range arts {
		hosts[hostOf(a.path)] = true
		dirty[a.path] = true
		if err := p.writeArticle(a); err != nil {
			return res, err
		}
		res.Articles++
	}
	for _, a := range retracked {
		if err := p.write(articleDir(a.path)+"index.html", p.renderArticle(a, p.opts.Title, articleDir(a.path)+"index.html")); err != nil {
			return res, err
		}
		res.Articles++
	}
	if old != nil {
		// A source renamed shows in every row of its articles.
		for h, name := range m.Sources {
			if old.Sources[h] != name {
				hosts[h] = true
				for path := range m.Articles {
					if hostOf(path) == h {
						dirty[path] = true
					}
				}
			}
		}
	}
	var fresh map[string]bool // articles new to the listings (or all, on a full run)
	if old != nil {
		fresh = map[string]bool{}
		for path := range dirty {
			if o, ok := old.Articles[path]; !ok || !o.First.Equal(m.Articles[path].First) {
				fresh[path] = true
			}
		}
	}
	all := indexRows(m, "")
	byHost := map[string][]indexRow{}
	for _, r := range all {
		h := hostOf(r.Path)
		byHost[h] = append(byHost[h], r)
	}
	for _, h := range sortedKeys(hosts) {
		if err := p.writeSource(h, byHost[h], dirty, fresh); err != nil {
			return res, err
		}
	}
	if err := p.writeSiteFeed(); err != nil {
		return res, err
	}
	if err := p.writeIndex(all, dirty, fresh); err != nil {
		return res, err
	}
	if p.err != nil {
		return res, p.err
	}
	mb, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return res, fmt.Errorf("publish: manifest: %w", err)
	}
	if err := p.write(ManifestName, append(mb, '\n')); err != nil {
		return res, err
	}
	res.Files = p.files
	res.Total = len(m.Articles)
	logger.Info("published", "commit", short(head), "articles", res.Articles, "files", res.Files, "full", res.Full)
	return res, nil
}

// trackingChanged reports whether any article of the manifest has
// tracking different from what its page was written with.
func trackingChanged(m *manifest, tr map[string]Tracking) bool {
	for path, t := range tr {
		if r, ok := m.Articles[path]; ok && !r.Track.equal(t) {
			return true
		}
	}
	return false
}

// sourceNames names every source (host) of the manifest: the configured
// source name most of its articles were found by, else the site name most
// of them give, else the host. Ties go to the name first in order, so
// the choice does not depend on which article changed last.
func sourceNames(m *manifest) map[string]string {
	type tally map[string]int
	conf, site := map[string]tally{}, map[string]tally{}
	for path, r := range m.Articles {
		h := hostOf(path)
		if r.Track.Source != "" {
			if conf[h] == nil {
				conf[h] = tally{}
			}
			conf[h][r.Track.Source]++
		}
		if r.Site != "" && r.Site != h {
			if site[h] == nil {
				site[h] = tally{}
			}
			site[h][r.Site]++
		}
	}
	best := func(t tally) string {
		name, n := "", 0
		for k, c := range t {
			if c > n || c == n && k < name {
				name, n = k, c
			}
		}
		return name
	}
	names := map[string]string{}
	for path := range m.Articles {
		h := hostOf(path)
		if _, ok := names[h]; ok {
			continue
		}
		switch {
		case len(conf[h]) > 0:
			names[h] = best(conf[h])
		case len(site[h]) > 0:
			names[h] = best(site[h])
		default:
			names[h] = h
		}
	}
	return names
}

// sourceName is the name of host's source; the host when unknown.
func (p *publisher) sourceName(host string) string {
	if n := p.names[host]; n != "" {
		return n
	}
	return host
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

func readManifest(out Output) *manifest {
	b, err := out.ReadFile(ManifestName)
	if err != nil {
		return nil
	}
	var m manifest
	if json.Unmarshal(b, &m) != nil || m.Version != manifestVersion || m.Articles == nil {
		return nil
	}
	return &m
}

// changedSince returns the paths changed on the branch after commit
// since, or nil when since is not found in the first-parent history (the
// caller then rewrites everything).
func changedSince(arch *archive.Archive, since string) ([]string, error) {
	for n := 64; ; n *= 4 {
		vs, err := arch.Recent(time.Time{}, n)
		if err != nil {
			return nil, fmt.Errorf("publish: %w", err)
		}
		seen := map[string]bool{}
		paths := []string{}
		for _, v := range vs {
			if v.Commit == since {
				sort.Strings(paths)
				return paths, nil
			}
			if v.Path != "" && !seen[v.Path] {
				seen[v.Path] = true
				paths = append(paths, v.Path)
			}
		}
		if len(vs) < n {
			return nil, nil
		}
	}
}

// missingArticles lists the article files at the tip (markdown under a
// site directory) that the manifest does not hold.
func missingArticles(arch *archive.Archive, m *manifest) ([]string, error) {
	paths, err := arch.Paths()
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	var out []string
	for _, p := range paths {
		if _, ok := m.Articles[p]; !ok && archive.IsArticlePath(p) {
			out = append(out, p)
		}
	}
	return out, nil
}

// mergePaths returns the sorted union of a and b.
func mergePaths(a, b []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, p := range append(append([]string{}, a...), b...) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

type publisher struct {
	arch   *archive.Archive
	out    Output
	opts   Options
	loaded map[string]*article
	files  int
	tmpl   *template.Template
	names  map[string]string // source name by host
	err    error             // the first lazy read error (see article.content)
}

func (p *publisher) write(name string, data []byte) error {
	if err := p.out.WriteFile(name, data); err != nil {
		return fmt.Errorf("publish: write %s: %w", name, err)
	}
	p.files++
	return nil
}

// load reads an article's history and every version's bytes; nil when the
// path has no history.
func (p *publisher) load(path string) (*article, error) {
	if a, ok := p.loaded[path]; ok {
		return a, nil
	}
	vs, err := p.arch.History(path)
	if err != nil {
		return nil, fmt.Errorf("publish: history of %s: %w", path, err)
	}
	if len(vs) == 0 {
		p.loaded[path] = nil
		return nil, nil
	}
	n := len(vs)
	a := &article{p: p, path: path, versions: vs, contents: make([][]byte, n), docs: make([]*diff.Doc, n), read: make([]bool, n)}
	p.loaded[path] = a
	return a, nil
}

func (p *publisher) writeStatic() error {
	if err := p.write(".nojekyll", nil); err != nil {
		return err
	}
	return p.write("style.css", []byte(styleCSS))
}

// articleDir is where an article's pages go. Archive paths end in ".md"
// and no directory in them does (see archive.PathFor), so "a/<path>/"
// can never collide with another article's directory or file.
func articleDir(p string) string { return "a/" + p + "/" }

func sourceDir(host string) string { return "s/" + host + "/" }

// diffPage names the page that compares v with the version before it. A
// re-render keeps the number of the version it re-renders, so its page
// is named by its commit too.
func diffPage(v archive.Version) string {
	if v.Rerender() {
		return fmt.Sprintf("v%d-rerender-%.12s.html", v.N, v.Commit)
	}
	return fmt.Sprintf("v%d.html", v.N)
}

// rel returns the prefix that leads from the page at name back to the root.
func rel(name string) string {
	return strings.Repeat("../", strings.Count(name, "/"))
}

func (p *publisher) writeArticle(a *article) error {
	dir := articleDir(a.path)
	if err := p.write(dir+"index.html", p.renderArticle(a, p.opts.Title, dir+"index.html")); err != nil {
		return err
	}
	for i := 1; i < len(a.versions); i++ {
		name := dir + diffPage(a.versions[i])
		if err := p.write(name, p.renderPair(a, i, p.opts.Title, name)); err != nil {
			return err
		}
	}
	entries := []entry{}
	for i := len(a.versions) - 1; i >= 0 && len(entries) < p.opts.FeedEntries; i-- {
		if !a.versions[i].Rerender() { // feeds carry changes; a re-render is not one
			entries = append(entries, entry{a: a, i: i})
		}
	}
	title := titleOf(a.doc(len(a.versions)-1), a.versions[len(a.versions)-1], a.path)
	return p.write(dir+"feed.xml", p.renderFeed(dir+"feed.xml", "article:"+a.path, title, dir+"index.html", entries))
}

// writeSource rewrites a source's page and feed, and the pages of its
// listing that hold dirty or fresh articles (all of them when fresh is
// nil). rows are the source's articles, newest change first.
func (p *publisher) writeSource(host string, rows []indexRow, dirty, fresh map[string]bool) error {
	dir := sourceDir(host)
	name := p.sourceName(host)
	months := listings(rows, dir, dir+"index.html", dir+"feed.xml")
	if err := p.writeListings(months, name, dirty, fresh); err != nil {
		return err
	}
	if err := p.write(dir+"index.html", p.renderSource(rows[:min(len(rows), recentRows)], len(rows), host, name, months, p.opts.Title, dir+"index.html")); err != nil {
		return err
	}
	// The newest versions of the source: walk its articles newest change
	// first until no remaining article can hold a newer version than the
	// oldest entry kept.
	var entries []entry
	for _, r := range rows {
		if len(entries) >= p.opts.FeedEntries && !r.Last.After(entries[len(entries)-1].when()) {
			break
		}
		a, err := p.load(r.Path)
		if err != nil {
			return err
		}
		if a == nil {
			continue
		}
		for i := len(a.versions) - 1; i >= 0 && i >= len(a.versions)-p.opts.FeedEntries; i-- {
			if !a.versions[i].Rerender() {
				entries = append(entries, entry{a: a, i: i})
			}
		}
		sortEntries(entries)
		if len(entries) > p.opts.FeedEntries {
			entries = entries[:p.opts.FeedEntries]
		}
	}
	return p.write(dir+"feed.xml", p.renderFeed(dir+"feed.xml", "source:"+host, name, dir+"index.html", entries))
}

// writeIndex writes index.html (the newest changes and the listing by
// month) and the listing pages that hold dirty or fresh articles.
func (p *publisher) writeIndex(rows []indexRow, dirty, fresh map[string]bool) error {
	months := listings(rows, "", "index.html", "feed.xml")
	if err := p.writeListings(months, p.opts.Title, dirty, fresh); err != nil {
		return err
	}
	var sources []sourceLink
	for _, h := range sortedKeysS(p.names) {
		sources = append(sources, sourceLink{Name: p.names[h], Href: sourceDir(h) + "index.html"})
	}
	return p.write("index.html", p.renderIndex(rows[:min(len(rows), recentRows)], len(rows), sources, months, p.opts.Title))
}

// writeListings writes the listing pages that must change: on a full run
// (fresh nil) every page; otherwise each page holding a dirty article,
// and for an article new to a month every page from the one before its
// place to the end, since the rows after it move and the page before
// may gain a "next" link.
func (p *publisher) writeListings(ls []*listing, upName string, dirty, fresh map[string]bool) error {
	for _, l := range ls {
		n := l.pages()
		redo := make([]bool, n)
		for i, r := range l.rows {
			switch {
			case fresh == nil:
				redo[i/listingRows] = true
			case fresh[r.Path]:
				for k := max(i/listingRows-1, 0); k < n; k++ {
					redo[k] = true
				}
			case dirty[r.Path]:
				redo[i/listingRows] = true
			}
		}
		for k := range n {
			if redo[k] {
				if err := p.write(l.file(k), p.renderListing(l, k, upName, p.opts.Title)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (p *publisher) writeSiteFeed() error {
	vs, err := p.arch.Recent(time.Time{}, p.opts.FeedEntries)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	var entries []entry
	for _, v := range vs {
		if v.Path == "" || v.Rerender() {
			continue
		}
		a, err := p.load(v.Path)
		if err != nil {
			return err
		}
		if a == nil {
			continue
		}
		for i := range a.versions {
			if a.versions[i].Commit == v.Commit {
				entries = append(entries, entry{a: a, i: i})
				break
			}
		}
	}
	sortEntries(entries)
	return p.write("feed.xml", p.renderFeed("feed.xml", "site", p.opts.Title, "index.html", entries))
}

// entry is one version in a feed.
type entry struct {
	a *article
	i int
}

func (e entry) v() archive.Version { return e.a.versions[e.i] }
func (e entry) when() time.Time    { return e.a.versions[e.i].When }

// sortEntries orders newest first, then by commit, so ties are stable.
func sortEntries(es []entry) {
	slices.SortStableFunc(es, func(x, y entry) int {
		if c := y.when().Compare(x.when()); c != 0 {
			return c
		}
		return strings.Compare(x.v().Commit, y.v().Commit)
	})
}

// indexRow is one article in an index or source page.
type indexRow struct {
	manifestRecord
	Path string
}

// indexRows lists the manifest's articles (only host's when host is not
// empty), newest change first, then by path.
func indexRows(m *manifest, host string) []indexRow {
	rows := make([]indexRow, 0, len(m.Articles))
	for p, r := range m.Articles {
		if host != "" && hostOf(p) != host {
			continue
		}
		rows = append(rows, indexRow{manifestRecord: r, Path: p})
	}
	slices.SortFunc(rows, func(x, y indexRow) int {
		if c := y.Last.Compare(x.Last); c != 0 {
			return c
		}
		return strings.Compare(x.Path, y.Path)
	})
	return rows
}

func sortedKeysT(m map[string]Tracking) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func sortedKeys(m map[string]bool) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
