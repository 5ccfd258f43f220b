package publish

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mmcdole/gofeed"
	"github.com/stet-archive/stet/archive"
	"golang.org/x/net/html"
)

// newsFixture saves a small archive: two sources, three articles, one
// of them edited twice.
func newsFixture(t testing.TB, s *saver) {
	story := doc{
		url: "https://news.example.com/politics/minister.html", title: "Minister resigns", site: "Example News", byline: "Jane Smith",
		body: "The minister resigned on Tuesday.\nShe gave no reason.\n\nThe opposition welcomed the news.",
	}
	s.save(story, t0)
	s.save(doc{url: "https://other.example.org/science/moon", title: "Water found on the Moon", site: "Other Paper",
		body: "Scientists found water.\n\n## Details\n\n- in craters\n- near the pole\n\n> \"A big day,\" one said.\n\nRead [the paper](https://journal.example/p) or *not*."}, t0.Add(30*time.Minute))
	story.title = "Minister resigns after vote"
	story.body = "The minister resigned on Tuesday evening.\nShe gave no reason.\n\nThe opposition welcomed the news.\n\nCorrection: an earlier version misspelled her name."
	s.save(story, t0.Add(3*time.Hour))
	s.save(doc{url: "https://news.example.com/world/storm", title: "Storm nears coast", site: "Example News",
		body: "A storm is expected tonight."}, t0.Add(4*time.Hour))
	story.body = strings.Replace(story.body, "She gave no reason.", "She cited health reasons.", 1)
	s.save(story, t0.Add(27*time.Hour))
}

func TestPublishGolden(t *testing.T) {
	arch, s, _ := newArchive(t)
	newsFixture(t, s)
	out := t.TempDir()
	res, err := Publish(arch, Dir(out), Options{Title: "Test archive"})
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if !res.Full || res.Articles != 3 || res.Total != 3 {
		t.Errorf("Publish result = %+v, want a full run over 3 articles", res)
	}
	got := readTree(t, out)
	// The manifest holds a commit hash, which depends on go-git's
	// encoding; check its shape, not its bytes.
	delete(got, ManifestName)
	goldenTree(t, "testdata/golden/news", got)

	// Publishing the same head again writes nothing.
	res, err = Publish(arch, Dir(out), Options{Title: "Test archive"})
	if err != nil || !res.Unchanged || res.Files != 0 {
		t.Errorf("second Publish = %+v, %v; want Unchanged and no files", res, err)
	}
}

func TestPublishDeterministic(t *testing.T) {
	arch, s, _ := newArchive(t)
	newsFixture(t, s)
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if _, err := Publish(arch, Dir(dir), Options{}); err != nil {
			t.Fatalf("Publish: %v", err)
		}
	}
	if diff := cmp.Diff(readTree(t, a), readTree(t, b)); diff != "" {
		t.Errorf("two runs differ (-first +second):\n%s", diff)
	}
}

func TestFeedsParseWithUniqueIDs(t *testing.T) {
	arch, s, _ := newArchive(t)
	newsFixture(t, s)
	out := t.TempDir()
	if _, err := Publish(arch, Dir(out), Options{BaseURL: "https://archive.example/"}); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	tests := []struct {
		feed    string
		entries int
	}{
		{"feed.xml", 5},
		{"s/news.example.com/feed.xml", 4},
		{"s/other.example.org/feed.xml", 1},
		{"a/news.example.com/politics/minister.html.md/feed.xml", 3},
	}
	for _, tt := range tests {
		t.Run(tt.feed, func(t *testing.T) {
			f, err := os.Open(filepath.Join(out, tt.feed))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			feed, err := gofeed.NewParser().Parse(f)
			if err != nil {
				t.Fatalf("gofeed Parse: %v", err)
			}
			if feed.FeedType != "atom" {
				t.Errorf("FeedType = %q, want atom", feed.FeedType)
			}
			if len(feed.Items) != tt.entries {
				t.Errorf("%d entries, want %d", len(feed.Items), tt.entries)
			}
			seen := map[string]bool{}
			for i, it := range feed.Items {
				if it.GUID == "" || seen[it.GUID] {
					t.Errorf("entry %d id %q empty or repeated", i, it.GUID)
				}
				seen[it.GUID] = true
				if !strings.HasPrefix(it.Link, "https://archive.example/a/") {
					t.Errorf("entry %d link %q not under the base URL", i, it.Link)
				}
				if i > 0 && it.UpdatedParsed.After(*feed.Items[i-1].UpdatedParsed) {
					t.Errorf("entry %d newer than entry %d", i, i-1)
				}
			}
		})
	}
}

