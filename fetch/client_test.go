package fetch_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stet-archive/stet/fetch"
)

func TestUserAgent(t *testing.T) {
	tests := []struct{ name, set, want string }{
		{"default", "", fetch.DefaultUserAgent},
		{"custom", "stet-test/1 (+mailto:a@example.com)", "stet-test/1 (+mailto:a@example.com)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				got = append(got, r.URL.Path+" "+r.UserAgent())
				w.Header().Set("Content-Type", "text/html")
				io.WriteString(w, simpleHTML)
			})
			c := newClient(t, func(o *fetch.Options) { o.UserAgent = tt.set; o.Robots = true })
			if _, err := c.Get(t.Context(), fetch.Request{URL: srv.URL + "/a"}); err != nil {
				t.Fatalf("Get: %v", err)
			}
			want := []string{"/robots.txt " + tt.want, "/a " + tt.want}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGetPage(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Thu, 26 Nov 2026 10:00:00 GMT")
		io.WriteString(w, simpleHTML)
	})
	got, err := newClient(t, nil).Get(t.Context(), fetch.Request{URL: srv.URL + "/story"})
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	want := &fetch.Page{
		URL: srv.URL + "/story", FinalURL: srv.URL + "/story", Status: 200,
		ContentType: "text/html; charset=utf-8", Body: []byte(simpleHTML), Charset: "utf-8",
		ETag: `"v1"`, LastModified: "Thu, 26 Nov 2026 10:00:00 GMT",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Get (-want +got):\n%s", diff)
	}
}

func gzipped(t testing.TB, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	io.WriteString(zw, s)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const feedXML = `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>`

func TestContentTypes(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01")
	controls := bytes.Repeat([]byte("\x01\x02\x03\x04abc\x05"), 200)
	tests := []struct {
		name        string
		kind        fetch.Kind
		contentType string // "-" means no Content-Type header at all
		encoding    string // Content-Encoding
		body        []byte
		wantErr     error
		wantBody    string
	}{
		{"html", fetch.HTML, "text/html", "", []byte(simpleHTML), nil, simpleHTML},
		{"xhtml", fetch.HTML, "application/xhtml+xml; charset=utf-8", "", []byte(simpleHTML), nil, simpleHTML},
		{"html upper case", fetch.HTML, "TEXT/HTML; Charset=UTF-8", "", []byte(simpleHTML), nil, simpleHTML},
		{"html sniffed", fetch.HTML, "-", "", []byte(simpleHTML), nil, simpleHTML},
		// All 7-bit, so valid UTF-8, but the meta says ISO-2022-JP: the
		// sniffed "charset=utf-8" must not override it.
		{"html sniffed iso-2022-jp", fetch.HTML, "-", "", []byte("<html><head><meta charset=iso-2022-jp></head><body>\x1b$BF|K\\\x1b(B</body></html>"), nil,
			"<html><head><meta charset=iso-2022-jp></head><body>日本</body></html>"},
		{"html gzip encoded", fetch.HTML, "text/html", "gzip", gzipped(t, simpleHTML), nil, simpleHTML},
		{"pdf as html", fetch.HTML, "application/pdf", "", []byte("%PDF-1.4"), fetch.ErrContentType, ""},
		{"json as html", fetch.HTML, "application/json", "", []byte("{}"), fetch.ErrContentType, ""},
		{"png sniffed", fetch.HTML, "-", "", png, fetch.ErrContentType, ""},
		{"png labelled html", fetch.HTML, "text/html", "", png, fetch.ErrBinary, ""},
		{"nul bytes labelled html", fetch.HTML, "text/html", "", []byte("<html>\x00\x00\x00</html>"), fetch.ErrBinary, ""},
		{"nul past the sniff window", fetch.HTML, "text/html", "", []byte(strings.Repeat(simpleHTML, 10) + "\x00"), fetch.ErrBinary, ""},
		{"control chars labelled html", fetch.HTML, "text/html; charset=windows-1252", "", controls, fetch.ErrBinary, ""},
		// DEL and C1 controls pass the byte-level sniff; the decoded text is mostly controls.
		{"c1 controls labelled html", fetch.HTML, "text/html; charset=windows-1252", "", bytes.Repeat([]byte("\x7f\x81\x8d\x8f\x90ab"), 100), fetch.ErrBinary, ""},
		{"utf-16 controls labelled html", fetch.HTML, "text/html; charset=utf-16le", "", bytes.Repeat([]byte("\x01\x00\x02\x00a\x00"), 100), fetch.ErrBinary, ""},
		{"utf-16 html", fetch.HTML, "text/html; charset=utf-16le", "", []byte("<\x00p\x00>\x00h\x00i\x00"), nil, "<p>hi"},
		{"rss", fetch.Feed, "application/rss+xml", "", []byte(feedXML), nil, feedXML},
		{"atom", fetch.Feed, "application/atom+xml", "", []byte(feedXML), nil, feedXML},
		{"text xml", fetch.Feed, "text/xml", "", []byte(feedXML), nil, feedXML},
		{"json feed", fetch.Feed, "application/feed+json", "", []byte(`{"version":"1"}`), nil, `{"version":"1"}`},
		{"text plain", fetch.Feed, "text/plain", "", []byte("http://a/\n"), nil, "http://a/\n"},
		{"feed sniffed", fetch.Feed, "-", "", []byte(feedXML), nil, feedXML},
		{"gzip sitemap", fetch.Feed, "application/gzip", "", gzipped(t, feedXML), nil, feedXML},
		{"gzip sitemap as octet-stream", fetch.Feed, "application/octet-stream", "", gzipped(t, feedXML), nil, feedXML},
		{"gzip content-encoding feed", fetch.Feed, "application/xml", "gzip", gzipped(t, feedXML), nil, feedXML},
		{"binary octet-stream feed", fetch.Feed, "application/octet-stream", "", png, fetch.ErrContentType, ""},
		{"image as feed", fetch.Feed, "image/png", "", png, fetch.ErrContentType, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.contentType == "-" {
					w.Header()["Content-Type"] = nil // stops net/http sniffing one
				} else {
					w.Header().Set("Content-Type", tt.contentType)
				}
				if tt.encoding != "" {
					w.Header().Set("Content-Encoding", tt.encoding)
				}
				w.Write(tt.body)
			})
			p, err := newClient(t, nil).Get(t.Context(), fetch.Request{URL: srv.URL + "/x", Kind: tt.kind})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Get(%s) error = %v, want %v", tt.name, err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if diff := cmp.Diff(tt.wantBody, string(p.Body)); diff != "" {
				t.Errorf("Get(%s) body (-want +got):\n%s", tt.name, diff)
			}
			if p.ContentType == "" {
				t.Errorf("Get(%s) ContentType is empty", tt.name)
			}
		})
	}
}

