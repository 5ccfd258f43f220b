package extract

import "golang.org/x/net/html"

// cloneTree returns a deep copy of src, detached from src's parent and
// siblings, as dom.Clone(src, true) does (Type, DataAtom, Data and Attr;
// like dom.Clone it leaves Namespace empty), but with all the nodes in one
// allocation and all the attributes in another. Each node's Attr is capped
// at its own length, so appending to it reallocates instead of writing over
// a neighbour's. The copy is freed as a whole, when no node is referenced.
func cloneTree(src *html.Node) *html.Node {
	nodes, attrs := 0, 0
	var count func(n *html.Node)
	count = func(n *html.Node) {
		nodes++
		attrs += len(n.Attr)
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			count(c)
		}
	}
	count(src)
	ns := make([]html.Node, nodes)
	as := make([]html.Attribute, attrs)
	var clone func(n *html.Node) *html.Node
	clone = func(n *html.Node) *html.Node {
		c := &ns[0]
		ns = ns[1:]
		k := copy(as, n.Attr)
		c.Type, c.DataAtom, c.Data, c.Attr = n.Type, n.DataAtom, n.Data, as[:k:k]
		as = as[k:]
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			cc := clone(ch)
			cc.Parent = c
			if c.LastChild == nil {
				c.FirstChild = cc
			} else {
				c.LastChild.NextSibling = cc
				cc.PrevSibling = c.LastChild
			}
			c.LastChild = cc
		}
		return c
	}
	return clone(src)
}
