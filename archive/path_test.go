package archive

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPathFor(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "https://www.example.com/news/story", "www.example.com/news/story.md"},
		{"http same as https", "http://www.example.com/news/story", "www.example.com/news/story.md"},
		{"host lower-cased", "https://WWW.Example.COM/a", "www.example.com/a.md"},
		{"trailing slash", "https://h.com/a/", "h.com/a/index.md"},
		{"root", "https://h.com/", "h.com/index.md"},
		{"no path", "https://h.com", "h.com/index.md"},
		{"query kept", "https://h.com/story?id=123", "h.com/story@id=123.md"},
		{"fragment dropped", "https://h.com/a#top", "h.com/a.md"},
		{"port", "https://h.com:8080/a", "h.com_8080/a.md"},
		{"idn host as punycode", "https://bücher.de/a", "xn--bcher-kva.de/a.md"},
		{"dot segments resolved", "https://h.com/a/../../b", "h.com/b.md"},
		{"encoded dot segments resolved", "https://h.com/a/%2E%2e/b/%2e/c", "h.com/b/c.md"},
		{"ends in dot segment", "https://h.com/a/b/..", "h.com/a/index.md"},
		{"empty segments dropped", "https://h.com/a//b", "h.com/a/b.md"},
		{"unicode segment kept", "https://h.com/ñandú", "h.com/ñandú.md"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := PathFor(tt.in)
			if err != nil {
				t.Fatalf("PathFor(%q) error: %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("PathFor(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestPathForHostile checks the safety properties for URLs built to escape
// the archive or to collide on case-insensitive file systems.
func TestPathForHostile(t *testing.T) {
	hostile := []string{
		"https://h.com/%2e%2e/%2e%2e/etc/passwd",
		"https://h.com/..%2f..%2fetc",
		"https://h.com/.git/config",
		"https://h.com/a/.GIT/hooks/pre-commit",
		"https://h.com/.git%20/x",
		"https://h.com/.git./x",
		"https://h.com/GIT~1/x",
		"https://h.com/a%5c..%5c..%5cb",
		"https://h.com/a%00b",
		"https://h.com/a%01%7f%0ab",
		"https://h.com//etc/passwd",
		"https://h.com/CON",
		"https://h.com/nul.txt/x",
		"https://h.com/com1",
		"https://h.com/a.",
		"https://h.com/a%20",
		"https://h.com/a:b*c%3F%22%3C%3E%7C",
		"https://h.com/" + strings.Repeat("x", 500),
		"https://h.com/" + strings.Repeat("é", 300),
		"https://h.com/a?q=" + strings.Repeat("y", 400) + "/../..",
		"https://h.com/%ff%fe",
		"https://h.com/a.md/b",
		"https://h.com/.g%E2%80%8Cit/x",
		"https://h.com/%2E",
	}
	for _, u := range hostile {
		p, err := PathFor(u)
		if err != nil {
			continue
		}
		checkPath(t, u, p)
		for _, c := range strings.Split(p, "/") {
			if len(c) > MaxComponent {
				t.Errorf("PathFor(%q) = %q: component of %d bytes", u, p, len(c))
			}
			low := strings.ToLower(c)
			stem, _, _ := strings.Cut(low, ".")
			if deviceNames[stem] {
				t.Errorf("PathFor(%q) = %q: Windows device name %q", u, p, c)
			}
			if strings.ContainsAny(c, `\:*?"<>| `) || strings.HasSuffix(c, ".") || strings.HasPrefix(c, ".") {
				t.Errorf("PathFor(%q) = %q: unsafe component %q", u, p, c)
			}
		}
	}
}

func TestPathForNoCollisions(t *testing.T) {
	groups := [][]string{
		{"https://h.com/Story", "https://h.com/story", "https://h.com/STORY"},
		{"https://h.com/a.md/b", "https://h.com/a.md_/b"},
		{"https://h.com/a:b", "https://h.com/a_b", "https://h.com/a*b"},
		{"https://h.com/" + strings.Repeat("x", 300) + "1", "https://h.com/" + strings.Repeat("x", 300) + "2"},
		{"https://h.com/.git/x", "https://h.com/_git/x"},
	}
	for _, g := range groups {
		seen := map[string]string{}
		for _, u := range g {
			p, err := PathFor(u)
			if err != nil {
				t.Fatalf("PathFor(%q): %v", u, err)
			}
			key := strings.ToLower(p)
			if prev, ok := seen[key]; ok {
				t.Errorf("PathFor(%q) and PathFor(%q) collide case-insensitively: %q", prev, u, p)
			}
			seen[key] = u
		}
	}
	// Unicode normalisation: NFD and NFC spellings are the same article.
	nfc, _ := PathFor("https://h.com/caf%C3%A9")
	nfd, _ := PathFor("https://h.com/cafe%CC%81")
	if nfc != nfd {
		t.Errorf("NFC %q and NFD %q spellings map to different paths", nfc, nfd)
	}
}

func TestPathForErrors(t *testing.T) {
	for _, u := range []string{"", "/just/a/path", "mailto:x@y", "::bad"} {
		if p, err := PathFor(u); err == nil {
			t.Errorf("PathFor(%q) = %q, want error", u, p)
		}
	}
}

func checkPath(t *testing.T, u, p string) {
	t.Helper()
	if !utf8.ValidString(p) || !validPath(p) || !strings.HasSuffix(p, ".md") || strings.Count(p, "/") < 1 {
		t.Errorf("PathFor(%q) = %q: not a valid archive path", u, p)
	}
	for _, c := range strings.Split(p, "/") {
		if c == ".." || c == "." || strings.EqualFold(c, ".git") {
			t.Errorf("PathFor(%q) = %q: forbidden component %q", u, p, c)
		}
	}
}

func FuzzPathFor(f *testing.F) {
	for _, s := range []string{"https://h.com/a", "https://h.com/%2e%2e/.git", "http://X/Y?z=1", "https://h/a/", "https://bücher.de/ñ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, u string) {
		p, err := PathFor(u)
		if err != nil {
			return
		}
		checkPath(t, u, p)
		if p2, _ := PathFor(u); p2 != p {
			t.Fatalf("PathFor(%q) not deterministic: %q then %q", u, p, p2)
		}
		for _, c := range strings.Split(p, "/") {
			if len(c) > MaxComponent {
				t.Fatalf("PathFor(%q) = %q: component of %d bytes", u, p, len(c))
			}
		}
	})
}

func TestIsArticlePath(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"www.bbc.com/news/articles/c70601550rro.md", true},
		{"example.com_8080/story@id=1.md", true},
		{"README.md", false},
		{"stet.yaml", false},
		{".github/workflows/stet.yml", false},
		{".github/README.md", false},
		{"example.com/notes.txt", false},
	}
	for _, tt := range tests {
		if got := IsArticlePath(tt.path); got != tt.want {
			t.Errorf("IsArticlePath(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
	// Every path PathFor gives is an article path.
	for _, u := range []string{"https://www.bbc.com/news/articles/c70601550rro", "http://example.com:8080/story?id=1", "https://example.com/"} {
		p, err := PathFor(u)
		if err != nil {
			t.Fatalf("PathFor(%q): %v", u, err)
		}
		if !IsArticlePath(p) {
			t.Errorf("IsArticlePath(PathFor(%q) = %q) = false, want true", u, p)
		}
	}
}
