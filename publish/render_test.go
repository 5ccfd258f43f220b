package publish

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stet-archive/stet/diff"
	"golang.org/x/net/html"
)

// richStory is an article whose versions change links, emphasis, an
// image's caption and a list, so the diff page has every kind of block.
var richStory = []string{
	"The council met on *Monday*.\nIt approved [the plan](https://council.example/plan).\n\n" +
		"![A crowd outside the hall](https://cdn.example/crowd.jpg)\n\n*Protesters gathered outside.*\n\n" +
		"- roads\n- schools\n\n**Budget** talks go on.",
	"The council met on *Monday evening*.\nIt approved [the revised plan](https://council.example/plan-v2).\n\n" +
		"![A crowd outside the hall](https://cdn.example/crowd.jpg)\n\n*Hundreds of protesters gathered outside.*\n\n" +
		"- roads\n- schools\n- parks\n\n**Budget** talks go on.",
	"The council met on *Monday evening*.\nIt approved [the revised plan](https://council.example/plan-v2) by one vote.\n\n" +
		"![A crowd outside the hall](https://cdn.example/crowd.jpg)\n\n*Hundreds of protesters gathered outside.*\n\n" +
		"- roads\n- schools\n- parks\n\n**Budget** talks go on.",
}

// richFixture saves richStory's versions, three hours and a day apart.
func richFixture(t testing.TB, s *saver) string {
	t.Helper()
	u := "https://news.example.com/local/council"
	for i, body := range richStory {
		s.save(doc{url: u, title: "Council approves plan", site: "Example News", body: body},
			t0.Add([]time.Duration{0, 3 * time.Hour, 27 * time.Hour}[i]))
	}
	return "a/news.example.com/local/council.md/"
}

var markTag = regexp.MustCompile(`</?(del|ins)>`)

// TestRenderOpsKeepsText: one side of a rendered word diff, with its
// <del>/<ins> tags taken out, is exactly that side's block rendered on
// its own, so marking never changes what the reader sees; and the marks
// cover the changed words.
func TestRenderOpsKeepsText(t *testing.T) {
	tests := []struct {
		name, old, new string
		wantOld        []string
		wantNew        []string
	}{
		{"emphasis", "Met on *Monday*.", "Met on *Monday evening*.", nil, []string{"<em>Monday <ins>evening</ins></em>"}},
		{"link text and target", "See [the plan](https://x.example/a).", "See [the new plan](https://x.example/b).",
			[]string{`href="https://x.example/a"`}, []string{`href="https://x.example/b"`, "<ins>new</ins>"}},
		{"list item added", "- roads\n- schools", "- roads\n- schools\n- parks", nil, []string{"<li><ins>parks</ins></li>"}},
		{"sentence added", "One.", "One.\nTwo.", nil, []string{"<p>One. <ins>Two.</ins></p>"}},
		{"word removed", "A *big* day.", "A day.", []string{"<del>big</del>"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := diff.Compare([]byte("# T\n\n"+tt.old+"\n"), []byte("# T\n\n"+tt.new+"\n"))
			if len(d.Paragraphs) != 1 {
				t.Fatalf("Compare gave %d paragraphs, want 1", len(d.Paragraphs))
			}
			pd := d.Paragraphs[0]
			for _, c := range []struct {
				s    side
				text string
				want []string
			}{{oldSide, tt.old, tt.wantOld}, {newSide, tt.new, tt.wantNew}} {
				got := renderOps(pd.Ops, c.s)
				plain := renderMarkdown(diff.Parse([]byte("# T\n\n" + c.text + "\n")))
				if stripped := markTag.ReplaceAllString(got, ""); stripped != plain {
					t.Errorf("renderOps side %d without marks =\n%s\nwant\n%s", c.s, stripped, plain)
				}
				for _, w := range c.want {
					if !strings.Contains(got, w) {
						t.Errorf("renderOps side %d = %s\nwant it to contain %s", c.s, got, w)
					}
				}
				if strings.ContainsFunc(got, isMark) {
					t.Errorf("mark runes left in %q", got)
				}
			}
		})
	}
}

// FuzzRenderOps: for any two versions, each side of every rendered row,
// without its marks, is the block rendered alone, the HTML holds only our
// elements, and no mark rune is left.
func FuzzRenderOps(f *testing.F) {
	f.Add([]byte(richStory[0]), []byte(richStory[1]))
	f.Add([]byte("- a\n- b"), []byte("1. a\n2. c"))
	f.Add([]byte("[x](https://a.example/\uE000)"), []byte("> *q* [y](https://b.example/)"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		if !utf8.Valid(a) || !utf8.Valid(b) {
			return // article files are UTF-8; cleaning splits bad bytes differently per side
		}
		oldMD, newMD := append([]byte("# T\n\n"), a...), append([]byte("# T\n\n"), b...)
		d := diff.Compare(oldMD, newMD)
		for _, pd := range d.Paragraphs {
			if pd.Kind == diff.KindCode {
				continue
			}
			for _, c := range []struct {
				s    side
				text string
			}{{oldSide, pd.Old()}, {newSide, pd.New()}, {both, ""}} {
				got := renderOps(pd.Ops, c.s)
				checkFragment(t, got)
				if strings.ContainsFunc(got, isMark) {
					t.Fatalf("mark runes left in %q", got)
				}
				if c.s == both || c.text == "" {
					continue
				}
				var want strings.Builder
				renderBlock(&want, sanitizeLines(strings.Split(c.text, "\n")), 0)
				if stripped := markTag.ReplaceAllString(got, ""); stripped != want.String() {
					t.Fatalf("side %d without marks =\n%q\nwant\n%q", c.s, stripped, want.String())
				}
			}
		}
	})
}

