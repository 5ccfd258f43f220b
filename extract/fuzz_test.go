package extract

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

const fuzzURL = "https://www.example.com/news/story.html"

// addSeedPages adds every golden page as a seed.
func addSeedPages(f *testing.F) {
	for _, dir := range goldenCases(f) {
		f.Add(readPage(f, filepath.Join(dir, "page.html")))
	}
	f.Add([]byte(""))
	f.Add([]byte("<p>Hi. There.</p>"))
	f.Add([]byte(`<script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","author":[[{"name":1}]]}]}</script>`))
}

func FuzzExtract(f *testing.F) {
	addSeedPages(f)
	f.Fuzz(func(t *testing.T, page []byte) {
		var e Extractor
		a, err := e.Extract(page, fuzzURL)
		if err != nil {
			return // rejecting input is fine; panicking is not
		}
		md := a.Markdown()
		if !utf8.Valid(md) {
			t.Fatalf("Markdown is not valid UTF-8: %q", md)
		}
		b, err := e.Extract(page, fuzzURL)
		if err != nil {
			t.Fatalf("second Extract failed: %v", err)
		}
		if md2 := b.Markdown(); !bytes.Equal(md, md2) {
			t.Fatalf("Markdown not deterministic:\n%s\n---\n%s", md, md2)
		}
		if !strings.HasSuffix(string(md), "\n") || strings.HasSuffix(string(md), "\n\n") {
			t.Fatalf("Markdown does not end with one newline: %q", md)
		}
		if utf8.Valid(page) {
			checkMarkdown(t, md)
		}
		_ = a.Text()
	})
}

func FuzzSentences(f *testing.F) {
	for _, s := range []string{"Mr. Smith went. He came back.", `He said "Go." Then left.`, "今日は。明日は！", "3.5 and U.S. e.g. etc. Done...", ""} {
		f.Add(s)
	}
	for _, dir := range goldenCases(f) {
		md, err := os.ReadFile(filepath.Join(dir, "article.md"))
		if err == nil {
			f.Add(string(md))
		}
	}
	f.Fuzz(func(t *testing.T, p string) {
		if n := normalizeText(p); normalizeText(n) != n || !utf8.ValidString(n) {
			t.Fatalf("normalizeText(%q) = %q is not idempotent", p, n)
		}
		if c := cleanText(p); cleanText(c) != c {
			t.Fatalf("cleanText(%q) = %q is not idempotent", p, c)
		}
		got := SplitSentences(p)
		if !utf8.ValidString(p) {
			return
		}
		// Sentences cover the text exactly, spaces aside (CJK sentences
		// are not separated by spaces).
		if joined, want := strings.Join(strings.Fields(strings.Join(got, "")), ""), strings.Join(strings.Fields(p), ""); joined != want {
			t.Fatalf("SplitSentences(%q) joined = %q, want %q", p, joined, want)
		}
		for _, s := range got {
			if s == "" || s != strings.TrimSpace(s) {
				t.Fatalf("SplitSentences(%q) gave untrimmed sentence %q", p, s)
			}
		}
	})
}

func FuzzFrontMatter(f *testing.F) {
	for _, dir := range goldenCases(f) {
		if md, err := os.ReadFile(filepath.Join(dir, "article.md")); err == nil {
			if m, err := parseFrontMatter(md); err == nil {
				f.Add(m["title"], m["site"], m["byline"], m["url"], m["language"], int64(1764151200))
			}
		}
	}
	f.Add("---", ": x", "- a", "#b", "'\"", int64(0))
	f.Add("a\nb", "* c", "&x", "!tag", "? q", int64(-1))
	f.Fuzz(func(t *testing.T, title, site, byline, u, lang string, unix int64) {
		a := &Article{Title: title, Site: site, Byline: byline, URL: u, Language: lang}
		if unix > 0 && unix < 1<<40 {
			a.Published = time.Unix(unix, 0).UTC()
		}
		md := a.Markdown()
		got, err := parseFrontMatter(md)
		if err != nil {
			t.Fatalf("front matter does not parse: %v\n%s", err, md)
		}
		want := map[string]string{}
		for k, v := range map[string]string{"title": title, "site": site, "byline": byline, "url": u, "language": lang} {
			if c := cleanText(v); c != "" {
				want[k] = c
			}
		}
		if !a.Published.IsZero() {
			want["published"] = a.Published.Format(time.RFC3339)
		}
		if len(got) != len(want) {
			t.Fatalf("front matter keys = %v, want %v\n%s", got, want, md)
		}
		for k, v := range want {
			if got[k] != v {
				t.Fatalf("front matter %s = %q, want %q\n%s", k, got[k], v, md)
			}
		}
		if !utf8.Valid(md) {
			t.Fatalf("not UTF-8")
		}
	})
}
