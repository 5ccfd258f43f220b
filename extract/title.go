package extract

import (
	htmlstd "html"
	"net/url"
	"slices"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// headlineMatch is how much of the words an <h1> must share with a title
// from the page's metadata to be taken as the headline: a third, counted
// against the longer of the two. Below that the h1 is usually a logo, a
// section name or a call to action ("Form your LLC today").
const headlineMatch = 0.3

// maxH1s is how many of the page's <h1> elements are tried as the
// headline; pages that use more hold a list of teasers.
const maxH1s = 3

// pageH1s returns the text and the nodes of the page's first visible <h1>
// elements, at most maxH1s, skipping empty ones and those longer than a
// headline.
func pageH1s(doc *goquery.Document) ([]string, []*html.Node) {
	var out []string
	var nodes []*html.Node
	doc.Find("h1").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		if s.Closest(`script, style, noscript, template, [hidden], [aria-hidden="true"], head`).Length() > 0 || logoH1(s.Nodes[0]) {
			return true
		}
		if t := cleanText(nodeText(s.Nodes[0], true)); t != "" && len([]rune(t)) <= 300 {
			out = append(out, t)
			nodes = append(nodes, s.Nodes[0])
		}
		return len(out) < maxH1s
	})
	return out, nodes
}

// h1Candidates returns the headlines the h1s (texts h1s, nodes nodes)
// offer: each whole, then, for an h1 made of two or more blocks, each
// block's text. Some templates put the headline in a <p> inside the h1
// and its share counts or the time since it was posted in a <div> beside
// it; the whole h1 then changes on every request, while the block that
// matches the metadata titles does not (see [pickHeadline], which keeps
// the whole h1 when it matches as well).
func h1Candidates(h1s []string, nodes []*html.Node) []string {
	out := slices.Clone(h1s)
	for i, n := range nodes {
		if i >= len(h1s) {
			break
		}
		var parts []string
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || !blockTags[c.Data] {
				continue
			}
			if t := cleanText(nodeText(c, true)); t != "" && t != h1s[i] {
				parts = append(parts, t)
			}
		}
		if len(parts) >= 2 {
			out = append(out, parts...)
		}
	}
	return out
}

// pickHeadline returns the visible headline: of the page's h1s, the one
// that shares the most words with one of the metadata titles, when it
// shares at least headlineMatch of them and is not the site's name; ""
// when none qualifies.
//
// The metadata titles are written for search engines and social cards and
// often differ from the headline a reader sees ("Best Movers 2025 | Top
// 19 Companies" over "Best Residential Movers in NYC 2025"); the h1 is the
// headline itself, but on many pages the first h1 is the site's logo.
// Requiring the h1 to agree with the metadata tells the two apart.
//
// stripped are the titles without their site or author segments. An h1
// that shares at least strippedMatch of the words of one of them is the
// headline too: "Der WindRebell" shares too few words with "KICKER: Der
// WindRebell | Site: latest news" to count, and a site that rotates its
// title tails would make the headline flip between the h1 and the title.
// The bar is higher there because the stripped title is shorter: a
// section's one-word h1 ("Coupons") shares a third of "Residential
// Electrician Coupons".
func pickHeadline(h1s, titles, stripped []string, site string) string {
	best, bestScore := "", 0.0
	for _, h := range h1s {
		if site != "" && siteLike(h, site) {
			continue
		}
		for _, t := range titles {
			if s := wordOverlap(h, t); s > bestScore {
				best, bestScore = h, s
			}
		}
		for _, t := range stripped {
			// Scaled so that strippedMatch scores headlineMatch.
			if s := wordOverlap(h, t) * headlineMatch / strippedMatch; s > bestScore {
				best, bestScore = h, s
			}
		}
	}
	if bestScore < headlineMatch {
		return ""
	}
	return best
}

// strippedMatch is how much of the words an <h1> must share with a title
// without its site segment to be taken as the headline (see
// [pickHeadline]).
const strippedMatch = 0.5

// wordOverlap is the number of distinct words a and b share divided by the
// number of distinct words in the longer one, ignoring case and
// punctuation; 0 when either has no words.
func wordOverlap(a, b string) float64 {
	wa, wb := wordSet(a), wordSet(b)
	if len(wa) == 0 || len(wb) == 0 {
		return 0
	}
	n := 0
	for w := range wa {
		if wb[w] {
			n++
		}
	}
	return float64(n) / float64(max(len(wa), len(wb)))
}

// wordSet returns the folded words of s.
func wordSet(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(s, isWordSep) {
		if f := foldText(w); f != "" {
			out[f] = true
		}
	}
	return out
}

func isWordSep(r rune) bool {
	return r == ' ' || r == '-' || r == '–' || r == '—' || r == '|' || r == '/' || r == ':' || r == '·' || r == '•'
}

