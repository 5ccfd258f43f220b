package publish

import (
	"encoding/xml"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stet-archive/stet/archive"
	"golang.org/x/net/html"
)

// publishRich publishes the news fixture and richStory into a folder.
func publishRich(t *testing.T, opts Options) string {
	t.Helper()
	arch, s, _ := newArchive(t)
	newsFixture(t, s)
	richFixture(t, s)
	out := t.TempDir()
	if _, err := Publish(arch, Dir(out), opts); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	return out
}

// atomDoc is an Atom document read loosely, so that the test, not the
// decoder, decides what is missing.
type atomDoc struct {
	XMLName xml.Name
	Title   []atomTextEl  `xml:"title"`
	ID      []string      `xml:"id"`
	Updated []string      `xml:"updated"`
	Author  []atomAuthor  `xml:"author"`
	Links   []atomLinkEl  `xml:"link"`
	Entries []atomEntryEl `xml:"entry"`
}

type atomTextEl struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomAuthor struct {
	Name []string `xml:"name"`
}

type atomLinkEl struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
	Href string `xml:"href,attr"`
}

type atomEntryEl struct {
	Title     []atomTextEl `xml:"title"`
	ID        []string     `xml:"id"`
	Updated   []string     `xml:"updated"`
	Published []string     `xml:"published"`
	Author    []atomAuthor `xml:"author"`
	Links     []atomLinkEl `xml:"link"`
	Summary   []atomTextEl `xml:"summary"`
	Content   []atomTextEl `xml:"content"`
}

// TestFeedsAreValidAtom checks every feed against what RFC 4287 requires
// (section 4.1.1 for the feed, 4.1.2 for entries): the Atom namespace;
// exactly one id (an absolute IRI), title and updated (an RFC 3339
// date) on the feed and on each entry; an author on every entry (here
// each has its own); a self link and at most one alternate link per
// type; text constructs typed text, html or xhtml; content typed html
// carrying rendered HTML, with no markdown syntax left.
func TestFeedsAreValidAtom(t *testing.T) {
	out := publishRich(t, Options{Title: "Atom test"})
	feeds, _ := filepath.Glob(filepath.Join(out, "*.xml"))
	more, _ := filepath.Glob(filepath.Join(out, "*", "*", "feed.xml"))
	deeper, _ := filepath.Glob(filepath.Join(out, "a", "*", "*", "*", "feed.xml"))
	feeds = append(append(feeds, more...), deeper...)
	if len(feeds) < 5 {
		t.Fatalf("found %d feeds, want the site's, two sources' and the articles'", len(feeds))
	}
	sawRich := false
	for _, name := range feeds {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var f atomDoc
		if err := xml.Unmarshal(b, &f); err != nil {
			t.Errorf("%s: not XML: %v", name, err)
			continue
		}
		rel, _ := filepath.Rel(out, name)
		if f.XMLName.Space != atomNS || f.XMLName.Local != "feed" {
			t.Errorf("%s: root is {%s}%s, want {%s}feed", rel, f.XMLName.Space, f.XMLName.Local, atomNS)
		}
		checkOne(t, rel+" feed id", f.ID, checkIRI)
		checkOne(t, rel+" feed updated", f.Updated, checkDate)
		checkText(t, rel+" feed title", f.Title)
		if len(f.Author) == 0 || len(f.Author[0].Name) != 1 || f.Author[0].Name[0] == "" {
			t.Errorf("%s: feed author without exactly one name", rel)
		}
		checkLinks(t, rel+" feed", f.Links, true)
		for i, e := range f.Entries {
			where := rel + " entry " + itoa(i)
			checkOne(t, where+" id", e.ID, checkIRI)
			checkOne(t, where+" updated", e.Updated, checkDate)
			checkText(t, where+" title", e.Title)
			for _, p := range e.Published {
				checkDate(t, where+" published", p)
			}
			if len(e.Author) != 1 || len(e.Author[0].Name) != 1 || e.Author[0].Name[0] == "" {
				t.Errorf("%s: want one author with one name", where)
			}
			checkLinks(t, where, e.Links, false)
			if len(e.Content) != 1 || e.Content[0].Type != "html" {
				t.Errorf("%s: want one content of type html", where)
				continue
			}
			c := e.Content[0].Body
			checkSafeHTML(t, where+" content", c)
			for _, syntax := range []string{"](", "![", "**", "\n- "} {
				if strings.Contains(c, syntax) {
					t.Errorf("%s: content shows markdown syntax %q:\n%s", where, syntax, c)
				}
			}
			if strings.Contains(c, "revised") && strings.Contains(c, `<a href="https://council.example/plan-v2"`) && strings.Contains(c, "<ins>") {
				sawRich = true
			}
		}
	}
	if !sawRich {
		t.Errorf("no feed entry carries the rich story's change as HTML with a link and marks")
	}
}

