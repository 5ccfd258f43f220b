package extract

import (
	"strings"

	"golang.org/x/net/html"
)

// minLeadKey is the fewest letters and digits (see [foldText]) a page's
// description must have to be looked for as its lead: a shorter one is a
// site's tagline or a line of keywords more often than a summary.
const minLeadKey = 60

// maxLeadKey is the most letters and digits a description looked for as
// the lead may have: a longer one is the opening of the text itself, which
// some pages give as their description, not a summary.
const maxLeadKey = 1000

// leadBlocks returns the article's lead as blocks, when the body lacks it:
// the standfirst or teaser that pages set between the headline and the
// text, outside the element that holds the text, so that readability and
// go-trafilatura, reading that element, leave it out. The lead is found as
// the page's description (see meta.descriptions), which is the lead far
// more often than not: the smallest visible element of the page whose text
// is a description, or begins with one cut short, is taken, provided it is
// no link, sits in no boilerplate, holds little more than the description
// and holds two sentences or more. It returns nil when the body already
// holds a description (see [inBody]) or no element matches.
func leadBlocks(root *html.Node, m *meta, w *walker, body []Block) []Block {
	var keys []leadKeyed
	have := ""
	for _, d := range m.descriptions {
		k, cut := leadKey(d)
		if len(k) < minLeadKey || len(k) > maxLeadKey {
			continue
		}
		if have == "" {
			have = foldText(blocksText(body))
		}
		if inBody(have, k) {
			return nil
		}
		// A little more than the description is allowed for a label
		// or a dateline run into the lead ("Berlin (dpa)"), and the
		// rest of a lead whose description was cut short.
		max := len(k) + len(k)/4
		if cut {
			max = 2*len(k) + maxLeadKey/2
		}
		keys = append(keys, leadKeyed{k, max})
	}
	if len(keys) == 0 {
		return nil
	}
	s := leadSearch{keys: keys}
	s.walk(root)
	if s.best == nil {
		return nil
	}
	lead := w.blocks(s.best)
	// A lead of one sentence is the headline's subtitle (a dek), which
	// belongs with the headline as readability and most readers have
	// it; a standfirst of two sentences or more is the text's opening.
	if t := cleanText(blocksText(lead)); len(foldText(t)) < minLeadKey || len(SplitSentences(t)) < 2 {
		return nil
	}
	return lead
}

// withLead returns body with the article's lead before it when the body
// lacks it (see [leadBlocks]).
func withLead(body []Block, root *html.Node, m *meta, w *walker) []Block {
	if len(body) == 0 {
		return body
	}
	if lead := leadBlocks(root, m, w, body); lead != nil {
		return append(lead, body...)
	}
	return body
}

// inBody reports whether the folded body have holds the description
// folded as k: two of its first, middle and last minLeadKey letters, so
// that a description that adds to the text it summarises (the headline
// before it, a closing call to read on) is still found, and a lead whose
// first sentence the body's first paragraph repeats is not.
func inBody(have, k string) bool {
	n := minLeadKey
	mid := (len(k) - n) / 2
	found := 0
	for _, w := range []string{k[:n], k[mid : mid+n], k[len(k)-n:]} {
		if strings.Contains(have, w) {
			found++
		}
	}
	return found >= 2
}

// leadKey is description d folded for matching ([foldText]), without the
// word it was cut in when it ends in an ellipsis (cut).
func leadKey(d string) (key string, cut bool) {
	d = strings.TrimSpace(d)
	for _, e := range []string{"...", "…"} {
		if s, ok := strings.CutSuffix(d, e); ok {
			if i := strings.LastIndexByte(s, ' '); i > 0 {
				s = s[:i]
			}
			return foldText(s), true
		}
	}
	return foldText(d), false
}

// leadPlace reports whether element n may hold the lead: it is a block of
// the page's body, not inside a link (a teaser of this very article in a
// list of stories) nor inside boilerplate ([isNoise]: a share box repeats
// the description too).
func leadPlace(n *html.Node) bool {
	switch n.Data {
	case "a", "body", "html", "title":
		return false
	}
	for p := n; p != nil; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		if p.Data == "a" || p.Data == "head" || isNoise(p) {
			return false
		}
	}
	return true
}

// leadKeyed is a description to look for: its folded text, and the most
// folded text the element holding it may have.
type leadKeyed struct {
	text string
	max  int
}

// leadSearch finds the smallest visible element whose folded text
// ([foldText]) begins with one of keys and holds at most its max. It folds
// the page's text once, in document order, into text, so that an
// element's text is the part of it folded while the element was walked.
type leadSearch struct {
	keys    []leadKeyed
	text    []byte
	best    *html.Node
	bestLen int
}

// walk folds the text below n, leaving out scripts, styles and the
// elements of [dropTags], and checks each element on the way out. Hidden
// elements are folded too, as checking every element's attributes costs
// more than the match: [leadPlace] turns down a lead inside one.
func (s *leadSearch) walk(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			s.text = appendFolded(s.text, c.Data)
		case html.ElementNode:
			if dropTags[c.Data] || c.Data == "head" || c.Data == "noscript" || c.Data == "svg" {
				continue
			}
			start := len(s.text)
			s.walk(c)
			s.check(c, s.text[start:])
		}
	}
}

// check keeps element n, whose folded text is t, when it holds a key and
// is smaller than the best so far. Of two the same size the inner one,
// checked first, stays.
func (s *leadSearch) check(n *html.Node, t []byte) {
	if len(t) < minLeadKey || s.best != nil && len(t) >= s.bestLen {
		return
	}
	for _, k := range s.keys {
		if len(t) <= k.max && len(t) >= len(k.text) && string(t[:len(k.text)]) == k.text && leadPlace(n) {
			s.best, s.bestLen = n, len(t)
			return
		}
	}
}
