package archive

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// hostileURLs try to escape the archive tree or reach .git.
var hostileURLs = []string{
	"https://h.example/../../../etc/passwd",
	"https://h.example/a/%2e%2e/%2e%2e/%2E%2E/etc/passwd",
	"https://h.example/a/.%2e/.%2E/x",
	"https://h.example/.git/config",
	"https://h.example/%2egit/hooks/post-commit",
	"https://h.example/.GIT/HEAD",
	"https://h.example/a/.git",
	"https://h.example/.git%2fconfig",
	"https://h.example//etc/passwd",
	"https://h.example/%2Fetc%2Fpasswd",
	"https://h.example/..%5c..%5cwindows%5csystem32",
	"https://h.example/a\\..\\..\\b",
	"https://h.example/a%00b/c%00",
	"https://h.example/" + strings.Repeat("x", 5000),
	"https://h.example/" + strings.Repeat("%C3%A9", 3000) + "/y",
	"https://h.example/CON/aux.txt",
	"https://h.example/trailing.../dots. /",
	"https://h.example/a:b/c*d?e=<f>|g",
	"https://..%2f..%2f/x",
	"https://h.example/x.md/y",
}

// TestHostilePaths maps each hostile URL with PathFor, saves it, syncs the
// work tree, and checks that every file written is inside the repository
// and outside .git, with no component over MaxComponent bytes.
func TestHostilePaths(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "repo")
	a, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	want := map[string]bool{}
	for i, u := range hostileURLs {
		p, err := PathFor(u)
		if err != nil {
			t.Logf("PathFor(%q) refused: %v", u, err)
			continue
		}
		abs := filepath.Join(dir, filepath.FromSlash(p))
		if rel, err := filepath.Rel(dir, abs); err != nil || strings.HasPrefix(rel, "..") {
			t.Errorf("PathFor(%q) = %q escapes the repository", u, p)
		}
		for _, c := range strings.Split(p, "/") {
			if strings.EqualFold(strings.TrimRight(c, ". "), ".git") || c == ".." || c == "." || len(c) > MaxComponent || strings.ContainsAny(c, "\x00\\") {
				t.Errorf("PathFor(%q) = %q has a bad component %q", u, p, c)
			}
		}
		if _, _, err := a.Save(Change{Path: p, Content: []byte(fmt.Sprintf("article %d\n", i)), Message: "m"}); err != nil {
			t.Errorf("Save(%q) from %q: %v", p, u, err)
			continue
		}
		want[p] = true
	}
	if err := a.SyncWorktree(); err != nil {
		t.Fatal(err)
	}
	// Nothing next to the repository, and nothing but git's own files in .git.
	ents, _ := os.ReadDir(root)
	if len(ents) != 1 {
		t.Errorf("files written next to the repository: %v", ents)
	}
	got := map[string]bool{}
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(rel, ".git/") {
			if strings.HasSuffix(rel, ".md") {
				t.Errorf("article file written inside .git: %s", rel)
			}
			return nil
		}
		got[rel] = true
		return nil
	})
	for p := range want {
		if !got[p] {
			t.Errorf("%s saved but not in the work tree", p)
		}
	}
	for p := range got {
		if !want[p] {
			t.Errorf("unexpected file in the work tree: %s", p)
		}
	}
	if out := runGit(t, dir, "status", "--porcelain"); strings.TrimSpace(out) != "" {
		t.Errorf("git status not clean:\n%s", out)
	}
	runGit(t, dir, "fsck", "--strict")
}

// TestPathsNeverCollideWhenFolded maps URLs that differ only in case,
// Unicode normalisation, width or characters that are rewritten, and
// simulates a case-insensitive, NFD-normalising file system that also
// drops trailing dots and spaces (macOS, Windows): no two distinct URLs
// may land on the same file, and no file may sit where another needs a
// directory.
func TestPathsNeverCollideWhenFolded(t *testing.T) {
	var urls []string
	for _, p := range []string{
		"/Story", "/story", "/STORY", "/StOrY",
		"/caf\u00e9", "/cafe\u0301", "/CAF\u00c9", "/CAFE\u0301",
		"/\u212bngstr\u00f6m", "/\u00c5ngstr\u00f6m", "/\u00e5ngstr\u00f6m", // Kelvin-style: Å as U+212B and U+00C5
		"/stra\u00dfe", "/strasse", "/STRASSE", "/Stra\u1e9ee",
		"/\uff33tory", "/\u0053tory", // fullwidth S
		"/a:b", "/a_b", "/a*b", "/a?b", "/a%3Fb", "/a%2Fb", "/a/b",
		"/dots.", "/dots", "/dots..", "/space%20", "/space",
		"/x.md/y", "/x.md", "/X.MD/y", "/x.md_",
		"/Dir/File", "/dir/file", "/DIR/file", "/dir/FILE",
		"/index", "/", "/index/", "/Index",
		"/q?id=1", "/q?id=1&x=2", "/q@id=1", "/Q?ID=1",
		"/\u0130stanbul", "/i\u0307stanbul", "/istanbul", "/\u0131stanbul",
		"/\u03a3\u03bf\u03c6\u03af\u03b1", "/\u03c3\u03bf\u03c6\u03af\u03b1", "/\u03c2\u03bf\u03c6\u03af\u03b1",
		"/con", "/CON", "/con.txt", "/_con",
	} {
		urls = append(urls, "https://news.example"+p)
	}
	files := map[string]string{} // folded path → URL
	dirs := map[string]string{}  // folded directory → URL
	fold := func(p string) string {
		var parts []string
		for _, c := range strings.Split(p, "/") {
			c = strings.ToLower(norm.NFD.String(strings.ToUpper(c)))
			parts = append(parts, strings.TrimRight(c, ". "))
		}
		return strings.Join(parts, "/")
	}
	for _, u := range urls {
		p, err := PathFor(u)
		if err != nil {
			t.Fatalf("PathFor(%q): %v", u, err)
		}
		f := fold(p)
		if prev, ok := files[f]; ok {
			if prevPath, _ := PathFor(prev); prevPath != p {
				t.Errorf("%q (%s) and %q (%s) collide on a case-insensitive, normalising file system as %s", u, p, prev, prevPath, f)
			}
		}
		files[f] = u
		comps := strings.Split(f, "/")
		for i := 1; i < len(comps); i++ {
			dirs[strings.Join(comps[:i], "/")] = u
		}
	}
	for f, u := range files {
		if d, ok := dirs[f]; ok {
			t.Errorf("file %s (from %q) is a directory for %q once folded", f, u, d)
		}
	}
}
