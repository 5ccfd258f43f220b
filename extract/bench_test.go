package extract

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

	readability "codeberg.org/readeck/go-readability/v2"
)

// benchSets returns the golden pages and, when present, the corpus pages.
func benchSets(b *testing.B) map[string][][]byte {
	sets := map[string][][]byte{}
	for _, dir := range goldenCases(b) {
		sets["golden"] = append(sets["golden"], readPage(b, filepath.Join(dir, "page.html")))
	}
	if dirs, err := filepath.Glob(filepath.Join(corpusDir, "*", "source.html")); err == nil {
		for _, p := range dirs {
			if src, err := os.ReadFile(p); err == nil {
				sets["corpus"] = append(sets["corpus"], src)
			}
		}
	}
	// Every eighth wcxb-dev article: the pages of the speed target.
	if tf, err := os.ReadFile(filepath.Join(wcxbDir, "truth.jsonl")); err == nil {
		n := 0
		for line := range bytes.Lines(tf) {
			var tr benchTruth
			if json.Unmarshal(line, &tr) != nil || tr.Type != "article" {
				continue
			}
			if n++; n%corpusSample == 1 {
				sets["wcxb"] = append(sets["wcxb"], readCorpusPage(b, filepath.Join(wcxbDir, "pages", tr.ID+".html.gz")))
			}
		}
	}
	return sets
}

// BenchmarkExtract measures Extract plus Markdown, page after page, over
// the golden fixtures (small pages), the readability corpus (real, large
// pages) and a sample of the wcxb-dev articles (as stet extract reads
// them: no page URL). The corpus sets are skipped when ../shared is absent.
func BenchmarkExtract(b *testing.B) {
	sets := benchSets(b)
	for _, name := range []string{"golden", "corpus", "wcxb"} {
		pages := sets[name]
		if len(pages) == 0 {
			continue
		}
		b.Run(name, func(b *testing.B) {
			var size int64
			for _, p := range pages {
				size += int64(len(p))
			}
			b.SetBytes(size / int64(len(pages)))
			b.ReportAllocs()
			pageURL := "http://fakehost/test/page.html"
			if name == "wcxb" {
				pageURL = ""
			}
			var e Extractor
			n := 0
			for b.Loop() {
				page := pages[n%len(pages)]
				n++
				a, err := e.Extract(page, pageURL)
				if err == nil {
					_ = a.Markdown()
				}
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}

// BenchmarkReadabilityAlone measures go-readability alone (parse, pick,
// render text) over the same pages as BenchmarkExtract, for the issue's
// speed target: stet's pages/s on the wcxb set is compared with this
// one's in the same run.
func BenchmarkReadabilityAlone(b *testing.B) {
	sets := benchSets(b)
	for _, name := range []string{"golden", "corpus", "wcxb"} {
		pages := sets[name]
		if len(pages) == 0 {
			continue
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				page := pages[n%len(pages)]
				n++
				if a, err := readability.FromReader(bytes.NewReader(page), nil); err == nil {
					_ = a.RenderText(io.Discard)
				}
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}
