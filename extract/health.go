package extract

import (
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// The values of Article.Gate.
const (
	gatePaywall = "paywall"
	gateConsent = "consent"
	gateLogin   = "login"
	gateError   = "error page"
)

// Word limits under which a page's extracted body is too short to be the
// article. Each signal needs both its markers and a short body, so a real
// article that mentions a paywall, a cookie banner or a 404 in its text,
// or carries a small newsletter box, is never gated.
const (
	errorMaxWords = 150
	loginMaxWords = 150
	// loginBareWords is the body under which a password form anywhere on
	// the page, a menu's or a pop-up's included, marks a wall even when
	// its wording was not extracted: next to nothing else was found.
	loginBareWords  = 20
	consentMaxWords = 60 // a consent wall hides the whole article
	// consentBareWords is the body under which consent markup anywhere on
	// the page marks a wall even when its wording was not extracted.
	consentBareWords = 20
	paywallMaxWords  = 250 // a paywall often lets a teaser of a few paragraphs through
	// notFreeMaxWords applies when the only sign is JSON-LD
	// isAccessibleForFree=false, which sites also send with the full text.
	notFreeMaxWords = 120
)

var (
	// errorTitleRe matches titles and headings of error pages.
	errorTitleRe = regexp.MustCompile(`(?i)^(error\s*)?(404|410|500|503)\b|\b(404|410|500|503)\s*(error|not found|page)|(page|story|article|content|file) (was )?not found|^not found\b|^error(\s+\d{3})?\s*($|[|:–—]|-\s)|(^|[|:–—]\s*|\s-\s*)(error|not found)\s*$|something went wrong|page (is )?(unavailable|no longer available)|we can(no|'|’)t find (the|that|this) page|page (you|you're|you’re) (were |are )?looking for`)
	// errorTextRe matches error messages in the page text.
	errorTextRe = regexp.MustCompile(`(?i)page not found|something went wrong|we can(no|'|’)t find (the|that|this) page|the page you (were looking for|requested|are looking for)|(this|the) page (doesn't|does not|no longer) exists?|sorry, (this|that|the) page`)
	// paywallTextRe matches the calls to action of subscription walls.
	paywallTextRe = regexp.MustCompile(`(?i)subscribe (now )?to (continue|keep) reading|to continue reading,? (please )?(subscribe|log in|sign in|become a)|this (article|story|content) is (only available|exclusive|reserved) (to|for) (subscribers|members)|for subscribers only|subscriber-only (article|content)|you have reached your (free )?(article|story) limit|you'?ve (reached|used) (your|all your) (free )?(articles|stories)`)
	// paywallFreeRe finds isAccessibleForFree: false in JSON-LD.
	paywallFreeRe = regexp.MustCompile(`(?i)"isAccessibleForFree"\s*:\s*"?false"?`)
	// loginTextRe matches sign-in forms.
	loginTextRe = regexp.MustCompile(`(?i)\b(sign in|log in|login|sign-in|log-in)\b`)
	// consentTextRe matches the wording of consent walls.
	consentTextRe = regexp.MustCompile(`(?i)we value your privacy|we care about your privacy|your privacy choices|manage (your )?(cookie|privacy) (settings|preferences|choices)|(accept|reject) all cookies|this site uses cookies|we use cookies|consent to (the use of )?cookies|before you continue`)
)

// textSignal is a case-insensitive pattern and words, one of which every
// match contains: on lower-cased text, the pattern runs only when one of
// the words is there, which is rare on an article page (the patterns are
// long alternations, slow to run over a whole page).
type textSignal struct {
	re    *regexp.Regexp
	words []string
}

func (s textSignal) match(lower string) bool {
	for _, w := range s.words {
		if strings.Contains(lower, w) {
			return s.re.MatchString(lower)
		}
	}
	return false
}

var (
	// One guard per alternative of the pattern, as specific as it allows.
	errorText = textSignal{errorTextRe, []string{"not found", "went wrong", "t find th", "page you",
		"page doesn", "page does not", "page no longer", "sorry, th"}}
	paywallText = textSignal{paywallTextRe, []string{"reading", " is only available", " is exclusive", " is reserved",
		"subscribers only", "subscriber-only", "article limit", "story limit", "ve reached ", "ve used "}}
	loginText   = textSignal{loginTextRe, []string{"sign in", "log in", "login", "sign-in", "log-in"}}
	consentText = textSignal{consentTextRe, []string{"your privacy", "manage ", "all cookies", "uses cookies", "use cookies",
		"consent to", "before you continue"}}
)

// paywallSelector matches the containers paywall vendors and sites use.
const paywallSelector = `.paywall, #paywall, [class*="paywall" i], [id*="paywall" i], [data-testid*="paywall" i], ` +
	`.tp-modal, .tp-container-inner, #piano-offer, [class*="piano-" i], .regwall, [class*="regwall" i], ` +
	`.subscription-wall, [class*="subscriber-wall" i], [class*="meter-wall" i], #gateway-content, .fc-paywall`

// consentSelector matches the markup of common consent managers.
const consentSelector = `#onetrust-banner-sdk, #onetrust-consent-sdk, #CybotCookiebotDialog, .qc-cmp2-container, ` +
	`#qc-cmp2-container, [id^="sp_message_container"], .fc-consent-root, #didomi-host, #usercentrics-root, ` +
	`#truste-consent-track, .truste_overlay, #cmpbox, .cmp-container, [class*="consent-wall" i], [id*="consent-wall" i], ` +
	`[class*="cookie-wall" i], [id*="cookiewall" i], form[action*="consent" i]`

// pageGate returns why the page is not the article itself (a paywall,
// consent, login or error page), or "" when it looks like the article.
// It is conservative: every signal needs the article's extracted body to
// be short as well, and the thresholds are above a typical teaser.
func pageGate(doc *goquery.Document, a *Article) string {
	text := a.Text()
	words := 0 // len(strings.Fields(text)), without the slice
	for range strings.FieldsSeq(text) {
		words++
	}
	if words >= max(errorMaxWords, paywallMaxWords, loginMaxWords, consentMaxWords) {
		return "" // every signal below needs a short body
	}
	body := doc.Find("body")
	// The page's visible text is only read when a test needs it: it costs
	// a walk and a normalisation of the whole page. It is lower-cased once
	// for the word checks that guard the (case-insensitive) patterns.
	var page *string
	pageText := func() string {
		if page == nil {
			s := strings.ToLower(visibleText(body))
			page = &s
		}
		return *page
	}

	if words < errorMaxWords {
		title := cleanText(doc.Find("title").First().Text())
		h1 := cleanText(doc.Find("h1").First().Text())
		if isErrorTitle(title) || isErrorTitle(h1) || isErrorTitle(a.Title) ||
			(words < 60 && errorText.match(pageText())) {
			return gateError
		}
	}
	if words < paywallMaxWords {
		free := false
		doc.Find(`script[type="application/ld+json" i]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
			free = paywallFreeRe.MatchString(s.Text())
			return !free
		})
		if free && words < notFreeMaxWords || paywallText.match(pageText()) || words < paywallMaxWords/2 && shownWall(body.Find(paywallSelector)) {
			return gatePaywall
		}
	}
	// Many article pages carry a sign-in box in the header, a menu or the
	// sidebar: the wall is a sign-in form where the article would be
	// (see loginForm), or the sign-in wording being what extraction found.
	if pw := body.Find(`input[type="password" i]`); words < loginMaxWords && pw.Length() > 0 &&
		(loginForm(pw, words) && loginText.match(pageText()) || loginText.match(strings.ToLower(text))) {
		return gateLogin
	}
	// Consent banners sit on most article pages, short briefs included, so
	// the banner alone is not a wall: the wall is when the consent wording
	// is what extraction found, or when next to nothing else was found.
	if words < consentMaxWords && (consentText.match(strings.ToLower(text)) ||
		(words < consentBareWords && (body.Find(consentSelector).Length() > 0 || consentText.match(pageText())))) {
		return gateConsent
	}
	return ""
}

// loginForm reports whether the password inputs in pw make a login wall
// for a body of words: one outside the page's furniture, where a wall
// stands in for the article, or any when the body is bare. Sites put a
// sign-in form in the header, a menu, a sidebar or a hidden pop-up of
// every page, short briefs included, and those are not walls.
func loginForm(pw *goquery.Selection, words int) bool {
	if pw.Length() == 0 {
		return false
	}
	if words < loginBareWords {
		return true
	}
	for _, n := range pw.Nodes {
		if !inFurniture(n) {
			return true
		}
	}
	return false
}

// shownWall reports whether one of the paywall containers in sel is
// shown and says something: sites keep an empty placeholder, a template
// or a hidden pop-up of their wall on pages that are free to read.
func shownWall(sel *goquery.Selection) bool {
	for _, n := range sel.Nodes {
		if !hiddenUp(n) && len(strings.Fields(visibleText(goquery.NewDocumentFromNode(n).Selection))) >= 2 {
			return true
		}
	}
	return false
}

// furnitureElements and furnitureTokens name the page furniture that
// holds a sign-in form on every page: headers, menus, sidebars and the
// drop-downs and pop-ups that open over the page (class and id words;
// roles are the cleaner's [noiseRoles]).
var (
	furnitureElements = map[string]bool{"header": true, "nav": true, "aside": true, "footer": true, "dialog": true, "menu": true}
	furnitureTokens   = map[string]bool{
		"header": true, "footer": true, "nav": true, "navbar": true, "navigation": true, "menu": true,
		"masthead": true, "topbar": true, "toolbar": true, "banner": true, "sidebar": true, "widget": true,
		"modal": true, "popup": true, "dialog": true,
		"dropdown": true, "overlay": true, "lightbox": true, "flyout": true, "drawer": true,
		"offcanvas": true, "mobile": true, "hide": true, "hidden": true, "mfp": true,
	}
)

// inFurniture reports whether element n is hidden or sits in page
// furniture.
func inFurniture(n *html.Node) bool {
	if hiddenUp(n) {
		return true
	}
	for p := n; p != nil; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		if furnitureElements[p.Data] {
			return true
		}
		for _, a := range p.Attr {
			if a.Key == "role" && noiseRoles[strings.ToLower(strings.TrimSpace(a.Val))] {
				return true
			}
			if namedBy(a, furnitureTokens) {
				return true
			}
		}
	}
	return false
}

// namedBy reports whether a is a class or id attribute one of whose
// words (see [tokens]) is in set.
func namedBy(a html.Attribute, set map[string]bool) bool {
	if a.Key != "class" && a.Key != "id" {
		return false
	}
	for _, w := range tokens(a.Val) {
		if set[w] {
			return true
		}
	}
	return false
}

// hiddenUp reports whether element n or one of its ancestors is hidden
// from the reader, or is a template or noscript.
func hiddenUp(n *html.Node) bool {
	for p := n; p != nil; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		if p.Data == "template" || p.Data == "noscript" {
			return true
		}
		for _, a := range p.Attr {
			if hiddenAttr(a) {
				return true
			}
		}
	}
	return false
}

// isErrorTitle reports whether a page title or heading names an error.
// Only short titles count: a headline such as "Missing hiker found after
// 404 days" is longer than an error page's title.
func isErrorTitle(s string) bool {
	if s == "" || len(strings.Fields(s)) > 8 {
		return false
	}
	return errorTitleRe.MatchString(s)
}

// visibleText is the text of sel's nodes, outside scripts and styles, with
// a space between text nodes so that words in adjacent elements stay apart.
func visibleText(sel *goquery.Selection) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			b.WriteByte(' ')
			return
		case html.ElementNode:
			switch n.Data {
			case "script", "style", "noscript", "template", "svg":
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range sel.Nodes {
		walk(n)
	}
	return cleanText(b.String())
}
