package publish

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/stet-archive/stet/diff"
)

// renderMarkdown renders an article's body (the blocks after the
// headline) as HTML. It understands the subset extract.Markdown writes:
// paragraphs with one sentence per line (joined again into one running
// paragraph), headings, lists (nested by indentation), quotes, images
// (with the italic paragraph after one as its caption), fenced code and
// pipe tables; inline emphasis, code spans, links and backslash escapes.
// It never passes raw HTML through: every run of text is escaped, and
// only http, https and mailto links become anchors.
func renderMarkdown(d diff.Doc) string {
	var b strings.Builder
	ps := d.Paragraphs
	for i := 0; i < len(ps); i++ {
		p := ps[i]
		if p.Kind == diff.KindCode {
			renderCode(&b, sanitizeLines(p.Lines))
			continue
		}
		if p.Kind == diff.KindImage && i+1 < len(ps) && isCaption(ps[i+1].Lines) {
			if fig, ok := figureHTML(sanitize(p.Text()), sanitize(ps[i+1].Text())); ok {
				b.WriteString(fig)
				i++
				continue
			}
		}
		renderBlock(&b, sanitizeLines(p.Lines), 0)
	}
	return b.String()
}

// maxQuoteDepth bounds recursion into nested quotes.
const maxQuoteDepth = 8

// renderBlocks splits text at blank lines and renders each block.
func renderBlocks(b *strings.Builder, lines []string, depth int) {
	var cur []string
	inFence := false
	carry := "" // the marks of a blank line, kept for the next block
	flush := func() {
		if len(cur) > 0 {
			renderBlock(b, cur, depth)
			cur = nil
		}
	}
	for _, l := range lines {
		u := unmarked(l)
		if strings.HasPrefix(u, "```") {
			inFence = !inFence
		}
		if strings.TrimSpace(u) == "" && !inFence {
			if m := strings.Map(keepMarks, l); m != "" {
				if len(cur) > 0 {
					cur[len(cur)-1] += m
				} else {
					carry += m
				}
			}
			flush()
			continue
		}
		cur = append(cur, carry+l)
		carry = ""
	}
	flush()
}

func renderBlock(b *strings.Builder, lines []string, depth int) {
	first := unmarked(lines[0])
	switch {
	case strings.HasPrefix(first, "```"):
		renderCode(b, lines)
	case strings.HasPrefix(first, ">") && depth < maxQuoteDepth:
		inner := make([]string, len(lines))
		for i, l := range lines {
			u, k := unmarked(l), 0
			if strings.HasPrefix(u, ">") {
				k = 1
				if strings.HasPrefix(u[1:], " ") {
					k = 2
				}
			}
			m, rest := cutUnmarked(l, k)
			inner[i] = m + rest
		}
		b.WriteString("<blockquote>\n")
		renderBlocks(b, inner, depth+1)
		b.WriteString("</blockquote>\n")
	case headingLevel(first) > 0:
		n := headingLevel(first)
		lv := strconv.Itoa(min(n+1, 6)) // the page's own h1 is the headline
		m, rest := cutUnmarked(lines[0], n+1)
		text := strings.Join(append([]string{m + rest}, lines[1:]...), " ")
		b.WriteString("<h" + lv + ">" + inline(trimSpace(text)) + "</h" + lv + ">\n")
	case listMarker(first) != "":
		renderList(b, lines)
	case strings.HasPrefix(first, "|"):
		b.WriteString("<pre class=\"table\">" + esc(strings.Join(lines, "\n")) + "</pre>\n")
	case strings.HasPrefix(first, "![") && len(lines) == 1:
		if fig, ok := figureHTML(lines[0], ""); ok {
			b.WriteString(fig)
			break
		}
		b.WriteString("<p>" + inline(lines[0]) + "</p>\n")
	default:
		// One sentence per line is how the archive diffs; a reader sees
		// the paragraph as it was published, in one piece.
		parts := make([]string, len(lines))
		for i, l := range lines {
			parts[i] = inline(l)
		}
		b.WriteString("<p>" + strings.Join(parts, " ") + "</p>\n")
	}
}

