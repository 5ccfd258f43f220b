package extract

import (
	"html"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// normalizeText returns s in NFC with zero-width and control characters
// removed and every other space (nbsp included) turned into ' ', keeping
// line breaks.
func normalizeText(s string) string {
	plain := len(s) // the length of the prefix with nothing to change
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\n' || c >= 0x7f {
			plain = i
			break
		}
	}
	if plain == len(s) {
		return s
	}
	s = fixMojibake(s)
	// Filter, compose, filter again: removing a zero-width character can
	// let its neighbours compose, and composing can yield a space such as
	// U+2002.
	if needsFilter(s[plain:]) {
		s = filterText(s) // most page text has a tab or a CR: filter, then check
	}
	if norm.NFC.IsNormalString(s) {
		return s
	}
	// Composing can make mojibake the first pass could not see (an "Å"
	// written as A and a combining ring, before "†").
	t := norm.NFC.String(s)
	if f := fixMojibake(t); f != t {
		t = norm.NFC.String(f)
	}
	return filterText(t)
}

// cp1252 maps the characters Windows-1252 puts at bytes 0x80-0x9F back
// to those bytes.
var cp1252 = map[rune]byte{
	'€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88,
	'‰': 0x89, 'Š': 0x8a, '‹': 0x8b, 'Œ': 0x8c, 'Ž': 0x8e, '‘': 0x91, '’': 0x92, '“': 0x93,
	'”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97, '˜': 0x98, '™': 0x99, 'š': 0x9a, '›': 0x9b,
	'œ': 0x9c, 'ž': 0x9e, 'Ÿ': 0x9f,
}

// fixMojibake repairs text that was UTF-8 read as Latin-1 or Windows-1252
// before it reached the page ("Investorâ\u0080\u0099s", "â€™", "Ã©"):
// a run of characters whose single bytes form one UTF-8 character becomes
// that character. Only runs that cannot be real text are repaired: one
// holding a C1 control (U+0080-U+009F, which no text holds), "Â" or "Ã"
// with one more character (Â®, Ã©: ®, é), "â" with two that give
// punctuation (â€™, â€œ, â„¢: ’, “, ™), or "Å" with one that gives a
// Central European letter (Å‚: ł). So "Straße“" and "SÃO PAULO" stay.
func fixMojibake(s string) string {
	if !mayBeMojibake(s) {
		return s
	}
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	changed := false
	for i := 0; i < len(rs); {
		if r, n := mojibakeAt(rs[i:]); n > 0 {
			b.WriteRune(r)
			i += n
			changed = true
			continue
		}
		b.WriteRune(rs[i])
		i++
	}
	if !changed {
		return s
	}
	return b.String()
}

// mayBeMojibake reports whether s holds a character that starts or
// continues a sequence fixMojibake repairs.
func mayBeMojibake(s string) bool {
	for _, r := range s {
		if r >= 0x80 && r <= 0x9f || r == 'Â' || r == 'Ã' || r == 'â' || r == 'Å' {
			return true
		}
	}
	return false
}

// mojibakeAt returns the character that the runes at the start of rs
// stand for when they are a repairable UTF-8 sequence (see fixMojibake),
// and how many runes it takes; 0 when they are not one.
func mojibakeAt(rs []rune) (rune, int) {
	lead := rs[0]
	var n int
	switch {
	case lead >= 0xc2 && lead <= 0xdf:
		n = 1
	case lead >= 0xe0 && lead <= 0xef:
		n = 2
	case lead >= 0xf0 && lead <= 0xf4:
		n = 3
	default:
		return 0, 0
	}
	if len(rs) <= n {
		return 0, 0
	}
	buf := []byte{byte(lead)}
	c1 := false
	for _, r := range rs[1 : n+1] {
		var c byte
		switch {
		case r >= 0x80 && r <= 0xbf:
			c = byte(r)
			c1 = c1 || r <= 0x9f
		default:
			var ok bool
			if c, ok = cp1252[r]; !ok {
				return 0, 0
			}
		}
		buf = append(buf, c)
	}
	r, size := utf8.DecodeRune(buf)
	if r == utf8.RuneError || size != len(buf) {
		return 0, 0
	}
	switch {
	case c1,
		(lead == 'Â' || lead == 'Ã') && r >= 0x80 && r <= 0xff,
		lead == 'â' && (r >= 0x2000 && r <= 0x206f || r >= 0x20a0 && r <= 0x20cf || r >= 0x2100 && r <= 0x214f),
		lead == 'Å' && r >= 0x100 && r <= 0x17f:
		return r, n + 1
	}
	return 0, 0
}

