package extract

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// acceptRe matches the text of a button that agrees to a notice.
var acceptRe = regexp.MustCompile(`(?i)^(accept|agree|allow|ok|okay|got it|i understand|continue|akzeptieren|alle akzeptieren|zustimmen|einverstanden|accepter|tout accepter|j'accepte|aceptar|aceitar|accetta|accetto)\b`)

// maxConsentNotice is the most text, in bytes, a consent notice holds.
const maxConsentNotice = 600

// consentNotices returns the elements below n that are a consent notice
// set without a role or a telling class (class="x9f2a1c"): the nearest
// ancestor, at most three levels up, of a button that agrees to it whose
// text is short and speaks of cookies or privacy ([consentTextRe]). It
// never returns an element that holds the article ([holdsArticle]).
func consentNotices(n *html.Node) []*html.Node {
	var out []*html.Node
	seen := map[*html.Node]bool{}
	var walk func(*html.Node)
	walk = func(m *html.Node) {
		for c := m.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if c.DataAtom == atom.Button && acceptRe.MatchString(strings.TrimSpace(buttonText(c))) {
				for up, k := c.Parent, 0; up != nil && up != n.Parent && k < 3; up, k = up.Parent, k+1 {
					if up.DataAtom == atom.Body || up.DataAtom == atom.Html {
						break
					}
					t := textOf(up)
					if len(t) > maxConsentNotice {
						break
					}
					if consentTextRe.MatchString(t) {
						if !seen[up] && !holdsArticle(up) {
							seen[up] = true
							out = append(out, up)
						}
						break
					}
				}
				continue
			}
			walk(c)
		}
	}
	walk(n)
	return out
}

// dropConsentNotices removes the consent notices below n
// ([consentNotices]).
func dropConsentNotices(n *html.Node) {
	for _, c := range consentNotices(n) {
		if c.Parent != nil {
			c.Parent.RemoveChild(c)
		}
	}
}

// buttonText returns the text of a button, which [textOf] leaves out.
func buttonText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(m *html.Node) {
		for c := m.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode {
				b.WriteString(c.Data)
			}
			walk(c)
		}
	}
	walk(n)
	return b.String()
}
