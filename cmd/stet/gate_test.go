package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stet-archive/stet/extract"
)

// sectionPage is a site's section front: teaser cards and no article.
func sectionPage() string {
	var b strings.Builder
	b.WriteString(`<html><head><title>Politics | The Daily</title></head><body><nav><a href="/">Home</a></nav><main><h1>Politics</h1><ul class="stories">`)
	for i := range 15 {
		fmt.Fprintf(&b, `<li class="story"><h3><a href="/politics/story-%d.html">Council weighs the harbour plan again after a long night, part %d</a></h3><p>A one-line teaser.</p></li>`, i, i)
	}
	b.WriteString(`</ul></main></body></html>`)
	return b.String()
}

func TestNotAnArticle(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, sectionPage())
	}))
	t.Cleanup(srv.Close)
	u := srv.URL + "/politics/"
	tio := testEnv(t)

	tio.mustRun(t, "extract", "--json", "--allow-private-addresses", u)
	var got extracted
	if err := json.Unmarshal(tio.stdout.Bytes(), &got); err != nil {
		t.Fatalf("extract --json printed %q: %v", tio.stdout, err)
	}
	if got.Gate != extract.GateNotArticle {
		t.Errorf("extract --json gate = %q, want %q", got.Gate, extract.GateNotArticle)
	}

	repo := filepath.Join(t.TempDir(), "news")
	tio.run(t, "fetch", "--repo", repo, "--allow-private-addresses", u)
	if out := tio.stdout.String(); !strings.HasPrefix(out, "suspect ") || !strings.Contains(out, "(not an article)") {
		t.Errorf("fetch of a section page printed %q, want a suspect line saying it is not an article", out)
	}
	// refs/stet/state may hold what the fetch taught the volatility
	// rules; the branch must hold no commit.
	if out := git(t, repo, "for-each-ref", "--format=%(refname)", "refs/heads/"); strings.TrimSpace(out) != "" {
		t.Errorf("fetch of a section page made branch commits (%s), want none", strings.TrimSpace(out))
	}
	tio.mustRun(t, "fetch", "--force", "--repo", repo, "--allow-private-addresses", u)
	if n := commitCount(t, repo); n != 1 {
		t.Errorf("fetch --force of a section page made %d commits, want 1", n)
	}
}
