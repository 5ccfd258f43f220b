package diff

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mattn/go-runewidth"
)

// DefaultWidth is the side-by-side width used when RenderOptions.Width
// is zero.
const DefaultWidth = 120

// minColumn is the narrowest column WriteSide will use.
const minColumn = 12

// RenderOptions control the text and HTML renderers. The zero value
// renders plain text with [-removed-]{+added+} markers, 120 columns wide,
// with the columns headed "old" and "new".
type RenderOptions struct {
	// Color marks changes with ANSI colour: red and struck through for
	// removed text, green and underlined for added text. Otherwise the
	// text renderers use [-removed-] and {+added+} markers. HTML always
	// uses <del> and <ins>.
	Color bool
	// Width is the total width in terminal columns for WriteSide; 0
	// means DefaultWidth. Each column is (Width-3)/2 wide, at least 12.
	Width int
	// OldLabel and NewLabel name the two versions, such as "v2 (26 Nov
	// 12:00)"; "" means "old" and "new".
	OldLabel, NewLabel string
}

func (o RenderOptions) labels() (string, string) {
	a, b := o.OldLabel, o.NewLabel
	if a == "" {
		a = "old"
	}
	if b == "" {
		b = "new"
	}
	return a, b
}

// ANSI styles: SGR 9 is strike-through, 4 underline.
const (
	ansiDel   = "\x1b[9;31m"
	ansiIns   = "\x1b[4;32m"
	ansiReset = "\x1b[0m"
)

// clean makes text safe for a terminal: invalid UTF-8 becomes U+FFFD,
// tabs become spaces and other control characters (an escape sequence
// in an article must not reach the terminal) become U+FFFD. Newlines
// stay.
func clean(s string) string {
	ok := utf8.ValidString(s)
	if ok {
		for _, r := range s {
			if r != '\n' && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029') {
				ok = false
				break
			}
		}
	}
	if ok {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t':
			return ' '
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			return '\uFFFD'
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

// WriteInline writes d as running text: a line naming the two versions
// (with "(no changes)" when there are none), the headline (marked up when it
// changed), changed byline and published lines, then every paragraph,
// separated by blank lines, with removed and added words marked in
// place. See [RenderOptions] for the marks. It returns the first write
// error.
func WriteInline(w io.Writer, d *Diff, o RenderOptions) error {
	ew := &errWriter{w: w}
	oldL, newL := o.labels()
	note := ""
	if !d.Changed() {
		note = " (no changes)"
	}
	ew.printf("%s → %s%s\n\n", clean(oldL), clean(newL), note)
	ew.printf("# %s\n", inlineOps(headlineOps(d), o.Color))
	if d.Byline != nil {
		ew.printf("Byline: %s\n", inlineOps(d.Byline.Ops, o.Color))
	}
	if d.Published != nil {
		ew.printf("Published: %s\n", inlineOps(d.Published.Ops, o.Color))
	}
	for _, p := range d.Paragraphs {
		ew.printf("\n%s\n", inlineOps(p.Ops, o.Color))
	}
	return ew.err
}

// headlineOps returns the headline as ops: its diff when it changed, else
// one equal op.
func headlineOps(d *Diff) []Op {
	if d.Headline != nil {
		return d.Headline.Ops
	}
	if d.Title == "" {
		return nil
	}
	return []Op{{OpEqual, d.Title}}
}

func inlineOps(ops []Op, color bool) string {
	var b strings.Builder
	for _, op := range ops {
		t := clean(op.Text)
		switch {
		case op.Kind == OpEqual:
			b.WriteString(t)
		case color:
			style := ansiIns
			if op.Kind == OpDelete {
				style = ansiDel
			}
			// Style each line on its own, so a pager that shows one
			// line at a time still sees where a change starts and ends.
			for i, line := range strings.Split(t, "\n") {
				if i > 0 {
					b.WriteByte('\n')
				}
				if line != "" {
					b.WriteString(style + line + ansiReset)
				}
			}
		case op.Kind == OpDelete:
			b.WriteString("[-" + t + "-]")
		default:
			b.WriteString("{+" + t + "+}")
		}
	}
	return b.String()
}

// WriteJSON writes d as one JSON object followed by a newline: title,
// url, the changed fields (headline, byline, published: old, new, ops)
// and paragraphs (op, kind, ops), where each op is {"op": "equal" |
// "insert" | "delete", "text": ...}. Joining the equal and delete texts
// of a paragraph gives its old text; equal and insert, its new text.
func WriteJSON(w io.Writer, d *Diff) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return fmt.Errorf("write diff json: %w", err)
	}
	return nil
}

// errWriter keeps the first write error so renderers can write freely
// and check once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err != nil {
		return
	}
	_, e.err = fmt.Fprintf(e.w, format, args...)
}

func (e *errWriter) write(s string) {
	if e.err != nil {
		return
	}
	_, e.err = io.WriteString(e.w, s)
}

// newWidth returns the display-width measure used by every renderer:
// fixed, not taken from the locale, so output does not depend on the
// machine.
func newWidth() *runewidth.Condition {
	return &runewidth.Condition{EastAsianWidth: false, StrictEmojiNeutral: true}
}