// needsFilter reports whether filterText would change s.
func needsFilter(s string) bool {
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c < 0x20 && c != '\n' || c == 0x7f {
				return true
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || dropOrSpace(r) {
			return true
		}
		i += n
	}
	return false
}

// dropOrSpace reports whether filterText drops r or turns it into ' '.
func dropOrSpace(r rune) bool {
	switch {
	case r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\ufeff' || r == '\u00ad' || r == '\u200e' || r == '\u200f':
		return true
	case r == '\ufffd':
		return false
	case unicode.IsSpace(r), unicode.IsControl(r), unicode.Is(unicode.Co, r), unicode.Is(unicode.Cs, r):
		return true
	}
	return false
}

// filterText drops zero-width, control and private-use characters and
// turns every space but '\n' into ' '.
func filterText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r < utf8.RuneSelf && r >= 0x20 && r != 0x7f { // printable ASCII: kept as it is
			b.WriteByte(byte(r))
			continue
		}
		switch {
		case r == '\n':
			b.WriteByte('\n')
		case r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\ufeff' || r == '\u00ad' || r == '\u200e' || r == '\u200f':
			// zero-width and soft hyphen: invisible, and often vary.
		case r == '\ufffd':
			b.WriteRune(r)
		case unicode.IsSpace(r):
			b.WriteByte(' ')
		case unicode.IsControl(r), unicode.Is(unicode.Co, r), unicode.Is(unicode.Cs, r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// cleanText is normalizeText with all whitespace collapsed to single
// spaces and trimmed.
func cleanText(s string) string {
	s = normalizeText(s)
	if singleSpaced(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// singleSpaced reports whether s has no space at either end and no space
// but single ' ' between words, so that cleanText would return it as it is.
func singleSpaced(s string) bool {
	prev := true // a space at the start is not single-spaced
	for _, r := range s {
		sp := r == ' '
		if sp && prev || !sp && unicode.IsSpace(r) {
			return false
		}
		prev = sp
	}
	return !prev || s == ""
}

// sameText reports whether a and b are equal ignoring case, punctuation and
// spacing.
func sameText(a, b string) bool {
	return foldText(a) == foldText(b) && foldText(a) != ""
}

func foldText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteByte(byte(r))
		case r >= 'A' && r <= 'Z':
			b.WriteByte(byte(r) + 'a' - 'A')
		case r < utf8.RuneSelf:
		default:
			// as strings.ToLower(s) and then the letters and digits
			if r = unicode.ToLower(r); unicode.IsLetter(r) || unicode.IsDigit(r) {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// appendFolded appends s folded as [foldText] folds it to b, for a caller
// that folds many strings into one buffer.
func appendFolded(b []byte, s string) []byte {
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b = append(b, byte(r))
		case r >= 'A' && r <= 'Z':
			b = append(b, byte(r)+'a'-'A')
		case r < utf8.RuneSelf:
		default:
			if r = unicode.ToLower(r); unicode.IsLetter(r) || unicode.IsDigit(r) {
				b = utf8.AppendRune(b, r)
			}
		}
	}
	return b
}

var titleSeps = []string{" | ", " - ", " – ", " — ", " :: ", " // ", " · ", " • ", " « ", " » ", ": "}

// cleanTitle removes a site-name suffix or prefix (" | Site", "Site - ")
// from title. site and h1 are the site name and the page's first h1, either
// possibly empty; when the title has a separator and one part equals h1,
// that part is taken.
func cleanTitle(title, site, h1 string) string {
	title = cleanText(title)
	if title == "" {
		return ""
	}
	for _, sep := range titleSeps {
		i := strings.LastIndex(title, sep)
		if i <= 0 {
			continue
		}
		head, tail := strings.TrimSpace(title[:i]), strings.TrimSpace(title[i+len(sep):])
		if site != "" && sep != ": " && siteLike(tail, site) {
			return cleanTitle(head, site, h1)
		}
		j := strings.Index(title, sep)
		tail2 := strings.TrimSpace(title[j+len(sep):])
		if h1 != "" && sameText(head, h1) {
			return head
		}
		if head := strings.TrimSpace(title[:j]); h1 != "" && sameText(head, h1) {
			return head
		}
		if h1 != "" && sameText(tail2, h1) {
			return tail2
		}
	}
	return title
}

// siteLike reports whether part names the site: equal ignoring case and
// punctuation, or one a prefix of the other ("BBC News" and "BBC").
func siteLike(part, site string) bool {
	p, s := foldText(part), foldText(site)
	if p == "" || s == "" {
		return false
	}
	if p == s {
		return true
	}
	short, long := p, s
	if len(short) > len(long) {
		short, long = long, short
	}
	return len(short) >= 3 && strings.HasPrefix(long, short) && len(strings.Fields(part)) <= 4
}

var (
	byRe = regexp.MustCompile(`(?i)^(?:(?:(?:written |words |reporting |story |text |article |posted |photos? )?by|par|von|door|por|di|da|av|af|przez|от|автор)[:\s]|(?:authors?|autor(?:in|en)?|auteurs?)\s*:)\s*`)
	// byLeads are the first words byRe can match, lower-cased: a text
	// whose leadWord is not one of them cannot start a byline, and most
	// texts are spared the match.
	byLeads = map[string]bool{
		"written": true, "words": true, "reporting": true, "story": true, "text": true, "article": true,
		"posted": true, "photo": true, "photos": true, "by": true, "par": true, "von": true, "door": true,
		"por": true, "di": true, "da": true, "av": true, "af": true, "przez": true, "от": true, "автор": true,
		"author": true, "authors": true, "autor": true, "autorin": true, "autoren": true, "auteur": true, "auteurs": true,
	}
	// gluedByRe matches "by" glued to the name it introduces: "byScott Miller".
	gluedByRe = regexp.MustCompile(`^[Bb]y(\p{Lu}\p{Ll})`)
	// orgAndRe finds an organisation's name, which may hold "and": "Center
	// for Drug Evaluation and Research", "Ministry of Health and Welfare".
	orgAndRe  = regexp.MustCompile(`^\p{Lu}[\p{L}.'-]*(?: \p{Lu}[\p{L}.'-]*)* (?:for|of) \p{Lu}[\p{L}.'-]*(?: \p{Lu}[\p{L}.'-]*)* and \p{Lu}[\p{L}.'-]*(?: \p{Lu}[\p{L}.'-]*)*$`)
	bylineSep = regexp.MustCompile(`(?i)\s*(?:,|;|\||\s+and\s+|\s+&\s+|\s+und\s+|\s+et\s+|\s+y\s+|\s+e\s+|\s+with\s+|\n)\s*`)
	roleWords = regexp.MustCompile(`(?i)\b(correspondent|editor|reporter|writer|staff|contributor|columnist|producer|photographer|journalist|analyst|author|chief|senior|bureau|desk|team|news|press|agency|associated|reuters|afp|updated|published|posted|follow|twitter|email|minutes?|hours?|read|min)\b`)
	// teamWords are the role words that name a group, not a job: "The
	// Investopedia Team" is signed by the team, not by "The Investopedia".
	teamWords = regexp.MustCompile(`(?i)\b(staff|team|desk|news|press|agency|associated|reuters|afp|bureau)\b`)
	withRe    = regexp.MustCompile(`(?i)\(\s*(?:with|avec|mit|con|com)\s+([^()]*)\)`)
	monthRe   = regexp.MustCompile(`(?i)^(jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|september|oct|october|nov|november|dec|december)\.?,?$|^(am|pm|a\.m\.|p\.m\.|at|on|gmt|utc|bst|est|edt|cst|cdt|pst|pdt|cet|cest)\.?,?$`)
	digitsEnd = regexp.MustCompile(`\d+[\d:.,/-]*$`)
)

// stripDates removes dates and times from a byline part: words with
// digits and month names, and digits glued to the end of a name.
func stripDates(s string) string {
	if !strings.ContainsAny(s, "0123456789") {
		return s // "Theresa May" is a name, not a date
	}
	var keep []string
	for _, w := range strings.Fields(s) {
		if monthRe.MatchString(w) {
			continue
		}
		w = digitsEnd.ReplaceAllString(w, "")
		if w == "" || strings.ContainsAny(w, "0123456789") {
			continue
		}
		keep = append(keep, w)
	}
	return strings.Join(keep, " ")
}

// normalizeByline turns a raw byline such as "By Jane Smith and John Doe,
// BBC News" into names ("Jane Smith", "John Doe"): it drops "By", roles,
// publisher names (from publishers) and duplicates, and splits on "and",
// "&", commas and semicolons.
func normalizeByline(raw string, publishers []string) []string {
	if strings.Contains(raw, "&") {
		raw = html.UnescapeString(raw) // "Maria &amp; Katerina" escaped twice
	}
	raw = strings.TrimSpace(normalizeText(raw))
	var out []string
	seen := map[string]bool{}
	// "By A and B | Paper | 20 May": the names come before the first bar.
	if head, _, ok := strings.Cut(raw, "|"); ok && strings.TrimSpace(head) != "" {
		raw = head
	}
	// "A (with B and C)": the bracket lists more authors.
	raw = withRe.ReplaceAllString(raw, ", $1")
	for part := range strings.SplitSeq(raw, "\n") {
		part = strings.TrimSpace(part)
		names, maxWords := bylineSep.Split(part, -1), 5
		if p := byRe.ReplaceAllString(part, ""); orgAndRe.MatchString(p) {
			names, maxWords = []string{p}, 10
		}
		afterRole := false
		for _, name := range names {
			name = byRe.ReplaceAllString(strings.TrimSpace(name), "")
			name = gluedByRe.ReplaceAllString(name, "$1")
			name = stripDates(name)
			name = strings.Trim(name, " .:-–—·•|/[]&+")
			if strings.Count(name, "(") != strings.Count(name, ")") {
				name = strings.Trim(name, "()")
			}
			name = cleanText(name)
			if name == "" || strings.ContainsAny(name, "@/") || !plausibleName(name) {
				continue
			}
			if len([]rune(name)) > 60 || len(strings.Fields(name)) > maxWords {
				continue
			}
			publisher := false
			for _, p := range publishers {
				if siteLike(name, p) || leadsWithSiteWord(name, p) {
					publisher = true
				}
			}
			if roleWords.MatchString(name) {
				// "Keith Barry Senior Autos Reporter": the name before
				// the job title. The part after a job title belongs to
				// it when it is one word ("Writer, Hardware"). A group
				// ("Associated Press", "Metro Desk") is left out whole.
				name = nameBeforeRole(name)
				afterRole = true
				if name == "" {
					continue
				}
			} else if afterRole && len(strings.Fields(name)) == 1 {
				continue
			} else {
				afterRole = false
			}
			if publisher {
				continue
			}
			if k := foldText(name); !seen[k] {
				seen[k] = true
				out = append(out, name)
			}
		}
	}
	return out
}

var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 Z0700",
	"2006-01-02 15:04:05 -0700 MST",
	"2006-01-02 15:04:05 MST",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/01/02 15:04:05",
	"2006/01/02",
	"20060102",
	"20060102T150405Z0700",
	time.RFC1123Z,
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 02 Jan 2006 15:04 -0700",
	time.RFC850,
	time.RFC822Z,
	time.RFC822,
	time.ANSIC,
	time.UnixDate,
	"January 2, 2006 3:04 PM MST",
	"January 2, 2006 3:04 PM",
	"January 2, 2006, 3:04 PM",
	"January 2, 2006 15:04",
	"January 2, 2006",
	"Jan 2, 2006 3:04 PM",
	"Jan 2, 2006",
	"Jan. 2, 2006",
	"Monday, January 2, 2006",
	"Monday, January 2, 2006 3:04 PM",
	"Monday 2 January 2006",
	"Monday, 2 January 2006",
	"2 January 2006 15:04",
	"2 January 2006",
	"2 Jan 2006 15:04",
	"2 Jan 2006",
	"02.01.2006 15:04",
	"02.01.2006",
}

// parseDate parses s in any of the common formats and returns it in UTC.
// Times without a zone are taken as UTC. It reports false when s is not a
// date or lies outside years 1900..2200.
func parseDate(s string) (time.Time, bool) {
	s = cleanText(s)
	if s == "" || len(s) > 64 || !strings.ContainsAny(s, "0123456789") {
		return time.Time{}, false
	}
	s = strings.TrimPrefix(s, "Published ")
	s = strings.TrimPrefix(s, "Updated ")
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && len(s) >= 9 {
		switch {
		case n > 1e11: // milliseconds
			return check(time.UnixMilli(n))
		default:
			return check(time.Unix(n, 0))
		}
	}
	// "2024-01-02T10:00:00+0100" and "…+01" variants.
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return check(t)
		}
	}
	if t, err := time.Parse("2006-01-02T15:04:05-07", s); err == nil {
		return check(t)
	}
	// Ordinals and "at": "March 3rd, 2020 at 10:00".
	r := strings.NewReplacer(" at ", " ", "st,", ",", "nd,", ",", "rd,", ",", "th,", ",", "Sept", "Sep")
	if s2 := r.Replace(s); s2 != s {
		for _, layout := range dateLayouts {
			if t, err := time.Parse(layout, s2); err == nil {
				return check(t)
			}
		}
	}
	return time.Time{}, false
}

