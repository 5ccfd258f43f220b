package extract

import (
	"os"
	"path/filepath"
	"testing"
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
	return sets
}

// BenchmarkExtract measures Extract plus Markdown, page after page, over
// the golden fixtures (small pages) and the readability corpus (real,
// large pages).
func BenchmarkExtract(b *testing.B) {
	sets := benchSets(b)
	for _, name := range []string{"golden", "corpus"} {
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
			var e Extractor
			n := 0
			for b.Loop() {
				page := pages[n%len(pages)]
				n++
				a, err := e.Extract(page, "http://fakehost/test/page.html")
				if err == nil {
					_ = a.Markdown()
				}
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}
