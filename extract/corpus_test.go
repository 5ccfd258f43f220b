package extract

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/net/html"
)

// corpusDir holds readability's test pages: <page>/source.html,
// expected.html and expected-metadata.json, with INDEX.tsv naming each
// page's category.
const corpusDir = "../../shared/corpus/readability"

// corpusFloor is the regression floor for the news pages, set just below
// what the extractor achieves; the goals (title ≥ 0.98, byline ≥ 0.90,
// published ≥ 0.95, body F1 ≥ 0.95) are reported, not enforced. The
// title floor is lower since stet takes the visible h1 as the headline
// (issue 10): on five news pages readability's expected title is the
// JSON-LD headline or a stale <title> that the page's h1 and og:title
// no longer carry (theverge, videos-1, cnet-svg-classes, bug-1255978,
// yahoo-2). The body floor sits under 0.985 since stet drops what
// Readability.js keeps around an article's prose (issue 10): author boxes,
// datelines, copyright and print-edition notes, teaser links (breitbart,
// qq, nytimes-3, nytimes-4, nytimes-5, gmw, wapo-1); the bound is
// 0.98.
var corpusFloor = corpusScore{title: 0.88, byline: 0.94, published: 0.98, f1: 0.983}

type corpusScore struct {
	title, byline, published, f1 float64
}

type corpusPage struct {
	name, category string
}

type expectedMeta struct {
	Title         string  `json:"title"`
	Byline        *string `json:"byline"`
	PublishedTime *string `json:"publishedTime"`
	URL           string  `json:"url"`
}

func corpusPages(t testing.TB) []corpusPage {
	f, err := os.Open(filepath.Join(corpusDir, "INDEX.tsv"))
	if err != nil {
		t.Skipf("corpus absent: %v", err)
	}
	defer f.Close()
	var pages []corpusPage
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 2 || cols[0] == "page" {
			continue
		}
		pages = append(pages, corpusPage{cols[0], cols[1]})
	}
	return pages
}

// tally accumulates match counts over a set of pages.
type tally struct {
	n, titleOK, bylineN, bylineOK, pubN, pubOK int
	f1                                         float64
}

func (t *tally) score() corpusScore {
	div := func(a, b int) float64 {
		if b == 0 {
			return 1
		}
		return float64(a) / float64(b)
	}
	return corpusScore{
		title:     div(t.titleOK, t.n),
		byline:    div(t.bylineOK, t.bylineN),
		published: div(t.pubOK, t.pubN),
		f1:        t.f1 / float64(max(t.n, 1)),
	}
}

func (s corpusScore) String() string {
	return fmt.Sprintf("title %.3f byline %.3f published %.3f body F1 %.3f", s.title, s.byline, s.published, s.f1)
}

