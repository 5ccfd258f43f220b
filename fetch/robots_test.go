package fetch_test

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stet-archive/stet/fetch"
)

// robotsSite serves robots.txt with the given status and body, and HTML
// elsewhere, counting requests per path.
type robotsSite struct {
	mu   sync.Mutex
	hits map[string]int
}

func (s *robotsSite) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func newRobotsSite(t *testing.T, status int, robots string) (*robotsSite, string) {
	s := &robotsSite{hits: map[string]int{}}
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		if r.URL.Path == "/robots.txt" {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(status)
			io.WriteString(w, robots)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, simpleHTML)
	})
	return s, srv.URL
}

const robotsTxt = `User-agent: *
Disallow: /

User-agent: stet
Disallow: /private
Allow: /private/ok
Disallow: /*?print=1
`

func TestAllowed(t *testing.T) {
	site, base := newRobotsSite(t, 200, robotsTxt)
	c := newClient(t, func(o *fetch.Options) { o.Robots = true })
	tests := []struct {
		path string
		want bool
	}{
		{"/", true},
		{"/news/story", true},
		{"/private", false},
		{"/private/x", false},
		{"/private/ok", true},
		{"/news/story?print=1", false},
	}
	for _, tt := range tests {
		got, err := c.Allowed(t.Context(), base+tt.path)
		if err != nil || got != tt.want {
			t.Errorf("Allowed(%s) = %v, %v; want %v, nil", tt.path, got, err, tt.want)
		}
	}
	if n := site.count("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times, want 1", n)
	}

	// A different agent falls into the "*" group.
	other := newClient(t, func(o *fetch.Options) { o.Robots = true; o.UserAgent = "otherbot/1" })
	if ok, _ := other.Allowed(t.Context(), base+"/news/story"); ok {
		t.Errorf("Allowed for otherbot = true, want false (User-agent: * disallows all)")
	}

	// Robots off: everything is allowed and nothing is fetched.
	off := newClient(t, nil)
	if ok, err := off.Allowed(t.Context(), base+"/private"); !ok || err != nil {
		t.Errorf("Allowed with Robots off = %v, %v; want true, nil", ok, err)
	}
	if n := site.count("/robots.txt"); n != 2 {
		t.Errorf("robots.txt fetched %d times in all, want 2 (one per Client with Robots on)", n)
	}
}

func TestGetDisallowed(t *testing.T) {
	site, base := newRobotsSite(t, 200, robotsTxt)
	c := newClient(t, func(o *fetch.Options) { o.Robots = true })
	_, err := c.Get(t.Context(), fetch.Request{URL: base + "/private/story"})
	if !errors.Is(err, fetch.ErrDisallowed) {
		t.Fatalf("Get error = %v, want ErrDisallowed", err)
	}
	if n := site.count("/private/story"); n != 0 {
		t.Errorf("disallowed page requested %d times, want 0", n)
	}
}

func TestRobotsFailures(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		body     string
		wantWarn bool
	}{
		{"404 allows all", 404, "", false},
		{"403 allows all", 403, "User-agent: *\nDisallow: /\n", false},
		{"500 allows all with a warning", 500, "User-agent: *\nDisallow: /\n", true},
		{"too large allows all with a warning", 200, strings.Repeat("# padding\n", 60<<10) + "User-agent: *\nDisallow: /\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site, base := newRobotsSite(t, tt.status, tt.body)
			var logs bytes.Buffer
			c := newClient(t, func(o *fetch.Options) {
				o.Robots = true
				o.Logger = slog.New(slog.NewTextHandler(&logs, nil))
			})
			for range 2 {
				if _, err := c.Get(t.Context(), fetch.Request{URL: base + "/story"}); err != nil {
					t.Fatalf("Get: %v", err)
				}
			}
			if n := site.count("/robots.txt"); n != 1 {
				t.Errorf("robots.txt fetched %d times, want 1 (cached, failures too)", n)
			}
			if got := strings.Contains(logs.String(), "level=WARN"); got != tt.wantWarn {
				t.Errorf("warned = %v, want %v; logs:\n%s", got, tt.wantWarn, logs.String())
			}
		})
	}
}

func TestCrawlDelay(t *testing.T) {
	const delay = 200 * time.Millisecond
	_, base := newRobotsSite(t, 200, "User-agent: stet\nCrawl-delay: 0.2\nDisallow: /private\n")
	c := newClient(t, func(o *fetch.Options) { o.Robots = true; o.HostInterval = time.Millisecond })
	if _, err := c.Get(t.Context(), fetch.Request{URL: base + "/a"}); err != nil {
		t.Fatalf("Get: %v", err)
	}
	start := time.Now()
	if _, err := c.Get(t.Context(), fetch.Request{URL: base + "/b"}); err != nil {
		t.Fatalf("Get: %v", err)
	}
	if d := time.Since(start); d < delay*9/10 {
		t.Errorf("second Get after %s, want at least the Crawl-delay %s", d, delay)
	}
}

