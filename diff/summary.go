package diff

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Summary says in a few numbers what changed between two versions of an
// article. It is what [Summarize] returns and what stet writes into each
// commit body.
type Summary struct {
	// New is true for the first version of an article; the other fields
	// are then zero.
	New bool `json:"new,omitempty"`
	// Headline, Byline and Published hold the old and the new value of a
	// field that changed (white space aside); both are "" when it did
	// not.
	Headline  [2]string `json:"headline,omitzero"`
	Byline    [2]string `json:"byline,omitzero"`
	Published [2]string `json:"published,omitzero"`
	// Sentence counts over the body lines (one sentence per line): an
	// edited sentence is a removed and an added one that share at least
	// half their words, counted once.
	SentencesAdded   int `json:"sentences_added,omitempty"`
	SentencesRemoved int `json:"sentences_removed,omitempty"`
	SentencesEdited  int `json:"sentences_edited,omitempty"`
	// Word counts over the changed sentences: words in added sentences
	// and inserted into edited ones, and the same for removed.
	WordsAdded   int `json:"words_added,omitempty"`
	WordsRemoved int `json:"words_removed,omitempty"`
	// NoteKind ("Correction", "Clarification", "Update" or "Editor's
	// note") and Note (its text, without the leading label) describe a
	// correction or update paragraph new in this version; both are ""
	// when there is none.
	NoteKind string `json:"note_kind,omitempty"`
	Note     string `json:"note,omitempty"`
}

// Changed reports whether the summary records any change. A version
// that differs from the last one only in white space, or in fields the
// summary does not cover (url, site, language), is not Changed.
func (s Summary) Changed() bool {
	return s.New || s.Headline != [2]string{} || s.Byline != [2]string{} || s.Published != [2]string{} ||
		s.SentencesAdded+s.SentencesRemoved+s.SentencesEdited+s.WordsAdded+s.WordsRemoved > 0 || s.Note != ""
}

// Summarize compares two article files and counts what changed. A nil
// or empty old means new is the first version: the summary is just New.
// Like [Compare], it is pure and deterministic.
func Summarize(old, new []byte) Summary {
	if len(old) == 0 {
		return Summary{New: true}
	}
	a, b := Parse(old), Parse(new)
	var s Summary
	s.Headline = fieldPair(a.Title, b.Title)
	s.Byline = fieldPair(a.Byline, b.Byline)
	s.Published = fieldPair(a.Published, b.Published)
	countSentences(&s, sentences(a), sentences(b))
	s.NoteKind, s.Note = findNote(a, b)
	return s
}

func normSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

func fieldPair(a, b string) [2]string {
	a, b = normSpace(a), normSpace(b)
	if a == b {
		return [2]string{}
	}
	return [2]string{a, b}
}

func sentences(d Doc) []string {
	var out []string
	for _, p := range d.Paragraphs {
		for _, l := range p.Lines {
			if l = normSpace(l); l != "" {
				out = append(out, l)
			}
		}
	}
	return out
}

// editThreshold is the share of words a removed and an added sentence
// must share to count as one edited sentence.
const editThreshold = 0.5

func countSentences(s *Summary, a, b []string) {
	for _, h := range diffSeq(a, b) {
		if h.kind == OpEqual {
			continue
		}
		j := 0
		for _, d := range h.a {
			match := -1
			for k := j; k < len(h.b); k++ {
				if similarity(d, h.b[k]) >= editThreshold {
					match = k
					break
				}
			}
			if match < 0 {
				s.SentencesRemoved++
				s.WordsRemoved += countWords(d)
				continue
			}
			for ; j < match; j++ {
				s.SentencesAdded++
				s.WordsAdded += countWords(h.b[j])
			}
			s.SentencesEdited++
			for _, o := range wordDiff(d, h.b[match]) {
				switch o.Kind {
				case OpInsert:
					s.WordsAdded += countWords(o.Text)
				case OpDelete:
					s.WordsRemoved += countWords(o.Text)
				}
			}
			j = match + 1
		}
		for ; j < len(h.b); j++ {
			s.SentencesAdded++
			s.WordsAdded += countWords(h.b[j])
		}
	}
}

// notePattern matches the opening of a correction or update paragraph,
// after any quote marker or emphasis.
var notePattern = regexp.MustCompile(`(?i)^(correction|clarification|updated?|editor['’]s note|this (?:article|story|report|piece) (?:was|has been) (amended|corrected|updated|changed))\b`)

