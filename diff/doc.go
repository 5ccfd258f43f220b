// Package diff compares two versions of an article file and says what
// changed: a short [Summary] for commit messages and log rows, and a
// word-level [Diff] aligned by paragraph that renders as inline text, two
// columns, HTML or JSON.
//
// The article file format is the one written by extract.Markdown and
// described in docs/design.md: YAML front matter, then blocks separated by
// one blank line, one sentence per line. Package diff imports none of
// stet's packages; it only reads bytes.
//
// # Determinism
//
// Every function is pure: the same input gives the same output, byte for
// byte, on every machine. The diff engine runs without a time limit, and
// pathological inputs are bounded by size instead (see [Compare]), so a
// slow machine never produces a different diff.
//
// # Tokens
//
// Text is compared as a sequence of tokens: runs of letters and digits
// (a word, with inner apostrophes and hyphens), runs of white space, and
// single punctuation marks. Han and kana characters are one token
// each, since those scripts do not separate words with spaces. The
// tokens are mapped to runes and diffed with
// github.com/sergi/go-diff/diffmatchpatch, the approach of its
// DiffLinesToChars, so an edit never splits a word.
//
// All functions are safe for concurrent use.
package diff
