package discover

import (
	"bytes"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// PageLinks returns the absolute http and https URLs of the <a href> links
// in an HTML document, in document order without exact duplicates. Hrefs
// are resolved against the document's first <base href> (itself resolved
// against base) or, without one, against base; with neither, relative
// hrefs are dropped. Fragments are removed, so in-page anchors resolve to
// the page itself; otherwise URLs are as resolved, not yet [Canonical].
// Malformed HTML is read the way browsers read it. PageLinks is pure and
// safe for concurrent use.
func PageLinks(doc []byte, base string) []string {
	baseURL, err := url.Parse(strings.TrimSpace(base))
	if err != nil || !baseURL.IsAbs() {
		baseURL = nil
	}
	var (
		out     []string
		seen    = map[string]bool{}
		baseSet bool
	)
	z := html.NewTokenizer(bytes.NewReader(doc))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		a := atom.Lookup(name)
		if (a != atom.A && a != atom.Base) || !hasAttr {
			continue
		}
		href, ok := attr(z, "href")
		if !ok {
			continue
		}
		ref, err := url.Parse(strings.TrimSpace(href))
		if err != nil {
			continue
		}
		if a == atom.Base {
			if !baseSet {
				baseSet = true
				if baseURL != nil {
					baseURL = baseURL.ResolveReference(ref)
				} else if ref.IsAbs() {
					baseURL = ref
				}
			}
			continue
		}
		if !ref.IsAbs() {
			if baseURL == nil {
				continue
			}
			ref = baseURL.ResolveReference(ref)
		}
		if s := strings.ToLower(ref.Scheme); (s != "http" && s != "https") || ref.Hostname() == "" {
			continue
		}
		ref.Fragment, ref.RawFragment = "", ""
		u := ref.String()
		if _, err := parseHTTP(u); err != nil {
			continue // resolves to no usable URL ("//::" gives "https://::")
		}
		if !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
}

// attr returns the value of the current tag's attribute key.
func attr(z *html.Tokenizer, key string) (string, bool) {
	for {
		k, v, more := z.TagAttr()
		if string(k) == key {
			return string(v), true
		}
		if !more {
			return "", false
		}
	}
}
