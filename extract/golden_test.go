package extract

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html/charset"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// goldenPageURL is the URL every golden page is extracted as, tracking
// parameter included, so the fallback URL is exercised too.
func goldenPageURL(name string) string {
	return "https://www.example.com/" + name + "/story.html?utm_source=rss"
}

// goldenMeta is the metadata recorded in meta.json.
type goldenMeta struct {
	Title     string `json:"title"`
	Byline    string `json:"byline"`
	Published string `json:"published"`
	Language  string `json:"language"`
	Site      string `json:"site"`
	URL       string `json:"url"`
}

func metaOf(a *Article) goldenMeta {
	m := goldenMeta{Title: a.Title, Byline: a.Byline, Language: a.Language, Site: a.Site, URL: a.URL}
	if !a.Published.IsZero() {
		m.Published = a.Published.UTC().Format(time.RFC3339)
	}
	return m
}

// readPage reads a fixture and decodes it to UTF-8 as fetch does in
// production, from the charset its <meta> declares.
func readPage(tb testing.TB, path string) []byte {
	tb.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	r, err := charset.NewReader(bytes.NewReader(raw), "text/html")
	if err != nil {
		tb.Fatalf("charset.NewReader(%s): %v", path, err)
	}
	page, err := io.ReadAll(r)
	if err != nil {
		tb.Fatalf("decode %s: %v", path, err)
	}
	return page
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run: go test ./extract -update)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

func goldenCases(tb testing.TB) []string {
	tb.Helper()
	dirs, err := filepath.Glob("testdata/golden/*/page.html")
	if err != nil || len(dirs) == 0 {
		tb.Fatalf("no golden cases: %v", err)
	}
	for i, d := range dirs {
		dirs[i] = filepath.Dir(d)
	}
	return dirs
}

func TestGolden(t *testing.T) {
	for _, dir := range goldenCases(t) {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			page := readPage(t, filepath.Join(dir, "page.html"))
			var e Extractor
			a, err := e.Extract(page, goldenPageURL(name))
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			md := a.Markdown()
			golden(t, filepath.Join(dir, "article.md"), md)
			var meta bytes.Buffer
			enc := json.NewEncoder(&meta)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(metaOf(a)); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join(dir, "meta.json"), meta.Bytes())
			checkMarkdown(t, md)
			if again, _ := e.Extract(page, goldenPageURL(name)); !bytes.Equal(again.Markdown(), md) {
				t.Errorf("second Extract rendered different bytes")
			}
		})
	}
}
