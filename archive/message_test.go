package archive

import (
	"strings"
	"testing"
)

func FuzzParseMessage(f *testing.F) {
	f.Add("S\n\nB\n\nStet-Url: https://h.com/a\nStet-Version: 2\n")
	f.Add("S\n\nK: a\n  b\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, msg string) {
		s, b, tr := ParseMessage(msg)
		if strings.Contains(s, "\n") {
			t.Fatalf("subject %q has a newline", s)
		}
		for _, x := range tr {
			if !isTrailerKey(x.Key) {
				t.Fatalf("trailer key %q is not a token", x.Key)
			}
		}
		s2, b2, tr2 := ParseMessage(msg)
		if s != s2 || b != b2 || len(tr) != len(tr2) {
			t.Fatal("ParseMessage not deterministic")
		}
	})
}