// figureHTML renders an image line ("![alt](src)", possibly with change
// marks) and its caption paragraph (italic lines, or "") as a figure. The
// image is a link, not an <img>: a reader's browser fetches nothing from
// the news site until asked, and the page shows what the archive holds
// (the address), not whatever the site serves today. The caption is the
// caption paragraph, else the alt text. ok is false when line is not an
// image.
func figureHTML(line, caption string) (string, bool) {
	if !strings.HasPrefix(unmarked(line), "![") {
		return "", false
	}
	lead, rest := cutUnmarked(line, 2)
	alt, src, n, ok := linkParts("[" + rest)
	if !ok || strings.TrimFunc(rest[n-1:], isMark) != "" {
		return "", false
	}
	tail := rest[n-1:]
	var b strings.Builder
	b.WriteString("<figure class=\"image\">")
	label := "View image"
	if h := hostOfURL(hrefSide(unescape(src))); h != "" {
		label += " (" + h + ")"
	}
	b.WriteString(anchor(hrefSide(unescape(src)), lead+esc(label)+strings.Map(keepMarks, alt+src+tail)))
	var capParts []string
	for _, l := range strings.Split(caption, "\n") {
		if strings.HasPrefix(unmarked(l), "*") {
			m, rest := cutUnmarked(l, 1)
			l = m + rest
		}
		if u := unmarked(l); strings.HasSuffix(u, "*") {
			end := strings.LastIndexByte(l, '*')
			l = l[:end] + l[end+1:]
		}
		if l = trimSpace(l); unmarked(l) != "" {
			capParts = append(capParts, inline(l))
		}
	}
	switch {
	case len(capParts) > 0:
		b.WriteString("<figcaption>" + strings.Join(capParts, " ") + "</figcaption>")
	case strings.TrimSpace(unmarked(alt)) != "":
		b.WriteString("<figcaption>" + inline(alt) + "</figcaption>")
	}
	b.WriteString("</figure>\n")
	return b.String(), true
}

// isCaption reports whether a block's lines read as an image caption as
// extract.Markdown writes one: every line in single asterisks.
func isCaption(lines []string) bool {
	for _, l := range lines {
		l = unmarked(l)
		if len(l) < 3 || l[0] != '*' || l[1] == '*' || l[len(l)-1] != '*' {
			return false
		}
	}
	return len(lines) > 0
}

func hostOfURL(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return ""
	}
	return u.Hostname()
}

func renderCode(b *strings.Builder, lines []string) {
	body := lines
	var lead, trail string
	if len(body) > 0 && strings.HasPrefix(unmarked(body[0]), "```") {
		lead = strings.Map(keepMarks, body[0])
		body = body[1:]
	}
	if len(body) > 0 && strings.HasPrefix(unmarked(body[len(body)-1]), "```") {
		trail = strings.Map(keepMarks, body[len(body)-1])
		body = body[:len(body)-1]
	}
	b.WriteString("<pre><code>" + lead + esc(strings.Join(body, "\n")) + trail + "</code></pre>\n")
}

