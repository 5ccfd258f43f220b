// Package fetch downloads pages and feeds politely and safely.
//
// A [Client] wraps one net/http client. [Client.Get] fetches one URL and
// returns a [Page]; HTML bodies are decoded to UTF-8 (see [Decode]), feed
// bodies are returned raw (gunzipped when needed). The zero [Options] value
// gives sensible defaults.
//
// # Safety
//
// Every connection is checked at dial time, on the resolved IP, so that
// neither a redirect nor DNS rebinding can reach loopback, private,
// link-local, CGNAT, multicast or unspecified addresses (IPv4-mapped IPv6
// included) unless [Options.AllowPrivate] is set; such attempts fail with
// [ErrPrivateAddress]. Only http and https are followed ([ErrScheme]), at
// most [Options.MaxRedirects] times ([ErrTooManyRedirects]). Bodies are
// capped after decompression ([ErrTooLarge]), so a gzip bomb or an endless
// body costs at most [Options.MaxBody] bytes of memory; a slow body fails at
// [Options.Timeout] ([ErrTimeout]). Environment proxies are ignored.
//
// # Politeness
//
// The User-Agent is honest and configurable. Requests to one host are
// spaced by [Options.HostInterval], raised by a robots.txt Crawl-delay, by
// Retry-After, and by 429 answers, for the rest of the Client's life. With
// [Options.Robots], robots.txt is fetched once per host and obeyed
// ([ErrDisallowed]). 5xx, 429 and network errors are retried with
// exponential backoff and jitter; other 4xx are not. A Retry-After longer
// than [Options.MaxRetryAfter] fails at once with a [*StatusError] carrying
// it, so the caller can reschedule. Every wait honours ctx.
//
// # Conditional requests
//
// [Request.ETag] and [Request.LastModified] become If-None-Match and
// If-Modified-Since; a 304 answer gives a Page with NotModified set and no
// body.
package fetch
