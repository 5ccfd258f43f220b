package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/PuerkitoBio/goquery"
	"github.com/stet-archive/stet/fetch"
	"go.yaml.in/yaml/v3"
	"golang.org/x/net/html"
)

// noiseFixtures lists the fixture pages the noise test serves: every golden
// and site-profile fixture of the extract package, and the daily story.
func noiseFixtures(t *testing.T) []string {
	t.Helper()
	var pages []string
	for _, pattern := range []string{
		"../../extract/testdata/golden/*/page.html",
		"../../extract/testdata/profiles/*/page.html",
	} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, m...)
	}
	if len(pages) == 0 {
		t.Skip("no extract fixtures yet")
	}
	return pages
}

// noisySite serves one article page with fresh noise of every kind on
// each request: clocks and relative times, view/share/comment counts,
// related and most-read lists, ad slots, tracking and cache-busting
// query strings, tokens and random ids, A/B markers, a consent banner and
// a live ticker. The article itself changes only through edit.
type noisySite struct {
	mu   sync.Mutex
	page string // the article's HTML, UTF-8
	hits int
	srv  *httptest.Server
}

func newNoisySite(t *testing.T, page string) *noisySite {
	s := &noisySite{page: page}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits++
		n, page := s.hits, s.page
		s.mu.Unlock()
		out, err := addNoise(page, n)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(out))
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *noisySite) url() string { return s.srv.URL + "/news/article-1" }

func (s *noisySite) edit(f func(page string) string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.page = f(s.page)
}

// rnd is a small deterministic generator, so a failing request can be
// replayed from its number.
func rnd(n, k int) int { return (n*7919 + k*104729 + n*k*31) % 100000 }

func addNoise(page string, n int) (string, error) {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		return "", err
	}
	body := doc.Find("body")
	variant := "a"
	if n%2 == 0 {
		variant = "b"
	}
	body.SetAttr("class", strings.TrimSpace(body.AttrOr("class", "")+" ab-variant-"+variant))
	body.SetAttr("data-ab-test", fmt.Sprintf("exp-%d-%s", rnd(n, 1), variant))
	body.PrependHtml(fmt.Sprintf(`<div id="cookie-consent-%d" class="consent-banner cookie-banner" role="dialog"><p>We use cookies to improve your experience (ref %d). By continuing to browse you agree to our use of cookies.</p><button>Accept all</button></div>`+
		`<div class="live-ticker breaking-ticker"><ul><li>BREAKING: Markets move %d points</li><li>LIVE: Storm warning issued for %d areas</li></ul></div>`+
		`<div class="header-clock">Last updated %02d:%02d GMT</div>`,
		rnd(n, 2), rnd(n, 3), rnd(n, 4), rnd(n, 5)%50, rnd(n, 6)%24, rnd(n, 7)%60))

	// Inside the article: noise between the paragraphs it already has.
	paras := doc.Find("article p, main p, [itemprop=articleBody] p, .article-body p, .story-body p")
	if paras.Length() == 0 {
		paras = doc.Find("p")
	}
	paras.Each(func(i int, p *goquery.Selection) {
		p.SetAttr("id", fmt.Sprintf("p-%d-%d", rnd(n, 10+i), i))
		p.SetAttr("data-nonce", fmt.Sprintf("%x", rnd(n, 20+i)))
		switch i {
		case 0:
			p.BeforeHtml(fmt.Sprintf(`<span class="timestamp relative-time">%d minutes ago</span>`, 1+rnd(n, 8)%59))
			p.AfterHtml(fmt.Sprintf(`<div class="share-bar social-share"><span class="share-count">%d shares</span> <a class="comment-count" href="#comments">%d comments</a> <span class="view-count">%d views</span></div>`,
				rnd(n, 9), rnd(n, 11)%900, rnd(n, 12)))
		case 1:
			p.AfterHtml(fmt.Sprintf(`<div class="ad-slot advertisement" id="ad-slot-%d" data-ad-unit="/%d/news"><span>Advertisement</span></div>`, rnd(n, 13), rnd(n, 14)))
		case 2:
			p.AfterHtml(fmt.Sprintf(`<aside class="related-content related-links"><h3>Related</h3><ul><li><a href="/news/story-%d">Story number %d you may have missed</a></li><li><a href="/news/story-%d">Another story %d</a></li></ul></aside>`,
				rnd(n, 15), rnd(n, 15), rnd(n, 16), rnd(n, 16)))
		}
	})
	last := paras.Last()
	last.AfterHtml(fmt.Sprintf(`<section class="most-read most-popular"><h2>Most read</h2><ol><li><a href="/news/m-%d">Most read story %d</a></li><li><a href="/news/m-%d">Viral clip seen %d times</a></li></ol></section>`,
		rnd(n, 17), rnd(n, 17), rnd(n, 18), rnd(n, 18)))
	doc.Find("head").AppendHtml(fmt.Sprintf(`<script>window.__csrf="%x";window.__ab="%s";</script>`, rnd(n, 19)*rnd(n, 21), variant))
	body.AppendHtml(fmt.Sprintf(`<form class="hidden-token"><input type="hidden" name="csrf" value="%x"></form><img src="/pixel.gif?r=%d" width="1" height="1" alt="">`, rnd(n, 22), rnd(n, 23)))

	// Tracking and cache-busting parameters on every link and image.
	addParam := func(attr string) func(int, *goquery.Selection) {
		return func(_ int, s *goquery.Selection) {
			v, ok := s.Attr(attr)
			if !ok || v == "" || strings.HasPrefix(v, "#") || strings.HasPrefix(v, "data:") || strings.HasPrefix(v, "mailto:") || strings.HasPrefix(v, "javascript:") {
				return
			}
			sep := "?"
			if strings.Contains(v, "?") {
				sep = "&"
			}
			frag := ""
			if i := strings.Index(v, "#"); i >= 0 {
				v, frag = v[:i], v[i:]
			}
			s.SetAttr(attr, fmt.Sprintf("%s%sutm_source=feed%d&utm_medium=rss&fbclid=IwAR%d&cb=%d%s", v, sep, rnd(n, 24), rnd(n, 25), rnd(n, 26), frag))
		}
	}
	doc.Find("a[href]").Each(addParam("href"))
	doc.Find("img[src]").Each(addParam("src"))
	return doc.Html()
}