// hostile is article text written to break out of every context.
const hostile = `<script>alert(1)</script> "quoted" 'single' & &amp; </p></div>` + "\x00\x01\x1b[31m\u202e\ufeff"

func TestEscapingHostileArticle(t *testing.T) {
	arch, s, _ := newArchive(t)
	d := doc{
		url:    "https://evil.example/x?<script>=1&q=\"'",
		title:  hostile + " title",
		site:   hostile + " site",
		byline: hostile,
		body: hostile + "\n\n" +
			"[click](javascript:alert(1)) [data](data:text/html,<script>alert(2)</script>) ![img](javascript:alert(3))\n\n" +
			"<img src=x onerror=alert(4)>\n\n" +
			"## " + hostile + "\n\n- " + hostile + "\n\n> " + hostile + "\n\n```\n</code></pre><script>alert(5)</script>\n```\n\n" +
			"]]> <![CDATA[ x ]]> --> <!--",
	}
	s.save(d, t0)
	d.body += "\n\n" + hostile + " again <iframe src=//evil.example>"
	d.title = "<b>bold</b> " + hostile
	s.save(d, t0.Add(time.Hour))
	out := t.TempDir()
	if _, err := Publish(arch, Dir(out), Options{}); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	files := readTree(t, out)
	for name, data := range files {
		switch {
		case strings.HasSuffix(name, ".html"):
			checkSafeHTML(t, name, data)
		case strings.HasSuffix(name, ".xml"):
			f, err := gofeed.NewParser().ParseString(data)
			if err != nil {
				t.Errorf("%s: gofeed: %v", name, err)
				continue
			}
			for _, it := range f.Items {
				checkSafeHTML(t, name+" entry", it.Content)
			}
		}
	}
	if !strings.Contains(strings.Join(mapValues(files), ""), "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("escaped hostile text not found in any page")
	}
}

func mapValues(m map[string]string) []string {
	var vs []string
	for _, v := range m {
		vs = append(vs, v)
	}
	return vs
}

// allowedTags are the only elements our pages may contain.
var allowedTags = map[string]bool{
	"html": true, "head": true, "body": true, "meta": true, "title": true, "link": true,
	"header": true, "main": true, "nav": true, "article": true, "h1": true, "h2": true, "h3": true,
	"h4": true, "h5": true, "h6": true, "p": true, "a": true, "ol": true, "ul": true, "li": true,
	"dl": true, "dt": true, "dd": true, "time": true, "strong": true, "em": true, "code": true,
	"pre": true, "blockquote": true, "del": true, "ins": true, "div": true, "span": true, "br": true,
	"figure": true, "figcaption": true,
}

