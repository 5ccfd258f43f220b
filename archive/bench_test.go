package archive

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// filesPerDir is the fan-out of the benchmark archives: h.com/sNNN/aNNNNNN.md
// with at most this many articles per section directory, so that commit
// cost is measured against archive size, not directory size.
const filesPerDir = 1000

func articlePath(i int) string {
	return fmt.Sprintf("h.com/s%03d/a%06d.md", i/filesPerDir, i)
}

func articleBody(i, version int) []byte {
	return fmt.Appendf(nil, "---\ntitle: Article %d\nurl: https://h.com/s%03d/a%06d\n---\n\n# Article %d\n\nVersion %d of the text.\n", i, i/filesPerDir, i, i, version)
}

// buildArchive writes n articles in one commit, directly as objects (no
// per-file commits), in a child process, then flushes them to disk and
// returns the archive opened. The child keeps the setup's memory out of
// the benchmark's peak RSS, and the flush keeps the setup's writes out of
// the first timed commit's fsync.
func buildArchive(b *testing.B, dir string, n int) *Archive {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestBuildBenchArchive$")
	cmd.Env = append(os.Environ(), fmt.Sprintf("STET_BENCH_BUILD=%d:%s", n, dir))
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("building the %d-file archive: %v\n%s", n, err, out)
	}
	syscall.Sync()
	a, err := Open(dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	a.noSync = os.Getenv("STET_BENCH_NOSYNC") != ""
	return a
}

// TestBuildBenchArchive is buildArchive's child process; it does nothing
// unless STET_BENCH_BUILD is "N:DIR".
func TestBuildBenchArchive(t *testing.T) {
	spec := os.Getenv("STET_BENCH_BUILD")
	if spec == "" {
		t.Skip("helper process for BenchmarkCommit")
	}
	ns, dir, _ := strings.Cut(spec, ":")
	n, err := strconv.Atoi(ns)
	if err != nil {
		t.Fatal(err)
	}
	writeBenchArchive(t, dir, n)
}

func writeBenchArchive(b testing.TB, dir string, n int) {
	a, err := Open(dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	a.noSync = true
	w := a.newObjectWriter()
	var sections []treeEntry
	for s := 0; s*filesPerDir < n; s++ {
		var files []treeEntry
		for i := s * filesPerDir; i < n && i < (s+1)*filesPerDir; i++ {
			h, err := w.write(plumbing.BlobObject, articleBody(i, 0))
			if err != nil {
				b.Fatal(err)
			}
			files = append(files, treeEntry{name: fmt.Sprintf("a%06d.md", i), mode: filemode.Regular, hash: h})
		}
		h, err := w.write(plumbing.TreeObject, encodeTree(files))
		if err != nil {
			b.Fatal(err)
		}
		sections = append(sections, treeEntry{name: fmt.Sprintf("s%03d", s), mode: filemode.Dir, hash: h})
	}
	host, err := w.write(plumbing.TreeObject, encodeTree(sections))
	if err != nil {
		b.Fatal(err)
	}
	root, err := w.write(plumbing.TreeObject, encodeTree([]treeEntry{{name: "h.com", mode: filemode.Dir, hash: host}}))
	if err != nil {
		b.Fatal(err)
	}
	c, err := w.write(plumbing.CommitObject, encodeCommit(root, nil, Signature{}, t0, "initial import\n"))
	if err != nil {
		b.Fatal(err)
	}
	if err := a.updateRef(a.branch, plumbing.ZeroHash, c); err != nil {
		b.Fatal(err)
	}
	if err := a.Close(); err != nil {
		b.Fatal(err)
	}
}

func maxRSSMiB() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Maxrss) / 1024 // Linux reports KiB
}