// articleParagraph returns the text of the longest paragraph that the
// first rendering kept, so edits land in the article, not in the chrome.
func articleParagraph(t *testing.T, page, markdown string) *goquery.Selection {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var best *goquery.Selection
	// Paragraphs are <p> on most sites, and leaf <div>s on some (Reuters).
	doc.Find("p, div").Each(func(_ int, p *goquery.Selection) {
		if p.Is("div") && p.Find("p, div, ul, ol, table, section, article").Length() > 0 {
			return
		}
		txt := strings.Join(strings.Fields(p.Text()), " ")
		words := strings.Fields(txt)
		if len(words) < 12 {
			return
		}
		// The paragraph's first five words must be in the markdown.
		if !strings.Contains(strings.Join(strings.Fields(markdown), " "), strings.Join(words[:5], " ")) {
			return
		}
		if best == nil || len(txt) > len(best.Text()) {
			best = p
		}
	})
	return best
}

// longWord returns a word of at least six letters in the paragraph's own
// text nodes, and the text node holding it.
func longWord(p *goquery.Selection) (string, *html.Node) {
	for _, n := range p.Nodes {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.TextNode {
				continue
			}
			for _, w := range strings.Fields(c.Data) {
				w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) })
				if len([]rune(w)) >= 6 && !strings.ContainsFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }) {
					return w, c
				}
			}
		}
	}
	return "", nil
}