func checkOne(t *testing.T, what string, vals []string, check func(*testing.T, string, string)) {
	t.Helper()
	if len(vals) != 1 {
		t.Errorf("%s: %d elements, want exactly 1", what, len(vals))
		return
	}
	check(t, what, vals[0])
}

func checkIRI(t *testing.T, what, v string) {
	t.Helper()
	if u, err := url.Parse(v); err != nil || u.Scheme == "" {
		t.Errorf("%s %q is not an absolute IRI", what, v)
	}
}

func checkDate(t *testing.T, what, v string) {
	t.Helper()
	if _, err := time.Parse(time.RFC3339, v); err != nil {
		t.Errorf("%s %q is not an RFC 3339 date: %v", what, v, err)
	}
}

func checkText(t *testing.T, what string, ts []atomTextEl) {
	t.Helper()
	if len(ts) != 1 {
		t.Errorf("%s: %d elements, want exactly 1", what, len(ts))
		return
	}
	switch ts[0].Type {
	case "", "text", "html", "xhtml":
	default:
		t.Errorf("%s: type %q", what, ts[0].Type)
	}
	if strings.TrimSpace(ts[0].Body) == "" {
		t.Errorf("%s is empty", what)
	}
}

func checkLinks(t *testing.T, what string, ls []atomLinkEl, wantSelf bool) {
	t.Helper()
	alternates := map[string]int{}
	self := false
	for _, l := range ls {
		if l.Href == "" {
			t.Errorf("%s: link without href", what)
		}
		switch l.Rel {
		case "", "alternate":
			alternates[l.Type]++
		case "self":
			self = true
		}
	}
	for typ, n := range alternates {
		if n > 1 {
			t.Errorf("%s: %d alternate links of type %q, RFC 4287 allows one", what, n, typ)
		}
	}
	if len(alternates) == 0 {
		t.Errorf("%s: no alternate link", what)
	}
	if wantSelf && !self {
		t.Errorf("%s: no self link", what)
	}
}

