package discover

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/stet-archive/stet/extract"
)

// ErrInvalidURL is returned (wrapped) by [Canonical] and [Alias] for a
// string that is not an absolute http or https URL with a host.
var ErrInvalidURL = errors.New("discover: not an absolute http(s) URL")

// maxRewrites bounds the fixed-point loop in [Canonical]. Every rewrite
// removes at least one AMP or mobile marker, so real URLs settle in two or
// three rounds; the bound only guards against a rule interaction we missed.
const maxRewrites = 16

// Canonical returns the one URL stet uses to identify the article at raw.
//
// It trims spaces, then:
//   - unwraps AMP cache URLs (https://<x>.cdn.ampproject.org/c/s/<host>/<path>
//     becomes https://<host>/<path>; /c/<host>/... becomes http://<host>/...)
//     and Google AMP viewer URLs (https://www.google.com/amp/s/<host>/<path>);
//   - applies [extract.CleanURL]: no fragment, no user info, no tracking
//     parameters, lower-case scheme and host, no default port, "/" for an
//     empty path, remaining query keys in sorted order;
//   - maps AMP variants to the plain page: a path segment "amp" is removed
//     (/news/amp/story, /story/amp/), a ".amp" suffix or infix of the last
//     segment is removed (/story.amp, /story.amp.html), and the query keys
//     amp (empty, "1" or "true") and outputType=amp are dropped;
//   - maps mobile and AMP hosts to the desktop host: leading "m.",
//     "mobile." and "amp." labels are removed and "www." is put in their
//     place, unless what is left already starts with "www." or has a
//     single label (m.example.com → www.example.com, amp.theguardian.com →
//     www.theguardian.com, m.localhost stays). Sites that serve the desktop
//     page on the bare host still dedupe, because [Discoverer.Discover]
//     compares URLs without a leading "www.".
//
// The scheme is kept as given: an http URL stays http, because some sites
// still serve only http. http and https forms of one URL are the same
// article, though; [Discoverer.Discover] keeps one of them and prefers https.
//
// Feedproxy and FeedBurner redirect URLs (feedproxy.google.com/~r/...,
// feeds.feedburner.com/~r/...) cannot be resolved without following the
// redirect, so Canonical only cleans them; [Alias] reports them as aliases.
//
// Canonical is idempotent: Canonical(Canonical(x)) == Canonical(x), and its
// result always parses as an absolute http(s) URL with a host. It returns an
// error wrapping [ErrInvalidURL] when raw is not such a URL. It is pure and
// safe for concurrent use.
func Canonical(raw string) (string, error) {
	c, _, err := canonical(raw)
	return c, err
}

// Alias returns the [Canonical] form of raw and reports whether raw is an
// alternate form of that article: an AMP or mobile variant, an AMP cache
// URL, a feedproxy or FeedBurner redirect, or a URL carrying tracking
// parameters, a fragment or user info. Purely syntactic differences (case
// of scheme and host, a default port, an empty path, query key order) do
// not make an alias, and neither does http versus https. The error is the
// one [Canonical] returns.
func Alias(raw string) (canonical string, isAlias bool, err error) {
	return canonicalWithAlias(raw)
}

func canonicalWithAlias(raw string) (string, bool, error) {
	c, alias, err := canonical(raw)
	if err != nil {
		return "", false, err
	}
	return c, alias || isFeedProxy(c), nil
}

// canonical does the work of [Canonical] and reports whether any step
// beyond syntactic normalisation changed the URL.
func canonical(raw string) (string, bool, error) {
	u, err := parseHTTP(raw)
	if err != nil {
		return "", false, err
	}
	alias := u.Fragment != "" || u.User != nil || hasTrackingParam(u.RawQuery)
	cur := u.String()
	for range maxRewrites {
		if unwrapAMPCache(u) {
			alias = true
		}
		u = extract.CleanURL(u)
		if rewriteAMPPath(u) || rewriteAMPQuery(u) || rewriteHost(u) {
			alias = true
		}
		if u.Path == "" {
			u.Path, u.RawPath = "/", ""
		}
		next := u.String()
		// Re-parse so that the next round, and the idempotence check, see
		// exactly what a caller passing our output back in would see.
		if u, err = parseHTTP(next); err != nil {
			return "", false, fmt.Errorf("canonical %q: rewrite produced %q: %w", raw, next, err)
		}
		// parseHTTP trims white space, so the re-parsed URL can differ
		// ("http://h/? " becomes "http://h/?"): go on from what it says.
		next = u.String()
		if next == cur {
			return next, alias, nil
		}
		cur = next
	}
	return cur, alias, nil
}

// parseHTTP parses raw and checks that it is an absolute http(s) URL with
// a host.
func parseHTTP(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidURL, err)
	}
	s := strings.ToLower(u.Scheme)
	if (s != "http" && s != "https") || u.Opaque != "" || strings.Trim(u.Hostname(), ".") == "" {
		return nil, fmt.Errorf("%w: %q", ErrInvalidURL, raw)
	}
	return u, nil
}

func hasTrackingParam(rawQuery string) bool {
	for part := range strings.SplitSeq(rawQuery, "&") {
		k, _, _ := strings.Cut(part, "=")
		if key, err := url.QueryUnescape(k); err == nil {
			k = key
		}
		if k != "" && extract.IsTrackingParam(k) {
			return true
		}
	}
	return false
}

