package fetch

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Defaults used when the matching [Options] field is zero.
const (
	DefaultMaxBody        = 10 << 20
	DefaultUserAgent      = "stet/dev (+https://github.com/stet-archive/stet)"
	DefaultConnectTimeout = 10 * time.Second
	DefaultTimeout        = 30 * time.Second
	DefaultMaxRedirects   = 10
	DefaultMaxAttempts    = 3
	DefaultBackoff        = 500 * time.Millisecond
	DefaultMaxRetryAfter  = 60 * time.Second
)

// Options configure a [Client]. The zero value is ready to use: every zero
// field means the documented default, and negative numbers are treated as
// zero.
type Options struct {
	UserAgent      string        // "" means DefaultUserAgent; also the robots.txt agent
	MaxBody        int64         // 0 means DefaultMaxBody; a larger body is an error, never truncated
	ConnectTimeout time.Duration // 0 means 10s; DNS and TCP/TLS connect
	Timeout        time.Duration // one attempt incl. redirects and reading the body, not the host queue; 0 means 30s
	MaxRedirects   int           // 0 means 10
	AllowPrivate   bool          // allow loopback/private/link-local/unspecified addresses
	HostInterval   time.Duration // minimum gap between requests to one host; 0 = no limit
	// Robots makes Get honour robots.txt, fetched once per scheme+host per
	// Client. A Crawl-delay (capped at MaxRetryAfter) raises HostInterval for
	// that host when larger.
	Robots        bool
	MaxAttempts   int              // attempts on 5xx, 429 and network errors; 0 means 3
	Backoff       time.Duration    // wait before the first retry, doubled each time, with jitter; 0 means 500ms
	MaxRetryAfter time.Duration    // longest Retry-After or Crawl-delay honoured; 0 means 60s
	Resolver      *net.Resolver    // nil means net.DefaultResolver
	TLSConfig     *tls.Config      // nil means Go's default; cloned, never mutated
	Logger        *slog.Logger     // nil discards; Debug per request, Warn on robots.txt trouble
	Now           func() time.Time // nil means time.Now; used for Retry-After dates
}

// Kind says what a request expects, which decides the accepted content types
// and how the body is processed.
type Kind int

const (
	// HTML accepts text/html and application/xhtml+xml (sniffed when the
	// Content-Type is missing), rejects binary bodies and decodes to UTF-8.
	HTML Kind = iota
	// Feed accepts xml, rss, atom, json, any text/* and gzip types, and
	// returns the raw bytes, gunzipped when the body is gzip data.
	Feed
)

// Request is one GET.
type Request struct {
	URL          string
	Kind         Kind
	ETag         string // sent as If-None-Match when not empty
	LastModified string // sent as If-Modified-Since when not empty
}

// Page is a successful response.
type Page struct {
	URL, FinalURL string // requested URL and URL after redirects
	Status        int
	ContentType   string // the Content-Type header as sent, or the sniffed type when absent
	// Body is, for HTML, the document decoded to UTF-8 (see [Decode]); for
	// Feed, the raw bytes, gunzipped when they were gzip data. Empty when
	// NotModified.
	Body []byte
	// Charset is the encoding an HTML body was decoded from ("" for Feed).
	Charset            string
	ETag, LastModified string // validators to send next time; kept from the Request on 304
	NotModified        bool   // 304 on a conditional request (Body empty)
}

// Client fetches pages politely and safely. Create it with [New]. It is safe
// for concurrent use by many goroutines; its robots.txt cache and per-host
// limits live as long as the Client.
type Client struct {
	opts           Options
	userAgent      string
	maxBody        int64
	connectTimeout time.Duration
	timeout        time.Duration
	maxRedirects   int
	maxAttempts    int
	backoff        time.Duration
	maxRetryAfter  time.Duration
	logger         *slog.Logger
	now            func() time.Time
	http           *http.Client

	// dialGuard checks each resolved address before connecting when
	// AllowPrivate is false. Internal tests replace it to let one loopback
	// server through.
	dialGuard func(netip.AddrPort) error

	mu     sync.Mutex
	hosts  map[string]*hostLimit   // key: lower-case host[:port]
	robots map[string]*robotsEntry // key: scheme://host[:port]
}

