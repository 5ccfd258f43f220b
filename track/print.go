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
	slices.Sort(hs)
	hs = slices.Compact(hs)
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

// pagePrint is a decoded print; nil holds nothing.
type pagePrint map[uint32]bool

// readPrint decodes a print made by [PagePrint]; a damaged one is nil.
func readPrint(s string) pagePrint {
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil || len(b)%4 != 0 || len(b) == 0 {
		return nil
	}
	p := make(pagePrint, len(b)/4)
	for i := 0; i < len(b); i += 4 {
		p[binary.BigEndian.Uint32(b[i:])] = true
	}
	return p
}

// holds reports whether the page held the markdown line l as a block: a
// paragraph, heading, list item or quote line whose words (without its
// marker) are a block of the page. Images and table rows are never held.
func (p pagePrint) holds(l string) bool {
	if len(p) == 0 || strings.HasPrefix(l, "![") || strings.HasPrefix(l, "|") {
		return false
	}
	l = strings.TrimLeft(l, " ")
	if m := listMarker.FindString(l); m != "" {
		l = l[len(m):]
	}
	h, ok := printHash(echoWords(l))
	return ok && p[h]
}

// holdsWords reports whether the page held a block of these words (a
// paragraph's, [units], space-separated).
func (p pagePrint) holdsWords(words string) bool {
	if len(p) == 0 || words == "" {
		return false
	}
	h, ok := printHash(strings.Fields(words))
	return ok && p[h]
}