// TestDiffPageRendersMarkdown publishes richStory and checks its diff
// page: no markdown syntax in any cell, links are anchors, the image and
// its caption are one figure, lists are lists, changed words are marked,
// the gap reads "about 3 hours later", and prev/next links sit at the top
// and the bottom.
func TestDiffPageRendersMarkdown(t *testing.T) {
	arch, s, _ := newArchive(t)
	dir := richFixture(t, s)
	out := t.TempDir()
	if _, err := Publish(arch, Dir(out), Options{Title: "Rich"}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, dir, "v2.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	checkSafeHTML(t, "v2.html", page)
	root, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	cells := textOf(findAll(root, func(n *html.Node) bool { return hasClass(n, "cell") }))
	for _, syntax := range []string{"](", "![", "**", "*Monday", "- roads", "\n- "} {
		if strings.Contains(cells, syntax) {
			t.Errorf("diff cells show markdown syntax %q:\n%s", syntax, cells)
		}
	}
	for _, want := range []string{
		`<a href="https://council.example/plan-v2" rel="nofollow noopener">the <ins>revised</ins> plan</a>`,
		`<a href="https://council.example/plan" rel="nofollow noopener">the plan</a>`,
		`<figcaption><ins>Hundreds of protesters</ins> gathered outside.</figcaption>`,
		`<li><ins>parks</ins></li>`,
		`<em>Monday <ins>evening</ins></em>`,
		`<strong>Budget</strong> talks go on.`,
		`about 3 hours later`,
		`<a href="#changes">Show changes only</a>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("v2.html lacks %s", want)
		}
	}
	if n := strings.Count(page, `<a rel="next" href="v3.html">`); n != 2 {
		t.Errorf("v2.html has %d next links to v3.html, want 2 (top and bottom)", n)
	}
	v3, _ := os.ReadFile(filepath.Join(out, dir, "v3.html"))
	if n := strings.Count(string(v3), `<a rel="prev" href="v2.html">`); n != 2 {
		t.Errorf("v3.html has %d prev links to v2.html, want 2", n)
	}
}

func findAll(n *html.Node, pred func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && pred(n) {
			out = append(out, n)
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func hasClass(n *html.Node, c string) bool {
	for _, a := range n.Attr {
		if a.Key == "class" && strings.Contains(" "+a.Val+" ", " "+c+" ") {
			return true
		}
	}
	return false
}

func textOf(ns []*html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range ns {
		walk(n)
		b.WriteString("\n")
	}
	return b.String()
}

// TestPublishedDatesFormatted: the article's published date reads as a
// date on the article page, the diff page and in the feed, never in its
// raw RFC 3339 form.
func TestPublishedDatesFormatted(t *testing.T) {
	arch, s, _ := newArchive(t)
	d := doc{url: "https://news.example.com/a/b", title: "T", site: "S", body: "Text.", published: "2015-07-24T04:36:09Z"}
	s.save(d, t0)
	d.published, d.body = "2015-07-24T06:00:00Z", "Text, updated."
	s.save(d, t0.Add(time.Hour))
	out := t.TempDir()
	if _, err := Publish(arch, Dir(out), Options{}); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(out, "a/news.example.com/a/b.md")
	for _, tt := range []struct{ file, want string }{
		{"index.html", `<dt>First published</dt><dd><time datetime="2015-07-24T04:36:09Z">24 Jul 2015 04:36 UTC</time></dd>`},
		{"index.html", `<p class="published">Published 24 Jul 2015 06:00 UTC</p>`},
		{"v2.html", `Published: <del><time datetime="2015-07-24T04:36:09Z">24 Jul 2015 04:36 UTC</time></del>`},
		{"v2.html", `Published: <ins><time datetime="2015-07-24T06:00:00Z">24 Jul 2015 06:00 UTC</time></ins>`},
		{"feed.xml", `Published: &lt;del&gt;24 Jul 2015 04:36 UTC&lt;/del&gt; &lt;ins&gt;24 Jul 2015 06:00 UTC&lt;/ins&gt;`},
	} {
		b, err := os.ReadFile(filepath.Join(dir, tt.file))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), tt.want) {
			t.Errorf("%s lacks %s", tt.file, tt.want)
		}
		visible := regexp.MustCompile(`<[^>]*>|&lt;[^&]*&gt;`).ReplaceAllString(string(b), "")
		visible = regexp.MustCompile(`<(updated|published)>[^<]*</(updated|published)>`).ReplaceAllString(visible, "")
		if tt.file != "feed.xml" && strings.Contains(visible, "2015-07-24T") {
			t.Errorf("%s shows a raw date:\n%s", tt.file, visible)
		}
	}
}

// TestWriteDiffPage: the standalone page (stet diff --format html)
// renders like the site's diff page: safe HTML, markdown rendered, marks.
func TestWriteDiffPage(t *testing.T) {
	mk := func(body string) []byte {
		return doc{url: "https://news.example.com/x", title: "Council approves plan", body: body}.markdown()
	}
	d := diff.Compare(mk(richStory[0]), mk(richStory[1]))
	var b strings.Builder
	if err := WriteDiffPage(&b, d, "v1", "v2"); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	// Our own style sheet is the one <style>; the rest is checked.
	checkSafeHTML(t, "standalone", regexp.MustCompile(`(?s)<style>.*</style>`).ReplaceAllString(page, ""))
	for _, w := range []string{`<html lang="en">`, `the <ins>revised</ins> plan</a>`, `<figure class="image">`, `<li><ins>parks</ins></li>`, `<style>`} {
		if !strings.Contains(page, w) {
			t.Errorf("WriteDiffPage lacks %s", w)
		}
	}
	if strings.Contains(page, "](") || strings.Contains(page, "**") {
		t.Errorf("WriteDiffPage shows markdown syntax:\n%s", page)
	}
}
