package archive

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var t0 = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

func runGit(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func openT(t testing.TB, dir string, opts Options) *Archive {
	t.Helper()
	a, err := Open(dir, opts)
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

func message(url string, n int) string {
	return fmt.Sprintf("Example: title %d\n\nChanged paragraph %d\n\nStet-Url: %s\nStet-Version: %d\nStet-Fetched: 2026-11-26T10:00:00Z\n", n, n, url, n)
}

// saveURL saves content for url as version n and reports whether it changed.
func saveURL(t testing.TB, a *Archive, url string, n int, content string) (string, bool) {
	t.Helper()
	p, err := PathFor(url)
	if err != nil {
		t.Fatal(err)
	}
	c, changed, err := a.Save(Change{Path: p, Content: []byte(content), Message: message(url, n), When: t0.Add(time.Duration(n) * time.Minute)})
	if err != nil {
		t.Fatalf("Save(%s): %v", p, err)
	}
	return c, changed
}

func commitCount(t testing.TB, dir string) int {
	t.Helper()
	return len(strings.Fields(runGit(t, dir, "rev-list", "main")))
}

func TestSaveCommitsOnlyOnChange(t *testing.T) {
	dir := t.TempDir()
	a := openT(t, dir, Options{})
	if h, err := a.Head(); err != nil || h != "" {
		t.Fatalf("Head() on new repo = %q, %v; want \"\", nil", h, err)
	}
	const u = "https://h.com/news/story"
	c1, changed := saveURL(t, a, u, 1, "one\n")
	if !changed {
		t.Fatal("first Save: changed = false")
	}
	c2, changed := saveURL(t, a, u, 2, "one\n")
	if changed || c2 != c1 {
		t.Fatalf("identical Save = %s, %v; want %s, false", c2, changed, c1)
	}
	c3, changed := saveURL(t, a, u, 2, "two\n")
	if !changed || c3 == c1 {
		t.Fatalf("changed Save = %s, %v", c3, changed)
	}
	if n := commitCount(t, dir); n != 2 {
		t.Errorf("commits = %d, want 2", n)
	}
	runGit(t, dir, "fsck", "--strict", "--no-dangling")
	if got := runGit(t, dir, "symbolic-ref", "HEAD"); got != "refs/heads/main\n" {
		t.Errorf("HEAD = %q, want refs/heads/main", got)
	}
	if got := runGit(t, dir, "cat-file", "-p", "HEAD:h.com/news/story.md"); got != "two\n" {
		t.Errorf("git cat-file HEAD:path = %q", got)
	}
	if got := runGit(t, dir, "log", "-1", "--format=%an <%ae>|%at|%s"); got != fmt.Sprintf("stet <stet@localhost>|%d|Example: title 2\n", t0.Add(2*time.Minute).Unix()) {
		t.Errorf("git log = %q", got)
	}
	if got := runGit(t, dir, "rev-parse", "HEAD~1"); strings.TrimSpace(got) != c1 {
		t.Errorf("parent = %q, want %s", got, c1)
	}
	if h, _ := a.Head(); h != c3 {
		t.Errorf("Head() = %s, want %s", h, c3)
	}
	b, ok, err := a.Current("h.com/news/story.md")
	if err != nil || !ok || string(b) != "two\n" {
		t.Errorf("Current = %q, %v, %v", b, ok, err)
	}
	if _, ok, err := a.Current("h.com/none.md"); ok || err != nil {
		t.Errorf("Current(missing) = %v, %v; want false, nil", ok, err)
	}
	if b, err := a.Read(c1, "h.com/news/story.md"); err != nil || string(b) != "one\n" {
		t.Errorf("Read(c1) = %q, %v", b, err)
	}
	if _, err := a.Read(c1, "h.com/x.md"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Read(missing) error = %v, want ErrNotFound", err)
	}
}

// TestSaveTreeOrder mixes names that sort differently as trees and as
// files; git fsck --strict rejects a misordered tree.
func TestSaveTreeOrder(t *testing.T) {
	dir := t.TempDir()
	a := openT(t, dir, Options{})
	paths := []string{"h/a/x.md", "h/a.md", "h/a-b.md", "h/a0.md", "h/b/c/d.md", "g/z.md"}
	for i, p := range paths {
		if _, _, err := a.Save(Change{Path: p, Content: []byte(p), Message: "m", When: t0.Add(time.Duration(i) * time.Second)}); err != nil {
			t.Fatal(err)
		}
	}
	runGit(t, dir, "fsck", "--strict", "--no-dangling")
	got, err := a.Paths()
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Fields(runGit(t, dir, "ls-tree", "-r", "--name-only", "HEAD"))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Paths() mismatch with git ls-tree (-want +got):\n%s", diff)
	}
	// Untouched subtrees are reused: saving under h/b leaves g's tree alone.
	before := runGit(t, dir, "rev-parse", "HEAD:g")
	a.Save(Change{Path: "h/b/c/d.md", Content: []byte("new"), Message: "m", When: t0})
	if after := runGit(t, dir, "rev-parse", "HEAD:g"); after != before {
		t.Errorf("untouched subtree g changed: %s -> %s", before, after)
	}
}

func TestSaveBadPaths(t *testing.T) {
	a := openT(t, t.TempDir(), Options{})
	a.Save(Change{Path: "h/a.md", Content: []byte("x"), Message: "m"})
	for _, p := range []string{"", "/abs.md", "../x.md", "h/../x.md", ".git/config", "h/.GIT/x", "a//b.md", "h/a.md/x.md", "h", "a\\b.md"} {
		if _, _, err := a.Save(Change{Path: p, Content: []byte("x"), Message: "m"}); !errors.Is(err, ErrBadPath) {
			t.Errorf("Save(%q) error = %v, want ErrBadPath", p, err)
		}
	}
}

func TestSaveLeftoverRefLock(t *testing.T) {
	dir := t.TempDir()
	a := openT(t, dir, Options{})
	c1, _ := saveURL(t, a, "https://h.com/a", 1, "one")
	lock := filepath.Join(dir, ".git", "refs", "heads", "main.lock")
	if err := os.WriteFile(lock, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := a.Save(Change{Path: "h.com/a.md", Content: []byte("two"), Message: "m"})
	if !errors.Is(err, ErrRefLocked) || !strings.Contains(err.Error(), "main.lock") {
		t.Fatalf("Save with leftover lock: error = %v, want ErrRefLocked naming the file", err)
	}
	if h := strings.TrimSpace(runGit(t, dir, "rev-parse", "main")); h != c1 {
		t.Errorf("HEAD moved to %s, want %s", h, c1)
	}
	if _, err := os.Stat(lock); err != nil {
		t.Errorf("Save removed a lock it did not create: %v", err)
	}
	os.Remove(lock)
	runGit(t, dir, "fsck", "--strict")
	if _, changed := saveURL(t, a, "https://h.com/a", 2, "two"); !changed {
		t.Error("Save after removing the lock: changed = false")
	}
}

func TestSaveDetectsMovedRef(t *testing.T) {
	dir := t.TempDir()
	a := openT(t, dir, Options{})
	saveURL(t, a, "https://h.com/a", 1, "one")
	c2, _ := saveURL(t, a, "https://h.com/a", 2, "two")
	if err := a.updateRef(a.branch, [20]byte{1}, [20]byte{2}); !errors.Is(err, ErrRefMoved) {
		t.Errorf("updateRef with wrong old value: %v, want ErrRefMoved", err)
	}
	if h, _ := a.Head(); h != c2 {
		t.Errorf("Head() = %s after failed CAS, want %s", h, c2)
	}
}

func TestConcurrentSave(t *testing.T) {
	dir := t.TempDir()
	a := openT(t, dir, Options{})
	var wg sync.WaitGroup
	for g := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				u := fmt.Sprintf("https://h.com/g%d/a%d", g, i)
				p, _ := PathFor(u)
				if _, _, err := a.Save(Change{Path: p, Content: []byte(u), Message: message(u, 1), When: t0}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if n := commitCount(t, dir); n != 20 {
		t.Errorf("commits = %d, want 20", n)
	}
	if n := len(strings.Fields(runGit(t, dir, "ls-tree", "-r", "HEAD"))); n != 20*4 {
		t.Errorf("files at HEAD = %d fields, want 20 files", n/4)
	}
	runGit(t, dir, "fsck", "--strict", "--no-dangling")
}

func TestBareRepository(t *testing.T) {
	dir := t.TempDir()
	runGit(t, dir, "init", "-q", "--bare", "-b", "main")
	a := openT(t, dir, Options{})
	saveURL(t, a, "https://h.com/a", 1, "one")
	if err := a.SyncWorktree(); err != nil {
		t.Errorf("SyncWorktree on bare repo: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "stet", "lock")); err != nil {
		t.Errorf("lock not in bare repo dir: %v", err)
	}
	if got := runGit(t, dir, "log", "--format=%s"); got != "Example: title 1\n" {
		t.Errorf("git log = %q", got)
	}
	runGit(t, dir, "fsck", "--strict")
}

func TestPackedRefs(t *testing.T) {
	dir := t.TempDir()
	a := openT(t, dir, Options{})
	c1, _ := saveURL(t, a, "https://h.com/a", 1, "one")
	runGit(t, dir, "pack-refs", "--all")
	if _, err := os.Stat(filepath.Join(dir, ".git", "refs", "heads", "main")); !os.IsNotExist(err) {
		t.Fatalf("pack-refs left a loose ref: %v", err)
	}
	if h, _ := a.Head(); h != c1 {
		t.Errorf("Head() with packed ref = %q, want %s", h, c1)
	}
	c2, changed := saveURL(t, a, "https://h.com/a", 2, "two")
	if !changed {
		t.Fatal("Save after pack-refs: changed = false")
	}
	if got := strings.TrimSpace(runGit(t, dir, "rev-parse", "main~1")); got != c1 {
		t.Errorf("main~1 = %s, want %s (c2 %s)", got, c1, c2)
	}
	runGit(t, dir, "fsck", "--strict")
}

func TestClonedAndShallow(t *testing.T) {
	src := t.TempDir()
	a := openT(t, src, Options{})
	for i := 1; i <= 3; i++ {
		saveURL(t, a, "https://h.com/a", i, fmt.Sprint("v", i))
	}
	a.Close()
	for _, depth := range []string{"", "--depth=1"} {
		t.Run("clone"+depth, func(t *testing.T) {
			dst := filepath.Join(t.TempDir(), "c")
			args := []string{"clone", "-q", "file://" + src, dst}
			if depth != "" {
				args = append(args, depth)
			}
			runGit(t, src, args...)
			b := openT(t, dst, Options{})
			vs, err := b.History("h.com/a.md")
			if err != nil {
				t.Fatalf("History: %v", err)
			}
			want := 3
			if depth != "" {
				want = 1
			}
			if len(vs) != want {
				t.Errorf("History has %d versions, want %d", len(vs), want)
			}
			saveURL(t, b, "https://h.com/a", 4, "v4")
			if err := b.SyncWorktree(); err != nil {
				t.Fatal(err)
			}
			if got := runGit(t, dst, "status", "--porcelain"); got != "" {
				t.Errorf("git status after SyncWorktree:\n%s", got)
			}
			vs, _ = b.History("h.com/a.md")
			if len(vs) != want+1 || vs[len(vs)-1].N != 4 {
				t.Errorf("History after Save: %d versions, last %+v", len(vs), vs[len(vs)-1])
			}
			runGit(t, dst, "fsck", "--strict")
		})
	}
}

func TestLock(t *testing.T) {
	dir := t.TempDir()
	a := openT(t, dir, Options{})
	_, err := Open(dir, Options{LockWait: -1})
	var le *LockedError
	if !errors.As(err, &le) || !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open error = %v, want *LockedError", err)
	}
	if le.PID != os.Getpid() || le.Since.IsZero() {
		t.Errorf("LockedError = %+v, want PID %d and a time", le, os.Getpid())
	}
	if !strings.Contains(err.Error(), fmt.Sprintf("archive is locked by PID %d since ", os.Getpid())) {
		t.Errorf("error text = %q", err)
	}
	start := time.Now()
	if _, err := Open(dir, Options{LockWait: 200 * time.Millisecond}); !errors.Is(err, ErrLocked) {
		t.Errorf("Open with LockWait: %v", err)
	}
	if time.Since(start) < 200*time.Millisecond {
		t.Errorf("Open gave up before LockWait")
	}
	r := openT(t, dir, Options{ReadOnly: true}) // readers take no lock
	if _, _, err := r.Save(Change{Path: "h/a.md", Message: "m"}); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Save on read-only: %v", err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := a.Head(); !errors.Is(err, ErrClosed) {
		t.Errorf("Head after Close: %v", err)
	}
	b := openT(t, dir, Options{LockWait: -1})
	b.Close()
	if _, err := Open(filepath.Join(t.TempDir(), "none"), Options{ReadOnly: true}); !errors.Is(err, ErrNoRepository) {
		t.Errorf("read-only Open of missing repo: %v, want ErrNoRepository", err)
	}
}

func TestHistory(t *testing.T) {
	dir := t.TempDir()
	a := openT(t, dir, Options{})
	const ua, ub = "https://h.com/a", "https://h.com/b"
	var want []string
	for i := 1; i <= 3; i++ {
		c, _ := saveURL(t, a, ua, i, fmt.Sprint("a", i))
		want = append(want, c)
		saveURL(t, a, ub, i, fmt.Sprint("b", i))
	}
	check := func(a *Archive, label string) {
		t.Helper()
		vs, err := a.History("h.com/a.md")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for i, v := range vs {
			got = append(got, v.Commit)
			if v.N != i+1 || v.URL != ua || v.Path != "h.com/a.md" || v.Subject != fmt.Sprint("Example: title ", i+1) ||
				v.Body != fmt.Sprint("Changed paragraph ", i+1) || v.Trailer("stet-fetched") != "2026-11-26T10:00:00Z" ||
				!v.When.Equal(t0.Add(time.Duration(i+1)*time.Minute)) {
				t.Errorf("%s: version %d = %+v", label, i, v)
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: History commits (-want +got):\n%s", label, diff)
		}
		gitWant := strings.Fields(runGit(t, dir, "log", "--reverse", "--format=%H", "--", "h.com/a.md"))
		if diff := cmp.Diff(gitWant, got); diff != "" {
			t.Errorf("%s: History vs git log (-want +got):\n%s", label, diff)
		}
	}
	check(a, "in memory")
	a.Close()
	b := openT(t, dir, Options{})
	check(b, "from index file")
	b.Close()
	idx := filepath.Join(dir, ".git", "stet", "history-"+fmt.Sprintf("%x", "main"))
	if err := os.WriteFile(idx, []byte("stet-history 1 garbage\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := openT(t, dir, Options{})
	check(c, "after corruption")
	// A rewritten branch (indexed tip no longer an ancestor) forces a rebuild.
	runGit(t, dir, "update-ref", "refs/heads/main", want[1])
	want = want[:2]
	check(c, "after rewrite")

	rs, err := c.Recent(t0.Add(time.Minute), 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range rs {
		got = append(got, fmt.Sprint(v.Path, " ", v.N))
	}
	if diff := cmp.Diff([]string{"h.com/a.md 2", "h.com/b.md 1", "h.com/a.md 1"}, got); diff != "" {
		t.Errorf("Recent (-want +got):\n%s", diff)
	}
	if rs, _ := c.Recent(time.Time{}, 1); len(rs) != 1 {
		t.Errorf("Recent(n=1) returned %d", len(rs))
	}
}

func TestSyncWorktree(t *testing.T) {
	dir := t.TempDir()
	a := openT(t, dir, Options{})
	saveURL(t, a, "https://h.com/a", 1, "one\n")
	saveURL(t, a, "https://h.com/x/b", 1, "bee\n")
	saveURL(t, a, "https://h.com/a", 2, "two\n")
	if err := a.SyncWorktree(); err != nil {
		t.Fatal(err)
	}
	if got := runGit(t, dir, "status", "--porcelain"); got != "" {
		t.Errorf("git status after SyncWorktree:\n%s", got)
	}
	if got := runGit(t, dir, "diff", "HEAD~1", "--stat"); !strings.Contains(got, "h.com/a.md") {
		t.Errorf("git diff HEAD~1 --stat = %q", got)
	}
	saveURL(t, a, "https://h.com/a", 3, "three\n")
	if err := a.SyncWorktree(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "h.com", "a.md")); string(b) != "three\n" {
		t.Errorf("work tree file = %q", b)
	}
	if got := runGit(t, dir, "status", "--porcelain"); got != "" {
		t.Errorf("git status after second SyncWorktree:\n%s", got)
	}
	os.Remove(filepath.Join(dir, ".git", "index"))
	os.RemoveAll(filepath.Join(dir, "h.com"))
	if err := a.SyncWorktree(); err != nil {
		t.Fatal(err)
	}
	if got := runGit(t, dir, "status", "--porcelain"); got != "" {
		t.Errorf("git status after index rebuild:\n%s", got)
	}
}

func TestState(t *testing.T) {
	dir := t.TempDir()
	a := openT(t, dir, Options{})
	if s, err := a.ReadState(); s != nil || err != nil {
		t.Fatalf("ReadState on new repo = %v, %v", s, err)
	}
	files := map[string][]byte{"hosts/h.com.json": []byte("{}"), "schedule.json": []byte("[1]"), "hosts/g.com.json": []byte("{\"a\":1}")}
	if err := a.WriteState(files, t0); err != nil {
		t.Fatal(err)
	}
	got, err := a.ReadState()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(files, got); diff != "" {
		t.Errorf("ReadState (-want +got):\n%s", diff)
	}
	ref := runGit(t, dir, "rev-parse", "refs/stet/state")
	if err := a.WriteState(files, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if again := runGit(t, dir, "rev-parse", "refs/stet/state"); again != ref {
		t.Errorf("unchanged WriteState moved the ref")
	}
	countObjects := func() int { return len(strings.Fields(runGit(t, dir, "rev-list", "--objects", "--all"))) }
	before := countObjects()
	files["hosts/h.com.json"] = []byte("{\"n\":2}")
	if err := a.WriteState(files, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	// blob + hosts tree + root tree + commit; the other blobs are reused
	if added := countObjects() - before; added > 4*2 {
		t.Errorf("WriteState of one changed file added %d object fields, want ≤ 4 objects", added/2)
	}
	if got := runGit(t, dir, "rev-list", "--count", "refs/stet/state"); got != "1\n" {
		t.Errorf("state ref has %s commits, want 1 (parentless)", got)
	}
	runGit(t, dir, "fsck", "--strict")
}

func TestParseMessage(t *testing.T) {
	tests := []struct {
		name, in, subject, body string
		trailers                []Trailer
	}{
		{"full", "S\n\nB1\nB2\n\nStet-Url: u\nStet-Version: 3\n", "S", "B1\nB2", []Trailer{{"Stet-Url", "u"}, {"Stet-Version", "3"}}},
		{"no body", "S\n\nStet-Url: u\n", "S", "", []Trailer{{"Stet-Url", "u"}}},
		{"no trailers", "S\n\nJust text: with colon\nand more\n", "S", "Just text: with colon\nand more", nil},
		{"continuation", "S\n\nK: a\n  b\n", "S", "", []Trailer{{"K", "a b"}}},
		{"subject only", "S", "S", "", nil},
		{"crlf", "S\r\n\r\nB\r\n\r\nK: v\r\n", "S", "B", []Trailer{{"K", "v"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, b, tr := ParseMessage(tt.in)
			if s != tt.subject || b != tt.body || !cmp.Equal(tr, tt.trailers) {
				t.Errorf("ParseMessage(%q) = %q, %q, %v; want %q, %q, %v", tt.in, s, b, tr, tt.subject, tt.body, tt.trailers)
			}
		})
	}
}

// TestAfterGitGC: an archive that the user packed with `git gc` (objects
// and refs packed, loose objects pruned) reads and commits as before.
func TestAfterGitGC(t *testing.T) {
	dir := t.TempDir()
	a := openT(t, dir, Options{})
	for i := 1; i <= 3; i++ {
		saveURL(t, a, "https://h.com/a", i, fmt.Sprint("a", i))
		saveURL(t, a, "https://h.com/b", i, fmt.Sprint("b", i))
	}
	a.Close()
	runGit(t, dir, "gc", "-q", "--prune=now")
	if loose := runGit(t, dir, "count-objects"); !strings.HasPrefix(loose, "0 objects") {
		t.Fatalf("git gc left loose objects: %s", loose)
	}
	b := openT(t, dir, Options{})
	if _, changed := saveURL(t, b, "https://h.com/a", 4, "a4"); !changed {
		t.Fatal("Save after git gc: changed = false")
	}
	vs, err := b.History("h.com/a.md")
	if err != nil || len(vs) != 4 {
		t.Fatalf("History after git gc: %d versions, %v", len(vs), err)
	}
	for i, v := range vs {
		got, err := b.Read(v.Commit, "h.com/a.md")
		if err != nil || string(got) != fmt.Sprint("a", i+1) {
			t.Errorf("Read version %d = %q, %v", i+1, got, err)
		}
	}
	b.Close()
	if got := strings.Fields(runGit(t, dir, "log", "--format=%H", "--", "h.com/a.md")); len(got) != 4 || got[0] != vs[3].Commit {
		t.Errorf("git log after gc and a new commit = %v", got)
	}
	runGit(t, dir, "fsck", "--strict")
}