func check(t time.Time) (time.Time, bool) {
	t = t.UTC()
	if t.Year() < 1900 || t.Year() > 2200 {
		return time.Time{}, false
	}
	return t, true
}

// nameBeforeRole returns the words of s before its first job-title word
// (see roleWords) when they are two capitalised words, a name; ""
// otherwise ("Staff Writer", "CNN Staff", "Ben Silverman Games Writer").
func nameBeforeRole(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		if !roleWords.MatchString(w) {
			continue
		}
		if teamWords.MatchString(w) {
			return ""
		}
		if i != 2 {
			return "" // "Ben Silverman Games Writer": where the name ends is unsure
		}
		for _, p := range words[:i] {
			if r, _ := utf8.DecodeRuneInString(p); !unicode.IsUpper(r) {
				return ""
			}
		}
		return strings.Join(words[:i], " ")
	}
	return ""
}

// plausibleName reports whether s could be a person's name: it has a
// letter, and a single word has at least three letters ("CC" is not).
func plausibleName(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	if letters == 0 {
		return false
	}
	return len(strings.Fields(s)) > 1 || letters >= 3
}

// similarity is the share of a's words found in b, ignoring case.
func similarity(a, b string) float64 {
	wa := strings.Fields(strings.ToLower(a))
	if len(wa) == 0 {
		return 0
	}
	inB := map[string]bool{}
	for _, w := range strings.Fields(strings.ToLower(b)) {
		inB[w] = true
	}
	n := 0
	for _, w := range wa {
		if inB[w] {
			n++
		}
	}
	return float64(n) / float64(len(wa))
}

