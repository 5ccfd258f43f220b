package extract

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"
)

func mustProfiles(t *testing.T, src string) []*Profile {
	t.Helper()
	ps, err := ParseProfiles([]byte(src))
	if err != nil {
		t.Fatalf("ParseProfiles: %v", err)
	}
	return ps
}

func TestBuiltinProfilesParse(t *testing.T) {
	if err := builtinErrors(); err != nil {
		t.Fatalf("embedded profile: %v", err)
	}
	want := []string{"abcnews", "aljazeera", "apnews", "bbc", "cbsnews", "cnn", "foxnews", "guardian",
		"independent", "npr", "nytimes", "reuters", "skynews", "telegraph", "washingtonpost"}
	if diff := cmp.Diff(want, BuiltinProfiles().Names()); diff != "" {
		t.Errorf("BuiltinProfiles().Names() mismatch (-want +got):\n%s", diff)
	}
	for _, p := range BuiltinProfiles().list {
		if len(p.Body) < 2 || len(p.Title) < 2 || len(p.Byline) < 2 || len(p.Published) < 2 {
			t.Errorf("profile %s: want at least two fallback selectors per field", p.Name)
		}
	}
}

func TestParseProfilesErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"unknown key", "name: a\nversion: 1\nhosts: [a.com]\nbodies: [x]\n", "line 4"},
		{"bad selector", "name: a\nversion: 1\nhosts: [a.com]\nbody:\n  - article\n  - \"div[\"\n", "line 6"},
		{"bad drop selector", "name: a\nversion: 1\nhosts: [a.com]\ndrop: [\"::\"]\n", "line 4"},
		{"bad regex", "name: a\nversion: 1\nhosts: [a.com]\ndrop_text:\n  - ok\n  - \"(\"\n", "line 6"},
		{"bad name", "name: A B\nversion: 1\nhosts: [a.com]\n", "line 1"},
		{"no version", "name: a\nhosts: [a.com]\n", "version"},
		{"no hosts", "name: a\nversion: 1\n", "no hosts"},
		{"bad host", "name: a\nversion: 1\nhosts: [a.com, \"a b\"]\n", "line 3"},
		{"bad image regex", "name: a\nversion: 1\nhosts: [a.com]\nimages:\n  - match: \"^(x\"\n    strip_query: [w]\n", "line 5"},
		{"bad image replace", "name: a\nversion: 1\nhosts: [a.com]\nimages:\n  - match: img.a.com\n    replace: {pattern: \"[\", with: x}\n", "line 5"},
		{"image rule doing nothing", "name: a\nversion: 1\nhosts: [a.com]\nimages:\n  - match: img.a.com\n", "does nothing"},
		{"wrong type", "name: a\nversion: one\nhosts: [a.com]\n", "line 2"},
		{"empty", "", "no profile"},
		{"second document bad", "name: a\nversion: 1\nhosts: [a.com]\n---\nname: b\nversion: 1\nhosts: [b.com]\nbody: [\"]\"]\n", "line 8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseProfiles([]byte(tt.src))
			if err == nil {
				t.Fatalf("ParseProfiles(%q) = nil error, want one containing %q", tt.src, tt.want)
			}
			if !errors.Is(err, ErrProfile) {
				t.Errorf("ParseProfiles error %v does not wrap ErrProfile", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseProfiles error = %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestProfilesMatch(t *testing.T) {
	ps := (&Profiles{}).With(mustProfiles(t, `
name: wide
version: 1
hosts: [example.com]
---
name: news
version: 1
hosts: [news.example.com]
---
name: sub
version: 1
hosts: ["*.example.org"]
---
name: exact
version: 1
hosts: [www.example.org]
`)...)
	tests := []struct{ host, want string }{
		{"example.com", "wide"},
		{"www.example.com", "wide"},
		{"WWW.Example.COM.", "wide"},
		{"news.example.com", "news"},
		{"live.news.example.com", "news"},
		{"example.com:8080", "wide"},
		{"notexample.com", ""},
		{"example.com.evil.net", ""},
		{"example.org", ""},
		{"a.example.org", "sub"},
		{"www.example.org", "exact"},
		{"", ""},
	}
	for _, tt := range tests {
		got := ""
		if p := ps.Match(tt.host); p != nil {
			got = p.Name
		}
		if got != tt.want {
			t.Errorf("Match(%q) = %q, want %q", tt.host, got, tt.want)
		}
	}
	var nilSet *Profiles
	if p := nilSet.Match("example.com"); p != nil {
		t.Errorf("nil Profiles matched %q", p.Name)
	}
}

func TestBuiltinProfilesMatch(t *testing.T) {
	ps := BuiltinProfiles()
	tests := []struct{ host, want string }{
		{"www.bbc.com", "bbc"},
		{"www.bbc.co.uk", "bbc"},
		{"www.theguardian.com", "guardian"},
		{"www.nytimes.com", "nytimes"},
		{"www.washingtonpost.com", "washingtonpost"},
		{"www.reuters.com", "reuters"},
		{"apnews.com", "apnews"},
		{"edition.cnn.com", "cnn"},
		{"www.npr.org", "npr"},
		{"www.aljazeera.com", "aljazeera"},
		{"www.independent.co.uk", "independent"},
		{"www.telegraph.co.uk", "telegraph"},
		{"news.sky.com", "skynews"},
		{"sky.com", ""},
		{"abcnews.go.com", "abcnews"},
		{"go.com", ""},
		{"www.cbsnews.com", "cbsnews"},
		{"www.foxnews.com", "foxnews"},
		{"www.example.com", ""},
	}
	for _, tt := range tests {
		got := ""
		if p := ps.Match(tt.host); p != nil {
			got = p.Name
		}
		if got != tt.want {
			t.Errorf("BuiltinProfiles().Match(%q) = %q, want %q", tt.host, got, tt.want)
		}
	}
}

func TestProfilesWith(t *testing.T) {
	base := BuiltinProfiles()
	user := mustProfiles(t, "name: bbc\nversion: 7\nhosts: [bbc.com]\n---\nname: local\nversion: 1\nhosts: [local.test]\n")
	got := base.With(user...)
	if p := got.Match("www.bbc.com"); p == nil || p.Version != 7 {
		t.Errorf("With: bbc not replaced by the user profile: %+v", p)
	}
	if p := got.Match("www.bbc.co.uk"); p != nil {
		t.Errorf("With: replaced bbc profile still matches bbc.co.uk: %s/%d", p.Name, p.Version)
	}
	if p := got.Match("local.test"); p == nil || p.Name != "local" {
		t.Errorf("With: user profile local not added")
	}
	if p := base.Match("www.bbc.com"); p == nil || p.Version != 1 {
		t.Errorf("With changed the receiver")
	}
	if n := len(got.Names()); n != len(base.Names())+1 {
		t.Errorf("len(Names()) = %d, want %d", n, len(base.Names())+1)
	}
	var nilSet *Profiles
	if diff := cmp.Diff([]string{"local"}, nilSet.With(nil, user[1]).Names()); diff != "" {
		t.Errorf("nil.With mismatch (-want +got):\n%s", diff)
	}
}

func TestProfileImageURL(t *testing.T) {
	p := mustProfiles(t, `
name: img
version: 1
hosts: [a.com]
images:
  - match: img.a.com
    strip_query: [width, quality]
  - match: "^https://cdn\\.a\\.com/"
    strip_query: ["*"]
    replace: {pattern: "/(\\d+)/photos/", with: "/976/photos/"}
`)[0]
	tests := []struct{ in, want string }{
		{"https://img.a.com/x.jpg?width=320&quality=80&id=9", "https://img.a.com/x.jpg?id=9"},
		{"https://s1.img.a.com/x.jpg?width=320", "https://s1.img.a.com/x.jpg"},
		{"https://cdn.a.com/240/photos/x.jpg?v=3", "https://cdn.a.com/976/photos/x.jpg"},
		{"https://other.com/240/photos/x.jpg?width=3", "https://other.com/240/photos/x.jpg?width=3"},
		{"https://img.a.com/x.jpg", "https://img.a.com/x.jpg"},
	}
	for _, tt := range tests {
		if got := p.imageURL(tt.in); got != tt.want {
			t.Errorf("imageURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestProfileMetaAndDrop(t *testing.T) {
	p := mustProfiles(t, `
name: m
version: 1
hosts: [a.com]
body: [".missing", "div.body"]
title: [".missing", "meta[property='og:title']"]
byline: ["span.author"]
published: ["time.missing", "time", "span.date"]
drop: [".promo"]
drop_text: ["(?i)^read more"]
`)[0]
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(`<html><head>
<meta property="og:title" content="The headline"></head><body>
<span class="author">Jane Roe</span><span class="author">John Doe</span><span class="author">Jane Roe</span>
<time>not a date</time><time datetime="2026-11-26T10:00:00+01:00">Thursday</time>
<div class="body"><p>One.</p><div class="promo">Buy</div><div class="body"><p>Two.</p></div></div>
</body></html>`))
	if err != nil {
		t.Fatal(err)
	}
	title, byline, published := p.meta(doc)
	if title != "The headline" || byline != "Jane Roe, John Doe" || !published.Equal(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("meta() = %q, %q, %v", title, byline, published)
	}
	p.drop(doc.Selection)
	body := p.selectBody(doc)
	if body.Length() != 1 || strings.Contains(body.Text(), "Buy") || !strings.Contains(body.Text(), "Two.") {
		t.Errorf("selectBody after drop = %d nodes, text %q", body.Length(), body.Text())
	}
	if !p.dropText("Read more: other story") || p.dropText("We read more books") {
		t.Errorf("dropText does not anchor as written")
	}
	empty := mustProfiles(t, "name: e\nversion: 1\nhosts: [a.com]\nbody: [article]\n")[0]
	if n := empty.selectBody(doc).Length(); n != 0 {
		t.Errorf("selectBody with no match = %d nodes, want 0", n)
	}
}

func FuzzParseProfiles(f *testing.F) {
	files, _ := builtinFS.ReadDir("profiles")
	for _, e := range files {
		data, _ := builtinFS.ReadFile("profiles/" + e.Name())
		f.Add(data)
	}
	f.Add([]byte("name: a\nversion: 1\nhosts: [a.com]\nimages:\n  - match: \"(\"\n"))
	f.Add([]byte("---\n---\n"))
	f.Add([]byte("name: &a x\nversion: *a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ps, err := ParseProfiles(data)
		if err != nil {
			return
		}
		set := (&Profiles{}).With(ps...)
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader("<article><p>x</p><time datetime=2026-01-01>y</time><img src=/a.jpg></article>"))
		for _, p := range ps {
			set.Match("www." + strings.TrimPrefix(p.Hosts[0], "*."))
			p.drop(doc.Selection)
			p.selectBody(doc)
			p.meta(doc)
			p.dropText("x")
			p.imageURL("https://" + strings.TrimPrefix(p.Hosts[0], "*.") + "/a.jpg?w=1")
		}
	})
}

// profileCase is a fixture's meta.json: the page URL, the metadata the
// profile must yield, the article text that must survive and the noise
// that must not.
type profileCase struct {
	URL        string   `json:"url"`
	Title      string   `json:"title"`
	Byline     string   `json:"byline"`
	Published  string   `json:"published"`
	Paragraphs []string `json:"paragraphs"`
	Noise      []string `json:"noise"`
}

// flatMarkdown is the markdown with sentence line breaks and quote
// markers undone, so that a paragraph can be looked for as one string.
func flatMarkdown(md []byte) string {
	var words []string
	for line := range strings.SplitSeq(string(md), "\n") {
		for strings.HasPrefix(line, ">") {
			line = strings.TrimPrefix(strings.TrimPrefix(line, ">"), " ")
		}
		words = append(words, strings.Fields(line)...)
	}
	return strings.Join(words, " ")
}

func TestProfileGolden(t *testing.T) {
	dirs, err := filepath.Glob("testdata/profiles/*/page.html")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no profile fixtures: %v", err)
	}
	seen := map[string]bool{}
	for _, page := range dirs {
		dir := filepath.Dir(page)
		name := filepath.Base(dir)
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(dir, "meta.json"))
			if err != nil {
				t.Fatal(err)
			}
			var want profileCase
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatalf("meta.json: %v", err)
			}
			var logs bytes.Buffer
			e := Extractor{Profiles: BuiltinProfiles(), Logger: slog.New(slog.NewTextHandler(&logs, nil))}
			a, err := e.Extract(readPage(t, page), want.URL)
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			if !strings.Contains(a.Extractor, " profile="+name+"/") {
				t.Errorf("Extractor = %q, want profile=%s/", a.Extractor, name)
			}
			if logs.Len() > 0 {
				t.Errorf("Extract logged:\n%s", logs.String())
			}
			if a.Gate != "" {
				t.Errorf("Gate = %q, want none", a.Gate)
			}
			got := profileCase{Title: a.Title, Byline: a.Byline}
			if !a.Published.IsZero() {
				got.Published = a.Published.UTC().Format(time.RFC3339)
			}
			if diff := cmp.Diff(profileCase{Title: want.Title, Byline: want.Byline, Published: want.Published}, got); diff != "" {
				t.Errorf("metadata mismatch (-want +got):\n%s", diff)
			}
			md := a.Markdown()
			flat := flatMarkdown(md)
			for _, p := range want.Paragraphs {
				if !strings.Contains(flat, strings.Join(strings.Fields(p), " ")) {
					t.Errorf("markdown lacks article text %q", p)
				}
			}
			for _, n := range want.Noise {
				if strings.Contains(flat, n) {
					t.Errorf("markdown holds noise %q", n)
				}
			}
			golden(t, filepath.Join(dir, "article.md"), md)
		})
	}
	for _, name := range BuiltinProfiles().Names() {
		if !seen[name] {
			t.Errorf("built-in profile %s has no fixture in testdata/profiles", name)
		}
	}
}

