package main

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestInjectionStaysInert archives two pages written to break out of
// their place (testdata/hostile): article text holding markdown and HTML
// (links to javascript:, images, <script>, <img onerror>, comments, lines
// that look like headings, rules, quotes, lists and tables), and titles
// holding YAML and front-matter syntax ("---", "injected: true", quotes,
// "#"). Then it publishes the site and checks:
//
//   - each article file's front matter parses as YAML, has only the known
//     keys, and its title is the heading's text (it round-trips);
//   - no line of the markdown body starts a heading, rule, quote or list
//     that the page did not have, and no link, image or raw HTML tag is
//     live (every such character is escaped);
//   - the published HTML has no live <script>, onerror= or javascript:
//     link, and every feed is well-formed XML without them.
func TestInjectionStaysInert(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs real processes")
	}
	bin := buildStet(t)
	var base string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := map[string]string{"/inj/a": "injection.html", "/inj/b": "frontmatter.html"}[r.URL.Path]
		if name == "" {
			http.NotFound(w, r)
			return
		}
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "hostile", name))
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(bytes.ReplaceAll(b, []byte("{{BASE}}"), []byte(base)))
	}))
	t.Cleanup(srv.Close)
	base = srv.URL
	dir := t.TempDir()
	repo := filepath.Join(dir, "news")
	out, err := exec.Command(bin, "fetch", "--repo", repo, "--allow-private-addresses", "--force", srv.URL+"/inj/a", srv.URL+"/inj/b").CombinedOutput()
	if err != nil {
		t.Fatalf("stet fetch: %v\n%s", err, out)
	}
	site := filepath.Join(dir, "site")
	if out, err := exec.Command(bin, "publish", "--repo", repo, "--out", site).CombinedOutput(); err != nil {
		t.Fatalf("stet publish: %v\n%s", err, out)
	}

	files, _ := gitCmd(repo, "ls-tree", "-r", "--name-only", "HEAD")
	if n := len(strings.Fields(files)); n != 2 {
		t.Fatalf("archive holds %d files, want 2:\n%s", n, files)
	}
	known := map[string]bool{"title": true, "url": true, "site": true, "byline": true, "published": true, "language": true}
	live := regexp.MustCompile(`(^|[^\\])(\]\(|<[a-zA-Z!/])`)
	for _, f := range strings.Fields(files) {
		b, err := os.ReadFile(filepath.Join(repo, f))
		if err != nil {
			t.Fatal(err)
		}
		md := string(b)
		fm, body, ok := strings.Cut(strings.TrimPrefix(md, "---\n"), "\n---\n")
		if !strings.HasPrefix(md, "---\n") || !ok {
			t.Fatalf("%s: no front matter:\n%s", f, md)
		}
		var meta map[string]any
		if err := yaml.Unmarshal([]byte(fm), &meta); err != nil {
			t.Fatalf("%s: front matter does not parse: %v\n%s", f, err, fm)
		}
		for k := range meta {
			if !known[k] {
				t.Errorf("%s: front matter has key %q: the title broke out\n%s", f, k, fm)
			}
		}
		title, _ := meta["title"].(string)
		lines := strings.Split(strings.TrimLeft(body, "\n"), "\n")
		if want := "# " + title; lines[0] != want && !strings.Contains(title, "*") && !strings.Contains(title, "[") {
			t.Errorf("%s: front-matter title %q does not match the heading %q", f, title, lines[0])
		}
		if title == "" || !strings.Contains(title, "---") && !strings.Contains(title, "injected") {
			t.Errorf("%s: title %q lost the text the page gave", f, title)
		}
		for _, l := range lines[1:] {
			switch {
			case strings.HasPrefix(l, "## "):
				// the page's own <h1> below the title
			case regexp.MustCompile(`^(#|---|> |\* |- |\d+\. |\|)`).MatchString(l):
				t.Errorf("%s: line %q is live markdown structure the page did not have", f, l)
			case live.MatchString(l):
				t.Errorf("%s: line %q holds a live link, image or HTML tag", f, l)
			}
		}
	}

	var pages, feeds int
	filepath.Walk(site, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		s := strings.ToLower(string(b))
		switch {
		case strings.HasSuffix(p, ".html"):
			pages++
			if m := regexp.MustCompile(`<[a-z][^<>]*\sonerror\s*=`).FindString(s); m != "" {
				t.Errorf("%s: live event handler in the published page: %s", p, m)
			}
			for _, bad := range []string{"<script>alert", "<img src=x", `href="javascript:`, "<!-- a comment -->"} {
				if i := strings.Index(s, bad); i >= 0 {
					t.Errorf("%s: live %q in the published page: …%s…", p, bad, b[max(0, i-120):min(len(b), i+60)])
				}
			}
		case strings.HasSuffix(p, ".xml"):
			feeds++
			dec := xml.NewDecoder(bytes.NewReader(b))
			for {
				_, err := dec.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Errorf("%s: feed is not well-formed XML: %v", p, err)
					break
				}
			}
			for _, bad := range []string{"<script>alert", "<img src=x"} {
				if strings.Contains(s, bad) {
					t.Errorf("%s: live %q in the feed", p, bad)
				}
			}
		}
		return nil
	})
	if pages == 0 || feeds == 0 {
		t.Errorf("published %d pages and %d feeds, want some of each", pages, feeds)
	}
	t.Logf("2 injected articles: front matter round-trips, markdown inert; %d pages and %d feeds checked", pages, feeds)
}