// endless writes w's chunk until the client goes away.
func endless(w http.ResponseWriter, r *http.Request, chunk []byte) {
	for r.Context().Err() == nil {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

func TestBodyLimits(t *testing.T) {
	const maxBody = 256 << 10
	// One gzip member inflating 10 MB of zeros to about 10 KB; members repeat
	// forever, so the stream is an endless bomb (gzip readers are multistream).
	member := gzipped(t, strings.Repeat("\x00", 10<<20))
	tests := []struct {
		name string
		kind fetch.Kind
		h    http.HandlerFunc
	}{
		{"endless body", fetch.HTML, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			endless(w, r, bytes.Repeat([]byte("<p>more</p>\n"), 1000))
		}},
		{"content-length over cap", fetch.HTML, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Length", strconv.Itoa(maxBody+1))
			w.(http.Flusher).Flush()
			<-r.Context().Done() // never sends the body: the client must not wait for it
		}},
		{"gzip bomb content-encoding", fetch.HTML, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "gzip")
			endless(w, r, member)
		}},
		{"gzip bomb feed file", fetch.Feed, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/gzip")
			w.Write(member) // 10 KB on the wire, 10 MB inside
		}},
		{"one byte over", fetch.Feed, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.Write(bytes.Repeat([]byte("a"), maxBody+1))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, tt.h)
			c := newClient(t, func(o *fetch.Options) { o.MaxBody = maxBody })
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := c.Get(t.Context(), fetch.Request{URL: srv.URL, Kind: tt.kind})
			runtime.ReadMemStats(&after)
			if !errors.Is(err, fetch.ErrTooLarge) {
				t.Fatalf("Get error = %v, want ErrTooLarge", err)
			}
			// Counts the server's allocations too, so the bound is loose; an
			// uncapped read of these bodies would allocate gigabytes.
			if n := after.TotalAlloc - before.TotalAlloc; n > 64<<20 {
				t.Errorf("Get allocated %d MB for a %d KB cap", n>>20, maxBody>>10)
			}
		})
	}
	t.Run("exactly at cap", func(t *testing.T) {
		srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.Write(bytes.Repeat([]byte("a"), maxBody))
		})
		c := newClient(t, func(o *fetch.Options) { o.MaxBody = maxBody })
		p, err := c.Get(t.Context(), fetch.Request{URL: srv.URL, Kind: fetch.Feed})
		if err != nil || len(p.Body) != maxBody {
			t.Fatalf("Get = %v, want %d bytes and no error", err, maxBody)
		}
	})
}