// New returns a Client configured by opts (see [Options] for defaults).
func New(opts Options) *Client {
	c := &Client{
		opts:           opts,
		userAgent:      opts.UserAgent,
		maxBody:        opts.MaxBody,
		connectTimeout: opts.ConnectTimeout,
		timeout:        opts.Timeout,
		maxRedirects:   opts.MaxRedirects,
		maxAttempts:    opts.MaxAttempts,
		backoff:        opts.Backoff,
		maxRetryAfter:  opts.MaxRetryAfter,
		logger:         opts.Logger,
		now:            opts.Now,
		dialGuard:      checkPublic,
		hosts:          make(map[string]*hostLimit),
		robots:         make(map[string]*robotsEntry),
	}
	if c.userAgent == "" {
		c.userAgent = DefaultUserAgent
	}
	if c.maxBody <= 0 {
		c.maxBody = DefaultMaxBody
	}
	if c.connectTimeout <= 0 {
		c.connectTimeout = DefaultConnectTimeout
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.maxRedirects <= 0 {
		c.maxRedirects = DefaultMaxRedirects
	}
	if c.maxAttempts <= 0 {
		c.maxAttempts = DefaultMaxAttempts
	}
	if c.backoff <= 0 {
		c.backoff = DefaultBackoff
	}
	if c.maxRetryAfter <= 0 {
		c.maxRetryAfter = DefaultMaxRetryAfter
	}
	if c.logger == nil {
		c.logger = slog.New(slog.DiscardHandler)
	}
	if c.now == nil {
		c.now = time.Now
	}
	var tlsConfig *tls.Config
	if opts.TLSConfig != nil {
		tlsConfig = opts.TLSConfig.Clone()
	}
	transport := &http.Transport{
		// No proxy: a proxy would connect on our behalf and bypass the
		// dial-time address check, and reading env vars is main's job.
		Proxy:                 nil,
		DialContext:           c.dialer().DialContext,
		TLSClientConfig:       tlsConfig,
		TLSHandshakeTimeout:   c.connectTimeout,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	c.http = &http.Client{Transport: transport, CheckRedirect: c.checkRedirect}
	return c
}

// checkRedirect limits redirects, refuses non-http(s) targets, and applies
// robots.txt and the per-host rate limit to each new hop.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > c.maxRedirects {
		return fmt.Errorf("after %d redirects: %w", c.maxRedirects, ErrTooManyRedirects)
	}
	if err := checkScheme(req.URL); err != nil {
		return err
	}
	if c.opts.Robots && req.Context().Value(robotsFetch{}) == nil {
		ok, err := c.allowed(req.Context(), req.URL)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("redirect to %s: %w", req.URL, ErrDisallowed)
		}
	}
	// A hop to the host that just answered continues the same request, as
	// in a browser, so it does not queue again: a Crawl-delay longer than
	// Timeout would otherwise fail every redirecting URL. A new host waits.
	if prev := via[len(via)-1].URL; strings.EqualFold(prev.Host, req.URL.Host) {
		return nil
	}
	return c.host(req.URL.Host).wait(req.Context())
}

func checkScheme(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%q: %w", u.Scheme, ErrScheme)
	}
	if u.Host == "" {
		return fmt.Errorf("no host in %q: %w", u, ErrScheme)
	}
	return nil
}

// Get fetches r.URL, retrying 5xx, 429 and network errors up to
// MaxAttempts times with exponential backoff and jitter, waiting for the
// host's rate limit before every request (that wait is bounded by ctx, not
// by Timeout). Timeouts, certificate errors, unknown host names, other 4xx
// and the refusals below are not retried. With Options.Robots, a URL or
// redirect target that robots.txt disallows is never requested. Errors are
// wrapped as
// "fetch <url>: ..." around a sentinel (ErrTooLarge, ErrContentType,
// ErrPrivateAddress, ErrTooManyRedirects, ErrDisallowed, ErrBinary,
// ErrScheme, ErrTimeout), a *[StatusError], a network error, or ctx.Err().
// A 304 answer to a conditional request returns a Page with NotModified set.
func (c *Client) Get(ctx context.Context, r Request) (*Page, error) {
	p, err := c.get(ctx, r)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", r.URL, err)
	}
	return p, nil
}

