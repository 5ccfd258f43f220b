package track

import (
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stet-archive/stet/archive"
)

func sampleState(n int) *State {
	st := NewState()
	for i := range n {
		u := fmt.Sprintf("https://news.example.com/world/2026/11/story-%05d", i)
		st.Entries[u] = &Entry{
			Source:      "example",
			FirstSeen:   t0.Add(-time.Duration(i) * time.Minute),
			LastChecked: t0,
			LastChanged: t0.Add(-time.Hour),
			Interval:    time.Duration(15+i%100) * time.Minute,
			ETag:        fmt.Sprintf(`"%x"`, i*7919),
			Versions:    1 + i%3,
		}
	}
	return st
}

func TestStateRoundTrip(t *testing.T) {
	st := sampleState(300)
	st.Merge("https://news.example.com/amp/story-00001", "https://news.example.com/world/2026/11/story-00001")
	files := st.Files()
	got, err := DecodeState(files)
	if err != nil {
		t.Fatalf("DecodeState: %v", err)
	}
	if diff := cmp.Diff(st.Entries, got.Entries, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("DecodeState(Files()) (-want +got):\n%s", diff)
	}
	c, _, ok := got.Lookup("https://news.example.com/amp/story-00001")
	if !ok || c != "https://news.example.com/world/2026/11/story-00001" {
		t.Errorf("Lookup(alias) = %q, %v; want the canonical URL", c, ok)
	}
	again := got.Files()
	if diff := cmp.Diff(files, again); diff != "" {
		t.Errorf("Files not deterministic (-first +second):\n%s", diff)
	}
}

