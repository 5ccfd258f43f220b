package main

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

var (
	crashKills = flag.Int("crash.kills", 10, "SIGKILLs made by TestCrashSafety (500 for the long run)")
	crashSeed  = flag.Uint64("crash.seed", 0, "random seed for TestCrashSafety (0: from the clock, logged)")
)

// crashArticles is the number of articles on the crash test's site.
const crashArticles = 8

// TestCrashSafety starts real `stet run` processes against a loopback site whose
// articles change revision between runs, SIGKILLs them at random moments
// and starts them again. After every process it checks that git fsck
// --strict is clean, that HEAD and the state ref are complete commits whose
// blobs can all be read; after a final uninterrupted run it checks the
// history:
//
//   - every commit changes exactly one file;
//   - per article, Stet-Version runs 1, 2, 3, ... with no gap or repeat;
//   - per article, the revisions in history strictly increase (no
//     duplicates) and were all served by the site;
//   - every revision that the site held stable across at least one run
//     that completed (exited by itself) is in history. Revisions only
//     killed runs saw may or may not be there, but never twice.
//
// Short mode (default) makes 10 kills; the long run is
//
//	go test ./cmd/stet -run CrashSafety -crash.kills=500 -timeout 60m
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills real processes")
	}
	seed := *crashSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("crash seed %d (rerun with -crash.seed=%d)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 0x5e7))

	bin := buildStet(t)
	site := newRevSite(t, crashArticles)
	repo := filepath.Join(t.TempDir(), "news")
	cfg := site.config(t, t.TempDir())
	args := []string{"run", "--config", cfg, "--repo", repo, "--all", "--allow-private-addresses", "--log-level", "warn"}

	required := make([]map[int]bool, crashArticles) // revisions a completed run saw
	for i := range required {
		required[i] = map[int]bool{}
	}
	complete := func() {
		for i, r := range site.revs() {
			required[i][r] = true
		}
	}
	runOnce := func(kill time.Duration) (killed bool, elapsed time.Duration) {
		t.Helper()
		var out bytes.Buffer
		cmd := exec.Command(bin, args...)
		cmd.Stdout, cmd.Stderr = &out, &out
		start := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatalf("start stet: %v", err)
		}
		var timer *time.Timer
		if kill > 0 {
			timer = time.AfterFunc(kill, func() { cmd.Process.Signal(syscall.SIGKILL) })
		}
		err := cmd.Wait()
		elapsed = time.Since(start)
		if timer != nil {
			timer.Stop()
		}
		ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
		if ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			return true, elapsed
		}
		if err != nil {
			t.Fatalf("stet %s (uninterrupted): %v\n%s", strings.Join(args[:4], " "), err, out.String())
		}
		complete()
		return false, elapsed
	}
	check := func(when string) {
		t.Helper()
		if err := checkRepo(t, repo); err != nil {
			t.Fatalf("%s: %v", when, err)
		}
	}

	_, full := runOnce(0)
	check("after the first run")
	t.Logf("an uninterrupted run takes %v", full)

	kills, runs := 0, 0
	for kills < *crashKills {
		for i := range crashArticles {
			if rng.IntN(4) == 0 {
				site.bump(i)
			}
		}
		// Kill somewhere in the run, now and then before it really starts
		// or after it would have finished.
		delay := time.Duration(rng.Int64N(int64(full)*3/2)) + time.Millisecond
		killed, elapsed := runOnce(delay)
		runs++
		if killed {
			kills++
			check(fmt.Sprintf("after kill %d (at %v)", kills, delay))
		} else {
			check(fmt.Sprintf("after run %d that completed", runs))
			checkClean(t, repo, fmt.Sprintf("after run %d that completed", runs))
			full = (full + elapsed) / 2
		}
	}
	runOnce(0)
	check("after the final run")
	checkClean(t, repo, "after the final run")

	hist := branchLog(t, repo)
	verifyHistory(t, hist, site, required)
	t.Logf("%d kills survived out of %d made (%d runs); %d commits", kills, kills, runs+2, len(hist))
}

var (
	storyURL = regexp.MustCompile(`/news/story-(\d+)\.html$`)
	revLine  = regexp.MustCompile(`^This is revision (\d+) of story (\d+)\.$`)
)

// verifyHistory checks the history rules listed on TestCrashSafety.
func verifyHistory(t *testing.T, hist []commitInfo, site *revSite, required []map[int]bool) {
	t.Helper()
	versions := make([][]int, len(required)) // Stet-Version per article, in order
	revs := make([][]int, len(required))     // revision per article, in order
	for _, c := range hist {
		if len(c.files) != 1 {
			t.Errorf("commit %s changes %d files %v, want 1", c.hash, len(c.files), c.files)
		}
		m := storyURL.FindStringSubmatch(c.url)
		if m == nil {
			t.Errorf("commit %s: Stet-Url %q is not a story", c.hash, c.url)
			continue
		}
		i, _ := strconv.Atoi(m[1])
		rev := -1
		for _, l := range c.added {
			if rm := revLine.FindStringSubmatch(l); rm != nil && rm[2] == m[1] {
				rev, _ = strconv.Atoi(rm[1])
			}
		}
		if rev < 0 {
			t.Errorf("commit %s of story %d adds no revision line: %q", c.hash, i, c.added)
			continue
		}
		versions[i] = append(versions[i], c.version)
		revs[i] = append(revs[i], rev)
	}
	for i := range required {
		for k, v := range versions[i] {
			if v != k+1 {
				t.Errorf("story %d: Stet-Version sequence %v, want 1..%d with no gap or repeat", i, versions[i], len(versions[i]))
				break
			}
		}
		have := map[int]bool{}
		for k, r := range revs[i] {
			if k > 0 && r <= revs[i][k-1] {
				t.Errorf("story %d: revisions in history %v do not strictly increase (duplicate or reordering)", i, revs[i])
			}
			if !site.wasServed(i, r) {
				t.Errorf("story %d: revision %d is in history but was never served", i, r)
			}
			have[r] = true
		}
		for r := range required[i] {
			if !have[r] {
				t.Errorf("story %d: revision %d was stable across a completed run but is not in history %v", i, r, revs[i])
			}
		}
	}
}

// checkClean fails unless git status shows a clean work tree: a completed
// run leaves the work tree and index in line with HEAD, even when earlier
// runs were killed before they synced it.
func checkClean(t *testing.T, repo, when string) {
	t.Helper()
	out, err := gitCmd(repo, "status", "--porcelain", "--untracked-files=all")
	if err != nil || strings.TrimSpace(out) != "" {
		diag, _ := gitCmd(repo, "log", "--oneline", "-3", "--format=%h %s")
		ls, _ := gitCmd(repo, "ls-files", "-s")
		marker, _ := os.ReadFile(filepath.Join(repo, ".git", "stet", "worktree-6d61696e"))
		cached, _ := gitCmd(repo, "diff", "--cached")
		t.Fatalf("%s: git status is not clean (%v):\n%s\nlog:\n%s\nindex:\n%s\nsynced tip: %s\ndiff --cached:\n%.3000s", when, err, out, diag, ls, marker, cached)
	}
}