// unescapeMeta decodes character references left in a metadata value.
// Many sites escape their titles twice ("&amp;#8217;"), so the parsed
// attribute still reads "&#8217;"; one more decoding gives the text the
// page shows.
func unescapeMeta(s string) string {
	if !strings.Contains(s, "&") || !strings.Contains(s, ";") {
		return s
	}
	return htmlstd.UnescapeString(s)
}

// stripTitleAffixes removes from a metadata title a leading or trailing
// segment (" | Site", "Site - ", " | Author") that names the site, the
// host or one of the authors, repeatedly, and returns what remains. A
// segment is only removed when something of at least two words remains.
func stripTitleAffixes(title string, names []string) string {
	title = cutAtName(cleanText(title), names)
	for {
		cut := false
		for _, sep := range titleSeps {
			if sep == ": " {
				continue // "Review: Title" and "Title: a subtitle" are headlines
			}
			if i := strings.LastIndex(title, sep); i > 0 {
				head, tail := strings.TrimSpace(title[:i]), strings.TrimSpace(title[i+len(sep):])
				if len(strings.Fields(head)) >= 2 && namesAny(tail, names) {
					title, cut = head, true
					break
				}
			}
			if i := strings.Index(title, sep); i > 0 {
				head, tail := strings.TrimSpace(title[:i]), strings.TrimSpace(title[i+len(sep):])
				if len(strings.Fields(tail)) >= 2 && namesAny(head, names) {
					title, cut = tail, true
					break
				}
			}
		}
		if !cut {
			return title
		}
	}
}

// cutAtName cuts title at the first segment, after its first, that is
// exactly the name of the site, the host or an author, when at least two
// words are left. What follows such a segment is more of the site's
// furniture ("Headline | Section | Author | Site", "Headline | Author —
// Site: tagline"), and a site that tests its title tags serves those
// in turns, so the headline must not depend on them.
func cutAtName(title string, names []string) string {
	var cuts []int // where each separator starts
	var ends []int // and where the segment after it starts
	for i := 0; i < len(title); i++ {
		for _, sep := range titleSeps {
			if sep != ": " && strings.HasPrefix(title[i:], sep) {
				cuts, ends = append(cuts, i), append(ends, i+len(sep))
				i += len(sep) - 1
				break
			}
		}
	}
	for k := range cuts {
		end := len(title)
		if k+1 < len(cuts) {
			end = cuts[k+1]
		}
		head := strings.TrimSpace(title[:cuts[k]])
		if len(strings.Fields(head)) >= 2 && slices.ContainsFunc(names, func(n string) bool {
			return n != "" && sameText(strings.TrimSpace(title[ends[k]:end]), n)
		}) {
			return head
		}
	}
	return title
}

// namesAny reports whether part is one of names: equal after folding, or
// siteLike it.
func namesAny(part string, names []string) bool {
	for _, n := range names {
		if n != "" && (sameText(part, n) || siteLike(part, n)) {
			return true
		}
	}
	return false
}

// hostNames returns the names a site goes by in its host: the registered
// label of the host ("tarkett" for home.tarkett.co.uk), for comparing
// with title segments; nil when base has no host.
func hostNames(base *url.URL) []string {
	if base == nil {
		return nil
	}
	h := strings.TrimPrefix(strings.ToLower(base.Hostname()), "www.")
	labels := strings.Split(h, ".")
	if len(labels) < 2 {
		return nil
	}
	// Skip a public suffix of one or two short labels ("co.uk", "com.au").
	i := len(labels) - 2
	if i > 0 && len(labels[i]) <= 3 && len(labels[len(labels)-1]) == 2 {
		i--
	}
	if len(labels[i]) < 3 {
		return nil
	}
	return []string{labels[i]}
}

// logoH1 reports whether an h1 holds the site's logo rather than a
// headline: it or its parent is classed as a logo or brand, or
// its only content is a link to the site's home page.
func logoH1(h1 *html.Node) bool {
	for n, depth := h1, 0; n != nil && n.Type == html.ElementNode && depth < 2; n, depth = n.Parent, depth+1 {
		for _, a := range n.Attr {
			if (a.Key == "class" || a.Key == "id") && (containsFoldASCII(a.Val, "logo") || containsFoldASCII(a.Val, "brand")) {
				return true
			}
		}
	}
	var link *html.Node
	for c := h1.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode && strings.TrimSpace(c.Data) == "":
		case c.Type == html.ElementNode && c.Data == "a" && link == nil:
			link = c
		default:
			return false
		}
	}
	if link == nil {
		return false
	}
	for _, a := range link.Attr {
		if a.Key == "href" {
			u, err := url.Parse(strings.TrimSpace(a.Val))
			return err == nil && (u.Path == "" || u.Path == "/") && u.RawQuery == "" && u.Fragment == ""
		}
	}
	return false
}