// unwrapAMPCache turns https://example-com.cdn.ampproject.org/c/s/example.com/a
// into https://example.com/a. The /v/ (viewer) and /wp/ prefixes carry the
// same layout, and so does Google's viewer, www.google.com/amp/s/... . It
// reports whether u changed.
func unwrapAMPCache(u *url.URL) bool {
	host := strings.ToLower(u.Hostname())
	var prefixes []string
	switch {
	case host == "cdn.ampproject.org" || strings.HasSuffix(host, ".cdn.ampproject.org"):
		prefixes = []string{"/c/", "/v/", "/wp/"}
	case host == "www.google.com" || host == "google.com":
		// Google's AMP viewer: https://www.google.com/amp/s/example.com/a
		prefixes = []string{"/amp/"}
	default:
		return false
	}
	p := u.EscapedPath()
	var rest string
	for _, prefix := range prefixes {
		if r, ok := strings.CutPrefix(p, prefix); ok {
			rest = r
			break
		}
	}
	if rest == "" {
		return false
	}
	scheme := "http"
	if r, ok := strings.CutPrefix(rest, "s/"); ok {
		scheme, rest = "https", r
	}
	inner, err := url.Parse(scheme + "://" + rest)
	if err != nil || inner.Hostname() == "" || inner.User != nil {
		return false
	}
	if inner.RawQuery == "" {
		inner.RawQuery = u.RawQuery
	}
	*u = *inner
	return true
}

// rewriteAMPPath removes "amp" path segments and ".amp" markers in the last
// segment. It reports whether u changed.
func rewriteAMPPath(u *url.URL) bool {
	p := u.EscapedPath()
	segs := strings.Split(p, "/")
	out := segs[:0]
	changed := false
	for i, s := range segs {
		if s == "amp" && i > 0 {
			changed = true
			// Keep the trailing slash of /story/amp/ as /story/.
			continue
		}
		out = append(out, s)
	}
	if n := len(out); n > 0 {
		last := out[n-1]
		switch {
		case strings.HasSuffix(last, ".amp") && len(last) > len(".amp"):
			out[n-1] = strings.TrimSuffix(last, ".amp")
			changed = true
		case strings.Contains(last, ".amp.") && !strings.HasPrefix(last, ".amp."):
			i := strings.LastIndex(last, ".amp.")
			out[n-1] = last[:i] + last[i+len(".amp"):]
			changed = true
		}
	}
	if !changed {
		return false
	}
	np := strings.Join(out, "/")
	// Removing "amp" from "/story/amp/" leaves "/story//"-free output, but
	// "/amp/" alone becomes "/" + "" + "/": collapse a doubled slash we made.
	if strings.HasSuffix(np, "//") && !strings.HasSuffix(p, "//") {
		np = strings.TrimSuffix(np, "/")
	}
	if np == "" {
		np = "/"
	}
	setEscapedPath(u, np)
	return true
}

func setEscapedPath(u *url.URL, escaped string) {
	dec, err := url.PathUnescape(escaped)
	if err != nil {
		// Came from EscapedPath, so it unescapes; keep the bytes if not.
		dec = escaped
	}
	u.Path = dec
	u.RawPath = ""
	if u.EscapedPath() != escaped {
		u.RawPath = escaped
	}
}

// rewriteAMPQuery drops amp, amp=1, amp=true and outputType=amp. The query
// is already in the sorted form CleanURL leaves, so filtering keeps it sorted.
func rewriteAMPQuery(u *url.URL) bool {
	if u.RawQuery == "" {
		return false
	}
	var kept []string
	changed := false
	for part := range strings.SplitSeq(u.RawQuery, "&") {
		k, v, _ := strings.Cut(part, "=")
		lk, lv := strings.ToLower(k), strings.ToLower(v)
		if (lk == "amp" && (lv == "" || lv == "1" || lv == "true")) || (lk == "outputtype" && lv == "amp") {
			changed = true
			continue
		}
		kept = append(kept, part)
	}
	if changed {
		u.RawQuery = strings.Join(kept, "&")
	}
	return changed
}

// rewriteHost maps m., mobile. and amp. hosts to www. (see [Canonical]).
func rewriteHost(u *url.URL) bool {
	host, port := u.Hostname(), u.Port()
	if net.ParseIP(host) != nil {
		return false
	}
	rest := host
	for {
		r, ok := cutAnyPrefix(rest, "m.", "mobile.", "amp.")
		if !ok || !strings.Contains(r, ".") {
			break
		}
		rest = r
	}
	if rest == host {
		return false
	}
	if !strings.HasPrefix(rest, "www.") {
		rest = "www." + rest
	}
	if port != "" {
		rest = net.JoinHostPort(rest, port)
	}
	u.Host = rest
	return true
}

func cutAnyPrefix(s string, prefixes ...string) (string, bool) {
	for _, p := range prefixes {
		if r, ok := strings.CutPrefix(s, p); ok {
			return r, true
		}
	}
	return s, false
}

// isFeedProxy reports whether the canonical URL c is a FeedBurner click
// redirect, which only following the redirect can resolve.
func isFeedProxy(c string) bool {
	u, err := url.Parse(c)
	if err != nil {
		return false
	}
	switch u.Hostname() {
	case "feedproxy.google.com", "feeds.feedburner.com", "feeds2.feedburner.com":
		return strings.HasPrefix(u.Path, "/~r/") || strings.HasPrefix(u.Path, "/~ff/")
	}
	return false
}

// identity is the key under which [Discoverer.Discover] dedupes canonical
// URLs: the canonical URL without its scheme and without a leading "www."
// on the host, so http/https and www/bare forms of one page collide.
func identity(canon string) string {
	_, rest, _ := strings.Cut(canon, "://")
	return strings.TrimPrefix(rest, "www.")
}
