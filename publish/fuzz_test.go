package publish

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stet-archive/stet/diff"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// FuzzRenderMarkdown checks the article renderer on any input: no panic,
// deterministic, valid UTF-8, and HTML that parses to nothing but our
// allowed elements, with no event handlers and only safe links.
func FuzzRenderMarkdown(f *testing.F) {
	seeds, _ := filepath.Glob("../extract/testdata/golden/*/article.md")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("# t\n\n[x](javascript:alert(1)) **b *i `c` \\*\n\n> > > q\n\n- a\n  1. b\n    - c\n\n```\n<script>\n```"))
	f.Add([]byte(hostile))
	f.Fuzz(func(t *testing.T, md []byte) {
		d := diff.Parse(md)
		out := renderMarkdown(d)
		if out != renderMarkdown(d) {
			t.Fatal("renderMarkdown not deterministic")
		}
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8: %q", out)
		}
		checkFragment(t, out)
	})
}

// checkFragment parses out as a fragment inside <article> and fails on
// any element or attribute we never write.
func checkFragment(t *testing.T, out string) {
	t.Helper()
	ctx := &html.Node{Type: html.ElementNode, Data: "article", DataAtom: atom.Article}
	nodes, err := html.ParseFragment(strings.NewReader(out), ctx)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	allowed := map[string]bool{"p": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "ul": true, "ol": true,
		"li": true, "blockquote": true, "pre": true, "code": true, "em": true, "strong": true, "a": true,
		"figure": true, "figcaption": true, "del": true, "ins": true}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if !allowed[n.Data] {
				t.Fatalf("element <%s> in %q", n.Data, out)
			}
			for _, a := range n.Attr {
				switch {
				case n.Data == "a" && a.Key == "href":
					if !safeURL(a.Val) {
						t.Fatalf("unsafe href %q in %q", a.Val, out)
					}
				case n.Data == "a" && a.Key == "rel", n.Data == "pre" && a.Key == "class", n.Data == "p" && a.Key == "class", n.Data == "figure" && a.Key == "class":
				default:
					t.Fatalf("attribute %s on <%s> in %q", a.Key, n.Data, out)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
}

func TestRenderMarkdown(t *testing.T) {
	tests := []struct{ name, md, want string }{
		{"paragraph joins its sentences", "# T\n\nOne.\nTwo.", "<p>One. Two.</p>\n"},
		{"heading below the page title", "# T\n\n## Sub", "<h3>Sub</h3>\n"},
		{"safe link", "# T\n\nSee [the *paper*](https://x.example/p).", "<p>See <a href=\"https://x.example/p\" rel=\"nofollow noopener\">the <em>paper</em></a>.</p>\n"},
		{"script link is text", "# T\n\n[click](javascript:alert%281%29)", "<p>click</p>\n"},
		{"escapes", "# T\n\n\\*not em\\* & <b>", "<p>*not em* &amp; &lt;b&gt;</p>\n"},
		{"nested list", "# T\n\n1. a\n2. b\n   - c\n3. d", "<ol>\n<li>a</li>\n<li>b<ul>\n<li>c</li></ul>\n</li>\n<li>d</li></ol>\n"},
		{"quote", "# T\n\n> a\n>\n> b", "<blockquote>\n<p>a</p>\n<p>b</p>\n</blockquote>\n"},
		{"image is a figure with a link", "# T\n\n![a map](https://cdn.example/m.png)",
			"<figure class=\"image\"><a href=\"https://cdn.example/m.png\" rel=\"nofollow noopener\">View image (cdn.example)</a><figcaption>a map</figcaption></figure>\n"},
		{"caption paragraph is the figure's caption", "# T\n\n![a map](https://cdn.example/m.png)\n\n*The route.*\n*By bus.*",
			"<figure class=\"image\"><a href=\"https://cdn.example/m.png\" rel=\"nofollow noopener\">View image (cdn.example)</a><figcaption>The route. By bus.</figcaption></figure>\n"},
		{"italic paragraph alone stays a paragraph", "# T\n\n*Just this.*", "<p><em>Just this.</em></p>\n"},
		{"unclosed emphasis is closed", "# T\n\n**bold *both", "<p><strong>bold <em>both</em></strong></p>\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := renderMarkdown(diff.Parse([]byte(tt.md))); got != tt.want {
				t.Errorf("renderMarkdown(%q) =\n%s\nwant\n%s", tt.md, got, tt.want)
			}
		})
	}
}
