package diff

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

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
		t.Fatalf("%v (run: go test ./diff -update)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestGolden renders every case in testdata/golden/<case>/ (old.md,
// new.md) in every format and compares with the files beside them.
func TestGolden(t *testing.T) {
	dirs, err := filepath.Glob("testdata/golden/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			old, new := readFile(t, filepath.Join(dir, "old.md")), readFile(t, filepath.Join(dir, "new.md"))
			d := Compare(old, new)
			o := RenderOptions{OldLabel: "v1", NewLabel: "v2"}
			renders := []struct {
				file  string
				write func(*bytes.Buffer) error
			}{
				{"inline.txt", func(b *bytes.Buffer) error { return WriteInline(b, d, o) }},
				{"inline-color.txt", func(b *bytes.Buffer) error {
					c := o
					c.Color = true
					return WriteInline(b, d, c)
				}},
				{"side.txt", func(b *bytes.Buffer) error {
					s := o
					s.Width = 100
					return WriteSide(b, d, s)
				}},
				{"side-color.txt", func(b *bytes.Buffer) error {
					s := o
					s.Width, s.Color = 100, true
					return WriteSide(b, d, s)
				}},
				{"page.html", func(b *bytes.Buffer) error { return WriteHTML(b, d, o) }},
				{"diff.json", func(b *bytes.Buffer) error { return WriteJSON(b, d) }},
				{"summary.txt", func(b *bytes.Buffer) error {
					s := Summarize(old, new)
					if len(old) == 0 {
						s = Summarize(nil, new)
					}
					for _, l := range s.Lines() {
						b.WriteString(l + "\n")
					}
					b.WriteString("short: " + s.Short() + "\n")
					return nil
				}},
			}
			for _, r := range renders {
				var b bytes.Buffer
				if err := r.write(&b); err != nil {
					t.Fatalf("%s: %v", r.file, err)
				}
				golden(t, filepath.Join(dir, r.file), b.Bytes())
			}
		})
	}
}