func TestCorpusAgreement(t *testing.T) {
	pages := corpusPages(t)
	var all, news tally
	type row struct {
		name string
		f1   float64
		note string
	}
	var rows []row
	for _, p := range pages {
		dir := filepath.Join(corpusDir, p.name)
		src, err := os.ReadFile(filepath.Join(dir, "source.html"))
		if err != nil {
			t.Fatal(err)
		}
		var want expectedMeta
		raw, err := os.ReadFile(filepath.Join(dir, "expected-metadata.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		expHTML, err := os.ReadFile(filepath.Join(dir, "expected.html"))
		if err != nil {
			t.Fatal(err)
		}
		pageURL := "http://fakehost/test/page.html"
		if want.URL != "" {
			pageURL = want.URL
		}
		var e Extractor
		a, err := e.Extract(src, pageURL)
		if err != nil {
			a = &Article{}
		}
		var notes []string
		tl := []*tally{&all}
		if p.category == "news" {
			tl = append(tl, &news)
			// Every news page is an article: the not-an-article gate must
			// never refuse one.
			if a.Gate == GateNotArticle {
				t.Errorf("%s: news page gated %q", p.name, a.Gate)
			}
		}
		titleOK := titleAgrees(a.Title, want.Title)
		if !titleOK {
			notes = append(notes, fmt.Sprintf("title %q want %q", a.Title, want.Title))
		}
		// The expected byline is readability's raw text ("By X\n March
		// 11"); stet's contract is names only, so both sides are compared
		// as names: the expected one normalised like stet's own, then
		// folded to words. Pages whose expected byline holds no name at
		// all (only a date or a publisher) are not counted.
		var wantNames []string
		if want.Byline != nil {
			wantNames = normalizeByline(*want.Byline, []string{a.Site})
		}
		hasByline := len(wantNames) > 0
		bylineOK := hasByline && bylineKey(a.Byline) == bylineKey(strings.Join(wantNames, ", "))
		if hasByline && !bylineOK {
			notes = append(notes, fmt.Sprintf("byline %q want %q", a.Byline, *want.Byline))
		}
		hasPub := want.PublishedTime != nil && strings.TrimSpace(*want.PublishedTime) != ""
		pubOK := false
		if hasPub {
			wt, ok := parseDate(*want.PublishedTime)
			pubOK = ok && wt.Equal(a.Published)
			if !pubOK {
				notes = append(notes, fmt.Sprintf("published %v want %q", a.Published, *want.PublishedTime))
			}
		}
		f1 := tokenF1(words(htmlText(expHTML)), words(a.Text()))
		for _, x := range tl {
			x.n++
			if titleOK {
				x.titleOK++
			}
			if hasByline {
				x.bylineN++
				if bylineOK {
					x.bylineOK++
				}
			}
			if hasPub {
				x.pubN++
				if pubOK {
					x.pubOK++
				}
			}
			x.f1 += f1
		}
		cat := p.category
		rows = append(rows, row{cat + "/" + p.name, f1, strings.Join(notes, "; ")})
	}
	sort.Slice(rows, func(i, j int) bool {
		return rows[i].f1 < rows[j].f1 || rows[i].f1 == rows[j].f1 && rows[i].name < rows[j].name
	})
	for _, r := range rows {
		t.Logf("%-45s F1 %.3f %s", r.name, r.f1, r.note)
	}
	as, ns := all.score(), news.score()
	t.Logf("all %d pages: %v", all.n, as)
	t.Logf("news %d pages: %v", news.n, ns)
	if ns.title < corpusFloor.title || ns.byline < corpusFloor.byline || ns.published < corpusFloor.published || ns.f1 < corpusFloor.f1 {
		t.Errorf("news pages regressed: %v, floor %v", ns, corpusFloor)
	}
}

// titleAgrees reports whether stet's title matches readability's expected
// one, ignoring case and punctuation. Readability keeps the site or author
// suffix of a metadata title ("… | Eleanor Ainge Roy", "… - Breitbart"),
// which stet drops (issue 10), so the expected title also counts without
// its trailing segments.
func titleAgrees(got, want string) bool {
	if sameText(got, want) {
		return true
	}
	for {
		i := -1
		for _, sep := range []string{" | ", " - ", " – ", " — ", " · ", "_", " [", "（"} {
			i = max(i, strings.LastIndex(want, sep))
		}
		if i <= 0 {
			return false
		}
		if want = strings.TrimSpace(want[:i]); sameText(got, want) {
			return true
		}
	}
}

// bylineKey folds a byline for comparison: lower case, words only, a
// leading "by" dropped.
func bylineKey(s string) string {
	w := words(s)
	if len(w) > 0 && w[0] == "by" {
		w = w[1:]
	}
	return strings.Join(w, " ")
}

// words splits s into lower-case words of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// htmlText returns the text of an HTML fragment.
func htmlText(b []byte) string {
	n, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		return ""
	}
	return textOf(n)
}

// tokenF1 is the F1 score of got against want from their multiset overlap.
func tokenF1(want, got []string) float64 {
	if len(want) == 0 && len(got) == 0 {
		return 1
	}
	if len(want) == 0 || len(got) == 0 {
		return 0
	}
	counts := make(map[string]int, len(want))
	for _, w := range want {
		counts[w]++
	}
	overlap := 0
	for _, g := range got {
		if counts[g] > 0 {
			counts[g]--
			overlap++
		}
	}
	if overlap == 0 {
		return 0
	}
	p := float64(overlap) / float64(len(got))
	r := float64(overlap) / float64(len(want))
	return 2 * p * r / (p + r)
}