// TestEveryLinkResolves walks the published site, relative links and
// under a base URL, and follows every link of every page and feed that
// stays on the site: each must name a file that exists, and a fragment
// must name an element of that page.
func TestEveryLinkResolves(t *testing.T) {
	for _, base := range []string{"", "https://archive.example/news/"} {
		out := publishRich(t, Options{Title: "Links", BaseURL: base})
		files := readTree(t, out)
		ids := map[string]map[string]bool{}
		idsOf := func(name string) map[string]bool {
			if m, ok := ids[name]; ok {
				return m
			}
			m := map[string]bool{}
			if doc, err := html.Parse(strings.NewReader(files[name])); err == nil {
				var walk func(*html.Node)
				walk = func(n *html.Node) {
					if id := attr(n, "id"); n.Type == html.ElementNode && id != "" {
						m[id] = true
					}
					for c := n.FirstChild; c != nil; c = c.NextSibling {
						walk(c)
					}
				}
				walk(doc)
			}
			ids[name] = m
			return m
		}
		checked := 0
		for name, data := range files {
			var links []string
			switch {
			case strings.HasSuffix(name, ".html"):
				doc, err := html.Parse(strings.NewReader(data))
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				for _, n := range findAll(doc, func(n *html.Node) bool { return attr(n, "href") != "" }) {
					links = append(links, attr(n, "href"))
				}
			case strings.HasSuffix(name, ".xml"):
				var f atomDoc
				if err := xml.Unmarshal([]byte(data), &f); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				for _, l := range f.Links {
					links = append(links, l.Href)
				}
				for _, e := range f.Entries {
					for _, l := range e.Links {
						links = append(links, l.Href)
					}
				}
			default:
				continue
			}
			for _, l := range links {
				target, frag, internal := resolveLink(name, l, base)
				if !internal {
					continue
				}
				checked++
				if _, ok := files[target]; !ok {
					t.Errorf("base %q: %s links to %q: %s does not exist", base, name, l, target)
					continue
				}
				if frag != "" && !idsOf(target)[frag] {
					t.Errorf("base %q: %s links to %q: no element with id %q", base, name, l, frag)
				}
			}
		}
		if checked < 50 {
			t.Errorf("base %q: only %d internal links checked", base, checked)
		}
	}
}

