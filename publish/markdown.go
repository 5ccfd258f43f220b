package publish

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/stet-archive/stet/diff"
)

// renderMarkdown renders an article's body (the blocks after the
// headline) as HTML. It understands the subset extract.Markdown writes:
// paragraphs with one sentence per line, headings, lists (nested by
// indentation), quotes, images, fenced code and pipe tables; inline
// emphasis, code spans, links and backslash escapes. It never passes
// raw HTML through: every run of text is escaped, and only http, https
// and mailto links become anchors.
func renderMarkdown(d diff.Doc) string {
	var b strings.Builder
	for _, p := range d.Paragraphs {
		if p.Kind == diff.KindCode {
			renderCode(&b, p.Lines)
			continue
		}
		renderBlock(&b, p.Lines, 0)
	}
	return b.String()
}

// maxQuoteDepth bounds recursion into nested quotes.
const maxQuoteDepth = 8

// renderBlocks splits text at blank lines and renders each block.
func renderBlocks(b *strings.Builder, lines []string, depth int) {
	var cur []string
	inFence := false
	flush := func() {
		if len(cur) > 0 {
			renderBlock(b, cur, depth)
			cur = nil
		}
	}
	for _, l := range lines {
		if strings.HasPrefix(l, "```") {
			inFence = !inFence
		}
		if strings.TrimSpace(l) == "" && !inFence {
			flush()
			continue
		}
		cur = append(cur, l)
	}
	flush()
}

func renderBlock(b *strings.Builder, lines []string, depth int) {
	first := lines[0]
	switch {
	case strings.HasPrefix(first, "```"):
		renderCode(b, lines)
	case strings.HasPrefix(first, ">") && depth < maxQuoteDepth:
		inner := make([]string, len(lines))
		for i, l := range lines {
			l = strings.TrimPrefix(l, ">")
			inner[i] = strings.TrimPrefix(l, " ")
		}
		b.WriteString("<blockquote>\n")
		renderBlocks(b, inner, depth+1)
		b.WriteString("</blockquote>\n")
	case headingLevel(first) > 0:
		n := headingLevel(first)
		lv := strconv.Itoa(min(n+1, 6)) // the page's own h1 is the headline
		b.WriteString("<h" + lv + ">" + inline(strings.TrimSpace(strings.Join(lines, " ")[n+1:])) + "</h" + lv + ">\n")
	case listMarker(first) != "":
		renderList(b, lines)
	case strings.HasPrefix(first, "|"):
		b.WriteString("<pre class=\"table\">" + esc(strings.Join(lines, "\n")) + "</pre>\n")
	case strings.HasPrefix(first, "![") && len(lines) == 1:
		alt, src, ok := linkParts(first[1:])
		if !ok {
			b.WriteString("<p>" + inline(first) + "</p>\n")
			break
		}
		// Images are links, not <img>: a reader's browser fetches nothing
		// from the news site until asked.
		b.WriteString("<p class=\"image\">Image: " + anchor(unescape(src), inline(alt)) + "</p>\n")
	default:
		parts := make([]string, len(lines))
		for i, l := range lines {
			parts[i] = inline(l)
		}
		b.WriteString("<p>" + strings.Join(parts, "\n") + "</p>\n")
	}
}

func renderCode(b *strings.Builder, lines []string) {
	body := lines
	if len(body) > 0 && strings.HasPrefix(body[0], "```") {
		body = body[1:]
	}
	if len(body) > 0 && strings.HasPrefix(body[len(body)-1], "```") {
		body = body[:len(body)-1]
	}
	b.WriteString("<pre><code>" + esc(strings.Join(body, "\n")) + "</code></pre>\n")
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
		indent := len(l) - len(strings.TrimLeft(l, " "))
		tag := listMarker(l)
		t := strings.TrimLeft(l, " ")
		if tag == "" {
			if len(stack) == 0 {
				b.WriteString("<p>" + inline(t) + "</p>\n")
				continue
			}
			b.WriteString("\n" + inline(t))
			continue
		}
		if tag == "ul" {
			t = strings.TrimPrefix(strings.TrimPrefix(t, "-"), " ")
		} else {
			_, t, _ = strings.Cut(t, ".")
			t = strings.TrimPrefix(t, " ")
		}
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
		case c == '\\' && i+1 < len(s) && isPunct(s[i+1]):
			b.WriteString(esc(s[i+1 : i+2]))
			i += 2
		case c == '*' && strings.HasPrefix(s[i:], "**"):
			toggle("strong")
			i += 2
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
		case c == '[' || (c == '!' && strings.HasPrefix(s[i:], "![")):
			start := i
			if c == '!' {
				start++
			}
			text, href, ok := linkParts(s[start:])
			if !ok {
				b.WriteString(esc(s[i : i+1]))
				i++
				break
			}
			n := len(text) + len(href) + 4
			label := inline(text)
			if c == '!' {
				label = "Image: " + label
			}
			b.WriteString(anchor(unescape(href), label))
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
// escapes in the text; ok is false when s does not start with a link.
func linkParts(s string) (text, href string, ok bool) {
	if !strings.HasPrefix(s, "[") {
		return "", "", false
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
			if i+1 >= len(s) || s[i+1] != '(' {
				return "", "", false
			}
			rest := s[i+2:]
			if len(rest) > maxLinkScan {
				rest = rest[:maxLinkScan]
			}
			end := strings.IndexByte(rest, ')')
			if end < 0 {
				return "", "", false
			}
			return s[1:i], s[i+2 : i+2+end], true
		}
	}
	return "", "", false
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