func TestProfileFallback(t *testing.T) {
	page, want := bbcCase(t)
	// A redesign: no <article>, and data-component renamed, so none of
	// the bbc profile's body selectors match.
	redesigned := strings.NewReplacer("<article>", `<div class="story-wrap">`, "</article>", "</div>",
		"data-component=", "data-block=").Replace(page)
	// A redesign where <article> now holds only the summary, the text
	// having moved out of it: the profile body is under half the generic one.
	moved := strings.NewReplacer("<article>", `<article><p>Summary: homes evacuated in Eastbridge.</p></article><div class="story-wrap">`,
		"</article>", "</div>").Replace(page)
	tests := []struct{ name, page string }{
		{"selectors match nothing", redesigned},
		{"profile body too short", moved},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			e := Extractor{Profiles: BuiltinProfiles(), Logger: slog.New(slog.NewTextHandler(&logs, nil))}
			a, err := e.Extract([]byte(tt.page), want.URL)
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			log := logs.String()
			if !strings.Contains(log, "level=WARN") || !strings.Contains(log, "profile=bbc") {
				t.Errorf("Extract logged %q, want a WARN naming profile=bbc", log)
			}
			flat := flatMarkdown(a.Markdown())
			for _, p := range want.Paragraphs[:6] {
				if !strings.Contains(flat, p) {
					t.Errorf("generic fallback lacks article text %q", p)
				}
			}
		})
	}
	// The unchanged page logs nothing: the warning is about the redesign.
	var logs bytes.Buffer
	e := Extractor{Profiles: BuiltinProfiles(), Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	if _, err := e.Extract([]byte(page), want.URL); err != nil || logs.Len() > 0 {
		t.Errorf("Extract(original) = %v, logged %q", err, logs.String())
	}
}

