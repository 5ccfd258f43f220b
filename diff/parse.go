package diff

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// Doc is an article file parsed into the parts that diff compares.
type Doc struct {
	Title     string `json:"title,omitempty"`
	URL       string `json:"url,omitempty"`
	Site      string `json:"site,omitempty"`
	Byline    string `json:"byline,omitempty"`
	Published string `json:"published,omitempty"`
	Language  string `json:"language,omitempty"`
	// Paragraphs are the body blocks after the headline, in order.
	Paragraphs []Paragraph `json:"paragraphs,omitempty"`
}

// Block kinds reported in [Paragraph.Kind].
const (
	KindParagraph = "paragraph"
	KindHeading   = "heading" // "## ..." and deeper
	KindList      = "list"    // "- ..." or "1. ..."
	KindQuote     = "quote"   // "> ..."
	KindImage     = "image"   // "![alt](src)"
	KindCode      = "code"    // fenced with ```
)

// Paragraph is one block of the body. Lines are its lines as written: for
// a paragraph one sentence each, for a list one item each, markdown
// markers included.
type Paragraph struct {
	Kind  string   `json:"kind"`
	Lines []string `json:"lines"`
}

// Text returns the block as it appears in the file: its lines joined by
// newlines.
func (p Paragraph) Text() string { return strings.Join(p.Lines, "\n") }

// Parse reads an article file. It never fails: a file without front
// matter is all body, a front matter that is not valid YAML is ignored,
// and a leading "# " heading is taken as the headline (and used as Title
// when the front matter has none), so that the headline is compared once,
// as a field. Line endings may be \n or \r\n. A nil or empty input gives
// the zero Doc.
func Parse(md []byte) Doc {
	var d Doc
	text := strings.ReplaceAll(string(md), "\r\n", "\n")
	body := text
	if rest, ok := strings.CutPrefix(text, "---\n"); ok {
		if fm, after, ok := cutFrontMatter(rest); ok {
			body = after
			parseFrontMatter(fm, &d)
		}
	}
	blocks := splitBlocks(body)
	if len(blocks) > 0 && len(blocks[0]) == 1 && strings.HasPrefix(blocks[0][0], "# ") {
		h := strings.TrimSpace(strings.TrimPrefix(blocks[0][0], "# "))
		if d.Title == "" {
			d.Title = h
		}
		blocks = blocks[1:]
	}
	for _, b := range blocks {
		d.Paragraphs = append(d.Paragraphs, Paragraph{Kind: blockKind(b), Lines: b})
	}
	return d
}

// cutFrontMatter splits s (the text after the opening "---\n") at the
// closing "---" line.
func cutFrontMatter(s string) (fm, rest string, ok bool) {
	if strings.HasPrefix(s, "---\n") || s == "---" {
		return "", strings.TrimPrefix(strings.TrimPrefix(s, "---"), "\n"), true
	}
	i := strings.Index(s, "\n---\n")
	if i < 0 {
		if strings.HasSuffix(s, "\n---") {
			return s[:len(s)-4], "", true
		}
		return "", "", false
	}
	return s[:i], s[i+5:], true
}

func parseFrontMatter(fm string, d *Doc) {
	// String fields take any scalar as written, so a published time
	// stays in its RFC 3339 spelling rather than becoming a time.Time.
	var m struct {
		Title     string `yaml:"title"`
		URL       string `yaml:"url"`
		Site      string `yaml:"site"`
		Byline    string `yaml:"byline"`
		Published string `yaml:"published"`
		Language  string `yaml:"language"`
	}
	if err := yaml.Unmarshal([]byte(fm), &m); err != nil {
		return
	}
	d.Title, d.URL, d.Site = m.Title, m.URL, m.Site
	d.Byline, d.Published, d.Language = m.Byline, m.Published, m.Language
}

// splitBlocks splits the body at blank lines, keeping fenced code blocks
// whole, and drops trailing spaces.
func splitBlocks(body string) [][]string {
	var blocks [][]string
	var cur []string
	inFence := false
	for _, line := range strings.Split(body, "\n") {
		line = strings.TrimRight(line, " \t")
		if strings.HasPrefix(line, "```") {
			inFence = !inFence
		}
		if line == "" && !inFence {
			if len(cur) > 0 {
				blocks = append(blocks, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, line)
	}
	if len(cur) > 0 {
		blocks = append(blocks, cur)
	}
	return blocks
}

func blockKind(lines []string) string {
	first := lines[0]
	switch {
	case strings.HasPrefix(first, "```"):
		return KindCode
	case strings.HasPrefix(first, "#"):
		return KindHeading
	case strings.HasPrefix(first, "> ") || first == ">":
		return KindQuote
	case strings.HasPrefix(first, "!["):
		return KindImage
	case strings.HasPrefix(first, "- ") || strings.HasPrefix(first, "* ") || orderedItem(first):
		return KindList
	}
	return KindParagraph
}

func orderedItem(s string) bool {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i > 0 && strings.HasPrefix(s[i:], ". ")
}
