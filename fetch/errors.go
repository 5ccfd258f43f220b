package fetch

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Sentinel errors returned (wrapped) by [Client.Get] and [Client.Allowed].
// Test for them with errors.Is; they survive wrapping by *url.Error.
var (
	// ErrTooLarge means the body, counted after decompression, exceeded
	// [Options.MaxBody] (or Content-Length announced that it would). The body
	// is never truncated.
	ErrTooLarge = errors.New("fetch: body exceeds size limit")

	// ErrContentType means the response's media type is not accepted for the
	// requested [Kind].
	ErrContentType = errors.New("fetch: unacceptable content type")

	// ErrPrivateAddress means a connection was refused because the resolved
	// IP is loopback, private, link-local, unspecified, CGNAT, multicast or
	// otherwise not globally routable, and [Options.AllowPrivate] is false.
	ErrPrivateAddress = errors.New("fetch: refusing non-public address")

	// ErrTooManyRedirects means more than [Options.MaxRedirects] redirects.
	ErrTooManyRedirects = errors.New("fetch: too many redirects")

	// ErrDisallowed means robots.txt disallows the URL for our user agent.
	ErrDisallowed = errors.New("fetch: disallowed by robots.txt")

	// ErrBinary means a response labelled or sniffed as HTML holds binary
	// data (NUL bytes, a binary signature, or mostly control characters).
	ErrBinary = errors.New("fetch: binary content")

	// ErrScheme means the URL, or a redirect target, is not http or https.
	ErrScheme = errors.New("fetch: unsupported URL scheme")

	// ErrTimeout means one attempt took longer than [Options.Timeout]
	// (connecting, waiting and reading the whole body). It is not retried.
	ErrTimeout = errors.New("fetch: request timed out")
)

// StatusError reports a final HTTP status that is neither 2xx nor a 304
// answering a conditional request. Retrieve it with errors.As.
type StatusError struct {
	URL  string // the URL that answered with Code (after redirects)
	Code int    // HTTP status code
	// RetryAfter is the server's Retry-After on 429 or 503, zero when absent.
	// It is set, and the request is not retried, when it exceeds
	// [Options.MaxRetryAfter].
	RetryAfter time.Duration
}

// Error returns "http status <code> <text>" plus the Retry-After when set.
// The URL is left out because [Client.Get] already wraps it with the URL.
func (e *StatusError) Error() string {
	s := fmt.Sprintf("http status %d %s", e.Code, http.StatusText(e.Code))
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return s
}
