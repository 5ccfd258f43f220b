package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stet-archive/stet/archive"
	"github.com/stet-archive/stet/diff"
)

// The history benchmark's archive: benchCommits versions across
// benchArticles articles, built once with archive.Save and cached under
// os.TempDir() in a directory named by benchRepoKey. Change the key when
// the fixture's shape changes.
const (
	benchRepoKey  = "stetcmd-logdiff-fixture-v1-100k"
	benchArticles = 10_000
	benchCommits  = 100_000
	benchHosts    = 20
	benchSections = 25
	// benchPackEvery closes the archive and packs its loose objects with
	// git repack every so many commits, so the fixture stays small on
	// disk and reads like a long-lived archive.
	benchPackEvery = 10_000
)

var benchT0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func benchURL(i int) string {
	return fmt.Sprintf("https://news%02d.example/section%02d/story-%05d", i%benchHosts, (i/benchHosts)%benchSections, i)
}

var benchWords = strings.Fields(`the council harbour plan vote minister said would could after before report
budget year people city police court government new old first last public local national week month
officials warned residents expected decision announced statement spokesperson confirmed`)

// benchArticle renders version v (1-based) of article i: about 300 words
// in 6 paragraphs, where each version edits one sentence and adds one.
func benchArticle(i, v int) []byte {
	r := rand.New(rand.NewPCG(uint64(i), 7))
	sentence := func() string {
		n := 8 + r.IntN(8)
		w := make([]string, n)
		for k := range w {
			w[k] = benchWords[r.IntN(len(benchWords))]
		}
		s := strings.Join(w, " ")
		return strings.ToUpper(s[:1]) + s[1:] + "."
	}
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: Story %d\nurl: %s\nsite: News %02d\nlanguage: en\n---\n\n# Story %d", i, benchURL(i), i%benchHosts, i)
	if v > 1 {
		fmt.Fprintf(&b, " (updated %d)", v)
	}
	b.WriteString("\n")
	for p := range 6 {
		b.WriteString("\n")
		for s := range 4 {
			line := sentence()
			if p == v%6 && s == 1 {
				line = strings.Replace(line, " ", fmt.Sprintf(" revised%d ", v), 1)
			}
			b.WriteString(line + "\n")
		}
		if p == 5 {
			for k := 2; k <= v; k++ {
				fmt.Fprintf(&b, "Update %d added a further sentence here.\n", k)
			}
		}
	}
	return []byte(b.String())
}

