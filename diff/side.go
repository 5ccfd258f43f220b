package diff

import (
	"io"
	"slices"
	"strings"

	"github.com/clipperhouse/uax29/v2/graphemes"
	"github.com/mattn/go-runewidth"
)

// style of an atom in a side-by-side column.
type style uint8

const (
	plain style = iota
	removed
	added
)

// atom is an unbreakable piece of a column: a token, a run of spaces, a
// newline or a change marker.
type atom struct {
	text  string
	style style
	width int
	space bool
}

// cell is one wrapped line of a column.
type cell struct {
	atoms []atom
	width int
}

// WriteSide writes d as two columns, old on the left and new on the
// right, aligned by paragraph: each row of the alignment starts on the
// same line in both columns, and the shorter side is padded with blank
// lines. Lines are wrapped at word boundaries by display width, so wide
// (CJK) characters count as two columns and combining marks as none.
// Right-to-left text stays in logical order (the terminal's bidi support,
// if any, shows it) and is padded by its width like any other, so the
// separator stays in one column; no invisible controls are added, since
// terminals disagree on their width. Columns are separated by " │ ". It returns the
// first write error.
func WriteSide(w io.Writer, d *Diff, o RenderOptions) error {
	total := o.Width
	if total <= 0 {
		total = DefaultWidth
	}
	col := max((total-3)/2, minColumn)
	sr := sideRenderer{col: col, color: o.Color, rw: newWidth(), ew: &errWriter{w: w}}
	oldL, newL := o.labels()
	sr.row([]atom{sr.plainAtom(clean(oldL))}, []atom{sr.plainAtom(clean(newL))})
	sr.ew.write(strings.Repeat("─", col) + "─┼─" + strings.Repeat("─", col) + "\n")
	sr.pair(prefixed("# ", headlineOps(d)))
	if d.Byline != nil {
		sr.pair(prefixed("Byline: ", d.Byline.Ops))
	}
	if d.Published != nil {
		sr.pair(prefixed("Published: ", d.Published.Ops))
	}
	for _, p := range d.Paragraphs {
		sr.blank()
		sr.pair(p.Ops)
	}
	return sr.ew.err
}

func prefixed(prefix string, ops []Op) []Op {
	return append([]Op{{OpEqual, prefix}}, ops...)
}

type sideRenderer struct {
	col   int
	color bool
	rw    *runewidth.Condition
	ew    *errWriter
}

func (sr *sideRenderer) plainAtom(s string) atom {
	return atom{text: s, width: sr.measure(s)}
}

// pair writes one aligned row: the old side of ops on the left, the new
// side on the right.
func (sr *sideRenderer) pair(ops []Op) {
	sr.row(sr.atoms(ops, OpDelete), sr.atoms(ops, OpInsert))
}

func (sr *sideRenderer) blank() { sr.row(nil, nil) }

func (sr *sideRenderer) row(left, right []atom) {
	l, r := sr.wrap(left), sr.wrap(right)
	n := max(len(l), len(r), 1)
	for i := range n {
		var lc, rc cell
		if i < len(l) {
			lc = l[i]
		}
		if i < len(r) {
			rc = r[i]
		}
		// Pad by the width of the whole line, not the sum of its
		// atoms: a combining mark at the start of an atom joins the
		// character before it.
		line := sr.render(lc) + strings.Repeat(" ", max(sr.col-sr.width(lc), 0)) + " │"
		if right := sr.render(rc); right != "" {
			line += " " + right
		}
		sr.ew.write(line + "\n")
	}
}

