package extract

import "golang.org/x/net/html"

// minOwnShare is the least share of the body's words that the article
// under the page's headline must hold for the body to be taken for that
// article's (see [ownArticle]).
const minOwnShare = 0.5

// ownArticle returns the blocks of the <article> that holds the page's
// headline when the page sets several articles one after another, each
// under its own h1 (a site that loads the next stories below the one
// asked for as the reader scrolls), and body is mostly another one's:
// readability takes the longest of them, which is often the next story.
// It returns body unchanged otherwise: one article on the page, a
// headline in no <article>, or a body that is the headline's article's.
func ownArticle(body []Block, m *meta, w *walker, title string) []Block {
	if len(body) == 0 || len(m.h1Nodes) < 2 {
		return body
	}
	var own *html.Node
	others := 0
	for i, h := range m.h1Nodes {
		a := enclosing(h, "article")
		if a == nil {
			continue
		}
		if own == nil && sameText(m.h1s[i], title) {
			own = a
		} else if a != own {
			others++
		}
	}
	if own == nil || others == 0 {
		return body
	}
	page := cloneTree(own)
	cleanNode(page)
	blocks := w.blocks(page)
	have, n := wordBag(blocksText(body))
	mine, _ := wordBag(blocksText(blocks))
	if n == 0 || float64(overlap(have, mine)) >= minOwnShare*float64(n) || textLen(blocks) < minProseChars {
		return body
	}
	return blocks
}

// enclosing returns the nearest ancestor of n that is a tag element, or
// nil.
func enclosing(n *html.Node, tag string) *html.Node {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && p.Data == tag {
			return p
		}
	}
	return nil
}