func TestSlowLoris(t *testing.T) {
	var calls counter
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		calls.add()
		w.Header().Set("Content-Type", "text/html")
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			if _, err := w.Write([]byte("x")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-tick.C:
			case <-r.Context().Done():
				return
			}
		}
	})
	c := newClient(t, func(o *fetch.Options) { o.Timeout = 300 * time.Millisecond })
	start := time.Now()
	_, err := c.Get(t.Context(), fetch.Request{URL: srv.URL})
	if !errors.Is(err, fetch.ErrTimeout) {
		t.Fatalf("Get error = %v, want ErrTimeout", err)
	}
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Errorf("Get took %s with Timeout 300ms", d)
	}
	if n := calls.get(); n != 1 {
		t.Errorf("server saw %d requests, want 1 (a timeout is not retried)", n)
	}
}

func TestRedirects(t *testing.T) {
	var srv = serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case strings.HasPrefix(r.URL.Path, "/hop/"):
			n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/hop/"))
			if n == 0 {
				w.Header().Set("Content-Type", "text/html")
				io.WriteString(w, simpleHTML)
				return
			}
			http.Redirect(w, r, "/hop/"+strconv.Itoa(n-1), http.StatusMovedPermanently)
		case r.URL.Path == "/to-file":
			http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
		case r.URL.Path == "/to-ftp":
			http.Redirect(w, r, "ftp://example.com/x", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	})
	tests := []struct {
		path      string
		wantErr   error
		wantFinal string
	}{
		{"/loop", fetch.ErrTooManyRedirects, ""},
		{"/hop/3", nil, "/hop/0"},
		{"/hop/4", fetch.ErrTooManyRedirects, ""},
		{"/to-file", fetch.ErrScheme, ""},
		{"/to-ftp", fetch.ErrScheme, ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			c := newClient(t, func(o *fetch.Options) { o.MaxRedirects = 3 })
			p, err := c.Get(t.Context(), fetch.Request{URL: srv.URL + tt.path})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Get(%s) error = %v, want %v", tt.path, err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if p.URL != srv.URL+tt.path || p.FinalURL != srv.URL+tt.wantFinal {
				t.Errorf("Get(%s) URL, FinalURL = %s, %s; want %s, %s", tt.path, p.URL, p.FinalURL, srv.URL+tt.path, srv.URL+tt.wantFinal)
			}
		})
	}
}

func TestSchemes(t *testing.T) {
	for _, u := range []string{"file:///etc/passwd", "ftp://example.com/", "gopher://x/", "javascript:alert(1)", "/relative", "http:///nohost"} {
		t.Run(u, func(t *testing.T) {
			_, err := newClient(t, nil).Get(t.Context(), fetch.Request{URL: u})
			if !errors.Is(err, fetch.ErrScheme) {
				t.Errorf("Get(%q) error = %v, want ErrScheme", u, err)
			}
		})
	}
}

func TestPrivateAddress(t *testing.T) {
	var hits counter
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		hits.add()
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, simpleHTML)
	})
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	for _, u := range []string{
		srv.URL,                             // 127.0.0.1 literal
		"http://localhost:" + port + "/",    // a name that resolves to loopback
		"http://[::ffff:127.0.0.1]:" + port, // IPv4-mapped
	} {
		t.Run(u, func(t *testing.T) {
			c := newClient(t, func(o *fetch.Options) { o.AllowPrivate = false })
			_, err := c.Get(t.Context(), fetch.Request{URL: u})
			if !errors.Is(err, fetch.ErrPrivateAddress) {
				t.Fatalf("Get(%s) error = %v, want ErrPrivateAddress", u, err)
			}
			var ue *url.Error
			if !errors.As(err, &ue) {
				t.Errorf("Get(%s) error = %v, want a *url.Error in the chain", u, err)
			}
		})
	}
	if n := hits.get(); n != 0 {
		t.Errorf("server saw %d requests, want 0", n)
	}
	c := newClient(t, nil) // AllowPrivate: true
	if _, err := c.Get(t.Context(), fetch.Request{URL: srv.URL}); err != nil {
		t.Errorf("Get with AllowPrivate: %v", err)
	}
}

