package fetch_test

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stet-archive/stet/fetch"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		file, contentType string
		want, charset     string
	}{
		{"windows-1252.html", "text/html; charset=windows-1252", "Café “quoted” — €5", "windows-1252"},
		{"windows-1252.html", "text/html", "Café “quoted” — €5", "windows-1252"},
		{"iso-8859-1.html", "text/html; charset=ISO-8859-1", "Café naïve ½", "windows-1252"},
		{"shift_jis-meta.html", "text/html", "日本語の記事", "shift_jis"},
		{"shift_jis-meta.html", "", "日本語の記事", "shift_jis"},
		{"shift_jis-httpequiv.html", "text/html", "日本語の記事", "shift_jis"},
		{"shift_jis-meta.html", "text/html; charset=shift_jis", "日本語の記事", "shift_jis"},
		{"latin1-no-charset.html", "text/html", "Café crème brûlée", "windows-1252"},
		{"latin1-no-charset.html", "text/html; charset=utf-8", "Café crème brûlée", "windows-1252"},
		{"meta-utf8-bytes-latin1.html", "text/html", "Café crème", "windows-1252"},
		{"utf8-bom.html", "text/html; charset=windows-1252", "Café 日本", "utf-8"},
		{"utf16le-bom.html", "text/html", "Café 日本", "utf-16le"},
		{"utf8-late-nonascii.html", "text/html", "Café 日本", "utf-8"},
		{"utf8-late-nonascii.html", "text/html; charset=no-such-charset", "Café 日本", "utf-8"},
		{"utf8-stray-byte.html", "text/html", "Grüße aus München", "utf-8"},
		{"utf8-stray-byte.html", "text/html; charset=utf-8", "geplant \uFFFD wegen", "utf-8"},
		{"utf8-stray-byte.html", "", "Kosten: 4,5 Mio. €", "utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.contentType, func(t *testing.T) {
			in, err := os.ReadFile(filepath.Join("testdata", "charset", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got, name := fetch.Decode(in, tt.contentType)
			if !utf8.Valid(got) {
				t.Fatalf("Decode(%s, %q) is not valid UTF-8: %q", tt.file, tt.contentType, got)
			}
			if !bytes.Contains(got, []byte(tt.want)) {
				t.Errorf("Decode(%s, %q) = %q, want it to contain %q", tt.file, tt.contentType, got, tt.want)
			}
			if name != tt.charset {
				t.Errorf("Decode(%s, %q) charset = %q, want %q", tt.file, tt.contentType, name, tt.charset)
			}
			if bytes.HasPrefix(got, []byte("\uFEFF")) {
				t.Errorf("Decode(%s, %q) kept the byte order mark", tt.file, tt.contentType)
			}
		})
	}
}

// TestGetCharset checks that Get decodes HTML through the header as served.
func TestGetCharset(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "charset", "latin1-no-charset.html"))
	if err != nil {
		t.Fatal(err)
	}
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8") // a lie
		w.Write(in)
	})
	p, err := newClient(t, nil).Get(t.Context(), fetch.Request{URL: srv.URL})
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if !utf8.Valid(p.Body) || !strings.Contains(string(p.Body), "Café crème brûlée") {
		t.Errorf("Get body = %q, want valid UTF-8 containing %q", p.Body, "Café crème brûlée")
	}
	if p.Charset != "windows-1252" {
		t.Errorf("Get charset = %q, want windows-1252", p.Charset)
	}
}

func FuzzDecode(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "charset", "*.html"))
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "text/html")
		f.Add(b, "text/html; charset=utf-8")
		f.Add(b, "")
	}
	f.Add([]byte("\xfe\xff\x00<\x00p"), "text/html; charset=utf-16")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		got, name := fetch.Decode(body, contentType)
		if !utf8.Valid(got) {
			t.Fatalf("Decode(%q, %q) = %q, not valid UTF-8", body, contentType, got)
		}
		again, name2 := fetch.Decode(body, contentType)
		if !bytes.Equal(got, again) || name != name2 {
			t.Fatalf("Decode(%q, %q) not deterministic", body, contentType)
		}
		if name == "" {
			t.Fatalf("Decode(%q, %q) gave no charset name", body, contentType)
		}
	})
}

func BenchmarkDecodeShiftJIS(b *testing.B) {
	page, err := os.ReadFile(filepath.Join("testdata", "charset", "shift_jis-meta.html"))
	if err != nil {
		b.Fatal(err)
	}
	page = bytes.Repeat(page, 1000)
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		fetch.Decode(page, "text/html")
	}
}
