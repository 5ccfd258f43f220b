package extract

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/net/html"
)

// writtenByRe matches the label of a card field that names the author.
var writtenByRe = regexp.MustCompile(`(?i)^\s*(written by|author|authors|by)\s*:?\s*$`)

// authors chooses the authors: the first structured candidate (JSON-LD,
// meta tags, a profile) that gives names once publishers and roles are
// left out; else the first visible byline whose names all look like
// names; else, as a company blog signs its posts ("ServiceTitan", "Podium
// Staff", "The Upwork Team"), a structured and then a visible candidate
// taken whole.
func (m *meta) authors() []string {
	for _, b := range m.bylines {
		if names := normalizeByline(b, m.publishers); len(names) > 0 {
			return names
		}
	}
	var visible []string
	if m.visibleByline != nil {
		visible = m.visibleByline()
	}
	for _, b := range visible {
		if names := nameLikeOnly(normalizeByline(b, m.publishers)); len(names) > 0 {
			return names
		}
	}
	for _, b := range m.bylines {
		if names := normalizeByline(b, nil); len(names) > 0 {
			return names
		}
		if n := wholeName(b); n != "" {
			return []string{n}
		}
	}
	for _, b := range visible {
		if n := wholeName(b); n != "" && nameLike(n) {
			return []string{n}
		}
	}
	return nil
}

// wholeName returns a byline taken as one name, "By" and spacing removed,
// when it is short and holds no address, handle or digits; "" otherwise.
func wholeName(raw string) string {
	n := cleanText(byRe.ReplaceAllString(cleanText(raw), ""))
	n = strings.Trim(n, " .:-–—·•|")
	if n == "" || strings.ContainsAny(n, "@/0123456789") || len(strings.Fields(n)) > 5 || !plausibleName(n) {
		return ""
	}
	return n
}

// bylineLabelRe matches a text that only labels the byline next to it:
// "By", "Written by", "Posted by:", "Author", "Contributors:".
var bylineLabelRe = regexp.MustCompile(`(?i)^(?:(?:written|posted|words|article|story|reporting|text)\s+)?by\s*:?$|^(?:authors?|contributors?|writers?)\s*:?$`)

// labelledBylines returns the texts that follow a byline label in the
// page ("Written by" then "Edzel Tabing" in the next element), at most
// four, skipping scripts, forms and comment threads.
func labelledBylines(root *html.Node) []string {
	var out []string
	pending := false
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && len(out) < 4; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				if !pending && len(c.Data) > 40 && len(strings.TrimSpace(c.Data)) > 20 {
					continue // too long for a label; skip cleaning it
				}
				t := cleanText(c.Data)
				switch {
				case t == "":
				case bylineLabelRe.MatchString(t):
					pending = true
				case pending:
					pending = false
					if len(t) < 100 {
						out = append(out, t)
					}
				}
			case html.ElementNode:
				if skipForDate(c) || c.Data == "form" {
					continue
				}
				walk(c)
			}
		}
	}
	if root != nil {
		walk(root)
	}
	return out
}

// menuTokens are class and id words of the menus, drop-downs and
// pop-ups a site repeats on every page: a "By use case" heading in a
// product menu or a "Door Locks" link is not a byline.
var menuTokens = map[string]bool{
	"nav": true, "navbar": true, "navigation": true, "menu": true, "submenu": true, "megamenu": true,
	"dropdown": true, "flyout": true, "drawer": true, "offcanvas": true, "modal": true, "popup": true,
	"breadcrumb": true, "breadcrumbs": true, "tags": true, "tag": true,
}

// menuElement reports whether element n is a menu, a hidden element or
// is marked as one of [menuTokens]; the page's own html, body, main and
// article elements never are.
func menuElement(n *html.Node) bool {
	switch n.Data {
	case "nav", "menu", "dialog", "select", "option", "template":
		return true
	case "html", "body", "main", "article":
		return false // their classes describe the page ("menu-slide-left")
	}
	marked := false
	for _, a := range n.Attr {
		if hiddenAttr(a) || namedBy(a, menuTokens) {
			marked = true
			break
		}
	}
	// Broken markup can leave a whole page inside an unclosed menu, and
	// scripts reveal pages hidden while they load: an element that holds
	// the headline is neither.
	return marked && !holdsHeadline(n)
}