func TestDecodeStateCorrupt(t *testing.T) {
	st := sampleState(3)
	files := st.Files()
	tests := []struct {
		name string
		edit func(map[string][]byte)
	}{
		{"not json", func(f map[string][]byte) {
			for k := range f {
				f[k] = []byte("{oops")
				return
			}
		}},
		{"misplaced entry", func(f map[string][]byte) {
			for k, v := range f {
				delete(f, k)
				if k == "f/f.json" {
					f["0/0.json"] = v
				} else {
					f["f/f.json"] = v
				}
				return
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := map[string][]byte{}
			for k, v := range files {
				f[k] = v
			}
			tt.edit(f)
			if _, err := DecodeState(f); !errors.Is(err, ErrCorruptState) {
				t.Errorf("DecodeState = %v, want ErrCorruptState", err)
			}
		})
	}
}

func TestMergeKeepsEarliestAndAliases(t *testing.T) {
	st := NewState()
	st.Entries["https://x.example/amp/a"] = &Entry{FirstSeen: t0.Add(-time.Hour), Source: "s", Aliases: []string{"https://x.example/a?amp=1"}}
	st.Entries["https://x.example/a"] = &Entry{FirstSeen: t0, LastChecked: t0, Versions: 2}
	e := st.Merge("https://x.example/amp/a", "https://x.example/a")
	want := &Entry{FirstSeen: t0.Add(-time.Hour), Source: "s", LastChecked: t0, Versions: 2,
		Aliases: []string{"https://x.example/a?amp=1", "https://x.example/amp/a"}}
	if diff := cmp.Diff(want, e); diff != "" {
		t.Errorf("Merge (-want +got):\n%s", diff)
	}
	if len(st.Entries) != 1 {
		t.Errorf("entries after Merge = %d, want 1", len(st.Entries))
	}
	for _, a := range want.Aliases {
		if c, _, ok := st.Lookup(a); !ok || c != "https://x.example/a" {
			t.Errorf("Lookup(%q) = %q, %v", a, c, ok)
		}
	}
}

// gitObjectBytes is the total size of the files under .git/objects.
func gitObjectBytes(t testing.TB, repo string) int64 {
	t.Helper()
	var n int64
	err := filepath.WalkDir(filepath.Join(repo, ".git", "objects"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			n += info.Size()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestStateSize measures what a run adds to a repository tracking 5,000
// articles: nothing when nothing was due, and a few blobs and trees when
// a handful of articles were checked.
func TestStateSize(t *testing.T) {
	repo := t.TempDir()
	arch, err := archive.Open(repo, archive.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer arch.Close()
	st := sampleState(5000)
	if err := arch.WriteState(st.Files(), t0); err != nil {
		t.Fatalf("WriteState: %v", err)
	}
	full := gitObjectBytes(t, repo)

	// A run with nothing due: the same state again.
	got, err := arch.ReadState()
	if err != nil {
		t.Fatal(err)
	}
	st2, err := DecodeState(got)
	if err != nil {
		t.Fatal(err)
	}
	if err := arch.WriteState(st2.Files(), t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if added := gitObjectBytes(t, repo) - full; added != 0 {
		t.Errorf("a run with nothing due added %d bytes, want 0", added)
	}

	// A run that checked 5 articles, all unchanged.
	before := gitObjectBytes(t, repo)
	i := 0
	for u, e := range st2.Entries {
		if i == 5 {
			break
		}
		Schedule{}.Record(e, &Result{URL: u, Status: Unchanged, ETag: e.ETag}, t0.Add(time.Hour))
		i++
	}
	if err := arch.WriteState(st2.Files(), t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	added := gitObjectBytes(t, repo) - before
	t.Logf("state of 5,000 articles: %d bytes; a run checking 5 unchanged articles added %d bytes", full, added)
	if added > 10<<10 {
		t.Errorf("a run checking 5 articles added %d bytes, want ≤ 10 KiB", added)
	}
	if out, err := exec.Command("git", "-C", repo, "fsck", "--strict").CombinedOutput(); err != nil {
		t.Errorf("git fsck: %v\n%s", err, out)
	}
}

func TestRebuild(t *testing.T) {
	repo := t.TempDir()
	arch, err := archive.Open(repo, archive.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer arch.Close()
	u := "https://news.example.com/a"
	path, _ := archive.PathFor(u)
	for i, when := range []time.Time{t0, t0.Add(time.Hour)} {
		msg := fmt.Sprintf("Example: A\n\nNew article\n\nStet-Url: %s\nStet-Version: %d\nStet-Fetched: %s\n", u, i+1, when.Format(time.RFC3339))
		if _, _, err := arch.Save(archive.Change{Path: path, Content: fmt.Appendf(nil, "v%d\n", i), Message: msg, When: when.Add(time.Second)}); err != nil {
			t.Fatal(err)
		}
	}
	st, err := Rebuild(arch, 15*time.Minute)
	if err != nil {
		t.Fatalf("Rebuild: %v", err)
	}
	v1 := archive.BlobHash([]byte("v0\n"))[:PriorHashLen] // the first version's blob, for revert detection
	want := map[string]*Entry{u: {FirstSeen: t0, LastChecked: t0.Add(time.Hour), LastChanged: t0.Add(time.Hour), Interval: 15 * time.Minute, Versions: 2, Prior: []string{v1}}}
	if diff := cmp.Diff(want, st.Entries); diff != "" {
		t.Errorf("Rebuild (-want +got):\n%s", diff)
	}
}

// TestChangedFiles: a decoded state re-encodes only the shards it
// touched, and the result is what a full encoding gives.
func TestChangedFiles(t *testing.T) {
	st := NewState()
	for i := range 200 {
		st.Add(fmt.Sprintf("https://news.example.com/%d", i), "src", t0)
	}
	files := st.Files()
	decode := func() *State {
		s, err := DecodeState(files)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if _, changed := decode().changedFiles(); changed {
		t.Error("an untouched state reports a change")
	}
	tests := []struct {
		name string
		edit func(s *State)
	}{
		{"add", func(s *State) { s.Add("https://news.example.com/new", "src", t0) }},
		{"merge", func(s *State) { s.Merge("https://news.example.com/1", "https://news.example.com/2") }},
		{"touched edit", func(s *State) {
			s.Entries["https://news.example.com/3"].Retired = true
			s.touch("https://news.example.com/3")
		}},
	}
	for _, tt := range tests {
		s := decode()
		tt.edit(s)
		got, changed := s.changedFiles()
		if !changed {
			t.Errorf("%s: no change reported", tt.name)
		}
		if diff := cmp.Diff(s.Files(), got); diff != "" {
			t.Errorf("%s: changedFiles differs from Files (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestSitePrints: the prints of one site's articles are joined, without
// another site's.
func TestSitePrints(t *testing.T) {
	st := NewState()
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for u, text := range map[string]string{
		"https://www.news.example.com/a": "Read the rest of our coverage in the archive.",
		"https://news.example.com/b":     "Got a tip? Our newsroom answers within 530 hours.",
		"https://other.example.org/c":    "Subscribe today for unlimited access.",
	} {
		st.Add(u, "s", now)
		st.Entries[u].Print = PagePrint(text)
	}
	sites := sitePrints(st, []string{"https://news.example.com/new"})
	p := sites["news.example.com"]
	for l, want := range map[string]bool{
		"Read the rest of our coverage in the archive.":      true,
		"Got a tip? Our newsroom answers within 530 hours.":  true,
		"Subscribe today for unlimited access.":              false,
		"In a statement on Friday the minister said it was.": false,
	} {
		if got := p.holds(l); got != want {
			t.Errorf("holds(%q) = %v, want %v", l, got, want)
		}
	}
	if _, ok := sites["other.example.org"]; ok {
		t.Error("a site no URL asked for was joined")
	}
	if got := siteOf("http://user@WWW.News.example.com:8080/x?y"); got != "news.example.com:8080" {
		t.Errorf("siteOf = %q", got)
	}
}