// historyBenchRepo returns the cached benchmark archive, building it when
// it is missing or was left incomplete.
func historyBenchRepo(b *testing.B) string {
	b.Helper()
	repo := filepath.Join(os.TempDir(), benchRepoKey)
	done := filepath.Join(repo, ".git", "stet-bench-complete")
	if _, err := os.Stat(done); err == nil {
		return repo
	}
	if err := os.RemoveAll(repo); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	var arch *archive.Archive
	for k := range benchCommits {
		if arch == nil {
			var err error
			if arch, err = archive.Open(repo, archive.Options{}); err != nil {
				b.Fatal(err)
			}
		}
		i, v := k%benchArticles, k/benchArticles+1
		url := benchURL(i)
		path, err := archive.PathFor(url)
		if err != nil {
			b.Fatal(err)
		}
		md := benchArticle(i, v)
		body := "New article"
		if v > 1 {
			body = strings.Join(diff.Summarize(benchArticle(i, v-1), md).Lines(), "\n")
		}
		when := benchT0.Add(time.Duration(k) * 30 * time.Second)
		msg := fmt.Sprintf("News %02d: Story %d\n\n%s\n\nStet-Url: %s\nStet-Version: %d\nStet-Fetched: %s\n",
			i%benchHosts, i, body, url, v, when.Format(time.RFC3339))
		if _, changed, err := arch.Save(archive.Change{Path: path, Content: md, Message: msg, When: when}); err != nil || !changed {
			b.Fatalf("save commit %d: changed=%v err=%v", k, changed, err)
		}
		if (k+1)%benchPackEvery == 0 || k+1 == benchCommits {
			if err := arch.Close(); err != nil {
				b.Fatal(err)
			}
			arch = nil
			if out, err := exec.Command("git", "-C", repo, "repack", "-a", "-d", "-q").CombinedOutput(); err != nil {
				b.Fatalf("git repack: %v\n%s", err, out)
			}
			b.Logf("built %d commits in %v", k+1, time.Since(start).Round(time.Second))
		}
	}
	if err := os.WriteFile(done, []byte(benchRepoKey+"\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	return repo
}

// benchEnv is an Env that discards output, for benchmarks.
func benchEnv() *Env {
	return &Env{
		Stdout: io.Discard, Stderr: io.Discard, Stdin: strings.NewReader(""),
		Getenv: func(string) string { return "" },
		Now:    func() time.Time { return benchT0.Add(40 * 24 * time.Hour) },
	}
}

// BenchmarkHistory times `stet log URL` and `stet diff URL` end to end
// (open the archive, find the article, read history and blobs, render)
// on an archive of 100k commits across 10k articles, and times
// `git log --format=%H -- PATH` on the same repository for comparison
// (metrics git-log-ns/op and x-faster). The first run builds the archive
// (minutes: Save fsyncs every object, so point TMPDIR at a tmpfs such as
// /dev/shm to build it in about six); later runs reuse it. Skipped with
// -short.
func BenchmarkHistory(b *testing.B) {
	if testing.Short() {
		b.Skip("builds a 100k-commit archive")
	}
	repo := historyBenchRepo(b)
	env := benchEnv()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(3, 4))
	sample := make([]int, 64)
	for k := range sample {
		sample[k] = r.IntN(benchArticles)
	}
	// The history commands open the archive read-only, and a read-only
	// Archive never writes its history index (.git/stet/); in a live
	// archive track's saves keep it current. Bring it up to date once
	// the way track does, with a writable Archive.
	warmIndex(b, repo)
	if code := run(ctx, []string{"log", "--repo", repo, benchURL(0)}, env); code != exitOK {
		b.Fatalf("stet log: exit %d", code)
	}
	gitLog := gitLogTime(b, repo, sample[:8])
	cases := []struct {
		name string
		args func(url string) []string
	}{
		{"log", func(u string) []string { return []string{"log", "--repo", repo, u} }},
		{"diff", func(u string) []string { return []string{"diff", "--repo", repo, u} }},
		{"diff-html-first-last", func(u string) []string { return []string{"diff", "--repo", repo, "--format", "html", u, "1", "-1"} }},
		{"log-recent", func(string) []string { return []string{"log", "--repo", repo, "-n", "50"} }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			k := 0
			for b.Loop() {
				args := c.args(benchURL(sample[k%len(sample)]))
				if code := run(ctx, args, env); code != exitOK {
					b.Fatalf("stet %v: exit %d", args, code)
				}
				k++
			}
			perOp := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			b.ReportMetric(float64(gitLog.Nanoseconds()), "git-log-ns/op")
			b.ReportMetric(float64(gitLog.Nanoseconds())/perOp, "x-faster")
		})
	}
}

// warmIndex brings the archive's history index up to date and saves it.
func warmIndex(b *testing.B, repo string) {
	b.Helper()
	arch, err := archive.Open(repo, archive.Options{})
	if err != nil {
		b.Fatal(err)
	}
	path, _ := archive.PathFor(benchURL(0))
	if _, err := arch.History(path); err != nil {
		b.Fatal(err)
	}
	if err := arch.Close(); err != nil {
		b.Fatal(err)
	}
}

// gitLogTime is the mean time of `git log --format=%H -- PATH` over the
// given articles.
func gitLogTime(b *testing.B, repo string, articles []int) time.Duration {
	b.Helper()
	var total time.Duration
	for _, i := range articles {
		path, _ := archive.PathFor(benchURL(i))
		start := time.Now()
		out, err := exec.Command("git", "-C", repo, "log", "--format=%H", "--", path).Output()
		total += time.Since(start)
		if err != nil || strings.Count(string(out), "\n") != benchCommits/benchArticles {
			b.Fatalf("git log -- %s: %v, %d commits", path, err, strings.Count(string(out), "\n"))
		}
	}
	return total / time.Duration(len(articles))
}
