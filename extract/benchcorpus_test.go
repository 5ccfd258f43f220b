package extract

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stet-archive/stet/fetch"
)

// fullCorpus runs TestCorpusWCXB and TestCorpusTrafilatura over every
// page instead of a sample: go test ./extract -run 'Corpus(WCXB|Trafilatura)' -corpus.full -v
var fullCorpus = flag.Bool("corpus.full", false, "score every page of the wcxb-dev and trafilatura corpora, not a sample")

// corpusSample is the step of the short run: every corpusSample-th page.
const corpusSample = 8

// benchTruth is one line of a corpus's truth.jsonl (see ../shared/README.md).
type benchTruth struct {
	ID      string   `json:"id"`
	URL     string   `json:"url"`
	Type    string   `json:"type"`
	Body    *string  `json:"body"`
	With    []string `json:"with"`
	Without []string `json:"without"`
}

// benchFigures are the figures of ../shared/bench/extract-score, computed
// in process on the same pages and by the same definitions.
type benchFigures struct {
	pages, withBody, empty, refused int
	f1                              float64 // mean body word F1 over pages with a body
	found, missed, leaked, keptOut  int     // snippets
}

func (f benchFigures) meanF1() float64 { return f.f1 / float64(max(f.withBody, 1)) }

func (f benchFigures) snippetF1() float64 {
	p := float64(f.found) / float64(max(f.found+f.leaked, 1))
	r := float64(f.found) / float64(max(f.found+f.missed, 1))
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// benchWordRE is the scorer's word: Go's ASCII \w.
var benchWordRE = regexp.MustCompile(`\w+`)

func benchBag(s string) map[string]int {
	m := map[string]int{}
	for _, w := range benchWordRE.FindAllString(strings.ToLower(s), -1) {
		m[w]++
	}
	return m
}

func benchF1(pred, ref string) float64 {
	pb, rb := benchBag(pred), benchBag(ref)
	np, nr := 0, 0
	for _, c := range pb {
		np += c
	}
	for _, c := range rb {
		nr += c
	}
	switch {
	case nr == 0 && np == 0:
		return 1
	case nr == 0 || np == 0:
		return 0
	}
	o := 0
	for w, c := range pb {
		o += min(c, rb[w])
	}
	if o == 0 {
		return 0
	}
	p, r := float64(o)/float64(np), float64(o)/float64(nr)
	return 2 * p * r / (p + r)
}

// scoreCorpus extracts the pages of ../shared/corpus/<name> of type typ
// ("" for all) and scores them; it skips when the corpus is absent.
func scoreCorpus(t *testing.T, name, typ string) benchFigures {
	t.Helper()
	dir := filepath.Join("../../shared/corpus", name)
	tf, err := os.Open(filepath.Join(dir, "truth.jsonl"))
	if err != nil {
		t.Skipf("corpus absent: %v", err)
	}
	defer tf.Close()
	var fig benchFigures
	sc := bufio.NewScanner(tf)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	var e Extractor
	n := 0
	for sc.Scan() {
		var tr benchTruth
		if err := json.Unmarshal(sc.Bytes(), &tr); err != nil {
			t.Fatalf("%s truth: %v", name, err)
		}
		if typ != "" && tr.Type != typ {
			continue
		}
		n++
		if !*fullCorpus && n%corpusSample != 1 {
			continue
		}
		page := readCorpusPage(t, filepath.Join(dir, "pages", tr.ID+".html.gz"))
		fig.pages++
		text, gated := "", false
		// As the scorer runs stet: a saved file, no page URL.
		if a, err := e.Extract(page, ""); err == nil {
			text, gated = a.Text(), a.Gate != ""
		}
		if gated {
			fig.refused++
			text = ""
		} else if strings.TrimSpace(text) == "" && tr.Body != nil && strings.TrimSpace(*tr.Body) != "" {
			fig.empty++
			t.Logf("%s %s: no text", tr.ID, tr.URL)
		}
		if tr.Body != nil {
			fig.withBody++
			fig.f1 += benchF1(text, *tr.Body)
		}
		flat := strings.Join(strings.Fields(text), " ")
		for _, w := range tr.With {
			if strings.Contains(flat, strings.Join(strings.Fields(w), " ")) {
				fig.found++
			} else {
				fig.missed++
			}
		}
		for _, w := range tr.Without {
			if strings.Contains(flat, strings.Join(strings.Fields(w), " ")) {
				fig.leaked++
			} else {
				fig.keptOut++
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s truth: %v", name, err)
	}
	return fig
}

func readCorpusPage(t testing.TB, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	raw, err := io.ReadAll(z)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	page, _ := fetch.Decode(raw, "")
	return page
}

// The floors below sit just under what the extractor achieves (full run,
// then the sample), so that a regression fails; the targets (body
// F1 0.96, snippet F1 0.94) are above them and are reported, not enforced.
// Empty pages have no slack: an article whose truth has text must never
// come out empty.
var (
	wcxbFloor        = map[bool]float64{true: 0.94, false: 0.91}
	wcxbRefused      = map[bool]int{true: 8, false: 2} // at most 1% of articles refused by a gate
	trafilaturaFloor = map[bool]float64{true: 0.91, false: 0.915}
)

func TestCorpusWCXB(t *testing.T) {
	fig := scoreCorpus(t, "wcxb-dev", "article")
	t.Logf("wcxb-dev articles (%d pages, full=%v): body word F1 %.3f, %d with no text, %d refused by a gate (target F1 0.96)",
		fig.pages, *fullCorpus, fig.meanF1(), fig.empty, fig.refused)
	if fig.empty > 0 {
		t.Errorf("%d wcxb-dev articles with no text, want 0", fig.empty)
	}
	if fig.refused > wcxbRefused[*fullCorpus] {
		t.Errorf("%d wcxb-dev articles refused by a gate, want at most %d", fig.refused, wcxbRefused[*fullCorpus])
	}
	if f := fig.meanF1(); f < wcxbFloor[*fullCorpus] {
		t.Errorf("wcxb-dev articles body word F1 %.3f, floor %.3f", f, wcxbFloor[*fullCorpus])
	}
}

func TestCorpusTrafilatura(t *testing.T) {
	fig := scoreCorpus(t, "trafilatura", "")
	t.Logf("trafilatura (%d pages, full=%v): snippet F1 %.3f (with %d found, %d missed; without %d leaked, %d kept out), %d with no text, %d refused (target 0.94)",
		fig.pages, *fullCorpus, fig.snippetF1(), fig.found, fig.missed, fig.leaked, fig.keptOut, fig.empty, fig.refused)
	if f := fig.snippetF1(); f < trafilaturaFloor[*fullCorpus] {
		t.Errorf("trafilatura snippet F1 %.3f, floor %.3f", f, trafilaturaFloor[*fullCorpus])
	}
}

// wcxbListingCeiling is the most listing and collection pages of wcxb-dev
// (full run, then the sample) the not-an-article gate may let through as
// articles: what it lets through, so that a weaker gate fails.
// The target is 10% of them.
var wcxbListingCeiling = map[bool]int{true: 54, false: 7}

func TestCorpusWCXBListings(t *testing.T) {
	var pages, answered int
	for _, typ := range []string{"listing", "collection"} {
		fig := scoreCorpus(t, "wcxb-dev", typ)
		pages += fig.pages
		answered += fig.pages - fig.refused - fig.empty
	}
	t.Logf("wcxb-dev listings and collections (%d pages, full=%v): %d answered as articles (target at most 10%%)", pages, *fullCorpus, answered)
	if answered > wcxbListingCeiling[*fullCorpus] {
		t.Errorf("%d of %d wcxb-dev listing and collection pages answered as articles, want at most %d", answered, pages, wcxbListingCeiling[*fullCorpus])
	}
}