func TestConditional(t *testing.T) {
	const etag, lastMod = `"abc"`, "Wed, 25 Nov 2026 08:00:00 GMT"
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == etag || r.Header.Get("If-Modified-Since") == lastMod {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		if r.URL.Path == "/always304" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", lastMod)
		io.WriteString(w, simpleHTML)
	})
	c := newClient(t, nil)
	tests := []struct {
		name string
		req  fetch.Request
		want *fetch.Page
	}{
		{"unconditional", fetch.Request{URL: srv.URL},
			&fetch.Page{URL: srv.URL, FinalURL: srv.URL, Status: 200, ContentType: "text/html", Body: []byte(simpleHTML), Charset: "utf-8", ETag: etag, LastModified: lastMod}},
		{"etag", fetch.Request{URL: srv.URL, ETag: etag},
			&fetch.Page{URL: srv.URL, FinalURL: srv.URL, Status: 304, ETag: etag, NotModified: true}},
		{"last-modified", fetch.Request{URL: srv.URL, LastModified: lastMod},
			&fetch.Page{URL: srv.URL, FinalURL: srv.URL, Status: 304, LastModified: lastMod, NotModified: true}},
		{"stale etag", fetch.Request{URL: srv.URL, ETag: `"old"`},
			&fetch.Page{URL: srv.URL, FinalURL: srv.URL, Status: 200, ContentType: "text/html", Body: []byte(simpleHTML), Charset: "utf-8", ETag: etag, LastModified: lastMod}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.Get(t.Context(), tt.req)
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Get (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("304 without a condition", func(t *testing.T) {
		_, err := c.Get(t.Context(), fetch.Request{URL: srv.URL + "/always304"})
		var se *fetch.StatusError
		if !errors.As(err, &se) || se.Code != 304 {
			t.Errorf("Get error = %v, want StatusError 304", err)
		}
	})
}

func TestRetries(t *testing.T) {
	tests := []struct {
		name      string
		failures  int // requests answered with status before a success
		status    int
		wantCalls int64
		wantCode  int // 0 means success
	}{
		{"500 then ok", 2, 500, 3, 0},
		{"502 then ok", 1, 502, 2, 0},
		{"503 always", 99, 503, 3, 503},
		{"404 not retried", 99, 404, 1, 404},
		{"403 not retried", 99, 403, 1, 403},
		{"429 then ok", 1, 429, 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls counter
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				if int(calls.add()) <= tt.failures {
					w.WriteHeader(tt.status)
					return
				}
				w.Header().Set("Content-Type", "text/html")
				io.WriteString(w, simpleHTML)
			})
			_, err := newClient(t, nil).Get(t.Context(), fetch.Request{URL: srv.URL})
			var se *fetch.StatusError
			switch {
			case tt.wantCode == 0 && err != nil:
				t.Errorf("Get error = %v, want success", err)
			case tt.wantCode != 0 && (!errors.As(err, &se) || se.Code != tt.wantCode || se.URL != srv.URL):
				t.Errorf("Get error = %v, want StatusError{%s, %d}", err, srv.URL, tt.wantCode)
			}
			if n := calls.get(); n != tt.wantCalls {
				t.Errorf("server saw %d requests, want %d", n, tt.wantCalls)
			}
		})
	}
}

