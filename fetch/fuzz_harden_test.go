package fetch

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp/syntax"
	"strings"
	"testing"
	"time"

	"github.com/temoto/robotstxt"
)

// FuzzRobots reads arbitrary robots.txt files the way fetchRobots does
// (cleanRobots, status 200, the group for stet's agent, then a path test
// and the Crawl-delay): no panic, the same answer twice, no negative
// Crawl-delay, and the file is never thrown away because of one bad line
// (which would make fetch allow everything).
func FuzzRobots(f *testing.F) {
	seeds := []string{
		"",
		"User-agent: *\nDisallow: /private/\nAllow: /private/ok\nCrawl-delay: 2\n",
		"User-agent: stet\nDisallow: /\n\nUser-agent: *\nAllow: /\n",
		"User-agent: *\nDisallow: /*?session=\nDisallow: /*.pdf$\nSitemap: https://h/s.xml\n",
		"\xef\xbb\xbfUSER-AGENT: *\r\nDISALLOW: /a%2Fb\r\ncrawl-delay: -5\r\n",
		"User-agent: *\nCrawl-delay: 1e308\nDisallow: /\x00\n",
		"Disallow: /before-agent\nUser-agent: *\nDisallow: /\n",
		"User-agent: *\rDisallow: /\rCrawl-delay: ten\r",
	}
	for _, s := range seeds {
		f.Add([]byte(s), "/news/story?id=1")
	}
	f.Fuzz(func(t *testing.T, body []byte, path string) {
		test := func() (bool, time.Duration, error) {
			data, err := robotstxt.FromStatusAndBytes(http.StatusOK, cleanRobots(body))
			if err != nil {
				return true, 0, err
			}
			g := data.FindGroup(DefaultUserAgent)
			return g.Test(path), g.CrawlDelay, nil
		}
		ok1, d1, err1 := test()
		ok2, d2, err2 := test()
		if ok1 != ok2 || d1 != d2 || (err1 == nil) != (err2 == nil) {
			t.Fatalf("robots answer not deterministic: (%v %v %v) then (%v %v %v)", ok1, d1, err1, ok2, d2, err2)
		}
		if d1 < 0 {
			t.Fatalf("negative Crawl-delay %v", d1)
		}
		var se *syntax.Error
		if err1 != nil && !errors.As(err1, &se) && !strings.Contains(err1.Error(), "regexp") {
			t.Fatalf("cleaned robots.txt still rejected as a whole: %v\n%q", err1, cleanRobots(body))
		}
	})
}

// TestRobotsBadLineKeepsRules serves robots.txt files that hold one line the
// parser rejects next to "Disallow: /": the disallow must still hold, and
// an overflowing Crawl-delay must not read as no delay.
func TestRobotsBadLineKeepsRules(t *testing.T) {
	tests := []struct{ name, robots string }{
		{"bad crawl-delay", "User-agent: *\nCrawl-delay: ten\nDisallow: /\n"},
		{"negative crawl-delay", "User-agent: *\nCrawl-delay: -5\nDisallow: /\n"},
		{"rule before user-agent", "Disallow: /tmp/\nUser-agent: *\nDisallow: /\n"},
		{"huge crawl-delay", "User-agent: *\nCrawl-delay: 1e10\nDisallow: /\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, tt.robots)
			}))
			defer srv.Close()
			c := New(Options{AllowPrivate: true, Robots: true, MaxRetryAfter: time.Second})
			ok, err := c.Allowed(t.Context(), srv.URL+"/news/a")
			if err != nil || ok {
				t.Errorf("Allowed(/news/a) = %v, %v; want false: robots.txt says Disallow: /", ok, err)
			}
			u, _ := url.Parse(srv.URL)
			if gap := c.host(u.Host).gap(); tt.name == "huge crawl-delay" && gap != time.Second {
				t.Errorf("host interval after Crawl-delay 1e10 = %v, want MaxRetryAfter (1s)", gap)
			}
		})
	}
}
