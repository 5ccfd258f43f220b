package fetch

import (
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"testing"
	"time"
)

func TestPublicAddr(t *testing.T) {
	tests := []struct {
		ip   string
		want bool
	}{
		{"8.8.8.8", true},
		{"93.184.216.34", true},
		{"2606:4700:4700::1111", true},
		{"::ffff:8.8.8.8", true},
		{"64:ff9b::808:808", true}, // NAT64 of 8.8.8.8
		{"127.0.0.1", false},
		{"127.255.255.254", false},
		{"10.1.2.3", false},
		{"172.16.0.1", false},
		{"172.31.255.255", false},
		{"192.168.1.1", false},
		{"169.254.169.254", false}, // cloud metadata
		{"100.64.0.1", false},
		{"100.127.255.255", false},
		{"0.0.0.0", false},
		{"0.1.2.3", false},
		{"224.0.0.1", false},
		{"239.255.255.250", false},
		{"255.255.255.255", false},
		{"198.18.0.1", false},
		{"::1", false},
		{"::", false},
		{"fc00::1", false},
		{"fd12:3456::1", false},
		{"fe80::1", false},
		{"ff02::1", false},
		{"::ffff:127.0.0.1", false},
		{"::ffff:10.0.0.1", false},
		{"::ffff:169.254.169.254", false},
		{"::ffff:100.64.0.1", false},
		{"::ffff:0.1.2.3", false},
		{"64:ff9b::7f00:1", false}, // NAT64 of 127.0.0.1
		{"2001:db8::1", false},
	}
	for _, tt := range tests {
		if got := publicAddr(netip.MustParseAddr(tt.ip)); got != tt.want {
			t.Errorf("publicAddr(%s) = %v, want %v", tt.ip, got, tt.want)
		}
	}
}

// TestRedirectToPrivate lets the first loopback server through the dial
// guard, as if it were public, and checks that its redirect to a second
// (private) server is refused at dial time.
func TestRedirectToPrivate(t *testing.T) {
	var privateHits int
	private := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		privateHits++
		io.WriteString(w, "secret")
	}))
	t.Cleanup(private.Close)
	public := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, private.URL+"/admin", http.StatusFound)
	}))
	t.Cleanup(public.Close)
	_, port, _ := net.SplitHostPort(public.Listener.Addr().String())
	publicPort, _ := strconv.Atoi(port)

	c := New(Options{Timeout: 2 * time.Second, Backoff: time.Millisecond})
	c.dialGuard = func(ap netip.AddrPort) error {
		if int(ap.Port()) == publicPort {
			return nil // pretend the first server is on the internet
		}
		return checkPublic(ap)
	}
	_, err := c.Get(t.Context(), Request{URL: public.URL + "/story"})
	if !errors.Is(err, ErrPrivateAddress) {
		t.Fatalf("Get error = %v, want ErrPrivateAddress", err)
	}
	var ue *url.Error
	if !errors.As(err, &ue) || ue.URL != private.URL+"/admin" {
		t.Errorf("Get error = %v, want a *url.Error for %s", err, private.URL+"/admin")
	}
	if privateHits != 0 {
		t.Errorf("private server saw %d requests, want 0", privateHits)
	}
}

// TestSlowDownAfter429 checks that a 429's Retry-After slows the host for
// the rest of the Client's life, and that other hosts are unaffected.
func TestSlowDownAfter429(t *testing.T) {
	first := true
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if first {
			first = false
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<p>ok</p>")
	}))
	t.Cleanup(srv.Close)
	c := New(Options{AllowPrivate: true, Timeout: 2 * time.Second, MaxAttempts: 1})
	u, _ := url.Parse(srv.URL)
	if _, err := c.Get(t.Context(), Request{URL: srv.URL}); err == nil {
		t.Fatal("Get succeeded, want the 429 (MaxAttempts 1)")
	}
	if got := c.host(u.Host).gap(); got != time.Second {
		t.Errorf("host gap after 429 Retry-After: 1 = %s, want 1s", got)
	}
	if got := c.host("other.example:80").gap(); got != 0 {
		t.Errorf("other host gap = %s, want 0", got)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"0", 0},
		{"-5", 0},
		{"7", 7 * time.Second},
		{" 7 ", 7 * time.Second},
		{"99999999999999999", 24 * time.Hour},
		{"soon", 0},
		{"Thu, 26 Nov 2026 12:00:30 GMT", 30 * time.Second},
		{"Thursday, 26-Nov-26 12:01:00 GMT", time.Minute},
		{"Thu, 26 Nov 2026 11:00:00 GMT", 0},
	}
	for _, tt := range tests {
		if got := parseRetryAfter(tt.in, now); got != tt.want {
			t.Errorf("parseRetryAfter(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestBackoff(t *testing.T) {
	c := New(Options{Backoff: 100 * time.Millisecond, MaxRetryAfter: time.Second})
	for n, want := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 3: 400 * time.Millisecond, 10: time.Second} {
		for range 50 {
			if got := c.backoffFor(n); got < want/2 || got > want {
				t.Fatalf("backoffFor(%d) = %s, want within [%s, %s]", n, got, want/2, want)
			}
		}
	}
}
