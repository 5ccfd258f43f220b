package archive

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/google/go-cmp/cmp"
)

// TestObjectReaderMatchesGit reads every object of a packed repository
// (with OFS deltas from a git repack, and loose objects written after it)
// through objectReader and compares type and content with git cat-file.
func TestObjectReaderMatchesGit(t *testing.T) {
	dir := t.TempDir()
	a, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	save := func(from, to int) {
		for c := from; c < to; c++ {
			i := c % 7
			body := fmt.Sprintf("# Article %d\n\n%s\nVersion %d.\n", i, strings.Repeat("Same sentence here.\n", 40), c)
			msg := fmt.Sprintf("h.com: article %d\n\nChanged.\n\nStet-Url: https://h.com/a%d\n", i, i)
			if _, _, err := a.Save(Change{Path: fmt.Sprintf("h.com/a%d.md", i), Content: []byte(body), Message: msg}); err != nil {
				t.Fatal(err)
			}
		}
	}
	save(0, 40)
	if out, err := exec.Command("git", "-C", dir, "repack", "-a", "-d", "-q", "--depth=50").CombinedOutput(); err != nil {
		t.Fatalf("git repack: %v\n%s", err, out)
	}
	save(40, 45) // loose objects
	a.Close()

	out, err := exec.Command("git", "-C", dir, "cat-file", "--batch-all-objects", "--batch-check=%(objectname) %(objecttype)").Output()
	if err != nil {
		t.Fatal(err)
	}
	verify, _ := exec.Command("git", "-C", dir, "verify-pack", "-v", dir+"/.git/objects/pack/"+packName(t, dir)).Output()
	if !bytes.Contains(verify, []byte("chain length")) {
		t.Fatalf("fixture has no deltas:\n%s", verify)
	}
	r := &objectReader{gitDir: dir + "/.git"}
	defer r.close()
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	for _, l := range lines {
		hs, ts, _ := strings.Cut(l, " ")
		h := plumbing.NewHash(hs)
		want, err := exec.Command("git", "-C", dir, "cat-file", ts, hs).Output()
		if err != nil {
			t.Fatal(err)
		}
		typ, got, err := r.read(h, 0)
		if err != nil {
			t.Fatalf("read(%s): %v", hs, err)
		}
		if typ.String() != ts || !bytes.Equal(got, want) {
			t.Fatalf("read(%s) = %s %q, want %s %q", hs, typ, got, ts, want)
		}
	}
	if _, _, err := r.read(plumbing.NewHash(strings.Repeat("ab", 20)), 0); err != errNoObject {
		t.Errorf("read(missing) error = %v, want errNoObject", err)
	}
	t.Logf("%d objects", len(lines))

	// History and Read on the packed repository agree with the git CLI.
	ra, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ra.Close()
	for i := range 7 {
		p := fmt.Sprintf("h.com/a%d.md", i)
		vs, err := ra.History(p)
		if err != nil {
			t.Fatalf("History(%s): %v", p, err)
		}
		want := strings.Fields(runGit(t, dir, "log", "--reverse", "--format=%H", "--", p))
		var got []string
		for _, v := range vs {
			got = append(got, v.Commit)
			b, err := ra.Read(v.Commit, p)
			if err != nil {
				t.Fatalf("Read(%s, %s): %v", v.Commit, p, err)
			}
			if w := runGit(t, dir, "show", v.Commit+":"+p); string(b) != w {
				t.Errorf("Read(%s, %s) = %q, want %q", v.Commit, p, b, w)
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("History(%s) commits mismatch (-git +History):\n%s", p, diff)
		}
	}
}

func packName(t *testing.T, dir string) string {
	t.Helper()
	out, err := exec.Command("sh", "-c", "ls "+dir+"/.git/objects/pack/ | grep '\\.idx$'").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}
