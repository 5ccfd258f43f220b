package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
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

// TestOneWriter runs two stet processes on one archive. The first holds the
// archive while it waits for a page that does not come; the second waits a
// short time and then fails with "archive is locked by PID N since T"
// naming the first. When the holder lets go in time, the waiter goes on.
// After the holder is SIGKILLed, its lock is stale and the next process
// takes the archive over at once, and the repository is intact.
func TestOneWriter(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs real processes")
	}
	bin := buildStet(t)
	site := newRevSite(t, 1)
	hold := make(chan struct{})
	entered := make(chan struct{}, 8)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		entered <- struct{}{}
		select {
		case <-hold:
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(storyPage(site.srv.URL, 0, 1, ""))
	}))
	t.Cleanup(slow.Close)
	t.Cleanup(func() {
		select {
		case <-hold:
		default:
			close(hold)
		}
	})
	repo := filepath.Join(t.TempDir(), "news")
	stet := func(urls ...string) *exec.Cmd {
		args := append([]string{"fetch", "--repo", repo, "--allow-private-addresses", "--timeout", "60s", "--log-level", "warn"}, urls...)
		cmd := exec.Command(bin, args...)
		cmd.Stdout, cmd.Stderr = &bytes.Buffer{}, &bytes.Buffer{}
		return cmd
	}
	startHolder := func() *exec.Cmd {
		t.Helper()
		h := stet(slow.URL + "/news/story-0.html")
		if err := h.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { h.Process.Kill(); h.Wait() })
		select {
		case <-entered: // it has the lock: stet opens the archive before fetching
		case <-time.After(30 * time.Second):
			t.Fatal("holder never fetched its page")
		}
		return h
	}

	// 1. The second writer fails with a clear message after its wait.
	holder := startHolder()
	second := stet(site.url(0))
	start := time.Now()
	err := second.Run()
	waited := time.Since(start)
	stderr := second.Stderr.(*bytes.Buffer).String()
	if code := exitCode(err); code == exitOK {
		t.Fatalf("second writer exited 0 while the archive was held\n%s", stderr)
	}
	m := regexp.MustCompile(`archive is locked by PID (\d+) since (\S+)`).FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("second writer's error does not say who holds the lock:\n%s", stderr)
	}
	if pid, _ := strconv.Atoi(m[1]); pid != holder.Process.Pid {
		t.Errorf("lock error names PID %d, want the holder %d", pid, holder.Process.Pid)
	}
	if since, err := time.Parse(time.RFC3339, m[2]); err != nil || time.Since(since) > time.Minute || time.Until(since) > time.Second {
		t.Errorf("lock error's time %q is not the holder's start (%v)", m[2], err)
	}
	if waited < time.Second {
		t.Errorf("second writer gave up after %v, want it to wait a short time first", waited)
	}
	t.Logf("second writer waited %v, then: %s", waited.Round(time.Millisecond), strings.TrimSpace(stderr))

	// 2. A waiter gets the archive when the holder finishes within the wait.
	waiter := stet(site.url(0))
	if err := waiter.Start(); err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(500*time.Millisecond, func() { close(hold) })
	if err := holder.Wait(); err != nil {
		t.Fatalf("holder: %v\n%s", err, holder.Stderr)
	}
	if err := waiter.Wait(); err != nil {
		t.Fatalf("waiter after the holder finished: %v\n%s", err, waiter.Stderr)
	}

	// 3. A SIGKILLed holder leaves a stale lock, taken over at once.
	hold = make(chan struct{})
	dead := startHolder()
	dead.Process.Signal(syscall.SIGKILL)
	dead.Wait()
	if _, err := os.Stat(filepath.Join(repo, ".git", "stet", "lock")); err != nil {
		t.Fatalf("no lock file left by the killed holder: %v", err)
	}
	site.bump(0)
	next := stet(site.url(0))
	start = time.Now()
	if err := next.Run(); err != nil {
		t.Fatalf("stet after the holder was killed: %v\n%s", err, next.Stderr)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("taking over a stale lock took %v, want no wait", d)
	}
	if err := checkRepo(t, repo); err != nil {
		t.Fatal(err)
	}
	if got := commitCount(t, repo); got != 2 {
		t.Errorf("commits = %d, want 2 (one per revision)", got)
	}
	close(hold)
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}