// holdsHeadline reports whether an h1 lies under n.
func holdsHeadline(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.Data == "h1" || holdsHeadline(c)) {
			return true
		}
	}
	return false
}

// menuUp reports whether n or an ancestor is a [menuElement].
func menuUp(n *html.Node) bool {
	for p := n; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && menuElement(p) {
			return true
		}
	}
	return false
}

// nameParticles are the lower-case words a name may hold between its
// capitalised ones: "Ludwig van Beethoven", "Maria de la Cruz".
var nameParticles = map[string]bool{
	"van": true, "von": true, "de": true, "der": true, "den": true, "da": true, "di": true, "du": true,
	"del": true, "della": true, "dos": true, "das": true, "do": true, "le": true, "la": true, "el": true,
	"al": true, "bin": true, "ibn": true, "ter": true, "ten": true, "zu": true, "y": true, "e": true,
	"st": true, "st.": true, "of": true, "the": true, "for": true, "and": true,
}

// notNameWords are words that a name found in the page's markup never
// holds: they come from forms, share bars, author boxes and comment
// threads whose class names mention the author.
var notNameWords = map[string]bool{
	"you": true, "your": true, "our": true, "we": true, "us": true, "this": true, "that": true,
	"agree": true, "terms": true, "privacy": true, "policy": true, "view": true, "all": true,
	"posts": true, "more": true, "sign": true, "share": true, "says": true, "said": true,
	"type": true, "size": true, "bio": true, "full": true, "profile": true, "company": true,
	"written": true, "reviewed": true, "authored": true, "comments": true, "comment": true,
	"reply": true, "login": true, "subscribe": true, "subscribing": true, "submitting": true,
	"signing": true, "cookie": true, "cookies": true, "accept": true, "learn": true, "about": true,
	"contact": true, "home": true, "menu": true, "search": true, "text": true, "name": true,
	"using": true, "accessing": true, "website": true, "fact": true, "checked": true, "edited": true,
	// job titles in author boxes
	"founder": true, "cofounder": true, "ceo": true, "cto": true, "director": true, "manager": true,
	"head": true, "specialist": true, "expert": true, "consultant": true, "engineer": true,
	"developer": true, "designer": true, "strategist": true, "coordinator": true, "officer": true,
	"president": true, "admin": true, "administrator": true, "intern": true, "creator": true,
	"licensed": true, "certified": true,
	// weekdays and zones of a dateline
	"mon": true, "tue": true, "wed": true, "thu": true, "fri": true, "sat": true, "sun": true,
	"ist": true, "est": true, "edt": true, "pst": true, "pdt": true, "gmt": true, "utc": true,
}

// nameLikeOnly returns the names that look like a person's or a team's
// name (see nameLike), dropping job titles and the text of forms, share
// bars and comment threads that markup with "author" in its class holds.
func nameLikeOnly(names []string) []string {
	var out []string
	for _, n := range names {
		if nameLike(n) {
			out = append(out, n)
		}
	}
	return out
}

// nameLike reports whether name looks like a name: no form or share-bar
// words, no job title, no symbols a name never has, and most words
// capitalised (in scripts with case).
func nameLike(name string) bool {
	if strings.ContainsAny(name, "*+=<>{}#@|") {
		return false
	}
	words := strings.Fields(name)
	upper, cased, lowerWords := 0, 0, 0
	for _, w := range words {
		lw := strings.ToLower(strings.Trim(w, ".,:;!?()"))
		if notNameWords[lw] {
			return false
		}
		for _, r := range w {
			if unicode.IsUpper(r) || unicode.IsLower(r) {
				cased++
				if unicode.IsUpper(r) {
					upper++
				} else if !nameParticles[lw] && !roleWords.MatchString(strings.TrimSuffix(lw, "s")) {
					lowerWords++
				}
				break
			}
		}
	}
	// A capitalised word beside a lower-case one is a label or a tag
	// ("Personal finance"), not a name, unless the lower-case word is a
	// particle or the team's role ("The Currency editors"); a name
	// written all in lower case is a handle, judged as before.
	if upper > 0 && lowerWords > 0 {
		return false
	}
	return cased == 0 || upper*2 >= cased
}
