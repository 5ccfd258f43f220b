package archive

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

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
		"old version":     strings.Replace(good, "stet-history 2", "stet-history 1", 1),
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

// TestHistoryAfterShallowChange builds the history index in a depth-1
// clone, as stet run does in the Action's checkout, then changes the
// clone's shallow boundary with the git CLI without moving the branch tip:
// git fetch --unshallow gives the boundary commit its parents, and git
// fetch --depth=1 cuts the chain again though the older objects stay on
// disk. After each change, History and Recent, from the Archive that built
// the index and from a fresh one reading it from disk, must list exactly
// the commits git log does.
func TestHistoryAfterShallowChange(t *testing.T) {
	src := newPusher(t, "src", "", PushOptions{})
	when := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	articles := []string{"a", "b", "c", "d"}
	for i, article := range []string{"a", "b", "a", "c", "b", "a", "d"} {
		src.save(article, fmt.Sprint("text ", i), when.Add(time.Duration(i)*time.Hour))
	}
	dir := filepath.Join(t.TempDir(), "clone")
	gitCmd(t, t.TempDir(), "clone", "-q", "--depth=1", "--no-local", "file://"+src.dir, dir)
	arch, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { arch.Close() })
	arch.noSync = true
	clone := &pusher{t: t, name: "clone", dir: dir, arch: arch}
	clone.save("b", "text in the clone", when.Add(24*time.Hour)) // builds the index first

	// check compares History and Recent, from arch and from a fresh Archive
	// on dir (read-only, as stet log and publish open it), with git log.
	check := func(state string, wantShallow bool) {
		t.Helper()
		if got := arch.Shallow(); got != wantShallow {
			t.Fatalf("%s: Shallow() = %v, want %v", state, got, wantShallow)
		}
		fresh, err := Open(dir, Options{ReadOnly: true}) // as stet publish does
		if err != nil {
			t.Fatal(err)
		}
		defer fresh.Close()
		// git decides which commits the branch has; a commit belongs to
		// the article its Stet-Url trailer names. (git log -- path would
		// also name the boundary commit of a shallow clone for every
		// article in its tree, since git sees it as a root.)
		want := map[string][]string{}
		for _, line := range strings.Split(gitCmd(t, dir, "log", "--first-parent", "--reverse", "--format=%H %(trailers:key=Stet-Url,valueonly,separator=)", "main"), "\n") {
			h, u, _ := strings.Cut(line, " ")
			if p, err := PathFor(u); err == nil {
				want[p] = append(want[p], h)
			}
		}
		for _, a := range []struct {
			name string
			arch *Archive
		}{{"same archive", arch}, {"reopened", fresh}} {
			for _, article := range articles {
				path := mustPath(t, article)
				hist, err := a.arch.History(path)
				if err != nil {
					t.Fatalf("%s, %s: History(%s): %v", state, a.name, article, err)
				}
				var got []string
				for _, v := range hist {
					got = append(got, v.Commit)
				}
				if !slices.Equal(got, want[path]) {
					t.Errorf("%s, %s: History(%s) = %d commits %.7s, git log has %d %.7s", state, a.name, article, len(got), got, len(want[path]), want[path])
				}
			}
			recent, err := a.arch.Recent(time.Time{}, 0)
			if err != nil {
				t.Fatalf("%s, %s: Recent: %v", state, a.name, err)
			}
			var got []string
			for _, v := range recent {
				got = append(got, v.Commit)
			}
			if want := strings.Fields(gitCmd(t, dir, "log", "--first-parent", "--format=%H", "main")); !slices.Equal(got, want) {
				t.Errorf("%s, %s: Recent = %d commits, git log has %d", state, a.name, len(got), len(want))
			}
		}
	}
	check("depth 1", true)
	if n := len(strings.Fields(gitCmd(t, dir, "log", "--format=%H", "main"))); n != 2 {
		t.Fatalf("the depth-1 clone shows %d commits, want 2", n)
	}

	gitCmd(t, dir, "fetch", "-q", "--unshallow", "origin")
	check("unshallowed", false)
	if n := len(strings.Fields(gitCmd(t, dir, "log", "--format=%H", "main"))); n != 8 {
		t.Fatalf("the unshallowed clone shows %d commits, want 8", n)
	}

	// Cut the chain at origin's tip again: the commits below it stay in
	// the object store, but git log no longer shows them.
	gitCmd(t, dir, "fetch", "-q", "--depth=1", "origin")
	check("cut to depth 1 again", true)
	if n := len(strings.Fields(gitCmd(t, dir, "log", "--format=%H", "main"))); n != 2 {
		t.Fatalf("the re-cut clone shows %d commits, want 2", n)
	}
	gitCmd(t, dir, "fsck", "--strict")
}
