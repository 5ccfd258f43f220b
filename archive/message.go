package archive

import (
	"strings"
	"time"
)

// Trailer is one "Key: value" line of a commit message's trailer block.
type Trailer struct{ Key, Value string }

// Version is one commit of an article, as returned by [Archive.History] and
// [Archive.Recent].
type Version struct {
	N        int       // Stet-Version trailer (fallback: position in the path's history, 1-based)
	Commit   string    // full hex hash
	Path     string    // the article file; from PathFor(URL) in Recent
	URL      string    // Stet-Url trailer
	When     time.Time // committer time
	Subject  string
	Body     string    // message body without the trailer block
	Trailers []Trailer // in message order
}

// Trailer returns the value of the first trailer named key (compared
// case-insensitively), or "" when there is none.
func (v Version) Trailer(key string) string {
	for _, t := range v.Trailers {
		if strings.EqualFold(t.Key, key) {
			return t.Value
		}
	}
	return ""
}

// RerenderTrailer marks a commit that re-rendered the kept HTML of the
// latest version with a newer extractor. Such a commit keeps the version
// number it re-renders and is not an edit.
const RerenderTrailer = "Stet-Rerender"

// Rerender reports whether v re-rendered an earlier version (it carries a
// [RerenderTrailer]) rather than recording a new one.
func (v Version) Rerender() bool { return v.Trailer(RerenderTrailer) != "" }

// Edits is the number of versions in history that record what the page
// said (the first sight and every edit), leaving out re-renders: the
// "N versions" of history views, which changed N-1 times.
func Edits(history []Version) int {
	n := 0
	for _, v := range history {
		if !v.Rerender() {
			n++
		}
	}
	return n
}

// ParseMessage splits a commit message into its subject (the first line),
// its body (the text between the blank line after the subject and the
// trailer block, trimmed) and its trailers. The trailer block is the last
// paragraph when every line in it is "Key: value" (Key made of letters,
// digits and '-') or a continuation line starting with white space, which is
// joined to the previous value with a space. A message without such a
// paragraph has no trailers. ParseMessage never fails.
func ParseMessage(msg string) (subject, body string, trailers []Trailer) {
	msg = strings.ReplaceAll(msg, "\r\n", "\n")
	subject, rest, _ := strings.Cut(msg, "\n")
	subject = strings.TrimSpace(subject)
	rest = strings.Trim(rest, "\n")
	paras := strings.Split(rest, "\n\n")
	last := paras[len(paras)-1]
	if ts, ok := parseTrailers(last); ok {
		trailers = ts
		rest = strings.Join(paras[:len(paras)-1], "\n\n")
	}
	return subject, strings.TrimSpace(rest), trailers
}

func parseTrailers(para string) ([]Trailer, bool) {
	if strings.TrimSpace(para) == "" {
		return nil, false
	}
	var out []Trailer
	for _, line := range strings.Split(para, "\n") {
		if (strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t")) && len(out) > 0 {
			out[len(out)-1].Value += " " + strings.TrimSpace(line)
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok || !isTrailerKey(k) {
			return nil, false
		}
		out = append(out, Trailer{Key: k, Value: strings.TrimSpace(v)})
	}
	return out, true
}

func isTrailerKey(k string) bool {
	if k == "" {
		return false
	}
	for _, r := range k {
		if !(r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