// findNote returns the kind and text of the last paragraph of b that is
// a correction or update note and is not in a.
func findNote(a, b Doc) (kind, text string) {
	seen := map[string]bool{}
	for _, p := range a.Paragraphs {
		seen[normSpace(strings.Join(p.Lines, " "))] = true
	}
	for i := len(b.Paragraphs) - 1; i >= 0; i-- {
		t := normSpace(strings.Join(b.Paragraphs[i].Lines, " "))
		if seen[t] {
			continue
		}
		plain := strings.TrimLeft(t, "> *_")
		m := notePattern.FindStringSubmatch(plain)
		if m == nil {
			continue
		}
		word := strings.ToLower(m[1])
		switch {
		case strings.HasPrefix(word, "correction"):
			kind = "Correction"
		case strings.HasPrefix(word, "clarification"):
			kind = "Clarification"
		case strings.HasPrefix(word, "update"):
			kind = "Update"
		case strings.HasPrefix(word, "editor"):
			kind = "Editor's note"
		case m[2] == "amended" || m[2] == "corrected":
			kind = "Correction"
		default:
			kind = "Update"
		}
		if m[2] == "" {
			// Drop the label itself: "Correction: The ..." → "The ...".
			plain = strings.TrimLeft(plain[len(m[1]):], "*_ :.—–-")
		}
		return kind, strings.TrimRight(plain, "*_ ")
	}
	return "", ""
}

// maxNote is the longest note, in runes, that Lines quotes.
const maxNote = 200

// Lines returns the summary as commit-body lines, in this order: "New
// article"; `Headline: "old" → "new"`; `Byline: "old" → "new"`;
// `Published: old → new`; a count line such as "2 sentences added, 1
// removed, 3 edited; +41 −12 words"; `Correction: "…"` (or Update,
// Clarification, Editor's note). Lines that would say nothing are left
// out, so Lines is empty when only white space changed. Quoted values use
// Go string syntax.
func (s Summary) Lines() []string {
	if s.New {
		return []string{"New article"}
	}
	var out []string
	if s.Headline != [2]string{} {
		out = append(out, "Headline: "+strconv.Quote(s.Headline[0])+" → "+strconv.Quote(s.Headline[1]))
	}
	if s.Byline != [2]string{} {
		out = append(out, "Byline: "+strconv.Quote(s.Byline[0])+" → "+strconv.Quote(s.Byline[1]))
	}
	if s.Published != [2]string{} {
		out = append(out, "Published: "+orNone(s.Published[0])+" → "+orNone(s.Published[1]))
	}
	if c := s.counts(); c != "" {
		out = append(out, c)
	}
	if s.Note != "" {
		out = append(out, s.NoteKind+": "+strconv.Quote(truncate(s.Note, maxNote)))
	}
	return out
}

// Short returns the summary as one line for a log row, such as "headline
// changed; 2 sentences added, 1 removed; +41 −12 words; correction".
// It is "New article" for a first version and "no visible change" when
// not [Summary.Changed].
func (s Summary) Short() string {
	if s.New {
		return "New article"
	}
	var parts []string
	if s.Headline != [2]string{} {
		parts = append(parts, "headline changed")
	}
	if s.Byline != [2]string{} {
		parts = append(parts, "byline changed")
	}
	if s.Published != [2]string{} {
		parts = append(parts, "published date changed")
	}
	if c := s.counts(); c != "" {
		parts = append(parts, c)
	}
	if s.Note != "" {
		parts = append(parts, strings.ToLower(s.NoteKind))
	}
	if len(parts) == 0 {
		return "no visible change"
	}
	return strings.Join(parts, "; ")
}

func (s Summary) counts() string {
	var parts []string
	for _, c := range []struct {
		n    int
		verb string
	}{{s.SentencesAdded, "added"}, {s.SentencesRemoved, "removed"}, {s.SentencesEdited, "edited"}} {
		if c.n == 0 {
			continue
		}
		if len(parts) == 0 {
			parts = append(parts, fmt.Sprintf("%d %s %s", c.n, plural(c.n, "sentence", "sentences"), c.verb))
		} else {
			parts = append(parts, fmt.Sprintf("%d %s", c.n, c.verb))
		}
	}
	out := strings.Join(parts, ", ")
	if s.WordsAdded+s.WordsRemoved > 0 {
		w := fmt.Sprintf("+%d −%d words", s.WordsAdded, s.WordsRemoved)
		if out == "" {
			return w
		}
		out += "; " + w
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimRight(string(r[:n-1]), " ") + "…"
}