// headingLevel returns the number of leading '#' when line is an ATX
// heading, else 0.
func headingLevel(line string) int {
	n := 0
	for n < len(line) && line[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || n >= len(line) || line[n] != ' ' {
		return 0
	}
	return n
}

// listMarker returns "ul" or "ol" when line (after indentation) starts a
// list item, else "".
func listMarker(line string) string {
	t := strings.TrimLeft(line, " ")
	if strings.HasPrefix(t, "- ") || t == "-" {
		return "ul"
	}
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i > 0 && i < 10 && i < len(t) && t[i] == '.' && (i+1 == len(t) || t[i+1] == ' ') {
		return "ol"
	}
	return ""
}

// renderList renders list lines, nesting by indentation; a line without a
// marker continues the previous item.
func renderList(b *strings.Builder, lines []string) {
	type level struct {
		indent int
		tag    string
	}
	var stack []level
	closeTo := func(n int) {
		for len(stack) > n {
			b.WriteString("</li></" + stack[len(stack)-1].tag + ">\n")
			stack = stack[:len(stack)-1]
		}
	}
	for _, l := range lines {
		u := unmarked(l)
		indent := len(u) - len(strings.TrimLeft(u, " "))
		tag := listMarker(u)
		if tag == "" {
			m, t := cutUnmarked(l, indent)
			t = m + t
			if len(stack) == 0 {
				b.WriteString("<p>" + inline(t) + "</p>\n")
				continue
			}
			b.WriteString(" " + inline(t))
			continue
		}
		k := indent + 1 // "-"
		if tag == "ol" {
			k = indent + strings.IndexByte(u[indent:], '.') + 1
		}
		if k < len(u) && u[k] == ' ' {
			k++
		}
		m, t := cutUnmarked(l, k)
		t = m + t
		for len(stack) > 0 && indent < stack[len(stack)-1].indent {
			closeTo(len(stack) - 1)
		}
		switch {
		case len(stack) == 0 || indent > stack[len(stack)-1].indent:
			b.WriteString("<" + tag + ">\n<li>")
			stack = append(stack, level{indent, tag})
		case stack[len(stack)-1].tag != tag:
			closeTo(len(stack) - 1)
			b.WriteString("<" + tag + ">\n<li>")
			stack = append(stack, level{indent, tag})
		default:
			b.WriteString("</li>\n<li>")
		}
		b.WriteString(inline(t))
	}
	closeTo(0)
}

// inline renders one line's inline markdown as escaped HTML.
func inline(s string) string {
	var b strings.Builder
	var open []string
	toggle := func(tag string) {
		for i := len(open) - 1; i >= 0; i-- {
			if open[i] == tag {
				for j := len(open) - 1; j >= i; j-- {
					b.WriteString("</" + open[j] + ">")
				}
				open = open[:i]
				return
			}
		}
		b.WriteString("<" + tag + ">")
		open = append(open, tag)
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && skipMarks(s, i+1) < len(s) && isPunct(s[skipMarks(s, i+1)]):
			j := skipMarks(s, i+1)
			b.WriteString(s[i+1:j] + esc(s[j:j+1]))
			i = j + 1
		case c == '*' && skipMarks(s, i+1) < len(s) && s[skipMarks(s, i+1)] == '*':
			j := skipMarks(s, i+1)
			toggle("strong")
			b.WriteString(s[i+1 : j])
			i = j + 1
		case c == '*':
			toggle("em")
			i++
		case c == '`':
			end := strings.IndexByte(s[i+1:], '`')
			if end < 0 {
				b.WriteString("`")
				i++
				break
			}
			b.WriteString("<code>" + esc(s[i+1:i+1+end]) + "</code>")
			i += end + 2
		case c == '[' || (c == '!' && skipMarks(s, i+1) < len(s) && s[skipMarks(s, i+1)] == '['):
			start := i
			if c == '!' {
				start = skipMarks(s, i+1)
			}
			text, href, n, ok := linkParts(s[start:])
			if !ok {
				b.WriteString(esc(s[i : i+1]))
				i++
				break
			}
			label := inline(text)
			if c == '!' {
				label = s[i+1:start] + "Image: " + label
			}
			if strings.ContainsFunc(href, isMark) {
				// Keep the marks of a changed address on the label, so
				// the reader sees that the link changed.
				label += strings.Map(keepMarks, href)
			}
			b.WriteString(anchor(hrefSide(unescape(href)), label))
			i = start + n
		default:
			j := i + 1
			for j < len(s) && !strings.ContainsRune("\\*`[!", rune(s[j])) {
				j++
			}
			b.WriteString(esc(s[i:j]))
			i = j
		}
	}
	for j := len(open) - 1; j >= 0; j-- {
		b.WriteString("</" + open[j] + ">")
	}
	return b.String()
}

// maxLinkScan bounds how far linkParts looks for the end of a link's text
// and of its target, so a line of unmatched brackets costs linear time.
const maxLinkScan = 1024

// linkParts splits "[text](href)..." at its start, honouring backslash
// escapes in the text; n is the length of the link, and ok is false when
// s does not start with a link. Marks between "]" and "(" go to href.
func linkParts(s string) (text, href string, n int, ok bool) {
	if !strings.HasPrefix(s, "[") {
		return "", "", 0, false
	}
	depth := 0
	for i := 1; i < len(s) && i < maxLinkScan; i++ {
		switch s[i] {
		case '\\':
			i++
		case '[':
			depth++
		case ']':
			if depth > 0 {
				depth--
				continue
			}
			j := skipMarks(s, i+1)
			if j >= len(s) || s[j] != '(' {
				return "", "", 0, false
			}
			rest := s[j+1:]
			if len(rest) > maxLinkScan {
				rest = rest[:maxLinkScan]
			}
			end := strings.IndexByte(rest, ')')
			if end < 0 {
				return "", "", 0, false
			}
			return s[1:i], s[i+1:j] + rest[:end], j + 1 + end + 1, true
		}
	}
	return "", "", 0, false
}

func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && isPunct(s[i+1]) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isPunct(c byte) bool {
	return c < 0x80 && strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) >= 0
}

// anchor links label (already HTML) to href when href is a safe absolute
// URL, and returns label alone otherwise.
func anchor(href, label string) string {
	if !safeURL(href) {
		return label
	}
	return "<a href=\"" + esc(href) + "\" rel=\"nofollow noopener\">" + label + "</a>"
}

// safeURL reports whether href is an http, https or mailto URL.
func safeURL(href string) bool {
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	case "mailto":
		return true
	}
	return false
}

func itoa(n int) string { return strconv.Itoa(n) }