// resolveLink resolves href found in the file from (a site path) to a
// site path and fragment; internal is false for links off the site.
func resolveLink(from, href, base string) (target, frag string, internal bool) {
	u, err := url.Parse(href)
	if err != nil {
		return "", "", false
	}
	frag = u.Fragment
	if u.IsAbs() {
		if base == "" || !strings.HasPrefix(href, base) {
			return "", "", false
		}
		p := strings.TrimPrefix(strings.SplitN(href, "#", 2)[0], base)
		return p, frag, true
	}
	if u.Path == "" {
		return from, frag, true
	}
	return path.Clean(path.Join(path.Dir(from), u.Path)), frag, true
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// TestIndexIsPaged: with more articles than fit on a page, the index
// lists the newest changes and links every listing page; each article is
// on exactly one page of the site's listing; and a change to one old
// article rewrites the one listing page that shows it, not the others.
func TestIndexIsPaged(t *testing.T) {
	dir := t.TempDir()
	const n = 2*listingRows + 10
	fastImport(t, dir, n, 2)
	arch, err := archive.Open(dir, archive.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer arch.Close()
	out := t.TempDir()
	if _, err := Publish(arch, Dir(out), Options{}); err != nil {
		t.Fatal(err)
	}
	idx, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if got := strings.Count(string(idx), "<li><a href=\"a/"); got != recentRows {
		t.Errorf("index lists %d articles, want %d", got, recentRows)
	}
	pages, _ := filepath.Glob(filepath.Join(out, "m", "*.html"))
	if len(pages) != 3 {
		t.Fatalf("listing pages %v, want 3", pages)
	}
	seen := map[string]int{}
	for _, p := range pages {
		if !strings.Contains(string(idx), `href="m/`+filepath.Base(p)+`"`) {
			t.Errorf("index does not link %s", filepath.Base(p))
		}
		b, _ := os.ReadFile(p)
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "<li><a href=\"../a/") {
				seen[l]++
			}
		}
	}
	if len(seen) != n {
		t.Errorf("listing pages show %d distinct articles, want %d", len(seen), n)
	}
	// Touch the first article (page 1); pages 2 and 3 must stay as they are.
	for _, p := range pages[1:] {
		if err := os.WriteFile(p, []byte("sentinel"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s := &saver{t: t, arch: arch, n: map[string]int{"https://news00.example.com/section/story-00000": 1}}
	s.save(doc{url: "https://news00.example.com/section/story-00000", title: "Story 0, updated", site: "News 00", body: "New words."}, t0.Add(time.Duration(n+1)*time.Second))
	if _, err := Publish(arch, Dir(out), Options{}); err != nil {
		t.Fatal(err)
	}
	for _, p := range pages[1:] {
		if b, _ := os.ReadFile(p); string(b) != "sentinel" {
			t.Errorf("%s was rewritten for a change on page 1", filepath.Base(p))
		}
	}
	if b, _ := os.ReadFile(pages[0]); !strings.Contains(string(b), "Story 0, updated") {
		t.Errorf("%s does not show the changed title", filepath.Base(pages[0]))
	}
}

// TestTrackingRewritesPage: an article whose schedule state changed (a
// new check, nothing new in git) gets its page rewritten with the new
// times, and no other page is; the result equals a full run's.
func TestTrackingRewritesPage(t *testing.T) {
	arch, s, _ := newArchive(t)
	newsFixture(t, s)
	minister, moon := "news.example.com/politics/minister.html.md", "other.example.org/science/moon.md"
	tr := map[string]Tracking{
		minister: {Source: "Example feeds", FirstSeen: t0, LastChecked: t0.Add(28 * time.Hour), NextCheck: t0.Add(30 * time.Hour)},
		moon:     {Source: "Science desk", FirstSeen: t0, LastChecked: t0.Add(time.Hour), Retired: true},
	}
	out := t.TempDir()
	if _, err := Publish(arch, Dir(out), Options{Tracking: tr}); err != nil {
		t.Fatal(err)
	}
	page := func(p string) string {
		b, _ := os.ReadFile(filepath.Join(out, "a", p, "index.html"))
		return string(b)
	}
	for _, w := range []string{`<dd><a href="../../../../s/news.example.com/index.html">Example feeds</a></dd>`,
		`<dt>Last checked</dt><dd><time datetime="2026-11-27T13:00:00Z">27 Nov 2026 13:00 UTC</time></dd>`,
		`<dt>Next check</dt><dd><time datetime="2026-11-27T15:00:00Z">27 Nov 2026 15:00 UTC</time> or later</dd>`} {
		if !strings.Contains(page(minister), w) {
			t.Errorf("minister page lacks %s", w)
		}
	}
	if !strings.Contains(page(moon), "no longer checked") {
		t.Errorf("retired article's page does not say it is no longer checked")
	}
	if idx, _ := os.ReadFile(filepath.Join(out, "index.html")); !strings.Contains(string(idx), ">Science desk</a>") {
		t.Errorf("index does not name the source by its configured name")
	}

	storm := filepath.Join(out, "a/news.example.com/world/storm.md/index.html")
	if err := os.WriteFile(storm, []byte("sentinel"), 0o644); err != nil {
		t.Fatal(err)
	}
	e := tr[minister]
	e.LastChecked, e.NextCheck = t0.Add(31*time.Hour), t0.Add(40*time.Hour)
	tr[minister] = e
	res, err := Publish(arch, Dir(out), Options{Tracking: tr})
	if err != nil {
		t.Fatal(err)
	}
	if res.Unchanged || res.Full || res.Articles != 1 {
		t.Errorf("Publish after a check = %+v, want one page rewritten", res)
	}
	if !strings.Contains(page(minister), `datetime="2026-11-27T16:00:00Z"`) {
		t.Errorf("minister page does not show the new check")
	}
	if b, _ := os.ReadFile(storm); string(b) != "sentinel" {
		t.Errorf("an article whose tracking did not change was rewritten")
	}
	if res, _ := Publish(arch, Dir(out), Options{Tracking: tr}); !res.Unchanged {
		t.Errorf("Publish with nothing new = %+v, want Unchanged", res)
	}
	full := t.TempDir()
	if _, err := Publish(arch, Dir(full), Options{Tracking: tr}); err != nil {
		t.Fatal(err)
	}
	a, b := readTree(t, out), readTree(t, full)
	delete(a, "a/news.example.com/world/storm.md/index.html")
	delete(b, "a/news.example.com/world/storm.md/index.html")
	if d := cmp.Diff(b, a); d != "" {
		t.Errorf("incremental output differs from a full run (-full +incremental):\n%s", d)
	}
}
