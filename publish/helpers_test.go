package publish

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stet-archive/stet/archive"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

var t0 = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// doc is one article version for tests.
type doc struct {
	url, title, site, byline, body string
	published                      string
}

func (d doc) markdown() []byte {
	var b strings.Builder
	b.WriteString("---\n")
	fmt.Fprintf(&b, "title: %q\n", d.title)
	fmt.Fprintf(&b, "url: %s\n", d.url)
	if d.site != "" {
		fmt.Fprintf(&b, "site: %q\n", d.site)
	}
	if d.byline != "" {
		fmt.Fprintf(&b, "byline: %q\n", d.byline)
	}
	if d.published != "" {
		fmt.Fprintf(&b, "published: %s\n", d.published)
	}
	b.WriteString("language: en\n---\n\n# " + d.title + "\n\n" + strings.TrimSpace(d.body) + "\n")
	return []byte(b.String())
}

// saver commits versions to an archive, numbering them per URL.
type saver struct {
	t    testing.TB
	arch *archive.Archive
	n    map[string]int
}

func newArchive(t testing.TB) (*archive.Archive, *saver, string) {
	t.Helper()
	dir := t.TempDir()
	arch, err := archive.Open(dir, archive.Options{})
	if err != nil {
		t.Fatalf("archive.Open: %v", err)
	}
	t.Cleanup(func() { arch.Close() })
	return arch, &saver{t: t, arch: arch, n: map[string]int{}}, dir
}

func (s *saver) save(d doc, when time.Time) string {
	s.t.Helper()
	p, err := archive.PathFor(d.url)
	if err != nil {
		s.t.Fatalf("PathFor(%q): %v", d.url, err)
	}
	s.n[d.url]++
	site := d.site
	if site == "" {
		site = "example"
	}
	msg := fmt.Sprintf("%s: %s\n\nchanged\n\nStet-Url: %s\nStet-Version: %d\nStet-Fetched: %s\n",
		strings.ReplaceAll(site, "\n", " "), strings.ReplaceAll(d.title, "\n", " "), d.url, s.n[d.url], when.Format(time.RFC3339))
	c, changed, err := s.arch.Save(archive.Change{Path: p, Content: d.markdown(), Message: msg, When: when})
	if err != nil || !changed {
		s.t.Fatalf("Save(%s) = %v, %v", p, changed, err)
	}
	return c
}

// readTree returns every file under dir keyed by slash path.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// goldenTree compares the files in got with the golden folder, or
// rewrites the folder with -update.
func goldenTree(t *testing.T, golden string, got map[string]string) {
	t.Helper()
	if *update {
		if err := os.RemoveAll(golden); err != nil {
			t.Fatal(err)
		}
		for name, data := range got {
			p := filepath.Join(golden, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	want := readTree(t, golden) // missing? run: go test ./publish -update
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("output differs from %s (-want +got):\n%s", golden, diff)
	}
}
