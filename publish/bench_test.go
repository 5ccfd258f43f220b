package publish

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stet-archive/stet/archive"
)

// fastImport builds an archive of n articles over hosts sources, one
// commit each, with git fast-import (much faster than n durable Saves).
func fastImport(b testing.TB, dir string, n, hosts int) {
	b.Helper()
	if out, err := exec.Command("git", "init", "-q", "-b", "main", dir).CombinedOutput(); err != nil {
		b.Fatalf("git init: %v\n%s", err, out)
	}
	cmd := exec.Command("git", "-C", dir, "fast-import", "--quiet")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(stdin)
	for i := range n {
		u := fmt.Sprintf("https://news%02d.example.com/section/story-%05d", i%hosts, i)
		p, _ := archive.PathFor(u)
		body := doc{url: u, title: fmt.Sprintf("Story %d", i), site: fmt.Sprintf("News %02d", i%hosts),
			body: fmt.Sprintf("First paragraph of story %d.\nIt has two sentences.\n\nA second paragraph.", i)}.markdown()
		msg := fmt.Sprintf("News %02d: Story %d\n\nNew article\n\nStet-Url: %s\nStet-Version: 1\n", i%hosts, i, u)
		when := t0.Add(time.Duration(i) * time.Second).Unix()
		fmt.Fprintf(w, "commit refs/heads/main\ncommitter stet <stet@localhost> %d +0000\ndata %d\n%s", when, len(msg), msg)
		fmt.Fprintf(w, "M 100644 inline %s\ndata %d\n%s\n", p, len(body), body)
	}
	w.Flush()
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		b.Fatalf("git fast-import: %v", err)
	}
}

// fixedManifest is a Dir whose manifest always reads as it was before the
// timed run, so every iteration does the same incremental work.
type fixedManifest struct {
	Dir
	manifest []byte
	written  *int64
}

// written counts the bytes handed to WriteFile.
func (f fixedManifest) WriteFile(name string, data []byte) error {
	*f.written += int64(len(data))
	return f.Dir.WriteFile(name, data)
}

func (f fixedManifest) ReadFile(name string) ([]byte, error) {
	if name == ManifestName {
		return f.manifest, nil
	}
	return f.Dir.ReadFile(name)
}

// BenchmarkPublishIncremental publishes a 10k-article archive once, adds
// 20 new versions, and times the incremental publish (target: under 2 s).
func BenchmarkPublishIncremental(b *testing.B) {
	if testing.Short() {
		b.Skip("builds a 10k-article archive; skipped under -short")
	}
	dir := b.TempDir()
	const articles, hosts = 10000, 20
	start := time.Now()
	fastImport(b, dir, articles, hosts)
	arch, err := archive.Open(dir, archive.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer arch.Close()
	out := Dir(filepath.Join(b.TempDir(), "site"))
	full := time.Now()
	if _, err := Publish(arch, out, Options{}); err != nil {
		b.Fatal(err)
	}
	b.Logf("fixture %v, full publish of %d articles %v", full.Sub(start), articles, time.Since(full))
	manifest, err := out.ReadFile(ManifestName)
	if err != nil {
		b.Fatal(err)
	}
	s := &saver{t: b, arch: arch, n: map[string]int{}}
	for i := range 20 {
		j := i * 487 % articles
		u := fmt.Sprintf("https://news%02d.example.com/section/story-%05d", j%hosts, j)
		s.n[u] = 1
		s.save(doc{url: u, title: fmt.Sprintf("Story %d, updated", j), site: fmt.Sprintf("News %02d", j%hosts),
			body: fmt.Sprintf("First paragraph of story %d.\nIt now has new words.\n\nA second paragraph.", j)}, t0.Add(time.Duration(articles+i)*time.Second))
	}
	b.ResetTimer()
	var written int64
	var cpu time.Duration
	for b.Loop() {
		written = 0
		before := cpuTime()
		res, err := Publish(arch, fixedManifest{out, manifest, &written}, Options{})
		cpu += cpuTime() - before
		if err != nil {
			b.Fatal(err)
		}
		if res.Full || res.Articles != 20 {
			b.Fatalf("Publish = %+v, want 20 articles, incremental", res)
		}
		b.ReportMetric(float64(res.Files), "files/op")
		b.ReportMetric(float64(written), "written-B/op")
	}
	// CPU time (user and system) is steadier than wall time on a shared
	// machine.
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
