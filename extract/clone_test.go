package extract

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/go-shiori/dom"
	"golang.org/x/net/html"
)

// TestCloneTree checks that cloneTree copies every golden page as
// dom.Clone does, and that the copy shares nothing with the original.
func TestCloneTree(t *testing.T) {
	for _, dir := range goldenCases(t) {
		root, err := html.Parse(bytes.NewReader(readPage(t, filepath.Join(dir, "page.html"))))
		if err != nil {
			t.Fatal(err)
		}
		var want, got bytes.Buffer
		if err := html.Render(&want, dom.Clone(root, true)); err != nil {
			t.Fatal(err)
		}
		c := cloneTree(root)
		if err := html.Render(&got, c); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%s: cloneTree renders differently from dom.Clone", dir)
		}
		// The copy shares no node or attribute with the original, and
		// appending to one node's attributes leaves the others alone.
		var pairs [][2]*html.Node
		var walk func(o, n *html.Node)
		walk = func(o, n *html.Node) {
			if o == n {
				t.Fatalf("%s: node shared between original and copy", dir)
			}
			pairs = append(pairs, [2]*html.Node{o, n})
			for oc, nc := o.FirstChild, n.FirstChild; oc != nil || nc != nil; oc, nc = oc.NextSibling, nc.NextSibling {
				if oc == nil || nc == nil || nc.Parent != n {
					t.Fatalf("%s: copy's tree differs", dir)
				}
				walk(oc, nc)
			}
		}
		walk(root, c)
		for _, p := range pairs {
			p[1].Attr = append(p[1].Attr, html.Attribute{Key: "appended"})
			for i := range p[1].Attr[:len(p[0].Attr)] {
				p[1].Attr[i].Val = "changed"
			}
		}
		for _, p := range pairs {
			for i, a := range p[0].Attr {
				if a.Val == "changed" || p[1].Attr[i].Key != a.Key {
					t.Fatalf("%s: attributes shared between nodes", dir)
				}
			}
		}
		if c.Parent != nil || c.NextSibling != nil || c.PrevSibling != nil {
			t.Errorf("%s: copy not detached", dir)
		}
	}
}
