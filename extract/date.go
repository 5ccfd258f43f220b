package extract

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"
)

// parseDateLocal is parseDate keeping the zone the text gave: a page's
// "2020-04-12T21:00:00-04:00" was published on 12 April where it was
// written, though it is the 13th in UTC. Text without a zone gives UTC.
func parseDateLocal(s string) (time.Time, bool) {
	t, ok := parseDate(s)
	if !ok {
		// A date written out in a short value ("2023 Jan 7", "Published
		// 12 May 2024"): its calendar date.
		if c := cleanText(s); len(c) <= 40 {
			return findDate(c, true)
		}
		return t, false
	}
	c := cleanText(s)
	for _, layout := range dateLayouts {
		if lt, err := time.Parse(layout, c); err == nil && lt.Equal(t) {
			return lt, true
		}
	}
	if lt, err := time.Parse("2006-01-02T15:04:05-07", c); err == nil && lt.Equal(t) {
		return lt, true
	}
	return t, true
}

// monthNames maps month names and their usual abbreviations, in the
// languages stet meets most, to month numbers.
var monthNames = buildMonthNames()

func buildMonthNames() map[string]time.Month {
	out := map[string]time.Month{}
	for i, names := range [12]string{
		"january jan januar janvier janv enero ene gennaio gen januari janeiro",
		"february feb februar février févr fevrier febrero febbraio februari fevereiro fev",
		"march mar märz maerz mars marzo maart março",
		"april apr avril abril aprile avr",
		"may mai mayo maggio mei maio",
		"june jun juni juin junio giugno junho",
		"july jul juli juillet juil julio luglio lug julho",
		"august aug août aout agosto ago augustus",
		"september sep sept septembre septiembre settembre set setembro",
		"october oct oktober octobre octubre ottobre ott okt outubro out",
		"november nov novembre noviembre novembro",
		"december dec dezember décembre decembre déc diciembre dic dicembre dezembro dez",
	} {
		for n := range strings.FieldsSeq(names) {
			out[n] = time.Month(i + 1)
		}
	}
	return out
}

// weekdayNames are the weekdays' names and their usual abbreviations, in
// the languages of [monthNames].
var weekdayNames = func() map[string]bool {
	out := map[string]bool{}
	for n := range strings.FieldsSeq("monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun " +
		"montag dienstag mittwoch donnerstag freitag samstag sonntag " +
		"lundi mardi mercredi jeudi vendredi samedi dimanche " +
		"lunes martes miércoles jueves viernes sábado domingo " +
		"lunedì martedì mercoledì giovedì venerdì sabato domenica") {
		out[n] = true
	}
	return out
}()

// CalendarWord reports whether w, in any case, names a month or a
// weekday (or abbreviates one) in the languages stet reads dates in.
func CalendarWord(w string) bool {
	w = strings.ToLower(w)
	_, month := monthNames[w]
	return month || weekdayNames[w]
}

