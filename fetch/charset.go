package fetch

import (
	"bytes"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// prescanLimit is how far into the document a <meta> charset is looked for,
// as in the WHATWG encoding sniffing algorithm.
const prescanLimit = 1024

// Decode converts an HTML document to UTF-8 and returns the result with the
// WHATWG name of the encoding it was decoded from. contentType is the
// Content-Type header ("" when absent).
//
// The encoding is chosen in this order: a byte order mark; the header's
// charset; a <meta charset> or <meta http-equiv=Content-Type> in the first
// 1024 bytes; UTF-8 when the whole body is valid UTF-8; else windows-1252
// (which WHATWG also uses for iso-8859-1 and us-ascii labels). A declared
// UTF-8 (header or meta) is ignored when the bytes are not valid UTF-8,
// because such pages are nearly always mislabelled legacy text. A body
// that is nearly valid UTF-8 (see [nearlyUTF8]) counts as valid: a stray
// byte pasted into a UTF-8 page becomes U+FFFD rather than turning every
// other non-ASCII character of the page into mojibake.
//
// The result is always valid UTF-8 (undecodable bytes become U+FFFD), the
// BOM is dropped, and the same input always gives the same output. Any
// <meta charset> inside the returned body is stale: do not decode it again.
func Decode(body []byte, contentType string) ([]byte, string) {
	enc, name, skip := chooseEncoding(body, contentType)
	if name == "utf-8" && utf8.Valid(body[skip:]) {
		// Decoding valid UTF-8 changes nothing: copy it instead of running
		// the decoder and ToValidUTF8 over it (6% of the CPU of stet
		// extract over saved pages).
		out := make([]byte, len(body)-skip)
		copy(out, body[skip:])
		return out, name
	}
	out, err := enc.NewDecoder().Bytes(body[skip:])
	if err != nil {
		// x/text decoders replace bad input rather than fail; if one ever
		// does fail, keep the bytes and let ToValidUTF8 clean them.
		out = body[skip:]
	}
	return bytes.ToValidUTF8(out, []byte("\uFFFD")), name
}

// chooseEncoding implements the order documented on [Decode]. skip is the
// length of a byte order mark to drop.
func chooseEncoding(body []byte, contentType string) (enc encoding.Encoding, name string, skip int) {
	switch {
	case bytes.HasPrefix(body, []byte{0xEF, 0xBB, 0xBF}):
		return unicode.UTF8, "utf-8", 3
	case bytes.HasPrefix(body, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "utf-16be", 2
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "utf-16le", 2
	}
	valid := utf8.Valid(body) || nearlyUTF8(body)
	if label := headerCharset(contentType); label != "" {
		if e, n := charset.Lookup(label); e != nil && (n != "utf-8" || valid) {
			return e, n, 0
		}
	}
	if label := metaCharset(body); label != "" {
		if e, n := charset.Lookup(label); e != nil {
			if strings.HasPrefix(n, "utf-16") {
				// WHATWG: a <meta> that claims UTF-16 means UTF-8, since the
				// meta itself was readable as ASCII.
				e, n = unicode.UTF8, "utf-8"
			}
			if n != "utf-8" || valid {
				return e, n, 0
			}
		}
	}
	if valid {
		return unicode.UTF8, "utf-8", 0
	}
	return charmap.Windows1252, "windows-1252", 0
}

// Thresholds of [nearlyUTF8].
const (
	// nearlyUTF8Runes is the fewest multi-byte UTF-8 characters a body
	// that is not valid UTF-8 needs to be read as UTF-8 all the same.
	nearlyUTF8Runes = 8
	// nearlyUTF8Ratio is how many multi-byte UTF-8 characters the body
	// needs for every byte that is not part of one.
	nearlyUTF8Ratio = 10
)

// nearlyUTF8 reports whether body, which is not valid UTF-8, is UTF-8 with
// a few stray bytes: a Windows-1252 dash or a Latin-1 letter pasted into a
// UTF-8 template or article. Legacy text read as UTF-8 is nearly all
// invalid sequences, as its accented letters stand alone, and forms a
// valid multi-byte character only by chance; a page of UTF-8 text holds
// many of those for every stray byte (nearlyUTF8Ratio, and at least
// nearlyUTF8Runes).
func nearlyUTF8(body []byte) bool {
	runes, stray := 0, 0
	for i := 0; i < len(body); {
		if body[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(body[i:])
		if r == utf8.RuneError && n == 1 {
			stray++
		} else {
			runes++
		}
		i += n
	}
	return runes >= nearlyUTF8Runes && stray*nearlyUTF8Ratio <= runes
}

// headerCharset returns the charset parameter of a Content-Type value.
func headerCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return params["charset"]
}

// metaCharset returns the charset label declared by a <meta> element in the
// first [prescanLimit] bytes, or "".
func metaCharset(body []byte) string {
	if len(body) > prescanLimit {
		body = body[:prescanLimit]
	}
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			tag, hasAttr := z.TagName()
			if string(tag) != "meta" || !hasAttr {
				continue
			}
			var cs, httpEquiv, content string
			for {
				k, v, more := z.TagAttr()
				switch string(k) {
				case "charset":
					cs = string(v)
				case "http-equiv":
					httpEquiv = strings.ToLower(string(v))
				case "content":
					content = string(v)
				}
				if !more {
					break
				}
			}
			if cs = strings.TrimSpace(cs); cs != "" {
				return cs
			}
			if httpEquiv == "content-type" {
				if cs := contentCharset(content); cs != "" {
					return cs
				}
			}
		}
	}
}

// contentCharset extracts charset=... from a meta content attribute, which
// is more loosely written than a real header ("text/html;charset=x").
func contentCharset(content string) string {
	if cs := headerCharset(content); cs != "" {
		return cs
	}
	i := indexASCIIFold(content, "charset")
	if i < 0 {
		return ""
	}
	rest := strings.TrimLeft(content[i+len("charset"):], " \t")
	if !strings.HasPrefix(rest, "=") {
		return ""
	}
	rest = strings.Trim(strings.TrimLeft(rest[1:], " \t"), `"'`)
	if j := strings.IndexAny(rest, ` ;"'`); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// indexASCIIFold is strings.Index ignoring ASCII case, for a lower-case
// ASCII letters word. It indexes s itself: strings.ToLower(s) can be longer or
// shorter than s (invalid UTF-8, "İ"), so its offsets do not fit s.
func indexASCIIFold(s, word string) int {
	for i := 0; i+len(word) <= len(s); i++ {
		j := 0
		for j < len(word) && s[i+j]|0x20 == word[j] {
			j++
		}
		if j == len(word) {
			return i
		}
	}
	return -1
}
