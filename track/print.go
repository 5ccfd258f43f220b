package track

import (
	"encoding/base64"
	"encoding/binary"
	"hash/fnv"
	"slices"
	"strings"
)

// A page print is what a page held when the last version of its article
// was made: the hashes of the blocks of its text ([extract.Article]'s
// PageText, one block a line). The extraction wobbles: a block the page
// held all along (an intro, a "See also" section, a box of links) is in
// one reading and out of the next. A line a fresh reading adds that the
// last version's page already held is that wobble, not an edit; an edit
// brings text the page did not hold. The print is kept in the schedule
// state ([Entry.Print]) and replaced with each new version.
const (
	minPrintWords = 1    // a block of one word ("## Notes") is printed too
	maxPrint      = 2048 // blocks; a page's further blocks are left out
)

// PagePrint returns the print of a page's text (one block a line): the
// 32-bit hashes of its blocks of at least minPrintWords words, as lines
// are compared ([echoWords]), sorted and base64-encoded; "" when there is
// none.
func PagePrint(text string) string {
	var hs []uint32
	for l := range strings.SplitSeq(text, "\n") {
		if h, ok := printHash(echoWords(l)); ok {
			hs = append(hs, h)
		}
	}
	// Repeats stay: a page that held a sentence once did not hold the
	// copy an edit adds.
	slices.Sort(hs)
	if len(hs) > maxPrint {
		hs = hs[:maxPrint]
	}
	if len(hs) == 0 {
		return ""
	}
	b := make([]byte, 4*len(hs))
	for i, h := range hs {
		binary.BigEndian.PutUint32(b[4*i:], h)
	}
	return base64.RawStdEncoding.EncodeToString(b)
}

func printHash(words []string) (uint32, bool) {
	if len(words) < minPrintWords {
		return 0, false
	}
	f := fnv.New32a()
	f.Write([]byte(strings.Join(words, " ")))
	return f.Sum32(), true
}

// pagePrint is a decoded print: how many blocks of the page had each
// hash; nil holds nothing.
type pagePrint map[uint32]int

// readPrint decodes a print made by [PagePrint]; a damaged one is nil.
func readPrint(s string) pagePrint {
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil || len(b)%4 != 0 || len(b) == 0 {
		return nil
	}
	p := make(pagePrint, len(b)/4)
	for i := 0; i < len(b); i += 4 {
		p[binary.BigEndian.Uint32(b[i:])]++
	}
	return p
}

// holds reports whether the page held the markdown line l as a block: a
// paragraph, heading, list item or quote line whose words (without its
// marker) are a block of the page. Images and table rows are never held.
func (p pagePrint) holds(l string) bool {
	h, ok := lineKey(l)
	return ok && p[h] > 0
}

// heldElsewhere reports whether a page other than own held the line l
// as a block, p being a site's union of prints that counts the pages
// holding each block ([sitePrints]) and own one page among them.
func (p pagePrint) heldElsewhere(l string, own pagePrint) bool {
	h, ok := lineKey(l)
	if !ok {
		return false
	}
	n := p[h]
	if own[h] > 0 {
		n--
	}
	return n > 0
}

// lineKey is the hash [pagePrint.holds] looks up for the markdown line l.
func lineKey(l string) (uint32, bool) {
	if strings.HasPrefix(l, "![") || strings.HasPrefix(l, "|") {
		return 0, false
	}
	l = strings.TrimLeft(l, " ")
	if m := listMarker.FindString(l); m != "" {
		l = l[len(m):]
	}
	return printHash(echoWords(l))
}

// wordsKey is the hash of a paragraph's words ([units], space-separated).
func wordsKey(words string) (uint32, bool) {
	if words == "" {
		return 0, false
	}
	return printHash(strings.Fields(words))
}

// printBudget tells which lines of a fresh reading the last version's
// page held beyond what that version already has: a block the page held
// k times is taken in at most k times less the copies the version holds,
// so an edit that repeats a sentence of the article is an edit.
type printBudget struct {
	before       pagePrint
	lines, paras map[uint32]int // copies in the last version, then taken
	lastPara     string         // the paragraph the last line asked about was of
	lastParaHeld bool
}

func newPrintBudget(before pagePrint, prev []string) *printBudget {
	b := &printBudget{before: before, lines: map[uint32]int{}, paras: map[uint32]int{}}
	us := units(prev)
	for i, l := range prev {
		if us[i] == "" {
			continue
		}
		if h, ok := lineKey(l); ok {
			b.lines[h]++
		}
		if i == 0 || us[i] != us[i-1] {
			if h, ok := wordsKey(us[i]); ok {
				b.paras[h]++
			}
		}
	}
	return b
}

// held reports whether line l (of paragraph unit) is a block the page
// held that the last version does not account for, and takes it.
func (b *printBudget) held(l, unit string) bool {
	if len(b.before) == 0 {
		return false
	}
	if h, ok := lineKey(l); ok && b.before[h] > b.lines[h] {
		b.lines[h]++
		return true
	}
	if unit != "" && unit == b.lastPara {
		return b.lastParaHeld
	}
	b.lastPara, b.lastParaHeld = unit, false
	if h, ok := wordsKey(unit); ok && b.before[h] > b.paras[h] {
		b.paras[h]++
		b.lastParaHeld = true
	}
	return b.lastParaHeld
}

// maxSitePrints is the most article prints of one site that [sitePrints]
// joins: those of the articles changed last, whose pages show the
// furniture the site serves now.
const maxSitePrints = 256

// sitePrints returns, for each site (host without "www.") of urls, the
// union of the page prints the state keeps for the site's articles, at
// most maxSitePrints of them, counting for each block the pages that
// hold it (see [pagePrint.heldElsewhere]). A line a fresh reading adds
// that some page of the site held is furniture the site sets on many
// pages (a rotating promo or byline note); a line no page of the site
// held is this article's own.
func sitePrints(st *State, urls []string) map[string]pagePrint {
	want := map[string][]*Entry{}
	for _, u := range urls {
		want[siteOf(u)] = nil
	}
	for u, e := range st.Entries {
		if e.Print == "" {
			continue
		}
		if k := siteOf(u); k != "" {
			if es, ok := want[k]; ok {
				want[k] = append(es, e)
			}
		}
	}
	out := map[string]pagePrint{}
	for k, es := range want {
		if len(es) == 0 {
			continue
		}
		slices.SortStableFunc(es, func(a, b *Entry) int { return b.LastChanged.Compare(a.LastChanged) })
		union := pagePrint{}
		for _, e := range es[:min(len(es), maxSitePrints)] {
			for h := range readPrint(e.Print) {
				union[h]++
			}
		}
		out[k] = union
	}
	return out
}
