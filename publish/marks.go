package publish

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/stet-archive/stet/diff"
)

// A word diff is rendered through the markdown renderer, so that a
// changed paragraph shows as the reader would see it (links, emphasis,
// lists) with its changed words marked. The changed runs are fenced in
// the markdown text with four private-use runes before rendering; the
// renderer treats them as text, and [marks] turns them into <del> and
// <ins> afterwards, closing a mark before every tag and reopening it at
// the next visible character, so marks never straddle an element.
// Article text cannot forge a mark: [sanitize] replaces these runes in
// it first.
const (
	delOpen  = '\uE000'
	delClose = '\uE001'
	insOpen  = '\uE002'
	insClose = '\uE003'
)

func isMark(r rune) bool { return r >= delOpen && r <= insClose }

// keepMarks is a strings.Map function that keeps only marks.
func keepMarks(r rune) rune {
	if isMark(r) {
		return r
	}
	return -1
}

// sanitize replaces mark runes in article text.
func sanitize(s string) string {
	if !strings.ContainsFunc(s, isMark) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isMark(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}

func sanitizeLines(lines []string) []string {
	out := lines
	for i, l := range lines {
		if s := sanitize(l); s != l {
			if &out[0] == &lines[0] {
				out = append([]string(nil), lines...)
			}
			out[i] = s
		}
	}
	return out
}

// unmarked returns s without marks.
func unmarked(s string) string {
	if !strings.ContainsFunc(s, isMark) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isMark(r) {
			return -1
		}
		return r
	}, s)
}

// cutUnmarked cuts the first n bytes of s that are not marks, returning
// the marks among them and the rest of s, so that block syntax is
// removed wherever a change starts or ends inside it.
func cutUnmarked(s string, n int) (marks, rest string) {
	var m strings.Builder
	i := 0
	for i < len(s) && n > 0 {
		r, size := utf8.DecodeRuneInString(s[i:])
		if isMark(r) {
			m.WriteString(s[i : i+size])
		} else {
			n -= size
		}
		i += size
	}
	return m.String(), s[i:]
}

// trimSpace trims white space from both ends of s as strings.TrimSpace
// does, looking through marks and keeping them.
func trimSpace(s string) string {
	if !strings.ContainsFunc(s, isMark) {
		return strings.TrimSpace(s)
	}
	i, j := 0, len(s)
	var lead, trail strings.Builder
	for i < j {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isMark(r) && !unicode.IsSpace(r) {
			break
		}
		if isMark(r) {
			lead.WriteRune(r)
		}
		i += n
	}
	var tr []rune
	for j > i {
		r, n := utf8.DecodeLastRuneInString(s[i:j])
		if !isMark(r) && !unicode.IsSpace(r) {
			break
		}
		if isMark(r) {
			tr = append(tr, r)
		}
		j -= n
	}
	for k := len(tr) - 1; k >= 0; k-- {
		trail.WriteRune(tr[k])
	}
	return lead.String() + s[i:j] + trail.String()
}

// skipMarks returns the index of the first byte at or after i that does
// not begin a mark.
func skipMarks(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isMark(r) {
			break
		}
		i += size
	}
	return i
}

// hrefSide returns a link target without marks. A target holding both
// deletions and insertions (a feed's both-sides text) is read as the new
// one: deleted runs are dropped.
func hrefSide(h string) string {
	if !strings.ContainsFunc(h, isMark) {
		return h
	}
	dropDeleted := strings.ContainsRune(h, insOpen) || strings.ContainsRune(h, insClose)
	var b strings.Builder
	inDel := false
	for _, r := range h {
		switch r {
		case delOpen:
			inDel = true
		case delClose:
			inDel = false
		case insOpen, insClose:
		default:
			if !inDel || !dropDeleted {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// markedText joins a word diff's ops into one text for side s: equal
// text as is, deleted text (old side or both) and inserted text (new
// side or both) fenced by marks.
func markedText(ops []diff.Op, s side) string {
	var b strings.Builder
	for _, op := range ops {
		t := sanitize(strings.ToValidUTF8(op.Text, "\uFFFD"))
		switch op.Kind {
		case diff.OpDelete:
			if s != newSide {
				b.WriteRune(delOpen)
				b.WriteString(t)
				b.WriteRune(delClose)
			}
		case diff.OpInsert:
			if s != oldSide {
				b.WriteRune(insOpen)
				b.WriteString(t)
				b.WriteRune(insClose)
			}
		default:
			b.WriteString(t)
		}
	}
	return b.String()
}

// marks turns the mark runes in rendered HTML into <del> and <ins>
// elements that never contain a tag: a mark is closed before each tag
// and reopened at the next character that is not white space, and white
// space at either end of a mark is left outside it. Marks inside a tag
// (which the renderer never writes there) are dropped.
func marks(s string) string {
	if !strings.ContainsFunc(s, isMark) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 32)
	want, open, inTag := "", false, false
	var space []rune // white space seen inside an open mark
	closeMark := func() {
		if open {
			b.WriteString("</" + want + ">")
			open = false
		}
		b.WriteString(string(space))
		space = space[:0]
	}
	for _, r := range s {
		switch {
		case inTag:
			if !isMark(r) {
				b.WriteRune(r)
			}
			inTag = r != '>'
		case r == delOpen || r == insOpen:
			closeMark()
			want = "del"
			if r == insOpen {
				want = "ins"
			}
		case r == delClose || r == insClose:
			closeMark()
			want = ""
		case r == '<':
			closeMark()
			inTag = true
			b.WriteRune(r)
		case unicode.IsSpace(r):
			if open {
				space = append(space, r)
			} else {
				b.WriteRune(r)
			}
		default:
			if want != "" && !open {
				b.WriteString("<" + want + ">")
				open = true
			}
			b.WriteString(string(space))
			space = space[:0]
			b.WriteRune(r)
		}
	}
	closeMark()
	return b.String()
}

// renderOps renders one block of a word diff as HTML for side s: the
// block's markdown with its changed words marked.
func renderOps(ops []diff.Op, s side) string {
	text := markedText(ops, s)
	if unmarked(text) == "" {
		return ""
	}
	var b strings.Builder
	renderBlock(&b, strings.Split(text, "\n"), 0)
	return marks(b.String())
}

// renderPlainOps renders a one-line front-matter field (headline,
// byline, published) of a word diff for side s. Those fields are plain
// text, not markdown.
func renderPlainOps(ops []diff.Op, s side) string {
	return marks(esc(strings.ReplaceAll(markedText(ops, s), "\n", " ")))
}

// renderFigureOps renders an image block and its caption block as one
// figure for side s; ok is false when the image block is not one image.
func renderFigureOps(img, caption []diff.Op, s side) (string, bool) {
	it := markedText(img, s)
	if unmarked(it) == "" {
		return "", false
	}
	fig, ok := figureHTML(it, markedText(caption, s))
	return marks(fig), ok
}
