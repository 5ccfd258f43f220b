package discover

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/stet-archive/stet/fetch"
)

// site is a loopback news site serving the discovery fixtures. It counts
// requests per path.
type site struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
}

func newSite(t *testing.T) *site {
	t.Helper()
	s := &site{hits: map[string]int{}}
	files := map[string][]byte{
		"/rss.xml":          readFixture(t, "rss.xml"),
		"/atom.xml":         readFixture(t, "atom.xml"),
		"/feed.json":        readFixture(t, "feed.json"),
		"/laughs.xml":       readFixture(t, "billion-laughs.xml"),
		"/world/":           readFixture(t, "section.html"),
		"/news.xml.gz":      gzipBytes(t, readFixture(t, "news-sitemap.xml")),
		"/big.xml":          bigFeed(100_000),
		"/big.json":         bigJSONFeed(100_000),
		"/robots.txt":       []byte("User-agent: *\nDisallow: /private/\n"),
		"/private/feed.xml": readFixture(t, "rss.xml"),
		// Alternate forms of the news sitemap's URLs, listed before it.
		"/dupes.xml": []byte(`<rss version="2.0"><channel><title>Dupes</title>
<item><link>http://www.example.com/news/election-night</link></item>
<item><link>https://m.example.com/news/markets?amp=1</link></item>
<item><link>http://example.com/news/election-night#x</link></item>
</channel></rss>`),
	}
	types := map[string]string{
		"/feed.json":   "application/feed+json",
		"/big.json":    "application/feed+json",
		"/world/":      "text/html; charset=utf-8",
		"/news.xml.gz": "application/gzip",
		"/robots.txt":  "text/plain",
	}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		base := "http://" + r.Host
		switch r.URL.Path {
		case "/sitemap-index.xml":
			// Points to itself, to a cycle partner, to a 404 and to the news sitemap.
			writeIndex(w, base+"/sitemap-index.xml", base+"/cycle.xml", base+"/news.xml.gz", base+"/missing.xml")
			return
		case "/cycle.xml":
			writeIndex(w, base+"/sitemap-index.xml?utm_source=x", base+"/cycle.xml#again")
			return
		case "/redirect-feed":
			http.Redirect(w, r, "/atom.xml", http.StatusFound)
			return
		}
		b, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		ct := types[r.URL.Path]
		if ct == "" {
			ct = "application/xml"
		}
		w.Header().Set("Content-Type", ct)
		w.Write(b)
	}))
	t.Cleanup(s.Close)
	return s
}