func TestHostInterval(t *testing.T) {
	const interval = 150 * time.Millisecond
	_, base := newRobotsSite(t, 404, "")
	c := newClient(t, func(o *fetch.Options) { o.HostInterval = interval })
	start := time.Now()
	for _, p := range []string{"/a", "/b", "/c"} {
		if _, err := c.Get(t.Context(), fetch.Request{URL: base + p}); err != nil {
			t.Fatalf("Get: %v", err)
		}
	}
	if d := time.Since(start); d < 2*interval*9/10 {
		t.Errorf("three Gets took %s, want at least two intervals (%s)", d, 2*interval)
	}
}

// TestConcurrentRobots runs many Gets at once (run with -race): robots.txt
// must still be fetched only once.
func TestConcurrentRobots(t *testing.T) {
	site, base := newRobotsSite(t, 200, robotsTxt)
	c := newClient(t, func(o *fetch.Options) { o.Robots = true })
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Go(func() {
			path := "/story"
			if i%2 == 0 {
				path = "/private/x"
			}
			_, err := c.Get(t.Context(), fetch.Request{URL: base + path})
			if path == "/story" && err != nil || path != "/story" && !errors.Is(err, fetch.ErrDisallowed) {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent Get: unexpected result %v", err)
	}
	if n := site.count("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times, want 1", n)
	}
}

// TestRedirectChecks checks that each redirect hop is subject to robots.txt
// and to the host interval, not just the first URL.
func TestRedirectChecks(t *testing.T) {
	var srvURL string
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			io.WriteString(w, "User-agent: *\nDisallow: /private\n")
		case "/to-private":
			http.Redirect(w, r, srvURL+"/private/x", http.StatusFound)
		case "/hop":
			http.Redirect(w, r, "/story", http.StatusFound)
		default:
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, simpleHTML)
		}
	})
	srvURL = srv.URL
	t.Run("robots", func(t *testing.T) {
		c := newClient(t, func(o *fetch.Options) { o.Robots = true })
		_, err := c.Get(t.Context(), fetch.Request{URL: srv.URL + "/to-private"})
		if !errors.Is(err, fetch.ErrDisallowed) {
			t.Errorf("Get(/to-private) error = %v, want ErrDisallowed", err)
		}
	})
	t.Run("interval", func(t *testing.T) {
		// localhost and 127.0.0.1 are the same server but different hosts
		// to the limiter.
		const interval = 200 * time.Millisecond
		_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
		other := "http://localhost:" + port
		c := newClient(t, func(o *fetch.Options) { o.HostInterval = interval })
		if _, err := c.Get(t.Context(), fetch.Request{URL: srv.URL + "/story"}); err != nil {
			t.Fatalf("Get(/story): %v", err)
		}
		start := time.Now()
		if _, err := c.Get(t.Context(), fetch.Request{URL: other + "/to-private"}); err != nil {
			t.Fatalf("Get(localhost/to-private): %v", err)
		}
		if d := time.Since(start); d < interval*9/10 {
			t.Errorf("redirect to a recently used host took %s, want at least the interval %s", d, interval)
		}
		// A same-host hop continues the request without queueing.
		c = newClient(t, func(o *fetch.Options) { o.HostInterval = interval })
		start = time.Now()
		if _, err := c.Get(t.Context(), fetch.Request{URL: other + "/hop"}); err != nil {
			t.Fatalf("Get(localhost/hop): %v", err)
		}
		if d := time.Since(start); d > interval/2 {
			t.Errorf("same-host redirect took %s, want no wait for the hop (interval %s)", d, interval)
		}
	})
}

// TestRobotsRedirect serves robots.txt through a same-host redirect, which
// must neither deadlock on its own robots check nor lose the rules.
func TestRobotsRedirect(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.Redirect(w, r, "/real-robots.txt", http.StatusMovedPermanently)
		case "/real-robots.txt":
			io.WriteString(w, "User-agent: *\nDisallow: /private\n")
		default:
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, simpleHTML)
		}
	})
	c := newClient(t, func(o *fetch.Options) { o.Robots = true; o.Timeout = time.Second })
	ok, err := c.Allowed(t.Context(), srv.URL+"/private/x")
	if ok || err != nil {
		t.Errorf("Allowed(/private/x) = %v, %v; want false, nil", ok, err)
	}
}