// atoms turns the ops of one side (equal plus those of kind keep) into
// atoms, with markers around changes when there is no colour.
func (sr *sideRenderer) atoms(ops []Op, keep string) []atom {
	var out []atom
	st := removed
	open, closing := "[-", "-]"
	if keep == OpInsert {
		st, open, closing = added, "{+", "+}"
	}
	for _, op := range ops {
		s := plain
		switch op.Kind {
		case OpEqual:
		case keep:
			s = st
		default:
			continue
		}
		start := len(out)
		for _, t := range tokenize(clean(op.Text)) {
			a := atom{text: t, style: s}
			if t != "\n" && strings.TrimSpace(t) == "" {
				a.space = true
				a.text = strings.Repeat(" ", len([]rune(t)))
			}
			a.width = sr.measure(a.text)
			out = append(out, a)
		}
		if s != plain && !sr.color {
			// Glue the markers to the first and last words, so a line
			// never ends with an opening marker or starts with a
			// closing one.
			if first := &out[start]; !first.space && first.text != "\n" {
				first.text = open + first.text
				first.width = sr.measure(first.text)
			} else {
				out = slices.Insert(out, start, atom{text: open, style: s, width: 2})
			}
			if last := &out[len(out)-1]; !last.space && last.text != "\n" {
				last.text += closing
				last.width = sr.measure(last.text)
			} else {
				out = append(out, atom{text: closing, style: s, width: 2})
			}
		}
	}
	return out
}

// wrap breaks atoms into cells no wider than the column, at spaces and
// newlines; a token wider than the column is cut by characters.
func (sr *sideRenderer) wrap(atoms []atom) []cell {
	var cells []cell
	var cur cell
	flush := func() {
		for len(cur.atoms) > 0 && cur.atoms[len(cur.atoms)-1].space {
			cur.width -= cur.atoms[len(cur.atoms)-1].width
			cur.atoms = cur.atoms[:len(cur.atoms)-1]
		}
		cells = append(cells, cur)
		cur = cell{}
	}
	for _, a := range atoms {
		switch {
		case a.text == "\n":
			flush()
			continue
		case a.space:
			if cur.width == 0 && len(cells) > 0 {
				continue // no leading space on a wrapped line
			}
			if cur.width+a.width > sr.col {
				flush()
				continue
			}
		case cur.width+a.width > sr.col:
			if cur.width > 0 {
				flush()
			}
			for a.width > sr.col {
				head, rest := sr.cut(a)
				cur.atoms = append(cur.atoms, head)
				cur.width += head.width
				flush()
				a = rest
			}
		}
		cur.atoms = append(cur.atoms, a)
		cur.width += a.width
	}
	if len(cur.atoms) > 0 {
		flush()
	}
	return cells
}

// cut splits an atom wider than the column at the last grapheme
// cluster that fits. A column is at least minColumn wide, so a single
// cluster (at most two columns) always fits.
func (sr *sideRenderer) cut(a atom) (head, rest atom) {
	w, i := 0, 0
	g := graphemes.FromString(a.text)
	for g.Next() {
		gw := sr.measure(g.Value())
		if w+gw > sr.col {
			break
		}
		w += gw
		i = g.End()
	}
	head, rest = a, a
	head.text, head.width = a.text[:i], w
	rest.text = a.text[i:]
	rest.width = sr.measure(rest.text)
	return head, rest
}

// measure returns the display width of s, with a fast path for
// printable ASCII, where it is the length.
func (sr *sideRenderer) measure(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return sr.rw.StringWidth(s)
		}
	}
	return len(s)
}

// width is the display width of a cell's text.
func (sr *sideRenderer) width(c cell) int {
	var b strings.Builder
	for _, a := range c.atoms {
		b.WriteString(a.text)
	}
	return sr.measure(b.String())
}

// render writes a cell's atoms with colour codes, closing any style at
// the end of the line so the padding and the other column stay plain.
func (sr *sideRenderer) render(c cell) string {
	var b strings.Builder
	cur := plain
	for _, a := range c.atoms {
		if sr.color && a.style != cur {
			if cur != plain {
				b.WriteString(ansiReset)
			}
			switch a.style {
			case removed:
				b.WriteString(ansiDel)
			case added:
				b.WriteString(ansiIns)
			}
			cur = a.style
		}
		b.WriteString(a.text)
	}
	if cur != plain {
		b.WriteString(ansiReset)
	}
	return b.String()
}
