package archive

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// MaxComponent is the longest path component, in bytes, that [PathFor] returns.
const MaxComponent = 200

// ErrBadURL is wrapped by [PathFor] when the URL has no host or cannot be parsed.
var ErrBadURL = errors.New("archive: URL cannot be mapped to a path")

// PathFor maps a canonical article URL to its file path in the archive,
// "<host>/<path>.md". It is pure: the same URL always gives the same path,
// without touching the disk. The result is relative, slash-separated, clean,
// valid NFC UTF-8, ends in ".md", and has no "..", "." or ".git" component, so
// writing it can never escape the archive or reach the git directory.
//
// The mapping:
//
//   - The scheme, user info, and fragment are dropped; http and https map alike.
//   - The host is lower-cased and kept as ASCII (IDN hosts become punycode,
//     "xn--..."); a port is kept as "host_8080".
//   - Path segments are percent-decoded one at a time (so %2F stays inside a
//     segment and cannot make a new directory), NFC-normalised and case-folded.
//     Dot segments are resolved first; empty segments are dropped.
//   - A trailing slash (or an empty path) names "index": https://h/a/ is h/a/index.md.
//   - A query is kept on the last segment after "@": /story?id=123 is story@id=123.md.
//   - Characters unsafe on Windows, macOS or Linux (control and format
//     characters, white space, \ / : * ? " < > | ~), a leading dot, trailing dots,
//     Windows device names (CON, NUL, COM1, ...) and directory names ending in
//     ".md" are rewritten with "_".
//   - Whenever the safe form of a segment differs from the decoded NFC segment
//     (upper-case letters included), a "~" and 8 hex digits of the SHA-256 of the
//     original segment are appended, so names that differ only in case, or that
//     rewrite to the same text, cannot collide even on case-insensitive file
//     systems. A segment longer than [MaxComponent] bytes is cut at a rune
//     boundary and gets the same suffix.
//
// It returns an error wrapping [ErrBadURL] when the URL does not parse or has no host.
func PathFor(canonicalURL string) (string, error) {
	u, err := url.Parse(canonicalURL)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrBadURL, err)
	}
	if u.Host == "" {
		return "", fmt.Errorf("%w: %q has no host", ErrBadURL, canonicalURL)
	}
	host, err := hostComponent(u)
	if err != nil {
		return "", fmt.Errorf("%w: %q: %w", ErrBadURL, canonicalURL, err)
	}

	// Split the escaped path so that %2F stays inside its segment, and
	// resolve dot segments the way a browser would before decoding.
	raw := u.EscapedPath()
	segs := resolveDots(strings.Split(raw, "/"))
	trailing := raw == "" || strings.HasSuffix(raw, "/") || endsInDot(raw)
	var decoded []string
	for _, s := range segs {
		if s == "" {
			continue
		}
		d, err := url.PathUnescape(s)
		if err != nil {
			d = s // keep the raw text; it is made safe below
		}
		decoded = append(decoded, d)
	}
	if trailing || len(decoded) == 0 {
		decoded = append(decoded, "index")
	}
	if q := u.RawQuery; q != "" {
		if dq, err := url.QueryUnescape(q); err == nil {
			q = dq
		}
		decoded[len(decoded)-1] += "@" + q
	}

	parts := make([]string, 0, len(decoded)+1)
	parts = append(parts, host)
	for i, d := range decoded {
		last := i == len(decoded)-1
		parts = append(parts, safeComponent(d, last))
	}
	return strings.Join(parts, "/"), nil
}

// endsInDot reports whether the path ends in a "." or ".." segment, which
// resolve to a directory.
func endsInDot(p string) bool {
	last := strings.ToLower(p[strings.LastIndex(p, "/")+1:])
	switch last {
	case ".", "..", "%2e", "%2e%2e", ".%2e", "%2e.":
		return true
	}
	return false
}

// resolveDots removes "." and ".." segments, including their
// percent-encoded spellings as the WHATWG URL standard does (RFC 3986
// section 5.2.4); ".." never climbs above the root.
func resolveDots(segs []string) []string {
	out := make([]string, 0, len(segs))
	for _, s := range segs {
		switch strings.ToLower(s) {
		case ".", "%2e":
		case "..", "%2e.", ".%2e", "%2e%2e":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, s)
		}
	}
	return out
}

// hostComponent returns the lower-case ASCII host, with "_port" when a port is given.
func hostComponent(u *url.URL) (string, error) {
	h := u.Hostname()
	ascii, err := idna.Lookup.ToASCII(h)
	if err != nil {
		// Not a valid IDN host (e.g. an IP literal with odd text): fall back
		// to the generic segment rules, which are always safe.
		ascii = h
	}
	ascii = strings.ToLower(ascii)
	if p := u.Port(); p != "" {
		ascii += "_" + p
	}
	return safeComponent(ascii, false), nil
}

var deviceNames = map[string]bool{
	"con": true, "prn": true, "aux": true, "nul": true, "conin$": true, "conout$": true,
	"com0": true, "com1": true, "com2": true, "com3": true, "com4": true, "com5": true,
	"com6": true, "com7": true, "com8": true, "com9": true, "com¹": true, "com²": true, "com³": true,
	"lpt0": true, "lpt1": true, "lpt2": true, "lpt3": true, "lpt4": true, "lpt5": true,
	"lpt6": true, "lpt7": true, "lpt8": true, "lpt9": true, "lpt¹": true, "lpt²": true, "lpt³": true,
}

const hashLen = 8 // hex digits in a collision suffix

// safeComponent turns one decoded URL segment into a safe file or directory
// name; file names get ".md".
func safeComponent(orig string, file bool) string {
	orig = norm.NFC.String(strings.ToValidUTF8(orig, "\uFFFD"))
	s := norm.NFC.String(cases.Fold().String(orig))
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == utf8.RuneError, !unicode.IsGraphic(r), unicode.IsSpace(r),
			strings.ContainsRune(`\/:*?"<>|~`, r):
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	s = b.String()
	if strings.HasPrefix(s, ".") {
		s = "_" + s[1:]
	}
	if strings.HasSuffix(s, ".") {
		s = s[:len(s)-1] + "_"
	}
	stem, _, _ := strings.Cut(s, ".")
	if deviceNames[stem] {
		s = "_" + s
	}
	if !file && strings.HasSuffix(s, ".md") {
		s += "_"
	}
	if s == "" {
		s = "_"
	}
	limit := MaxComponent
	if file {
		limit -= len(".md")
	}
	// A name whose letters change on a round trip through upper case (the
	// dotless ı becomes I, then i) would share a file with another on
	// Windows, whose file system compares names upper-cased. (Found by
	// TestPathsNeverCollideWhenFolded.)
	if s != orig || len(s) > limit || strings.ToLower(strings.ToUpper(s)) != s {
		sum := sha256.Sum256([]byte(orig))
		suffix := "~" + hex.EncodeToString(sum[:])[:hashLen]
		s = truncate(s, limit-len(suffix)) + suffix
	}
	if file {
		s += ".md"
	}
	return s
}

// truncate cuts s to at most n bytes at a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// validPath reports whether p is a path Save may write: relative, clean,
// slash-separated, without "." / ".." / ".git" components or NUL.
func validPath(p string) bool {
	if p == "" || !utf8.ValidString(p) || path.Clean(p) != p || strings.HasPrefix(p, "/") ||
		strings.ContainsAny(p, "\x00\\") {
		return false
	}
	for _, c := range strings.Split(p, "/") {
		if c == "" || c == "." || c == ".." || strings.EqualFold(c, ".git") {
			return false
		}
	}
	return true
}
