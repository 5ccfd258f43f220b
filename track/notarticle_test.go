package track

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stet-archive/stet/archive"
	"github.com/stet-archive/stet/extract"
	"github.com/stet-archive/stet/fetch"
)

func TestScheduleRetiresNotArticle(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name     string
		versions int
		reason   string
		want     bool
	}{
		{"section page never archived", 0, extract.GateNotArticle, true},
		{"article that turned into a listing", 3, extract.GateNotArticle, false},
		{"paywalled page", 0, "paywall", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &Entry{Versions: tt.versions}
			Schedule{}.Record(e, &Result{Status: Suspect, Reason: tt.reason}, now)
			if e.Retired != tt.want {
				t.Errorf("Record(%s): Retired = %v, want %v", tt.name, e.Retired, tt.want)
			}
		})
	}
}

// TestPassRetiresNotArticle: a pass that finds a tracked page is a
// section page (no version ever kept) reports it as suspect, retires it
// and counts it among the retired; the next pass no longer checks it,
// while the article beside it stays tracked.
func TestPassRetiresNotArticle(t *testing.T) {
	site := &editableSite{}
	site.set(paraA, paraB)
	mux := http.NewServeMux()
	mux.Handle("/news/", site)
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		b.WriteString(`<!doctype html><html lang="en"><head><title>Example News</title></head><body><main><h1>Example News</h1><ul>`)
		for i := range 20 {
			fmt.Fprintf(&b, `<li><a href="/news/story-%d">Council approves the budget for district %d</a></li>`, i, i)
		}
		b.WriteString(`</ul></main></body></html>`)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, b.String())
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	arch, err := archive.Open(t.TempDir(), archive.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer arch.Close()
	home, story := srv.URL+"/", srv.URL+"/news/harbour-vote"
	st := NewState()
	st.Add(home, "test", t0)
	st.Add(story, "test", t0)
	if err := arch.WriteState(st.Files(), t0); err != nil {
		t.Fatal(err)
	}
	clock := t0.Add(time.Hour)
	p := &Pass{
		Tracker: &Tracker{Archive: arch, Client: fetch.New(fetch.Options{AllowPrivate: true}), Now: func() time.Time { return clock }},
		All:     true,
		Now:     func() time.Time { return clock },
	}
	rep, err := p.Run(t.Context())
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if rep.New != 1 || rep.Suspect != 1 || rep.Retired != 1 {
		t.Errorf("first pass: new %d, suspect %d, retired %d; want 1, 1, 1", rep.New, rep.Suspect, rep.Retired)
	}
	if r := result(t, rep, home); r.Status != Suspect || r.Reason != extract.GateNotArticle {
		t.Errorf("home page: %s (%s), want suspect (%s)", r.Status, r.Reason, extract.GateNotArticle)
	}

	clock = clock.Add(time.Hour)
	rep, err = p.Run(t.Context())
	if err != nil {
		t.Fatalf("second Run: %v", err)
	}
	if rep.Checked != 1 || rep.Retired != 0 || rep.Results[0].URL != story {
		t.Errorf("second pass: checked %d, retired %d, results %+v; want only the article checked", rep.Checked, rep.Retired, rep.Results)
	}
}

// TestGateNotArticleOnAnArchivedArticle: a page archived as an article
// and judged a listing on one request (rotating furniture moved its
// counts of cards and headline links) is committed when its body is
// still the article's, so an edit that came with that request is kept;
// an article whose page became a listing is still held back.
func TestGateNotArticleOnAnArchivedArticle(t *testing.T) {
	file := func(lines ...string) []byte {
		return []byte("---\ntitle: Harbour vote\n---\n\n# Harbour vote\n\n" + strings.Join(lines, "\n\n") + "\n")
	}
	prev := file(paraA, paraB, "The council meets again in March.")
	listing := &extract.Article{Gate: extract.GateNotArticle, Blocks: []extract.Block{{Kind: extract.Paragraph, Spans: []extract.Span{{Text: paraA}}}}}
	tests := []struct {
		name string
		md   []byte
		want string
	}{
		{"the article with an edit", file(paraA, paraB, "The council meets again in April."), ""},
		{"the article became a listing", file("Council approves the budget for district 1", "Council approves the budget for district 2", "Council approves the budget for district 3"), extract.GateNotArticle},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := gate(listing, tt.md, prev, true); got != tt.want {
				t.Errorf("gate = %q, want %q", got, tt.want)
			}
		})
	}
	if got := gate(listing, file(paraA), nil, false); got != extract.GateNotArticle {
		t.Errorf("gate on a page never archived = %q, want %q", got, extract.GateNotArticle)
	}
}
