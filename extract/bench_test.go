package extract

import (
	"os"
	"path/filepath"
	"testing"
)

// benchPages returns the golden pages and, when present, the corpus pages.
func benchPages(b *testing.B) [][]byte {
	var pages [][]byte
	for _, dir := range goldenCases(b) {
		pages = append(pages, readPage(b, filepath.Join(dir, "page.html")))
	}
	if dirs, err := filepath.Glob(filepath.Join(corpusDir, "*", "source.html")); err == nil {
		for _, p := range dirs {
			if src, err := os.ReadFile(p); err == nil {
				pages = append(pages, src)
			}
		}
	}
	return pages
}

func BenchmarkExtract(b *testing.B) {
	pages := benchPages(b)
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
}