var segmentSeps = []string{" | ", " - ", " – ", " — ", " » ", " / ", " \\ ", " > ", " · "}

// dropLastSegment removes the last " | Section" style segment of a <title>
// whose site is unknown, when what remains still has more than four words.
func dropLastSegment(title string) string {
	cut := -1
	for _, sep := range segmentSeps {
		if i := strings.LastIndex(title, sep); i > cut {
			cut = i
		}
	}
	if cut > 0 && len(strings.Fields(title[:cut])) > 4 {
		return strings.TrimSpace(title[:cut])
	}
	return title
}

// leadsWithSiteWord reports whether name starts with a distinctive word of
// the site's name, as in "Telegraph View" or "Guardian staff" for The
// Telegraph and The Guardian. Names that merely contain such a word later
// ("Jennifer Washington" for the Washington Post) are kept.
func leadsWithSiteWord(name, site string) bool {
	f := strings.Fields(name)
	if len(f) < 2 {
		return false
	}
	first := foldText(f[0])
	if len(first) < 4 {
		return false
	}
	for _, w := range strings.Fields(site) {
		if fw := foldText(w); fw == first && fw != "the" {
			return true
		}
	}
	return false
}

// alreadyTidy reports whether tidySpans would return spans unchanged, so
// that text tidied once (the walker's blocks) is not rebuilt rune by rune
// each time it is measured or rendered.
func alreadyTidy(spans []Span) bool {
	if len(spans) == 0 {
		return false
	}
	for i, s := range spans {
		t := s.Text
		if t == "" || normalizeText(t) != t || strings.Contains(t, "  ") || strings.IndexByte(t, '\n') >= 0 {
			return false
		}
		if i == 0 && t[0] == ' ' || i == len(spans)-1 && t[len(t)-1] == ' ' {
			return false
		}
		if i > 0 {
			p := spans[i-1]
			if p.Link == s.Link || t[0] == ' ' && (s.Link != "" || p.Text[len(p.Text)-1] == ' ') {
				return false
			}
		}
		if s.Link != "" && t[len(t)-1] == ' ' {
			return false
		}
	}
	return true
}

// containsFoldASCII reports whether s contains sub, a lower-case ASCII
// word, in any ASCII case. It is a cheap filter before a (?i) regexp that
// needs sub, when no letter of sub has a non-ASCII case fold (k and s do).
func containsFoldASCII(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		j := 0
		for j < len(sub) && s[i+j]|0x20 == sub[j] {
			j++
		}
		if j == len(sub) {
			return true
		}
	}
	return false
}
