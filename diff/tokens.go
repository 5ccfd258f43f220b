package diff

import (
	"unicode"
	"unicode/utf8"

	"github.com/clipperhouse/uax29/v2/graphemes"
)

// tokenize splits s into words, white-space runs and single other
// characters; concatenating the tokens gives s back. Invalid UTF-8 bytes
// are single tokens.
func tokenize(s string) []string {
	var toks []string
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		j := i + n
		switch {
		case r == '\n':
			// A newline is its own token: it separates sentences, and
			// renderers break lines there.
		case unicode.IsSpace(r):
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if r2 == '\n' || !unicode.IsSpace(r2) {
					break
				}
				j += n2
			}
		case isIdeograph(r) || !isWordRune(r):
			// One character (a whole grapheme cluster, so an emoji
			// with its modifiers or a letter with its accents stays
			// together), one token.
			if n < len(s)-i {
				g := graphemes.FromString(s[i:])
				g.Next()
				j = i + max(len(g.Value()), n)
			}
		default:
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if isWordRune(r2) && !isIdeograph(r2) {
					j += n2
					continue
				}
				// Keep inner apostrophes and hyphens: "don't", "well-known".
				if r2 == '\'' || r2 == '’' || r2 == '-' {
					r3, n3 := utf8.DecodeRuneInString(s[j+n2:])
					if j+n2 < len(s) && isWordRune(r3) && !isIdeograph(r3) {
						j += n2 + n3
						continue
					}
				}
				break
			}
		}
		toks = append(toks, s[i:j])
		i = j
	}
	return toks
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '_'
}

// isIdeograph reports scripts written without spaces between words.
func isIdeograph(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r)
}

// isWord reports whether a token counts as a word for the summary.
func isWord(tok string) bool {
	for _, r := range tok {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// countWords counts word tokens in s.
func countWords(s string) int {
	n := 0
	for _, t := range tokenize(s) {
		if isWord(t) {
			n++
		}
	}
	return n
}
