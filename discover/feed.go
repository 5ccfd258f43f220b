package discover

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"net/url"
	"strings"

	"github.com/mmcdole/gofeed"
)

// ParseFeed reads an RSS (0.9x, 1.0/RDF, 2.0), Atom or JSON Feed document
// and returns one [Candidate] per item with a usable link, in document
// order, with Via "feed". Links are resolved against base (the feed's URL
// after redirects; "" leaves relative links unresolvable, so they are
// dropped) and made [Canonical]. A FeedBurner feed's feedburner:origLink
// is preferred to its feedproxy link. Title is the item title with outer
// spaces trimmed; Published is the item's published time, else its updated
// time, in UTC, and zero when the feed gives neither. Source is left empty.
//
// Items whose link is missing or not an http(s) URL are skipped, not
// errors. ParseFeed returns an error only when body is not a feed. Entity
// declarations in a DOCTYPE are never expanded. It is pure and safe for
// concurrent use.
func ParseFeed(body []byte, base string) ([]Candidate, error) {
	return parseFeed(body, base, 0)
}

// parseFeed is [ParseFeed] keeping at most max items (0 means all). For
// XML feeds the document is cut after the max-th item before gofeed sees
// it, so that gofeed, which builds every item in memory, only builds those.
func parseFeed(body []byte, base string, max int) ([]Candidate, error) {
	if max > 0 {
		body = truncateFeed(body, max)
	}
	f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("parse feed: %w", err)
	}
	baseURL, _ := url.Parse(base)
	var out []Candidate
	for _, it := range f.Items {
		if it == nil {
			continue
		}
		link := itemLink(it)
		if link == "" {
			continue
		}
		c, err := Canonical(resolve(baseURL, link))
		if err != nil {
			continue
		}
		cand := Candidate{URL: c, Via: ViaFeed, Title: cleanTitle(it.Title)}
		switch {
		case it.PublishedParsed != nil:
			cand.Published = it.PublishedParsed.UTC()
		case it.UpdatedParsed != nil:
			cand.Published = it.UpdatedParsed.UTC()
		}
		out = append(out, cand)
		if max > 0 && len(out) >= max {
			break
		}
	}
	return out, nil
}

// itemLink picks the article link of a feed item.
func itemLink(it *gofeed.Item) string {
	if fb := it.Extensions["feedburner"]; fb != nil {
		for _, e := range fb["origLink"] {
			if v := strings.TrimSpace(e.Value); v != "" {
				return v
			}
		}
	}
	if l := strings.TrimSpace(it.Link); l != "" {
		return l
	}
	for _, l := range it.Links {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	// An RSS guid or Atom id is often the permalink; use it only when it
	// looks like one.
	if g := strings.TrimSpace(it.GUID); strings.HasPrefix(g, "http://") || strings.HasPrefix(g, "https://") {
		return g
	}
	return ""
}

// resolve returns ref resolved against base, or ref itself when base is
// nil or ref does not parse.
func resolve(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if base == nil || base.Scheme == "" {
		return ref
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return base.ResolveReference(r).String()
}

// truncateFeed cuts an XML or JSON feed down to its first max items; see
// [truncateXMLFeed] and [truncateJSONFeed].
func truncateFeed(body []byte, max int) []byte {
	trimmed := bytes.TrimLeft(body, " \t\r\n\ufeff")
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return truncateJSONFeed(trimmed, max)
	}
	return truncateXMLFeed(body, max)
}

// truncateJSONFeed rewrites a JSON Feed object keeping only the first max
// entries of its "items" array; the other members are copied as they are.
// Items past max are read one at a time and dropped, so memory stays
// bounded by max items. It returns body unchanged when there are no more
// than max items or the document does not decode (gofeed then reports it).
func truncateJSONFeed(body []byte, max int) []byte {
	dec := json.NewDecoder(bytes.NewReader(body))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return body
	}
	var out bytes.Buffer
	out.WriteByte('{')
	cut := false
	for n := 0; dec.More(); n++ {
		t, err := dec.Token()
		key, ok := t.(string)
		if err != nil || !ok {
			return body
		}
		if n > 0 {
			out.WriteByte(',')
		}
		k, _ := json.Marshal(key)
		out.Write(k)
		out.WriteByte(':')
		if key != "items" {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return body
			}
			out.Write(raw)
			continue
		}
		if t, err := dec.Token(); err != nil || t != json.Delim('[') {
			return body
		}
		out.WriteByte('[')
		for i := 0; dec.More(); i++ {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return body
			}
			if i >= max {
				cut = true
				continue
			}
			if i > 0 {
				out.WriteByte(',')
			}
			out.Write(raw)
		}
		if _, err := dec.Token(); err != nil {
			return body
		}
		out.WriteByte(']')
	}
	if !cut {
		return body
	}
	out.WriteByte('}')
	return out.Bytes()
}

// truncateXMLFeed returns body cut just after the end tag of its max-th
// <item> or <entry>, followed by end tags for the elements still open, so
// that the result is a well-formed feed of max items. It returns body
// unchanged when the document has no more than max items, is not XML, or
// does not tokenise cleanly (gofeed then reports the problem). The scan
// holds one token at a time, so its memory does not grow with the feed.
func truncateXMLFeed(body []byte, max int) []byte {
	trimmed := bytes.TrimLeft(body, " \t\r\n\ufeff")
	if len(trimmed) == 0 || trimmed[0] != '<' {
		return body
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var open []xml.Name
	items := 0
	for {
		tok, err := d.RawToken()
		if err != nil {
			return body
		}
		switch t := tok.(type) {
		case xml.StartElement:
			open = append(open, t.Name)
		case xml.EndElement:
			if len(open) == 0 {
				return body
			}
			open = open[:len(open)-1]
			if t.Name.Local != "item" && t.Name.Local != "entry" {
				continue
			}
			if items++; items < max {
				continue
			}
			cut := d.InputOffset()
			if len(bytes.TrimSpace(body[cut:])) == 0 {
				return body
			}
			var b bytes.Buffer
			b.Grow(int(cut) + 64)
			b.Write(body[:cut])
			for i := len(open) - 1; i >= 0; i-- {
				b.WriteString("</")
				if open[i].Space != "" {
					b.WriteString(open[i].Space + ":")
				}
				b.WriteString(open[i].Local + ">")
			}
			return b.Bytes()
		}
	}
}

// cleanTitle makes a feed or sitemap title safe for commit messages and
// front matter: HTML entities decoded once (RSS titles and Atom
// type="html" titles are often entity-encoded HTML), invalid UTF-8
// replaced, and runs of white space collapsed to one space.
func cleanTitle(s string) string {
	s = html.UnescapeString(strings.ToValidUTF8(s, "\uFFFD"))
	return strings.Join(strings.Fields(strings.ToValidUTF8(s, "\uFFFD")), " ")
}