var (
	monthPat = `([A-Za-zÀ-ÿ]{3,10})\.?`
	// "July 9, 2025", "Dec. 19, 2025", "March 3rd 2020"
	mdyRe = regexp.MustCompile(`(?i)\b` + monthPat + `\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`)
	// "9 July 2025", "17. Dezember 2025", "3rd of March, 2020"
	dmyRe = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?` + monthPat + `,?\s+(\d{4})\b`)
	// "2023 Jan 7", as PubMed writes it
	ymonRe = regexp.MustCompile(`(?i)\b((?:19|20)\d{2})\s+` + monthPat + `\s+(\d{1,2})\b`)
	// "2025-07-09", "2025/07/09"
	ymdRe = regexp.MustCompile(`\b((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})\b`)
	// "07/09/2025", "09.07.2025"
	numRe = regexp.MustCompile(`\b(\d{1,2})([./])(\d{1,2})[./]((?:19|20)\d{2})\b`)
)

// findDate returns the first calendar date written in s, in UTC at
// midnight. usFirst says that "07/09/2025" is July 9 (month first), as in
// American English; day first otherwise. Dots always put the day first.
func findDate(s string, usFirst bool) (time.Time, bool) {
	type hit struct {
		at      int
		y, m, d int
	}
	if !hasFourDigits(s) {
		return time.Time{}, false // every pattern needs a four-digit year
	}
	var hits []hit
	if m := mdyRe.FindStringSubmatchIndex(s); m != nil {
		if mon, ok := monthNames[strings.ToLower(s[m[2]:m[3]])]; ok {
			hits = append(hits, hit{m[0], atoi(s[m[6]:m[7]]), int(mon), atoi(s[m[4]:m[5]])})
		}
	}
	if m := dmyRe.FindStringSubmatchIndex(s); m != nil {
		if mon, ok := monthNames[strings.ToLower(s[m[4]:m[5]])]; ok {
			hits = append(hits, hit{m[0], atoi(s[m[6]:m[7]]), int(mon), atoi(s[m[2]:m[3]])})
		}
	}
	if m := ymonRe.FindStringSubmatchIndex(s); m != nil {
		if mon, ok := monthNames[strings.ToLower(s[m[4]:m[5]])]; ok {
			hits = append(hits, hit{m[0], atoi(s[m[2]:m[3]]), int(mon), atoi(s[m[6]:m[7]])})
		}
	}
	if m := ymdRe.FindStringSubmatchIndex(s); m != nil {
		hits = append(hits, hit{m[0], atoi(s[m[2]:m[3]]), atoi(s[m[4]:m[5]]), atoi(s[m[6]:m[7]])})
	}
	if m := numRe.FindStringSubmatchIndex(s); m != nil {
		a, b := atoi(s[m[2]:m[3]]), atoi(s[m[6]:m[7]])
		mon, day := b, a
		if s[m[4]:m[5]] == "/" && (usFirst && a <= 12 || b > 12) {
			mon, day = a, b
		}
		hits = append(hits, hit{m[0], atoi(s[m[8]:m[9]]), mon, day})
	}
	best := -1
	for i, h := range hits {
		if h.m < 1 || h.m > 12 || h.d < 1 || h.d > 31 || h.y < 1990 || h.y > 2100 {
			continue
		}
		if best < 0 || h.at < hits[best].at {
			best = i
		}
	}
	if best < 0 {
		return time.Time{}, false
	}
	h := hits[best]
	t := time.Date(h.y, time.Month(h.m), h.d, 0, 0, 0, 0, time.UTC)
	if t.Day() != h.d {
		return time.Time{}, false // 31 April
	}
	return t, true
}

// hasFourDigits reports whether s holds four ASCII digits in a row (\d in
// Go's regexp is ASCII).
func hasFourDigits(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			if run++; run == 4 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// datelineBefore and datelineAfter bound the search for a visible date
// around the headline, in text nodes: dates are printed just above the
// headline ("Last updated: Dec 12, 2025") or in the byline block under it.
const (
	datelineBefore = 12
	datelineAfter  = 40
	// datelineMax is the longest text taken as a dateline; longer text is
	// a sentence that merely mentions a date.
	datelineMax = 90
	// datelineWords is how many words at the start of a paragraph may
	// hold its dateline (see [datelineText]).
	datelineWords = 5
)

// visibleDate returns the date printed nearest the headline node h1: a
// short text around it that holds a date, such as "Published on July 18,
// 2025" or "Dec. 19, 2025 · Niko Matsakis". Text in links, scripts,
// navigation and comment sections is skipped. It reports false when h1 is
// nil or no date is near.
func visibleDate(root, h1 *html.Node, usFirst bool) (time.Time, bool) {
	if h1 == nil {
		return time.Time{}, false
	}
	// Keep the last datelineBefore texts before h1 and stop
	// datelineAfter texts after it.
	var texts []*html.Node
	at := -1
	var walk func(n *html.Node) bool
	walk = func(n *html.Node) bool {
		if n == h1 {
			at = len(texts)
		}
		if n.Type == html.TextNode {
			if strings.TrimSpace(n.Data) != "" {
				if at < 0 && len(texts) == datelineBefore {
					copy(texts, texts[1:])
					texts = texts[:len(texts)-1]
				}
				texts = append(texts, n)
			}
			return at >= 0 && len(texts) >= at+datelineAfter
		}
		if n.Type == html.ElementNode && skipForDate(n) {
			return false
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if walk(c) {
				return true
			}
		}
		return false
	}
	walk(root)
	if at < 0 {
		return time.Time{}, false
	}
	best, bestDist := time.Time{}, -1
	for i := range texts {
		t := datelineText(texts[i])
		if len(t) > datelineMax {
			continue
		}
		d, ok := findDate(t, usFirst)
		if !ok {
			continue
		}
		dist := i - at
		if dist < 0 {
			dist = -dist*2 + 1 // a date after the headline is likelier its own
		}
		if bestDist < 0 || dist < bestDist {
			best, bestDist = d, dist
		}
	}
	return best, bestDist >= 0
}

// datelineText is the text of n's parent element when that is short (a
// date split over several nodes, "Dec 17, " and "2025"), else n's own,
// unless the parent is a paragraph: a piece of a paragraph is part of a
// sentence that merely mentions a date ("… since 23 December 2021 <b>the
// rule</b> …"), and only the paragraph's first datelineWords words are
// returned, where a wire story's dateline stands ("April 17, 2015 --
// Imagine …"). Taken as a dateline, a date inside a sentence beat the
// page's structured date whenever the paragraph fell within
// datelineAfter texts of the headline, which furniture served on some
// requests only decides.
func datelineText(n *html.Node) string {
	p := n.Parent
	if p != nil && smallTree(p, 12) {
		if t := cleanText(textOf(p)); len(t) <= datelineMax {
			return t
		}
	}
	if p != nil && p.Type == html.ElementNode && p.Data == "p" {
		w := strings.Fields(cleanText(textOf(p)))
		return strings.Join(w[:min(len(w), datelineWords)], " ")
	}
	return cleanText(n.Data)
}

// smallTree reports whether n has at most limit descendants.
func smallTree(n *html.Node, limit int) bool {
	count := 0
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if count++; count > limit || !walk(c) {
				return false
			}
		}
		return true
	}
	return walk(n)
}

// skipForDate reports whether an element's text cannot be the article's
// dateline: scripts and styles, navigation, comment threads, whose
// dates are the comments', and quotations, whose dates are the quoted
// post's or letter's (an embedded social post dates itself).
func skipForDate(n *html.Node) bool {
	switch n.Data {
	case "script", "style", "noscript", "template", "nav", "head", "select", "option", "textarea", "blockquote":
		return true
	}
	for _, a := range n.Attr {
		if a.Key == "hidden" || a.Key == "aria-hidden" && strings.EqualFold(a.Val, "true") {
			return true
		}
		// Comment threads date the comments; a "today's date" widget the
		// visit.
		if (a.Key == "class" || a.Key == "id") && (containsFoldASCII(a.Val, "comment") || containsFoldASCII(a.Val, "today")) {
			return true
		}
	}
	return false
}

// zonedTimeRe matches a timestamp with a UTC offset: 2025-12-18T21:46:01-05:00.
var zonedTimeRe = regexp.MustCompile(`^\s*\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?([+-])(\d{2}):?(\d{2})\s*$`)

// pageZone returns the zone the page writes its times in, when its
// timestamps (datetime and meta content attributes) name exactly one
// offset other than UTC: a page that stamps its article in UTC may date
// its comments and updates at -05:00, the zone it was published in.
func pageZone(root *html.Node) (*time.Location, bool) {
	if root == nil {
		return nil, false
	}
	off, seen := 0, false
	ok := true
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if !ok {
			return
		}
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				if a.Key != "datetime" && a.Key != "content" {
					continue
				}
				m := zonedTimeRe.FindStringSubmatch(a.Val)
				if m == nil {
					continue
				}
				o := (atoi(m[2])*60 + atoi(m[3])) * 60
				if m[1] == "-" {
					o = -o
				}
				switch {
				case o == 0:
				case !seen:
					off, seen = o, true
				case o != off:
					ok = false
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	if !ok || !seen {
		return nil, false
	}
	return time.FixedZone("", off), true
}

// dateLabelRe matches the words that label a publication date at the
// start of a short text: "Posted on April 13, 2023", "Published: 2 Feb
// 2023", "Veröffentlicht am 3. März 2024".
var dateLabelRe = regexp.MustCompile(`(?i)^\W*(posted|published|publication date|date published|first published|veröffentlicht|erschienen|publié|publicado|pubblicato|gepubliceerd|geplaatst)\b`)

// labelledDate returns the date printed after the headline node h (or
// anywhere when h is nil) where a page puts it away from the headline:
// in the author box at the article's end ("Posted on April 13, 2023"
// under "This post was written by …") or behind a label. A date counts
// when its short text starts with a label or follows one ("Published",
// then "Feb 2, 2023"), or follows one of the authors' names within a few
// texts. When such dates disagree (a list of related
// posts, each "Posted on …"), none is taken.
func labelledDate(root, h *html.Node, authors []string, usFirst bool) (time.Time, bool) {
	if root == nil {
		return time.Time{}, false
	}
	var names []string
	for _, a := range authors {
		if a = strings.ToLower(strings.TrimSpace(a)); len(a) >= 4 {
			names = append(names, a)
		}
	}
	var found []time.Time
	after := h == nil
	sinceAuthor := -1  // texts since one holding an author's name; -1: none
	prevLabel := false // the text before was a label ("Published")
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n == h {
			after = true
		}
		if n.Type == html.TextNode {
			if !after || strings.TrimSpace(n.Data) == "" {
				return
			}
			t := datelineText(n)
			lower := strings.ToLower(t)
			if sinceAuthor >= 0 {
				sinceAuthor++
			}
			for _, a := range names {
				if strings.Contains(lower, a) {
					sinceAuthor = 0
				}
			}
			label := prevLabel
			prevLabel = len(t) <= 40 && dateLabelRe.MatchString(t)
			if len(t) > datelineMax {
				return
			}
			if d, ok := findDate(t, usFirst); ok && (label || dateLabelRe.MatchString(t) || sinceAuthor >= 0 && sinceAuthor <= 4) {
				found = append(found, d)
			}
			return
		}
		if n.Type == html.ElementNode && (skipForDate(n) || n.Data == "a") {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
			if len(found) > 8 {
				return
			}
		}
	}
	walk(root)
	if len(found) == 0 {
		return time.Time{}, false
	}
	for _, d := range found[1:] {
		if !d.Equal(found[0]) {
			return time.Time{}, false
		}
	}
	return found[0], true
}

// urlDateRe matches a date in a URL's path: /2025/12/19/ or
// /2025-12-17-slug.
var urlDateRe = regexp.MustCompile(`/((?:19|20)\d{2})[/-](\d{2})[/-](\d{2})(?:[^0-9]|$)`)

// urlNamedDateRe matches a date whose month is named in a URL's path:
// /2023/october/03/.
var urlNamedDateRe = regexp.MustCompile(`(?i)/((?:19|20)\d{2})/([a-zé]{3,10})/(\d{1,2})(?:[^0-9]|$)`)

// urlDate returns the date in u's path, as many sites put it there
// (/2025/12/19/slug); false when there is none.
func urlDate(u *url.URL) (time.Time, bool) {
	if u == nil {
		return time.Time{}, false
	}
	m := urlDateRe.FindStringSubmatch(u.Path)
	if m == nil {
		m = urlNamedDateRe.FindStringSubmatch(u.Path)
		if m == nil {
			return time.Time{}, false
		}
		mon, ok := monthNames[strings.ToLower(m[2])]
		if !ok {
			return time.Time{}, false
		}
		m[2] = strconv.Itoa(int(mon))
	}
	y, mo, d := atoi(m[1]), atoi(m[2]), atoi(m[3])
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if mo < 1 || mo > 12 || t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// publishedDate chooses the publication date: the page's structured date
// (JSON-LD, meta tags, itemprop, <time datetime>); else the date printed
// by the headline; else the date in the path of the page's URL or its
// canonical URL; else the modification time. title is the chosen
// headline, whose h1 anchors the search for the printed date; authors
// are the article's, whose names mark the byline block a date may sit in
// at the article's end.
func (m *meta) publishedDate(title string, authors []string) time.Time {
	if !m.published.IsZero() {
		// An article is not published after the date it shows: a
		// structured date days later than the one printed by the headline
		// is a migration or republishing stamp. (A day's difference is
		// left alone: that is the zone the printed date is in.)
		if v, ok := visibleDate(m.root, m.headlineNode(title), usDates(m.dateLocale)); ok && v.AddDate(0, 0, 2).Before(m.published) {
			return m.readAgainstPath(v)
		}
		// A time stamped in UTC is shown in the zone the page writes its
		// other times in when the date in its URL is the day there.
		if _, off := m.published.Zone(); off == 0 {
			if d, ok := m.pathDate(); ok && !sameDay(m.published, d) {
				if z, ok := pageZone(m.root); ok && sameDay(m.published.In(z), d) {
					return m.published.In(z)
				}
			}
		}
		return m.published
	}
	h := m.headlineNode(title)
	if t, ok := visibleDate(m.root, h, usDates(m.dateLocale)); ok {
		return m.readAgainstPath(t)
	}
	if t, ok := labelledDate(m.root, h, authors, usDates(m.dateLocale)); ok {
		return m.readAgainstPath(t)
	}
	if t, ok := m.pathDate(); ok {
		return t
	}
	// A page that gives only its modification time was at least
	// published by then; most such pages are never updated.
	return m.modified
}

// readAgainstPath checks a date read from the page's text against the
// date in its URL. A numeric date such as "03/10/2023" is read month first
// or day first by the page's language, which often says only "en"; when
// the other reading is the URL's date, the page writes day first (or
// month first) and the URL's reading is taken.
func (m *meta) readAgainstPath(t time.Time) time.Time {
	if t.Day() > 12 || int(t.Month()) == t.Day() {
		return t
	}
	d, ok := m.pathDate()
	if !ok || sameDay(t, d) {
		return t
	}
	swapped := time.Date(t.Year(), time.Month(t.Day()), int(t.Month()), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
	if sameDay(swapped, d) {
		return swapped
	}
	return t
}

// pathDate returns the date in the path of the page's URL, else in its
// canonical URL's.
func (m *meta) pathDate() (time.Time, bool) {
	if t, ok := urlDate(m.base); ok {
		return t, true
	}
	if u, err := url.Parse(m.url); err == nil && m.url != "" {
		return urlDate(u)
	}
	return time.Time{}, false
}

// headlineNode returns the h1 that holds title, else the first h2 or h3
// that does (pages that style their headline as an h2), else the first
// visible h1, else the first h1 even if it is the logo; nil when there is
// none.
func (m *meta) headlineNode(title string) *html.Node {
	for i, h := range m.h1s {
		if h == title {
			return m.h1Nodes[i]
		}
	}
	var found *html.Node
	if m.root != nil && title != "" {
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			for c := n.FirstChild; c != nil && found == nil; c = c.NextSibling {
				if c.Type != html.ElementNode || skipForDate(c) {
					continue
				}
				if (c.Data == "h2" || c.Data == "h3") && wordOverlap(textOf(c), title) >= 0.5 {
					found = c
					return
				}
				walk(c)
			}
		}
		walk(m.root)
	}
	if found != nil {
		return found
	}
	if len(m.h1Nodes) > 0 {
		return m.h1Nodes[0]
	}
	return m.firstH1
}

// usDates reports whether a page in language lang writes numeric dates
// month first: American English, and English of no stated region.
func usDates(lang string) bool {
	switch {
	case lang == "" || lang == "en" || lang == "en-US":
		return true
	}
	return false
}

// sameDay reports whether a and b fall on the same calendar date, each in
// its own zone.
func sameDay(a, b time.Time) bool {
	return a.Format(time.DateOnly) == b.Format(time.DateOnly)
}