func TestNoiseNeverCommitsAndEditsAlwaysDo(t *testing.T) {
	for _, path := range noiseFixtures(t) {
		name := filepath.Base(filepath.Dir(path))
		t.Run(filepath.Base(filepath.Dir(filepath.Dir(path)))+"/"+name, func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			page, _ := fetch.Decode(raw, "text/html")
			page = regexp.MustCompile(`(?i)<meta[^>]+charset[^>]*>`).ReplaceAll(page, []byte(`<meta charset="utf-8">`))
			site := newNoisySite(t, string(page))
			tio := testEnv(t)
			repo := t.TempDir()
			fetchArgs := []string{"fetch", "--repo", repo, "--allow-private-addresses", site.url()}
			out := tio.mustRun(t, fetchArgs...)
			if !strings.HasPrefix(out, "new ") {
				t.Fatalf("first fetch: %s", out)
			}
			file := strings.Fields(out)[1]
			read := func() string {
				b, err := os.ReadFile(filepath.Join(repo, file))
				if err != nil {
					t.Fatal(err)
				}
				return string(b)
			}
			first := read()

			for range 4 {
				tio.mustRun(t, fetchArgs...)
			}
			if n := commitCount(t, repo); n != 1 {
				t.Fatalf("noise made commits: %d commits after 5 fetches of one article\n%s", n, git(t, repo, "log", "-p", "--format=%s"))
			}

			commits := 1
			expectEdit := func(what string, want string) {
				t.Helper()
				tio.mustRun(t, fetchArgs...)
				tio.mustRun(t, fetchArgs...) // and fresh noise again: still one commit per edit
				commits++
				if n := commitCount(t, repo); n != commits {
					t.Fatalf("%s: %d commits, want %d\n%s", what, n, commits, git(t, repo, "log", "-p", "-2"))
				}
				if got := read(); !strings.Contains(got, want) {
					t.Errorf("%s: archived article lacks %q:\n%s", what, want, got)
				}
			}

			// Mark the paragraph the edits go to. The attribute is invisible
			// to readers, so it must not make a commit either.
			p := articleParagraph(t, string(page), first)
			if p == nil {
				t.Fatalf("no article paragraph of the fixture is in the rendering:\n%s", first)
			}
			word, _ := longWord(p)
			if word == "" {
				t.Fatalf("no long word in %q", p.Text())
			}
			plain := strings.Join(strings.Fields(p.Text()), " ")
			p.SetAttr("data-edit-target", "1")
			marked, err := goquery.OuterHtml(p.Parents().Last())
			if err != nil {
				t.Fatal(err)
			}
			site.edit(func(string) string { return marked })
			tio.mustRun(t, fetchArgs...)
			if n := commitCount(t, repo); n != 1 {
				t.Fatalf("an invisible attribute made a commit:\n%s", git(t, repo, "log", "-p", "-1"))
			}

			// A word changed in a sentence (and in any JSON-LD copy of it).
			site.edit(func(page string) string {
				page = editTarget(t, page, func(p *goquery.Selection) {
					_, node := longWord(p)
					node.Data = strings.Replace(node.Data, word, "Zanzibarian", 1)
				})
				return strings.Replace(page, plain, strings.Replace(plain, word, "Zanzibarian", 1), 1)
			})
			expectEdit("word changed", "Zanzibarian")

			// A paragraph appended.
			added := "In a statement issued late on Friday, the organisers said the review would examine every decision taken since the spring."
			site.edit(func(page string) string {
				return editTarget(t, page, func(p *goquery.Selection) {
					appendSibling(p, added)
				})
			})
			expectEdit("paragraph appended", "the review would examine every decision taken since the spring.")

			// A correction note.
			note := "Correction: An earlier version of this article misstated the date of the hearing."
			site.edit(func(page string) string {
				return editTarget(t, page, func(p *goquery.Selection) {
					appendSibling(p, "<em>"+note+"</em>")
				})
			})
			expectEdit("correction added", "An earlier version of this article misstated the date of the hearing.")

			// A new headline, everywhere the page states it.
			title := frontMatterValue(first, "title")
			if title == "" {
				t.Fatalf("no title in first rendering:\n%s", first)
			}
			site.edit(func(page string) string {
				return replaceTitle(t, page, title, "Entirely new headline about the Zanzibarian harbour")
			})
			expectEdit("new headline", "# Entirely new headline about the Zanzibarian harbour")
			git(t, repo, "fsck", "--strict")
		})
	}
}

// appendSibling adds a paragraph holding inner after the last sibling of
// p's kind, with p's tag and class, as the site's own CMS would.
func appendSibling(p *goquery.Selection, inner string) {
	tag := goquery.NodeName(p)
	class := ""
	if c, ok := p.Attr("class"); ok {
		class = fmt.Sprintf(` class="%s"`, html.EscapeString(c))
	}
	p.Parent().ChildrenFiltered(tag).Last().AfterHtml(fmt.Sprintf("<%s%s>%s</%s>", tag, class, inner, tag))
}

// editTarget applies f to the paragraph marked data-edit-target and
// returns the page.
func editTarget(t *testing.T, page string, f func(p *goquery.Selection)) string {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	p := doc.Find("[data-edit-target]")
	if p.Length() != 1 {
		t.Fatalf("%d marked paragraphs, want 1", p.Length())
	}
	f(p)
	out, err := doc.Html()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// replaceTitle gives the page a new headline everywhere it states one:
// headings, <title>, title meta tags and JSON-LD.
func replaceTitle(t *testing.T, page, old, repl string) string {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	norm := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	doc.Find("h1, h2").Each(func(_ int, h *goquery.Selection) {
		if norm(h.Text()) == norm(old) {
			h.SetText(repl)
		}
	})
	doc.Find("title").SetText(repl)
	doc.Find(`meta[property="og:title"], meta[name="twitter:title"], meta[name="title"], meta[itemprop="headline"]`).SetAttr("content", repl)
	doc.Find(`script[type="application/ld+json"]`).Each(func(_ int, s *goquery.Selection) {
		oldJSON, _ := json.Marshal(old)
		newJSON, _ := json.Marshal(repl)
		txt := strings.ReplaceAll(s.Text(), string(oldJSON), string(newJSON))
		s.SetText(txt)
	})
	out, err := doc.Html()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func frontMatterValue(md, key string) string {
	fm, _, ok := strings.Cut(strings.TrimPrefix(md, "---\n"), "\n---\n")
	if !ok {
		return ""
	}
	var fields map[string]string
	if err := yaml.Unmarshal([]byte(fm), &fields); err != nil {
		return ""
	}
	return fields[key]
}
