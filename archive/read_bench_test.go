package archive

import (
	"testing"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// BenchmarkColdRead compares a cold Open + History + reading the latest
// version (what one `stet log` or `stet diff` process does) with the same
// commit reads through go-git's storage alone, which decodes the whole pack
// index on the first read.
func BenchmarkColdRead(b *testing.B) {
	if testing.Short() {
		b.Skip("100k commits: skipped in -short mode")
	}
	dir := historyRepo(b)
	p := articlePath(1234)
	b.Run("archive", func(b *testing.B) {
		for b.Loop() {
			a, err := Open(dir, Options{ReadOnly: true})
			if err != nil {
				b.Fatal(err)
			}
			vs, err := a.History(p)
			if err != nil || len(vs) == 0 {
				b.Fatalf("History: %d, %v", len(vs), err)
			}
			if _, err := a.Read(vs[len(vs)-1].Commit, p); err != nil {
				b.Fatal(err)
			}
			a.Close()
		}
	})
	b.Run("go-git", func(b *testing.B) {
		a, err := Open(dir, Options{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		vs, err := a.History(p)
		a.Close()
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			st := filesystem.NewStorageWithOptions(osfs.New(a.gitDir), cache.NewObjectLRU(cacheSize), filesystem.Options{})
			for _, v := range vs {
				if _, err := object.GetCommit(st, plumbing.NewHash(v.Commit)); err != nil {
					b.Fatal(err)
				}
			}
			st.Close()
		}
	})
}