// BenchmarkCommit saves one changed article per iteration (with fsync) into
// archives of 1k, 10k and 100k files. The maxrss-MiB metric is the peak of
// the whole test process so far; run one size alone to read it.
func BenchmarkCommit(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("files=%d", n), func(b *testing.B) {
			if n > 10_000 && testing.Short() {
				b.Skip("100k files: skipped in -short mode")
			}
			a := buildArchive(b, b.TempDir(), n)
			defer a.Close()
			v := 0
			b.ResetTimer()
			for b.Loop() {
				v++
				i := (v * 7919) % n
				_, changed, err := a.Save(Change{Path: articlePath(i), Content: articleBody(i, v), Message: "m\n", When: t0})
				if err != nil || !changed {
					b.Fatalf("Save: %v, changed=%v", err, changed)
				}
			}
			b.StopTimer()
			b.ReportMetric(maxRSSMiB(), "maxrss-MiB")
		})
	}
}

const (
	historyCommits  = 100_000
	historyArticles = 10_000
)

var historyFixture struct {
	once sync.Once
	dir  string
	err  error
}

// historyRepo builds (once per test binary run) an archive of
// historyCommits commits across historyArticles articles with Save, then
// packs it with git so that the git CLI comparison is fair.
func historyRepo(b *testing.B) string {
	f := &historyFixture
	f.once.Do(func() {
		dir, err := os.MkdirTemp("", "stet-history-bench-")
		if err != nil {
			f.err = err
			return
		}
		f.dir = dir
		a, err := Open(dir, Options{})
		if err != nil {
			f.err = err
			return
		}
		a.noSync = true
		start := time.Now()
		for c := range historyCommits {
			i := (c * 7919) % historyArticles
			u := fmt.Sprintf("https://h.com/s%03d/a%06d", i/filesPerDir, i)
			msg := fmt.Sprintf("h.com: article %d\n\nChanged.\n\nStet-Url: %s\nStet-Version: %d\n", i, u, c/historyArticles+1)
			if _, _, err := a.Save(Change{Path: articlePath(i), Content: articleBody(i, c), Message: msg, When: t0.Add(time.Duration(c) * time.Second)}); err != nil {
				f.err = err
				return
			}
		}
		if _, err := a.History(articlePath(0)); err != nil { // writes the index file
			f.err = err
			return
		}
		a.Close()
		b.Logf("built %d commits in %s", historyCommits, time.Since(start))
		cmd := exec.Command("git", "-C", dir, "repack", "-a", "-d", "-q")
		if out, err := cmd.CombinedOutput(); err != nil {
			f.err = fmt.Errorf("git repack: %v\n%s", err, out)
		}
	})
	if f.err != nil {
		b.Fatal(f.err)
	}
	return f.dir
}

// BenchmarkHistory measures History for one article (10 versions) in an
// archive of 100k commits, warm index, against `git log --format=%H -- path`.
func BenchmarkHistory(b *testing.B) {
	if testing.Short() {
		b.Skip("100k commits: skipped in -short mode")
	}
	dir := historyRepo(b)
	p := articlePath(1234)
	b.Run("archive", func(b *testing.B) {
		a, err := Open(dir, Options{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		defer a.Close()
		if _, err := a.History(p); err != nil { // loads the index
			b.Fatal(err)
		}
		for b.Loop() {
			vs, err := a.History(p)
			if err != nil || len(vs) != historyCommits/historyArticles {
				b.Fatalf("History: %d versions, %v", len(vs), err)
			}
		}
	})
	b.Run("archive-open", func(b *testing.B) {
		// Open + History: includes reading the on-disk index.
		for b.Loop() {
			a, err := Open(dir, Options{ReadOnly: true})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := a.History(p); err != nil {
				b.Fatal(err)
			}
			a.Close()
		}
	})
	b.Run("git-log", func(b *testing.B) {
		for b.Loop() {
			out, err := exec.Command("git", "-C", dir, "log", "--format=%H", "--", p).Output()
			if err != nil || len(strings.Fields(string(out))) != historyCommits/historyArticles {
				b.Fatalf("git log: %v", err)
			}
		}
	})
}

// TestMain removes the cached history fixture.
func TestMain(m *testing.M) {
	code := m.Run()
	if historyFixture.dir != "" {
		os.RemoveAll(historyFixture.dir)
	}
	os.Exit(code)
}