// checkSafeHTML parses page and fails on any element outside
// allowedTags, any event-handler or style attribute, and any link that is
// not relative, http(s) or mailto.
func checkSafeHTML(t *testing.T, name, page string) {
	t.Helper()
	root, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatalf("%s: parse: %v", name, err)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if !allowedTags[n.Data] {
				t.Errorf("%s: element <%s> in output", name, n.Data)
			}
			for _, a := range n.Attr {
				k := strings.ToLower(a.Key)
				if strings.HasPrefix(k, "on") || k == "style" || k == "src" {
					t.Errorf("%s: attribute %s=%q on <%s>", name, a.Key, a.Val, n.Data)
				}
				if k == "href" {
					v := strings.ToLower(strings.TrimSpace(a.Val))
					if strings.Contains(v, ":") && !strings.HasPrefix(v, "http://") && !strings.HasPrefix(v, "https://") && !strings.HasPrefix(v, "mailto:") {
						t.Errorf("%s: unsafe href %q", name, a.Val)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
}

func TestIncrementalRewritesOnlyChangedArticles(t *testing.T) {
	arch, s, _ := newArchive(t)
	newsFixture(t, s)
	out := t.TempDir()
	if _, err := Publish(arch, Dir(out), Options{}); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	// Mark an untouched article's page: an incremental run must not
	// rewrite it.
	moon := filepath.Join(out, "a/other.example.org/science/moon.md/index.html")
	if err := os.WriteFile(moon, []byte("sentinel"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.save(doc{url: "https://news.example.com/world/storm", title: "Storm hits coast", site: "Example News",
		body: "The storm arrived tonight."}, t0.Add(30*time.Hour))
	res, err := Publish(arch, Dir(out), Options{})
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if res.Full || res.Articles != 1 {
		t.Errorf("incremental Publish = %+v, want 1 article, not full", res)
	}
	if b, _ := os.ReadFile(moon); string(b) != "sentinel" {
		t.Errorf("unchanged article page was rewritten")
	}
	if b, _ := os.ReadFile(filepath.Join(out, "a/news.example.com/world/storm.md/v2.html")); !bytes.Contains(b, []byte("<ins>arrived</ins>")) {
		t.Errorf("new diff page missing or without the change:\n%s", b)
	}
	idx, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if i, j := bytes.Index(idx, []byte("Storm hits coast")), bytes.Index(idx, []byte("Minister resigns")); i < 0 || j < 0 || i > j {
		t.Errorf("index not sorted by last change (storm at %d, minister at %d)", i, j)
	}

	// The same run from scratch gives the same files, apart from the
	// page we marked.
	full := t.TempDir()
	if _, err := Publish(arch, Dir(full), Options{}); err != nil {
		t.Fatal(err)
	}
	a, b := readTree(t, out), readTree(t, full)
	delete(a, "a/other.example.org/science/moon.md/index.html")
	delete(b, "a/other.example.org/science/moon.md/index.html")
	if diff := cmp.Diff(b, a); diff != "" {
		t.Errorf("incremental output differs from a full run (-full +incremental):\n%s", diff)
	}
}

// TestRerenderIsNotAChange: a re-render commit (same Stet-Version, a
// Stet-Rerender trailer) gets its own comparison page, is not counted as a
// change, and stays out of the feeds, and the edit it follows keeps its
// page.
func TestRerenderIsNotAChange(t *testing.T) {
	arch, s, _ := newArchive(t)
	story := doc{url: "https://news.example.com/world/storm", title: "Storm nears coast", site: "Example News", body: "A storm is expected tonight."}
	s.save(story, t0)
	story.body = "A storm is expected tonight.\n\nSchools are closed."
	s.save(story, t0.Add(time.Hour))
	p, _ := archive.PathFor(story.url)
	rerendered := append(story.markdown(), "\nRendered anew.\n"...)
	rc, changed, err := arch.Save(archive.Change{Path: p, Content: rerendered, When: t0.Add(2 * time.Hour),
		Message: "Example News: Storm nears coast\n\nRe-rendered by extractor stet-extract/9 (not an edit)\n\nStet-Url: " + story.url +
			"\nStet-Version: 2\nStet-Rerender: stet-extract/8\n"})
	if err != nil || !changed {
		t.Fatalf("save re-render: %v %v", changed, err)
	}
	out := t.TempDir()
	if _, err := Publish(arch, Dir(out), Options{}); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(out, "a/news.example.com/world/storm.md")
	edit, _ := os.ReadFile(filepath.Join(dir, "v2.html"))
	if !bytes.Contains(edit, []byte("Schools")) {
		t.Errorf("v2.html no longer shows the edit:\n%s", edit)
	}
	re, err := os.ReadFile(filepath.Join(dir, "v2-rerender-"+rc[:12]+".html"))
	if err != nil || !bytes.Contains(re, []byte("Rendered anew")) {
		t.Errorf("re-render page: %v\n%s", err, re)
	}
	page, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	for _, want := range []string{"<dd>The article has changed once (2 versions)</dd>", "Version 2, re-rendered", "Re-rendered by extractor stet-extract/9"} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("article page lacks %q:\n%s", want, page)
		}
	}
	if idx, _ := os.ReadFile(filepath.Join(out, "index.html")); !bytes.Contains(idx, []byte("changed once")) {
		t.Errorf("index does not say changed once:\n%s", idx)
	}
	for _, feed := range []string{"feed.xml", "a/news.example.com/world/storm.md/feed.xml", "s/news.example.com/feed.xml"} {
		b, err := os.ReadFile(filepath.Join(out, feed))
		if err != nil {
			t.Errorf("%s: %v", feed, err)
			continue
		}
		if bytes.Contains(b, []byte(rc)) || bytes.Count(b, []byte("<entry>")) != 2 {
			t.Errorf("%s: want the 2 versions and no re-render entry:\n%s", feed, b)
		}
	}
}
