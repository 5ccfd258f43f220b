package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// abbreviations end with a full stop that does not end a sentence. Keys are
// lower case, without the final dot.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "mx": true, "dr": true, "prof": true, "st": true,
	"jr": true, "sr": true, "no": true, "nos": true, "vs": true, "v": true, "e.g": true, "i.e": true,
	"cf": true, "jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true,
	"aug": true, "sep": true, "sept": true, "oct": true, "nov": true, "dec": true, "inc": true,
	"ltd": true, "co": true, "corp": true, "plc": true, "llc": true, "gen": true, "col": true, "lt": true,
	"sgt": true, "capt": true, "cmdr": true, "adm": true, "maj": true, "sen": true, "rep": true,
	"gov": true, "pres": true, "rev": true, "hon": true, "mt": true, "ave": true, "rd": true,
	"fig": true, "figs": true, "approx": true, "est": true, "dept": true, "univ": true,
	"a.m": true, "p.m": true, "u.s": true, "u.k": true, "u.n": true, "e.u": true, "d.c": true,
	"u.s.a": true, "op": true, "vol": true, "pp": true, "p": true, "ch": true, "art": true,
	"al": true, "et al": true, "ft": true, "oz": true, "lb": true, "lbs": true, "cal": true,
	"calif": true, "mass": true, "conn": true, "wash": true, "fla": true, "ariz": true,
	"bros": true, "messrs": true, "mme": true, "mlle": true, "hr": true, "ph.d": true, "b.a": true,
	"m.a": true, "bzw": true, "ca": true, "ggf": true, "usw": true, "z.b": true, "etc": false,
}

// closers may follow a sentence's final punctuation and still belong to it.
func isCloser(r rune) bool {
	switch r {
	case '"', '\'', '”', '’', ')', ']', '}', '»', '›', '」', '』', '）', '】':
		return true
	}
	return false
}

func isOpener(r rune) bool {
	switch r {
	case '"', '\'', '“', '‘', '(', '[', '«', '‹', '¿', '¡', '「', '『', '—', '–', '-':
		return true
	}
	return false
}

// SplitSentences splits a paragraph into sentences, each trimmed, in order;
// joined with spaces they give the paragraph with its whitespace
// collapsed. It knows common abbreviations (Mr., Dr., U.S., e.g., Jan.,
// Inc.), initials (J. K. Rowling), decimals, ellipses, URLs and e-mail
// addresses, quotes and brackets that close a sentence, and the CJK full
// stops 。！？. An empty paragraph gives no sentences.
func SplitSentences(paragraph string) []string {
	text := strings.Join(strings.Fields(paragraph), " ")
	var out []string
	start := 0
	for _, b := range sentenceStarts(text) {
		if s := strings.TrimSpace(text[start:b]); s != "" {
			out = append(out, s)
		}
		start = b
	}
	if s := strings.TrimSpace(text[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// sentenceStarts returns the byte offsets in text where a sentence other
// than the first begins. text has single spaces.
func sentenceStarts(text string) []int {
	var starts []int
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		j := i + size
		switch r {
		case '。', '！', '？', '｡':
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if r2 == '。' || r2 == '！' || r2 == '？' || isCloser(r2) {
					j += s2
					continue
				}
				break
			}
			k := j
			for k < len(text) && text[k] == ' ' {
				k++
			}
			if k < len(text) {
				starts = append(starts, k)
			}
			i = k
			continue
		case '.', '!', '?', '…':
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if r2 == '.' || r2 == '!' || r2 == '?' || r2 == '…' {
					j += s2
					continue
				}
				break
			}
			end := j
			for end < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[end:])
				if !isCloser(r2) {
					break
				}
				end += s2
			}
			if end >= len(text) || text[end] != ' ' {
				i = max(j, i+size)
				continue
			}
			k := end + 1
			if k < len(text) && startsSentence(text[k:]) && !(r == '.' && j == i+1 && end == j && isAbbrev(text[:i])) && !leadingNumber(text[:i]) {
				starts = append(starts, k)
			}
			i = k
			continue
		}
		i = j
	}
	return starts
}

// startsSentence reports whether s begins like a sentence: an upper-case
// or uncased letter or a digit, possibly after opening quotes or brackets.
func startsSentence(s string) bool {
	for _, r := range s {
		if isOpener(r) {
			continue
		}
		if unicode.IsUpper(r) || unicode.IsDigit(r) {
			return true
		}
		if unicode.IsLetter(r) && !unicode.IsLower(r) {
			return true // scripts without case
		}
		return false
	}
	return false
}

// isAbbrev reports whether the word just before a full stop (the end of
// before) is an abbreviation or an initial, so the stop does not end the
// sentence.
func isAbbrev(before string) bool {
	k := strings.LastIndexAny(before, " (\"“‘'[")
	word := before[k+1:]
	if word == "" {
		return false
	}
	lw := strings.ToLower(word)
	if abbreviations[lw] {
		return true
	}
	// Initials: "J" in "J. K. Rowling", and dotted acronyms like "U.S".
	if n := utf8.RuneCountInString(word); n == 1 {
		r, _ := utf8.DecodeRuneInString(word)
		return unicode.IsUpper(r)
	}
	if strings.Contains(word, ".") {
		for part := range strings.SplitSeq(word, ".") {
			if utf8.RuneCountInString(part) > 1 {
				return false
			}
		}
		return true
	}
	return false
}

// leadingNumber reports whether before is a bare number at the start of
// the paragraph ("1. Item"), which is a list marker, not a sentence.
func leadingNumber(before string) bool {
	if before == "" || len(before) > 9 {
		return false
	}
	for i := 0; i < len(before); i++ {
		if before[i] < '0' || before[i] > '9' {
			return false
		}
	}
	return true
}