func (c *Client) get(ctx context.Context, r Request) (*Page, error) {
	u, err := url.Parse(r.URL)
	if err != nil {
		return nil, err
	}
	if err := checkScheme(u); err != nil {
		return nil, err
	}
	if c.opts.Robots {
		ok, err := c.allowed(ctx, u)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, ErrDisallowed
		}
	}
	for attempt := 1; ; attempt++ {
		p, err := c.attempt(ctx, u, r)
		if err == nil {
			return p, nil
		}
		wait, retry := c.retryWait(u, attempt, err)
		if !retry || attempt >= c.maxAttempts {
			return nil, err
		}
		c.logger.Debug("retrying", "url", r.URL, "attempt", attempt, "wait", wait, "error", err)
		if serr := sleep(ctx, wait); serr != nil {
			return nil, fmt.Errorf("%w (after: %w)", serr, err)
		}
	}
}

// attempt makes one request (following redirects) under the Timeout.
func (c *Client) attempt(ctx context.Context, u *url.URL, r Request) (*Page, error) {
	// Queueing for the host is politeness, not the server being slow, so it
	// happens before the Timeout clock starts.
	if err := c.host(u.Host).wait(ctx); err != nil {
		return nil, err
	}
	start := time.Now()
	actx, cancel := context.WithTimeoutCause(ctx, c.timeout, ErrTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", c.userAgent)
	if r.Kind == HTML {
		req.Header.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1")
	} else {
		req.Header.Set("Accept", "application/rss+xml,application/atom+xml,application/feed+json,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1")
	}
	conditional := r.ETag != "" || r.LastModified != ""
	if r.ETag != "" {
		req.Header.Set("If-None-Match", r.ETag)
	}
	if r.LastModified != "" {
		req.Header.Set("If-Modified-Since", r.LastModified)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, timeoutCause(actx, err)
	}
	defer resp.Body.Close()
	final := resp.Request.URL.String()
	page := &Page{
		URL:          r.URL,
		FinalURL:     final,
		Status:       resp.StatusCode,
		ContentType:  resp.Header.Get("Content-Type"),
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
	}
	log := func(msg string, n int) {
		c.logger.Debug(msg, "url", r.URL, "final", final, "status", resp.StatusCode,
			"bytes", n, "duration", time.Since(start))
	}
	switch {
	case resp.StatusCode == http.StatusNotModified && conditional:
		page.NotModified = true
		if page.ETag == "" {
			page.ETag = r.ETag
		}
		if page.LastModified == "" {
			page.LastModified = r.LastModified
		}
		log("not modified", 0)
		return page, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		log("bad status", 0)
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10)) // lets the connection be reused
		return nil, &StatusError{URL: final, Code: resp.StatusCode, RetryAfter: c.retryAfter(resp)}
	}
	if err := checkDeclaredType(r.Kind, page.ContentType); err != nil {
		return nil, err
	}
	if resp.ContentLength > c.maxBody {
		return nil, fmt.Errorf("content-length %d over %d: %w", resp.ContentLength, c.maxBody, ErrTooLarge)
	}
	body, err := readCapped(resp.Body, c.maxBody)
	if err != nil {
		return nil, timeoutCause(actx, err)
	}
	if err := c.finish(page, r.Kind, body); err != nil {
		return nil, err
	}
	log("fetched", len(page.Body))
	return page, nil
}

// timeoutCause turns an error caused by the attempt's own deadline into
// ErrTimeout (keeping err in the chain), leaving parent cancellation as is.
func timeoutCause(actx context.Context, err error) error {
	if context.Cause(actx) == ErrTimeout && !errors.Is(err, ErrTimeout) {
		return fmt.Errorf("%w: %w", ErrTimeout, err)
	}
	return err
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}