func TestRetryNetworkError(t *testing.T) {
	var calls counter
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.add() == 1 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close() // drop the connection without an answer
			}
			return
		}
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, simpleHTML)
	})
	if _, err := newClient(t, nil).Get(t.Context(), fetch.Request{URL: srv.URL}); err != nil {
		t.Fatalf("Get: %v", err)
	}
	if n := calls.get(); n != 2 {
		t.Errorf("server saw %d requests, want 2", n)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		status     int
		retryAfter string
		now        time.Time
		wantCalls  int64
		wantRetry  time.Duration // in the StatusError; 0 means success expected
		minElapsed time.Duration
	}{
		// The date is one second after now+0.85s, so the wait is 150ms.
		{"429 http date", 429, now.Add(time.Second).Format(http.TimeFormat), now.Add(850 * time.Millisecond), 2, 0, 100 * time.Millisecond},
		{"503 zero seconds", 503, "0", now, 2, 0, 0},
		{"429 over cap", 429, "120", now, 1, 120 * time.Second, 0},
		{"503 date over cap", 503, now.Add(time.Hour).Format(http.TimeFormat), now, 1, time.Hour, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls counter
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				if calls.add() == 1 {
					w.Header().Set("Retry-After", tt.retryAfter)
					w.WriteHeader(tt.status)
					return
				}
				w.Header().Set("Content-Type", "text/html")
				io.WriteString(w, simpleHTML)
			})
			c := newClient(t, func(o *fetch.Options) { o.Now = func() time.Time { return tt.now } })
			start := time.Now()
			_, err := c.Get(t.Context(), fetch.Request{URL: srv.URL})
			elapsed := time.Since(start)
			if tt.wantRetry == 0 && err != nil {
				t.Fatalf("Get error = %v, want success", err)
			}
			if tt.wantRetry != 0 {
				var se *fetch.StatusError
				if !errors.As(err, &se) || se.Code != tt.status || se.RetryAfter != tt.wantRetry {
					t.Fatalf("Get error = %v, want StatusError %d with RetryAfter %s", err, tt.status, tt.wantRetry)
				}
			}
			if n := calls.get(); n != tt.wantCalls {
				t.Errorf("server saw %d requests, want %d", n, tt.wantCalls)
			}
			if elapsed < tt.minElapsed {
				t.Errorf("Get took %s, want at least %s (Retry-After ignored?)", elapsed, tt.minElapsed)
			}
		})
	}
}

func TestContextCancel(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	ctx, cancel := context.WithCancel(t.Context())
	c := newClient(t, func(o *fetch.Options) {
		// Cancel as soon as the first answer has been handled: Now is read
		// to parse Retry-After, before the 30s wait starts.
		o.Now = func() time.Time { cancel(); return time.Now() }
	})
	start := time.Now()
	_, err := c.Get(ctx, fetch.Request{URL: srv.URL})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Get error = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Get took %s after cancel, want it to stop waiting at once", d)
	}
}

func TestTLS(t *testing.T) {
	var calls counter
	srv := httptestTLS(t, func(w http.ResponseWriter, r *http.Request) {
		calls.add()
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, simpleHTML)
	})
	t.Run("untrusted certificate", func(t *testing.T) {
		_, err := newClient(t, nil).Get(t.Context(), fetch.Request{URL: srv.URL})
		var uae x509.UnknownAuthorityError
		var cve *tls.CertificateVerificationError
		if !errors.As(err, &uae) && !errors.As(err, &cve) {
			t.Fatalf("Get error = %v, want a certificate error", err)
		}
		if n := calls.get(); n != 0 {
			t.Errorf("server saw %d requests, want 0", n)
		}
	})
	t.Run("trusted", func(t *testing.T) {
		pool := x509.NewCertPool()
		pool.AddCert(srv.Certificate())
		c := newClient(t, func(o *fetch.Options) { o.TLSConfig = &tls.Config{RootCAs: pool} })
		if _, err := c.Get(t.Context(), fetch.Request{URL: srv.URL}); err != nil {
			t.Fatalf("Get: %v", err)
		}
	})
}

func TestDNSFailure(t *testing.T) {
	var dials counter
	errNoDNS := errors.New("dns is down")
	c := newClient(t, func(o *fetch.Options) {
		o.AllowPrivate = false
		o.Resolver = &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
			dials.add()
			return nil, errNoDNS
		}}
	})
	_, err := c.Get(t.Context(), fetch.Request{URL: "http://news.example.com/story"})
	var dnsErr *net.DNSError
	if !errors.As(err, &dnsErr) {
		t.Fatalf("Get error = %v, want a *net.DNSError", err)
	}
	if dials.get() == 0 {
		t.Errorf("the injected resolver was never used")
	}
}
