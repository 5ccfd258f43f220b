package fetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// hostLimit spaces out requests to one host. Its interval only grows.
type hostLimit struct {
	limiter *rate.Limiter

	mu       sync.Mutex
	interval time.Duration
}

// host returns the limiter for host, creating it on first use.
func (c *Client) host(host string) *hostLimit {
	host = strings.ToLower(host)
	c.mu.Lock()
	defer c.mu.Unlock()
	h, ok := c.hosts[host]
	if !ok {
		h = &hostLimit{limiter: rate.NewLimiter(rate.Inf, 1)}
		h.raise(c.opts.HostInterval)
		c.hosts[host] = h
	}
	return h
}

// raise makes the gap between requests at least d.
func (h *hostLimit) raise(d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if d <= h.interval {
		return
	}
	h.interval = d
	h.limiter.SetLimit(rate.Every(d))
}

// gap returns the current minimum gap.
func (h *hostLimit) gap() time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.interval
}

// wait blocks until the host may be contacted again or ctx is done, in
// which case it returns ctx's cause and gives the slot back. Unlike
// rate.Limiter.Wait it never fails early because of ctx's deadline, so the
// error is always a context error.
func (h *hostLimit) wait(ctx context.Context) error {
	r := h.limiter.Reserve() // burst is 1, so a reservation is always possible
	if err := sleep(ctx, r.Delay()); err != nil {
		r.Cancel()
		return err
	}
	return nil
}

// retryAfter parses a Retry-After header on 429 and 503 (delta-seconds or
// an HTTP date, measured against Options.Now). Absent, invalid or past
// values give 0.
func (c *Client) retryAfter(resp *http.Response) time.Duration {
	if resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable {
		return 0
	}
	return parseRetryAfter(resp.Header.Get("Retry-After"), c.now())
}

func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		if n > int64(24*time.Hour/time.Second) {
			n = int64(24 * time.Hour / time.Second) // avoid overflow; anything this long is "too long"
		}
		return time.Duration(n) * time.Second
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	if d := t.Sub(now); d > 0 {
		return d
	}
	return 0
}

// retryWait decides whether err from attempt number n is worth another try
// and how long to wait first. It also slows the host down after 429s and
// after any Retry-After, for the rest of the Client's life.
func (c *Client) retryWait(u *url.URL, n int, err error) (time.Duration, bool) {
	if se, ok := errors.AsType[*StatusError](err); ok {
		switch {
		case se.Code == http.StatusTooManyRequests || (se.Code == http.StatusServiceUnavailable && se.RetryAfter > 0):
			if se.RetryAfter > c.maxRetryAfter {
				c.host(u.Host).raise(c.maxRetryAfter)
				return 0, false
			}
			wait := se.RetryAfter
			if wait == 0 {
				wait = c.backoffFor(n)
			}
			c.host(u.Host).raise(wait)
			return wait, true
		case se.Code >= 500:
			return c.backoffFor(n), true
		}
		return 0, false
	}
	if !retryable(err) {
		return 0, false
	}
	return c.backoffFor(n), true
}

// backoffFor returns Backoff·2^(n-1), capped at MaxRetryAfter, with jitter
// drawn from its upper half so retries from many clients spread out.
func (c *Client) backoffFor(n int) time.Duration {
	d := c.backoff
	for i := 1; i < n && d < c.maxRetryAfter; i++ {
		d *= 2
	}
	d = min(d, c.maxRetryAfter)
	return d/2 + rand.N(d/2+1)
}

// retryable reports whether a transport or body error may go away on
// retry: not our own refusals, not timeouts or cancellation, not
// certificate problems, and not a name that does not exist.
func retryable(err error) bool {
	for _, perm := range []error{ErrTooLarge, ErrContentType, ErrPrivateAddress, ErrTooManyRedirects,
		ErrDisallowed, ErrBinary, ErrScheme, ErrTimeout, context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, perm) {
			return false
		}
	}
	if _, ok := errors.AsType[*tls.CertificateVerificationError](err); ok {
		return false
	}
	if _, ok := errors.AsType[x509.UnknownAuthorityError](err); ok {
		return false
	}
	if _, ok := errors.AsType[x509.HostnameError](err); ok {
		return false
	}
	if dnsErr, ok := errors.AsType[*net.DNSError](err); ok && dnsErr.IsNotFound {
		return false
	}
	return true
}
