package extract

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
	"golang.org/x/net/html"
	"golang.org/x/text/unicode/norm"
)

// checkMarkdown checks the invariants every rendered article holds.
func checkMarkdown(tb testing.TB, md []byte) {
	tb.Helper()
	if !utf8.Valid(md) {
		tb.Fatalf("markdown is not valid UTF-8: %q", md)
	}
	if !norm.NFC.IsNormal(md) {
		tb.Errorf("markdown is not NFC")
	}
	if !bytes.HasSuffix(md, []byte("\n")) || bytes.HasSuffix(md, []byte("\n\n")) {
		tb.Errorf("markdown does not end with exactly one newline: %q", tail(md))
	}
	for i, line := range strings.Split(string(md), "\n") {
		if strings.TrimRight(line, " \t") != line {
			tb.Errorf("line %d has trailing space: %q", i+1, line)
		}
	}
	if bytes.Contains(md, []byte("\n\n\n")) {
		tb.Errorf("markdown has more than one blank line between blocks")
	}
	if _, err := parseFrontMatter(md); err != nil {
		tb.Errorf("front matter: %v", err)
	}
}

func tail(b []byte) []byte {
	if len(b) > 40 {
		return b[len(b)-40:]
	}
	return b
}

// parseFrontMatter returns the front matter of md decoded with yaml/v3.
func parseFrontMatter(md []byte) (map[string]string, error) {
	s := string(md)
	if !strings.HasPrefix(s, "---\n") {
		return nil, errFrontMatter("no opening ---")
	}
	end := strings.Index(s[4:], "\n---\n")
	var body string
	if strings.HasPrefix(s[4:], "---\n") {
		body = ""
	} else if end < 0 {
		return nil, errFrontMatter("no closing ---")
	} else {
		body = s[4 : 4+end+1]
	}
	m := map[string]string{}
	if err := yaml.Unmarshal([]byte(body), &m); err != nil {
		return nil, err
	}
	return m, nil
}

type errFrontMatter string

func (e errFrontMatter) Error() string { return string(e) }

// parseFragment parses s and returns its first element in <body>.
func parseFragment(tb testing.TB, s string) *html.Node {
	tb.Helper()
	doc, err := html.Parse(strings.NewReader("<html><body>" + s + "</body></html>"))
	if err != nil {
		tb.Fatal(err)
	}
	var find func(*html.Node) *html.Node
	find = func(n *html.Node) *html.Node {
		if n.Type == html.ElementNode && n.Data == "body" {
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode {
					return c
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if f := find(c); f != nil {
				return f
			}
		}
		return nil
	}
	return find(doc)
}
