package fetch

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"
)

// readCapped reads all of r, failing with ErrTooLarge as soon as more than
// max bytes arrive. Memory stays bounded by max however long r is, which
// is what defuses gzip bombs: the transport decompresses lazily, so only
// max+1 decompressed bytes are ever produced.
func readCapped(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("body over %d bytes: %w", max, ErrTooLarge)
	}
	return b, nil
}

// mediaType returns the lower-case media type of a Content-Type value.
func mediaType(contentType string) string {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt, _, _ = strings.Cut(contentType, ";")
	}
	return strings.ToLower(strings.TrimSpace(mt))
}

func htmlType(mt string) bool {
	return mt == "text/html" || mt == "application/xhtml+xml"
}

func feedType(mt string) bool {
	return strings.HasPrefix(mt, "text/") || strings.Contains(mt, "xml") ||
		strings.Contains(mt, "json") || mt == "application/gzip" || mt == "application/x-gzip"
}

// checkDeclaredType rejects a declared Content-Type early, before the body
// is read. A missing type, and application/octet-stream for feeds (common
// for sitemap.xml.gz), are decided by sniffing in finish.
func checkDeclaredType(k Kind, contentType string) error {
	mt := mediaType(contentType)
	if mt == "" {
		return nil
	}
	switch k {
	case HTML:
		if htmlType(mt) {
			return nil
		}
	case Feed:
		if feedType(mt) || mt == "application/octet-stream" {
			return nil
		}
	}
	return fmt.Errorf("%q: %w", mt, ErrContentType)
}

var gzipMagic = []byte{0x1f, 0x8b}

// finish turns the raw body into page.Body according to k.
func (c *Client) finish(page *Page, k Kind, body []byte) error {
	mt := mediaType(page.ContentType)
	if k == Feed {
		if bytes.HasPrefix(body, gzipMagic) {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				return fmt.Errorf("gunzip: %w", err)
			}
			if body, err = readCapped(zr, c.maxBody); err != nil {
				return fmt.Errorf("gunzip: %w", err)
			}
		}
		if mt == "" || mt == "application/octet-stream" {
			sniffed := http.DetectContentType(body)
			if !feedType(mediaType(sniffed)) {
				return fmt.Errorf("sniffed %q: %w", sniffed, ErrContentType)
			}
			if mt == "" {
				page.ContentType = sniffed
			}
		}
		page.Body = body
		return nil
	}
	declared := page.ContentType
	if mt == "" {
		sniffed := http.DetectContentType(body)
		if !htmlType(mediaType(sniffed)) {
			return fmt.Errorf("sniffed %q: %w", sniffed, ErrContentType)
		}
		page.ContentType = sniffed
	}
	// Decode with the header as sent: the sniffed type always claims UTF-8.
	text, name := Decode(body, declared)
	if binary(body, text, name) {
		return ErrBinary
	}
	page.Body, page.Charset = text, name
	return nil
}

// binarySample is how much of a body the binary checks look at.
const binarySample = 8 << 10

// binary reports whether a body served as HTML is really binary data: a
// NUL byte or a non-text signature in the raw bytes (skipped for UTF-16,
// where NULs are normal), or more than 10% control characters and U+FFFD in
// the decoded text.
func binary(raw, text []byte, charset string) bool {
	if !strings.HasPrefix(charset, "utf-16") {
		sample := raw[:min(len(raw), binarySample)]
		if bytes.IndexByte(sample, 0) >= 0 {
			return true
		}
		if !strings.HasPrefix(http.DetectContentType(sample), "text/") {
			return true
		}
	}
	sample := text[:min(len(text), binarySample)]
	var runes, bad int
	for len(sample) > 0 {
		r, size := utf8.DecodeRune(sample)
		sample = sample[size:]
		if size == 1 && r == utf8.RuneError {
			break // text is valid UTF-8, so this is a rune cut by the sample
		}
		runes++
		if r == 0 || r == utf8.RuneError || (unicode.IsControl(r) && !strings.ContainsRune("\t\n\r\f", r)) {
			bad++
		}
	}
	return runes > 0 && bad*10 > runes
}
