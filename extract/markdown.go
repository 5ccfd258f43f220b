package extract

import (
	"bytes"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Markdown renders the article as the archive's article file: YAML front
// matter (title, url, site, byline, published, language; empty values
// omitted), "# Title", then the blocks separated by one blank line, one
// sentence per line in paragraphs. Text is escaped so that markdown or HTML
// in the article stays inert. The output is valid UTF-8 in NFC, has no
// trailing spaces and ends with exactly one newline; the same Article
// always gives the same bytes. Modified and Gate are not rendered.
func (a *Article) Markdown() []byte {
	var b bytes.Buffer
	b.Write(a.frontMatter())
	if t := cleanText(a.Title); t != "" {
		b.WriteString("\n# ")
		b.WriteString(headingText(t))
		b.WriteByte('\n')
	}
	if body := renderBlocks(a.Blocks); body != "" {
		b.WriteByte('\n')
		b.WriteString(body)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// frontMatter returns the "---" delimited YAML header.
func (a *Article) frontMatter() []byte {
	fields := []struct{ key, val, tag string }{
		{"title", cleanText(a.Title), "!!str"},
		{"url", cleanText(a.URL), "!!str"},
		{"site", cleanText(a.Site), "!!str"},
		{"byline", cleanText(a.Byline), "!!str"},
		{"published", "", "!!timestamp"},
		{"language", cleanText(a.Language), "!!str"},
	}
	if !a.Published.IsZero() {
		fields[4].val = a.Published.UTC().Format(time.RFC3339)
	}
	root := &yaml.Node{Kind: yaml.MappingNode}
	for _, f := range fields {
		if f.val == "" {
			continue
		}
		root.Content = append(root.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: f.key},
			&yaml.Node{Kind: yaml.ScalarNode, Tag: f.tag, Value: f.val})
	}
	var b bytes.Buffer
	b.WriteString("---\n")
	if len(root.Content) > 0 {
		enc := yaml.NewEncoder(&b)
		enc.SetIndent(2)
		if err := enc.Encode(root); err != nil {
			// Encoding a mapping of valid UTF-8 strings cannot fail.
			panic("extract: encode front matter: " + err.Error())
		}
		enc.Close()
	}
	b.WriteString("---\n")
	return b.Bytes()
}

// renderBlocks renders blocks separated by blank lines, without a final
// newline.
// minCopy is the shortest paragraph, in bytes, whose copy right after it
// is dropped: short ones ("Yes.", "Read more") may well repeat.
const minCopy = 60

func renderBlocks(blocks []Block) string {
	var parts []string
	last := -1 // the last block rendered
	for i, bl := range blocks {
		// The same picture twice in a row (a lazy loader's copy beside the
		// real one, each from another shard or size) is one picture.
		if bl.Kind == Image && last >= 0 && blocks[last].Kind == Image && len(bl.Caption) == 0 && ImageKey(bl.Src) == ImageKey(blocks[last].Src) {
			continue
		}
		s := renderBlock(bl)
		if s == "" {
			continue
		}
		// A paragraph of some length right after the same paragraph is a
		// copy the page sets beside it (a highlighted paragraph, a
		// sticky excerpt), not a second paragraph of the article.
		if bl.Kind == Paragraph && len(parts) > 0 && len(s) >= minCopy && s == parts[len(parts)-1] {
			continue
		}
		last = i
		// Two lists in a row would merge into one: separate them.
		if bl.Kind == List && i > 0 && blocks[i-1].Kind == List && len(parts) > 0 {
			parts = append(parts, "<!-- -->")
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "\n\n")
}

func renderBlock(bl Block) string {
	switch bl.Kind {
	case Paragraph:
		return renderParagraph(bl.Spans, "", "")
	case Heading:
		t := renderInline(bl.Spans, true)
		if t == "" {
			return ""
		}
		level := min(max(bl.Level, 2), 6)
		return strings.Repeat("#", level) + " " + strings.ReplaceAll(escapeClosingHashes(t), "\n", " ")
	case List:
		var b strings.Builder
		renderList(&b, bl, "")
		return strings.TrimRight(b.String(), "\n")
	case Quote:
		inner := renderBlocks(bl.Children)
		if inner == "" {
			return ""
		}
		lines := strings.Split(inner, "\n")
		for i, l := range lines {
			if l == "" {
				lines[i] = ">"
			} else {
				lines[i] = "> " + l
			}
		}
		return strings.Join(lines, "\n")
	case Image:
		if bl.Src == "" {
			return renderParagraph(bl.Caption, "*", "*")
		}
		s := "![" + escapeInline(cleanText(bl.Alt)) + "](" + escapeURL(bl.Src) + ")"
		if c := renderParagraph(bl.Caption, "*", "*"); c != "" {
			s += "\n\n" + c
		}
		return s
	case Table:
		return renderTable(bl)
	case Pre:
		code := bl.Code
		if strings.TrimSpace(code) == "" {
			return ""
		}
		fence := strings.Repeat("`", max(3, longestRun(code, '`')+1))
		return fence + "\n" + code + "\n" + fence
	}
	return ""
}

// renderParagraph renders spans one sentence per line, each line wrapped in
// open and close (for italic captions).
func renderParagraph(spans []Span, open, close string) string {
	spans = tidySpans(spans)
	if len(spans) == 0 {
		return ""
	}
	plain := spansText(spans)
	starts := sentenceStarts(plain)
	// Split the spans into lines at the sentence starts.
	var lines [][]Span
	var cur []Span
	off := 0
	si := 0
	for _, s := range spans {
		text := s.Text
		for si < len(starts) && starts[si] <= off+len(text) && starts[si] > off {
			cut := starts[si] - off
			head := strings.TrimRight(text[:cut], " ")
			if head != "" {
				cur = append(cur, Span{Text: head, Link: s.Link})
			}
			lines = append(lines, cur)
			cur = nil
			text = text[cut:]
			off += cut
			si++
		}
		if si < len(starts) && starts[si] == off {
			if len(cur) > 0 {
				lines = append(lines, cur)
				cur = nil
			}
			si++
		}
		if text != "" {
			cur = append(cur, Span{Text: text, Link: s.Link})
		}
		off += len(text)
	}
	if len(cur) > 0 {
		lines = append(lines, cur)
	}
	var out []string
	for _, l := range lines {
		l = tidySpans(l)
		if len(l) == 0 {
			continue
		}
		t := renderInline(l, open == "")
		if open != "" {
			t = escapeLineStart(t, l[0].Link != "")
			t = open + t + close
		}
		out = append(out, t)
	}
	return strings.Join(out, "\n")
}

// renderInline renders spans on one line, escaping text and writing links
// as [text](url). With lineStart, the start of the line is escaped too.
func renderInline(spans []Span, lineStart bool) string {
	var b strings.Builder
	for _, s := range spans {
		if s.Link != "" {
			b.WriteString("[" + escapeInline(s.Text) + "](" + escapeURL(s.Link) + ")")
		} else {
			b.WriteString(escapeInline(s.Text))
		}
	}
	t := b.String()
	if lineStart && len(spans) > 0 {
		t = escapeLineStart(t, spans[0].Link != "")
	}
	return t
}

// escapeInline escapes the characters that would start markdown or HTML
// inline syntax: backslash, *, _ at a word edge, `, [, ], <, ~~, and &
// before an entity name.
func escapeInline(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch r {
		case '\\', '*', '`', '[', ']', '<':
			b.WriteByte('\\')
		case '_':
			prev, _ := utf8.DecodeLastRuneInString(s[:i])
			next, _ := utf8.DecodeRuneInString(s[i+size:])
			if i == 0 || i+size >= len(s) || !isWordRune(prev) || !isWordRune(next) {
				b.WriteByte('\\')
			}
		case '~':
			if strings.HasPrefix(s[i+size:], "~") || strings.HasSuffix(s[:i], "~") {
				b.WriteByte('\\')
			}
		case '&':
			if isEntity(s[i+size:]) {
				b.WriteByte('\\')
			}
		case '|':
			b.WriteByte('\\')
		}
		b.WriteString(s[i : i+size])
		i += size
	}
	return b.String()
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// isEntity reports whether s (after an &) begins an HTML entity or
// character reference.
func isEntity(s string) bool {
	for i, r := range s {
		if r == ';' {
			return i > 0
		}
		if !(r == '#' && i == 0) && !isWordRune(r) || i > 32 {
			return false
		}
	}
	return false
}

// escapeLineStart escapes markdown that only counts at the start of a line:
// headings, quotes, list markers, thematic breaks, setext underlines and
// fences. A line that starts with a link needs nothing.
func escapeLineStart(t string, startsWithLink bool) string {
	if startsWithLink || t == "" {
		return t
	}
	switch t[0] {
	case '#', '>':
		return `\` + t
	case '-', '+', '=', '*':
		if len(t) == 1 || t[1] == ' ' || t[1] == t[0] {
			return `\` + t
		}
	case '~':
		return `\` + t
	}
	// Ordered list markers: "1. " and "1) ".
	i := 0
	for i < len(t) && i < 10 && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i > 0 && i < len(t) && (t[i] == '.' || t[i] == ')') && (i+1 == len(t) || t[i+1] == ' ') {
		return t[:i] + `\` + t[i:]
	}
	return t
}

// escapeClosingHashes escapes a trailing " #" run that would close an ATX
// heading.
func escapeClosingHashes(t string) string {
	trimmed := strings.TrimRight(t, "#")
	if trimmed != t && (trimmed == "" || strings.HasSuffix(trimmed, " ")) {
		return trimmed + `\` + t[len(trimmed):]
	}
	return t
}

// headingText renders a title for the "# " line.
func headingText(t string) string {
	return escapeClosingHashes(escapeInline(t))
}

// escapeURL makes a URL safe inside (...) of a link.
func escapeURL(u string) string {
	return strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E", "\n", "", "\\", "%5C").Replace(strings.ToValidUTF8(u, ""))
}

// renderList renders a list and its nested lists, indenting nested lists
// under their item's text.
func renderList(b *strings.Builder, bl Block, indent string) {
	for i, it := range bl.Items {
		marker := "-"
		if bl.Ordered {
			marker = strconv.Itoa(bl.Start+i) + "."
		}
		text := renderInline(tidySpans(it.Spans), true)
		b.WriteString(indent + marker)
		if text != "" {
			b.WriteString(" " + text)
		}
		b.WriteByte('\n')
		sub := indent + strings.Repeat(" ", len(marker)+1)
		for _, l := range it.Lists {
			renderList(b, l, sub)
		}
	}
}

// renderTable renders a GFM pipe table with the first row as the header.
func renderTable(bl Block) string {
	if len(bl.Rows) == 0 {
		return ""
	}
	cols := 0
	for _, r := range bl.Rows {
		cols = max(cols, len(r))
	}
	row := func(cells []string) string {
		var b strings.Builder
		b.WriteString("|")
		for i := range cols {
			c := ""
			if i < len(cells) {
				c = escapeInline(cleanText(cells[i]))
			}
			if c == "" {
				b.WriteString(" |")
			} else {
				b.WriteString(" " + c + " |")
			}
		}
		return b.String()
	}
	lines := []string{row(bl.Rows[0]), "|" + strings.Repeat(" --- |", cols)}
	for _, r := range bl.Rows[1:] {
		lines = append(lines, row(r))
	}
	return strings.Join(lines, "\n")
}

func longestRun(s string, c byte) int {
	best, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			run++
			best = max(best, run)
		} else {
			run = 0
		}
	}
	return best
}

// Text returns the body as plain text: no markdown syntax and no link
// targets, blocks separated by blank lines, list items and table rows on
// their own lines. Captions follow their image's alt text.
func (a *Article) Text() string {
	var parts []string
	for _, bl := range a.Blocks {
		if t := blockText(bl); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, "\n\n")
}

// blockText returns one block's plain text.
func blockText(bl Block) string {
	switch bl.Kind {
	case Paragraph, Heading:
		return spansText(tidySpans(bl.Spans))
	case List:
		var lines []string
		var walk func(Block)
		walk = func(l Block) {
			for _, it := range l.Items {
				if t := spansText(tidySpans(it.Spans)); t != "" {
					lines = append(lines, t)
				}
				for _, sub := range it.Lists {
					walk(sub)
				}
			}
		}
		walk(bl)
		return strings.Join(lines, "\n")
	case Quote:
		var parts []string
		for _, c := range bl.Children {
			if t := blockText(c); t != "" {
				parts = append(parts, t)
			}
		}
		return strings.Join(parts, "\n\n")
	case Image:
		return spansText(tidySpans(bl.Caption))
	case Table:
		var lines []string
		for _, r := range bl.Rows {
			var cells []string
			for _, c := range r {
				if c = cleanText(c); c != "" {
					cells = append(cells, c)
				}
			}
			if len(cells) > 0 {
				lines = append(lines, strings.Join(cells, "\t"))
			}
		}
		return strings.Join(lines, "\n")
	case Pre:
		return bl.Code
	}
	return ""
}
