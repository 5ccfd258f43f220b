package archive

import (
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/google/go-cmp/cmp"
)

// TestParseIndex round-trips an index through encode and parseIndex, and
// checks that every damaged form of the file is rejected (so the caller
// rebuilds it from history) instead of read as a shorter history.
func TestParseIndex(t *testing.T) {
	h := func(c byte) plumbing.Hash { return plumbing.NewHash(strings.Repeat(string(c), 40)) }
	x := newHistoryIndex()
	x.tip = h('f')
	x.add("b.com/x.md", h('1'))
	x.add("a.com/y z.md", h('2'))
	x.add("a.com/y z.md", h('3'))
	enc := x.encode()
	got, err := parseIndex(enc)
	if err != nil {
		t.Fatalf("parseIndex(encode()) = %v\n%s", err, enc)
	}
	if got.tip != x.tip || !cmp.Equal(got.paths, x.paths) {
		t.Fatalf("round trip: tip %v paths %v, want %v %v", got.tip, got.paths, x.tip, x.paths)
	}
	empty, err := parseIndex(newHistoryIndex().encode())
	if err != nil || len(empty.paths) != 0 {
		t.Fatalf("empty index: %v, %v", empty, err)
	}
	good := string(enc)
	bad := map[string]string{
		"empty":           "",
		"truncated":       good[:len(good)-1],
		"no trailer":      good[:strings.LastIndex(good, "end ")],
		"wrong count":     strings.Replace(good, "end 2", "end 3", 1),
		"bad magic":       strings.Replace(good, "stet-history 1", "stet-history 2", 1),
		"short tip":       strings.Replace(good, strings.Repeat("f", 40), strings.Repeat("f", 39), 1),
		"non-hex hash":    strings.Replace(good, strings.Repeat("1", 40), strings.Repeat("g", 40), 1),
		"short hash":      strings.Replace(good, strings.Repeat("1", 40), strings.Repeat("1", 39), 1),
		"double space":    strings.Replace(good, " "+strings.Repeat("3", 40), "  "+strings.Repeat("3", 39), 1),
		"comma separator": strings.Replace(good, " "+strings.Repeat("3", 40), ","+strings.Repeat("3", 40), 1),
		"no hashes":       strings.Replace(good, "\t"+strings.Repeat("1", 40), "\t", 1),
		"no path":         strings.Replace(good, "b.com/x.md", "", 1),
		"duplicate path":  strings.Replace(good, "b.com/x.md", "a.com/y z.md", 1),
		"trailing space":  strings.Replace(good, strings.Repeat("1", 40)+"\n", strings.Repeat("1", 40)+" \n", 1),
	}
	for name, b := range bad {
		if b == good {
			t.Fatalf("%s: the damage did not change the file", name)
		}
		if x, err := parseIndex([]byte(b)); err == nil {
			t.Errorf("%s: parseIndex accepted %q as %v", name, b, x.paths)
		}
	}
}