func writeIndex(w http.ResponseWriter, locs ...string) {
	w.Header().Set("Content-Type", "application/xml")
	fmt.Fprint(w, `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
	for _, l := range locs {
		fmt.Fprintf(w, "<sitemap><loc>%s</loc></sitemap>", strings.ReplaceAll(l, "&", "&amp;"))
	}
	fmt.Fprint(w, `</sitemapindex>`)
}

func (s *site) hitCount(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// bigJSONFeed is a compact JSON Feed of n items.
func bigJSONFeed(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"version":"https://jsonfeed.org/version/1.1","title":"Big","items":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"%d","url":"https://www.example.com/b/%d"}`, i, i)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

// bigFeed is a compact RSS feed of n items.
func bigFeed(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>`)
	for i := range n {
		fmt.Fprintf(&b, "<item><link>https://www.example.com/b/%d</link></item>", i)
	}
	b.WriteString(`</channel></rss>`)
	return b.Bytes()
}

var fixedNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func newDiscoverer(t *testing.T) *Discoverer {
	return &Discoverer{
		Client: fetch.New(fetch.Options{AllowPrivate: true, Robots: true, MaxAttempts: 1}),
		Logger: slog.New(slog.NewTextHandler(t.Output(), nil)),
		Now:    func() time.Time { return fixedNow },
	}
}

func TestDiscoverEndToEnd(t *testing.T) {
	s := newSite(t)
	d := newDiscoverer(t)
	src := Source{
		Name:     "example",
		Feeds:    []string{s.URL + "/rss.xml", s.URL + "/404.xml", s.URL + "/redirect-feed", s.URL + "/laughs.xml", s.URL + "/private/feed.xml", s.URL + "/feed.json"},
		Sitemaps: []string{s.URL + "/sitemap-index.xml"},
		Pages:    []string{s.URL + "/world/"},
		Exclude:  []*regexp.Regexp{regexp.MustCompile(`/news/markets$`)},
	}
	got, err := d.Discover(t.Context(), src)

	local := "http" + strings.TrimPrefix(s.URL, "http")
	want := []Candidate{
		{URL: "https://www.example.com/news/minister-resigns", Source: "example", Via: "feed", Title: `Minister resigns: "I had no choice"`, Published: date("2026-11-26T10:00:00Z")},
		{URL: "https://www.example.com/news/budget", Source: "example", Via: "feed", Title: "Via FeedBurner", Published: date("2026-11-25T07:30:00Z")},
		{URL: local + "/news/relative-story", Source: "example", Via: "feed", Title: "Relative link & more"},
		{URL: "https://www.example.com/news/guid-story", Source: "example", Via: "feed", Title: "Permalink guid only"},
		{URL: "https://www.example.com/news/flood/", Source: "example", Via: "feed", Title: "Flood & storm", Published: date("2026-11-26T09:00:00Z")},
		{URL: "https://www.example.com/news/updated-only", Source: "example", Via: "feed", Title: "Only updated", Published: date("2026-11-24T09:00:00Z")},
		{URL: "https://www.example.com/news/laughs", Source: "example", Via: "feed", Title: "&lol9;"},
		{URL: "https://www.example.com/news/json-one", Source: "example", Via: "feed", Title: "JSON one", Published: date("2026-11-26T07:00:00Z")},
		{URL: "https://other.example.org/story", Source: "example", Via: "feed", Title: "External only"},
		{URL: "https://www.example.com/news/election-night", Source: "example", Via: "sitemap", Title: "Election night: results as they come", Published: date("2026-11-26T05:15:00Z")},
		{URL: local + "/world/story-one", Source: "example", Via: "page"},
		{URL: local + "/news/story-two", Source: "example", Via: "page"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Discover mismatch (-want +got):\n%s", diff)
	}

	var se *fetch.StatusError
	if !errors.As(err, &se) || se.Code != http.StatusNotFound {
		t.Errorf("Discover error = %v, want a joined *fetch.StatusError 404", err)
	}
	if joined, ok := err.(interface{ Unwrap() []error }); !ok || len(joined.Unwrap()) != 2 {
		t.Errorf("Discover error = %v, want two joined failures (the 404 feed and the 404 sitemap)", err)
	}
	if err != nil && strings.Contains(err.Error(), "/private/") {
		t.Errorf("Discover error = %v; a URL robots.txt disallows is skipped, not an error", err)
	}
	for _, u := range []string{"/404.xml", "/missing.xml"} {
		if err == nil || !strings.Contains(err.Error(), s.URL+u) {
			t.Errorf("Discover error = %v, want it to name %s", err, u)
		}
	}
	for path, n := range map[string]int{"/sitemap-index.xml": 1, "/cycle.xml": 1, "/news.xml.gz": 1, "/private/feed.xml": 0, "/robots.txt": 1} {
		if got := s.hitCount(path); got != n {
			t.Errorf("requests for %s = %d, want %d", path, got, n)
		}
	}
}

func TestDiscoverSettings(t *testing.T) {
	s := newSite(t)
	local := "http" + strings.TrimPrefix(s.URL, "http")
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close() // connections to its address are now refused
	tests := []struct {
		name   string
		src    Source
		set    func(*Discoverer)
		want   []string
		titles []string // checked when not nil
		errors bool
	}{
		{
			name: "include lets pages cross hosts",
			src:  Source{Pages: []string{s.URL + "/world/"}, Include: []*regexp.Regexp{regexp.MustCompile(`/(news|world|elsewhere)`)}},
			want: []string{"https://www.example.com/world/", local + "/world/story-one", local + "/news/story-two", "https://www.example.com/news/story-two", "http://other.example.org/elsewhere", "http://www.example.com/news/upper"},
		},
		{
			name: "include and exclude on feeds",
			src: Source{Feeds: []string{s.URL + "/rss.xml"}, Include: []*regexp.Regexp{regexp.MustCompile(`^https://www\.example\.com/`)},
				Exclude: []*regexp.Regexp{regexp.MustCompile(`budget`)}},
			want: []string{"https://www.example.com/news/minister-resigns", "https://www.example.com/news/guid-story"},
		},
		{
			name: "max age drops old dated entries",
			src:  Source{Feeds: []string{s.URL + "/atom.xml", s.URL + "/rss.xml"}},
			set:  func(d *Discoverer) { d.MaxAge = 30 * time.Hour },
			want: []string{"https://www.example.com/news/flood/", "https://www.example.com/news/minister-resigns", "https://www.example.com/news/budget", local + "/news/relative-story", "https://www.example.com/news/guid-story"},
		},
		{
			name: "max items caps a source",
			src:  Source{Feeds: []string{s.URL + "/rss.xml", s.URL + "/atom.xml"}},
			set:  func(d *Discoverer) { d.MaxItems = 2 },
			want: []string{"https://www.example.com/news/minister-resigns", "https://www.example.com/news/budget"},
		},
		{
			name:   "dead host is an error and discovery goes on",
			src:    Source{Feeds: []string{dead.URL + "/rss.xml", s.URL + "/redirect-feed"}, Sitemaps: []string{dead.URL + "/sitemap.xml"}},
			want:   []string{"https://www.example.com/news/flood/", "https://www.example.com/news/updated-only"},
			errors: true,
		},
		{
			name: "max sitemaps stops the walk",
			src:  Source{Sitemaps: []string{s.URL + "/sitemap-index.xml"}},
			set:  func(d *Discoverer) { d.MaxSitemaps = 2 },
		},
		{
			name:   "duplicates merge and prefer https",
			src:    Source{Sitemaps: []string{s.URL + "/news.xml.gz"}, Feeds: []string{s.URL + "/dupes.xml"}},
			want:   []string{"https://www.example.com/news/election-night", "https://www.example.com/news/markets"},
			titles: []string{"Election night: results as they come", "Markets & money"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDiscoverer(t)
			if tt.set != nil {
				tt.set(d)
			}
			got, err := d.Discover(t.Context(), tt.src)
			if (err != nil) != tt.errors {
				t.Errorf("Discover error = %v, want error %v", err, tt.errors)
			}
			var urls, titles []string
			for _, c := range got {
				urls = append(urls, c.URL)
				titles = append(titles, c.Title)
			}
			if tt.titles != nil && !cmp.Equal(tt.titles, titles) {
				t.Errorf("Discover titles = %q, want %q", titles, tt.titles)
			}
			if diff := cmp.Diff(tt.want, urls); diff != "" {
				t.Errorf("Discover URLs mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDiscoverBigFeed checks that a 100,000-item feed yields MaxItems
// candidates without building all the items in memory.
func TestDiscoverBigFeed(t *testing.T) {
	s := newSite(t)
	for _, path := range []string{"/big.xml", "/big.json"} {
		t.Run(path, func(t *testing.T) {
			d := newDiscoverer(t)
			d.MaxItems = 100
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			got, err := d.Discover(t.Context(), Source{Feeds: []string{s.URL + path}})
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatalf("Discover(%s) error: %v", path, err)
			}
			if len(got) != 100 || got[99].URL != "https://www.example.com/b/99" {
				t.Fatalf("Discover(%s) = %d candidates, want 100 ending /b/99", path, len(got))
			}
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("allocated %d MiB", alloc>>20)
			if limit := uint64(64 << 20); alloc > limit {
				t.Errorf("Discover(%s) allocated %d bytes, want under %d", path, alloc, limit)
			}
		})
	}
}

func TestDiscoverCancelled(t *testing.T) {
	s := newSite(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	got, err := newDiscoverer(t).Discover(ctx, Source{Name: "x", Feeds: []string{s.URL + "/rss.xml"}})
	if !errors.Is(err, context.Canceled) || len(got) != 0 {
		t.Errorf("Discover(cancelled) = %d candidates, %v; want none and context.Canceled", len(got), err)
	}
	if n := s.hitCount("/rss.xml"); n != 0 {
		t.Errorf("Discover(cancelled) fetched /rss.xml %d times", n)
	}
}

// TestDiscoverConcurrentDeterministic runs one Discoverer twice at once:
// both calls must give the same candidates in the same order.
func TestDiscoverConcurrentDeterministic(t *testing.T) {
	s := newSite(t)
	d := newDiscoverer(t)
	src := Source{
		Name:     "example",
		Feeds:    []string{s.URL + "/rss.xml", s.URL + "/atom.xml", s.URL + "/feed.json"},
		Sitemaps: []string{s.URL + "/sitemap-index.xml"},
		Pages:    []string{s.URL + "/world/"},
	}
	var wg sync.WaitGroup
	results := make([][]Candidate, 2)
	for i := range results {
		wg.Go(func() {
			results[i], _ = d.Discover(t.Context(), src)
		})
	}
	wg.Wait()
	if len(results[0]) == 0 {
		t.Fatal("Discover found nothing")
	}
	if diff := cmp.Diff(results[0], results[1]); diff != "" {
		t.Errorf("concurrent Discover calls differ (-first +second):\n%s", diff)
	}
}