// TestProfilesRemoveWhatGenericKeeps checks that the fixtures exercise the
// profiles: without them, generic extraction keeps some of the noise.
func TestProfilesRemoveWhatGenericKeeps(t *testing.T) {
	dirs, _ := filepath.Glob("testdata/profiles/*/page.html")
	kept := 0
	for _, page := range dirs {
		raw, err := os.ReadFile(filepath.Join(filepath.Dir(page), "meta.json"))
		if err != nil {
			t.Fatal(err)
		}
		var want profileCase
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatal(err)
		}
		var e Extractor
		a, err := e.Extract(readPage(t, page), want.URL)
		if err != nil {
			t.Fatalf("Extract(%s): %v", page, err)
		}
		flat := flatMarkdown(a.Markdown())
		for _, n := range want.Noise {
			if strings.Contains(flat, n) {
				kept++
			}
		}
	}
	t.Logf("generic extraction kept %d noise phrases across %d fixtures", kept, len(dirs))
	if kept < len(dirs) {
		t.Errorf("generic extraction kept only %d noise phrases; the fixtures barely test the profiles", kept)
	}
}

func BenchmarkBuiltinProfiles(b *testing.B) {
	for b.Loop() {
		BuiltinProfiles()
	}
}

func BenchmarkExtractWithProfile(b *testing.B) {
	page := readPage(b, "testdata/profiles/bbc/page.html")
	for _, bc := range []struct {
		name string
		ps   *Profiles
	}{{"generic", nil}, {"profile", BuiltinProfiles()}} {
		b.Run(bc.name, func(b *testing.B) {
			e := Extractor{Profiles: bc.ps}
			b.SetBytes(int64(len(page)))
			for b.Loop() {
				if _, err := e.Extract(page, "https://www.bbc.com/news/articles/c0000000000o"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestProfileDropsStoryLists: a ranked table of other stories set inside
// the body a profile selects stays out of the article, as it does from
// the generic readings.
func TestProfileDropsStoryLists(t *testing.T) {
	page, want := bbcCase(t)
	table := `<table><caption>Most viewed</caption><tr><td>1</td><td><a href="/news/ferry-strike-ends">Ferry strike ends after a week of talks</a></td></tr><tr><td>2</td><td><a href="/news/quay-opens">New quay opens to the fishing fleet</a></td></tr><tr><td>3</td><td><a href="/news/budget-vote">Council votes on the harbour budget</a></td></tr></table>`
	at := strings.Index(page, "<article>")
	end := strings.Index(page[at:], "</p>")
	if at < 0 || end < 0 {
		t.Fatal("fixture has no paragraph in its <article>")
	}
	page = page[:at+end+4] + table + page[at+end+4:]
	e := Extractor{Profiles: BuiltinProfiles()}
	a, err := e.Extract([]byte(page), want.URL)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.Extractor, "profile=bbc") {
		t.Fatalf("extractor %q, want the bbc profile", a.Extractor)
	}
	flat := flatMarkdown(a.Markdown())
	if strings.Contains(flat, "Ferry strike") {
		t.Errorf("the profile's body keeps the story table:\n%s", flat)
	}
	for _, p := range want.Paragraphs[:3] {
		if !strings.Contains(flat, p) {
			t.Errorf("article text %q lost", p)
		}
	}
}

// bbcCase returns the bbc profile fixture's page and what it must give.
func bbcCase(t *testing.T) (string, profileCase) {
	t.Helper()
	page := string(readPage(t, "testdata/profiles/bbc/page.html"))
	var want profileCase
	raw, err := os.ReadFile("testdata/profiles/bbc/meta.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	return page, want
}
