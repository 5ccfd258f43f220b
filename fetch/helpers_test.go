package fetch_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stet-archive/stet/fetch"
)

// newClient returns a Client for loopback tests: private addresses allowed,
// short waits, logs to the test output. set may adjust the options.
func newClient(t *testing.T, set func(*fetch.Options)) *fetch.Client {
	t.Helper()
	opts := fetch.Options{
		AllowPrivate: true,
		Timeout:      2 * time.Second,
		Backoff:      time.Millisecond,
		Logger:       slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if set != nil {
		set(&opts)
	}
	return fetch.New(opts)
}

// serve starts a loopback server for h and closes it when the test ends.
func serve(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// counter counts requests per path.
type counter struct{ n atomic.Int64 }

func (c *counter) add() int64 { return c.n.Add(1) }
func (c *counter) get() int64 { return c.n.Load() }

const simpleHTML = "<!DOCTYPE html><html><head><title>t</title></head><body><p>Hello, world.</p></body></html>\n"

// httptestTLS starts a loopback TLS server for h.
func httptestTLS(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	return srv
}
