package archive

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// newPartialRemote is a bare remote that serves partial clones and
// on-demand fetches of single objects, as GitHub does.
func newPartialRemote(t testing.TB) string {
	t.Helper()
	bare := newBareRemote(t)
	gitCmd(t, bare, "config", "uploadpack.allowFilter", "true")
	gitCmd(t, bare, "config", "uploadpack.allowAnySHA1InWant", "true")
	return bare
}

// checkout clones url the way actions/checkout v6 does with fetch-depth: 1:
// init, fetch the one commit sha (optionally without blobs), an optional
// sparse checkout of the top-level files, and checkout -B main. It returns
// the work tree.
func checkout(t testing.TB, url, sha string, partial bool, token ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "checkout")
	gitCmd(t, t.TempDir(), "init", "-q", "-b", "main", dir)
	gitCmd(t, dir, "remote", "add", "origin", url)
	if len(token) > 0 {
		// actions/checkout's credentials: an extraheader in git config.
		basic := base64.StdEncoding.EncodeToString([]byte(TokenUser + ":" + token[0]))
		gitCmd(t, dir, "config", "http.extraheader", "AUTHORIZATION: basic "+basic)
	}
	fetch := []string{"-c", "protocol.version=2", "fetch", "-q", "--no-tags", "--prune", "--no-recurse-submodules", "--depth=1"}
	if partial {
		fetch = append(fetch, "--filter=blob:none")
	}
	gitCmd(t, dir, append(fetch, "origin", "+"+sha+":refs/remotes/origin/main")...)
	if partial {
		gitCmd(t, dir, "sparse-checkout", "set", "--cone", "--sparse-index")
	}
	gitCmd(t, dir, "checkout", "-q", "--force", "-B", "main", "refs/remotes/origin/main")
	return dir
}

// openCheckout opens a checkout as stet run does and wraps it in a pusher.
func openCheckout(t testing.TB, dir string, opts PushOptions) *pusher {
	t.Helper()
	arch, err := Open(dir, Options{Remote: RemoteOptions{Token: opts.Token}})
	if err != nil {
		t.Fatalf("Open %s: %v", dir, err)
	}
	t.Cleanup(func() { arch.Close() })
	arch.noSync = true
	opts.Sleep = noSleep
	return &pusher{t: t, name: "run", dir: dir, arch: arch, opts: opts}
}

// saveN commits a version numbered n, as track does from the schedule
// state when a shallow clone's history is too short to count.
func (p *pusher) saveN(article, text string, n int, when time.Time) string {
	p.t.Helper()
	u := "https://news.example.com/" + article
	path, _ := PathFor(u)
	body := "New article"
	if n > 1 {
		body = "edited"
	}
	msg := fmt.Sprintf("News: %s\n\n%s\n\nStet-Url: %s\nStet-Version: %d\nStet-Fetched: %s\n", article, body, u, n, when.UTC().Format(time.RFC3339))
	c, _, err := p.arch.Save(Change{Path: path, Content: []byte("# " + article + "\n\n" + text + "\n"), Message: msg, When: when})
	if err != nil {
		p.t.Fatalf("%s: Save: %v", p.name, err)
	}
	return c
}

// firstText is the text line of an article file written by save.
func firstText(b []byte) string {
	_, rest, _ := bytes.Cut(b, []byte("\n\n"))
	return strings.TrimSpace(string(rest))
}

// summarizeForTest names the version a replayed one follows, so a test
// can check the summary describes the change as it landed.
func summarizeForTest(prev, cur []byte) []string {
	return []string{fmt.Sprintf("after %q", firstText(prev))}
}

// remoteVersion is one commit of an article on the remote.
type remoteVersion struct {
	commit, text, body string
	n                  int
}

// remoteHistory reads the remote's history of article, oldest first,
// checking that each commit changes only that article.
func remoteHistory(t testing.TB, bare, article string) []remoteVersion {
	t.Helper()
	path, _ := PathFor("https://news.example.com/" + article)
	log := gitCmd(t, bare, "log", "--first-parent", "--reverse", "--format=%x01%H%n%B%x02", "--name-only", "main", "--", path)
	var out []remoteVersion
	for _, rec := range strings.Split(log, "\x01")[1:] {
		h, rest, _ := strings.Cut(rec, "\n")
		msg, files, _ := strings.Cut(rest, "\x02")
		if files = strings.TrimSpace(files); files != path {
			t.Errorf("%s: commit %s changes %q, want only %s", article, h[:12], files, path)
		}
		_, body, tr := ParseMessage(msg)
		n, _ := strconv.Atoi(Version{Trailers: tr}.Trailer("Stet-Version"))
		text := firstText([]byte(gitCmd(t, bare, "show", h+":"+path) + "\n"))
		out = append(out, remoteVersion{commit: h, text: text, body: body, n: n})
	}
	return out
}

// checkRemote checks what every run must leave: git fsck --strict is clean,
// commit times never go back along the branch, and each article in want
// has its texts once each, in order, numbered 1..N.
func checkRemote(t testing.TB, bare string, want map[string][]string) {
	t.Helper()
	gitCmd(t, bare, "fsck", "--strict")
	times := strings.Fields(gitCmd(t, bare, "log", "--first-parent", "--reverse", "--format=%ct %at", "main"))
	for i := 2; i < len(times); i += 2 {
		if times[i] < times[i-2] || times[i+1] < times[i-1] {
			t.Errorf("commit %d goes back in time: committer %s after %s, author %s after %s", i/2, times[i], times[i-2], times[i+1], times[i-1])
		}
	}
	for article, texts := range want {
		hist := remoteHistory(t, bare, article)
		var got []string
		for i, v := range hist {
			got = append(got, v.text)
			if v.n != i+1 {
				t.Errorf("%s: version %d (%s) is numbered %d", article, i+1, v.commit[:12], v.n)
			}
		}
		if !slices.Equal(got, texts) {
			t.Errorf("%s: remote versions = %q, want %q", article, got, texts)
		}
	}
}

// TestPushReplayFromShallowCheckout is issue 12's race: a run checks out
// tip T at depth 1 (optionally without blobs, as the workflow does), saves,
// and pushes after another run pushed k commits, or after checking out a
// GITHUB_SHA two commits behind the tip. Push must land every version once,
// numbered on from the remote's, drop the one the remote already has, say
// where each landed, and summarise the replayed edit against the version it
// now follows.
func TestPushReplayFromShallowCheckout(t *testing.T) {
	tests := []struct {
		name    string
		ahead   int  // commits the other run pushes after our checkout
		stale   bool // check out a commit two behind the tip instead
		partial bool // --filter=blob:none and a sparse checkout
		http    bool // over git http-backend with Basic auth
	}{
		{name: "ahead 1", ahead: 1},
		{name: "ahead 2", ahead: 2},
		{name: "ahead 5", ahead: 5},
		{name: "stale tip", stale: true},
		{name: "ahead 2 partial", ahead: 2, partial: true},
		{name: "ahead 5 partial http", ahead: 5, partial: true, http: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bare := newPartialRemote(t)
			url, opts, creds := "file://"+bare, PushOptions{}, []string(nil)
			if tt.http {
				srv := gitHTTPServer(t, filepath.Dir(bare), fakeToken)
				url, opts, creds = srv.URL+"/remote.git", PushOptions{Token: fakeToken}, []string{fakeToken}
			}
			opts.Summarize = summarizeForTest
			t0 := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
			want := map[string][]string{}
			other := newPusher(t, "other", bare, PushOptions{})
			for i := range 3 {
				text := fmt.Sprintf("story %d", i+1)
				other.save("story", text, t0.Add(time.Duration(i)*time.Minute))
				want["story"] = append(want["story"], text)
			}
			other.save("side", "side 1", t0.Add(4*time.Minute))
			want["side"] = []string{"side 1"}
			other.push()
			at := gitCmd(t, bare, "rev-parse", "main")
			ahead := tt.ahead
			if tt.stale {
				ahead = 2
			}
			// The other run's commits: story and side edits in turn.
			for i := range ahead {
				when := t0.Add(time.Duration(10+i) * time.Minute)
				if i%2 == 0 {
					text := fmt.Sprintf("other story %d", i)
					other.save("story", text, when)
					want["story"] = append(want["story"], text)
				} else {
					text := fmt.Sprintf("other side %d", i)
					other.save("side", text, when)
					want["side"] = append(want["side"], text)
				}
			}
			known := len(want["story"]) // what the schedule state says now
			if !tt.stale {
				// Our run checked out before the other pushed.
				known = 3
			}
			var dir string
			if tt.stale {
				other.push()
				dir = checkout(t, url, at, tt.partial, creds...)
			} else {
				dir = checkout(t, url, at, tt.partial, creds...)
				other.push()
			}
			if got := gitCmd(t, dir, "rev-parse", "--is-shallow-repository"); got != "true" {
				t.Fatalf("checkout is not shallow")
			}
			if tt.partial && !missingBlob(t, dir, at, "story") {
				t.Fatalf("the partial checkout has the article blobs")
			}
			run := openCheckout(t, dir, opts)
			// Our run's versions, fetched (and timed) before the other's
			// commits: an edit of story, a new article, and a side
			// version equal to the remote's latest side (a duplicate).
			early := t0.Add(5 * time.Minute)
			ourStory := run.saveN("story", "our story", known+1, early)
			want["story"] = append(want["story"], "our story")
			ourNew := run.saveN("mine", "mine 1", 1, early.Add(time.Second))
			want["mine"] = []string{"mine 1"}
			dup := ""
			if last := want["side"][len(want["side"])-1]; last != "side 1" {
				dup = run.saveN("side", last, 2, early.Add(2*time.Second))
			}
			res := run.push()

			checkRemote(t, bare, want)
			tip := gitCmd(t, bare, "rev-parse", "main")
			if head, _ := run.arch.Head(); res.Head != tip || head != tip {
				t.Errorf("PushResult.Head = %s, local head %s, remote tip %s", res.Head, head, tip)
			}
			story := remoteHistory(t, bare, "story")
			last := story[len(story)-1]
			if l := res.Landed[ourStory]; l.Commit != last.commit || l.Version != len(story) {
				t.Errorf("Landed[our story] = %+v, want commit %s version %d", l, last.commit[:12], len(story))
			}
			if prev := story[len(story)-2].text; ahead > 0 && prev != "story 3" && last.body != fmt.Sprintf("after %q", prev) {
				t.Errorf("replayed story summary = %q, want it to describe the change from %q", last.body, prev)
			}
			if l := res.Landed[ourNew]; l.Version != 1 || l.Commit == "" {
				t.Errorf("Landed[new article] = %+v, want version 1 on the remote", l)
			}
			if dup != "" {
				side := remoteHistory(t, bare, "side")
				if l, ok := res.Landed[dup]; !ok || l.Commit != "" || l.Version != len(side) {
					t.Errorf("Landed[duplicate] = %+v (%t), want dropped as version %d", l, ok, len(side))
				}
				if res.Dropped != 1 {
					t.Errorf("Dropped = %d, want 1", res.Dropped)
				}
			}
			// The replay read what the fetch brought, not the blob of
			// the version the run saw.
			if tt.partial && !missingBlob(t, dir, at, "story") {
				t.Errorf("the push fetched the checked-out version of story")
			}
		})
	}
}

// missingBlob reports whether the clone in dir lacks the blob of article
// at commit, asking git without letting it fetch the blob.
func missingBlob(t testing.TB, dir, commit, article string) bool {
	t.Helper()
	blob := gitCmd(t, dir, "rev-parse", commit+":"+mustPath(t, article))
	return strings.Contains(gitCmd(t, dir, "rev-list", "--objects", "--missing=print", commit), "?"+blob)
}

func mustPath(t testing.TB, article string) string {
	p, err := PathFor("https://news.example.com/" + article)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPushNoBaseInShallowClone: when the remote branch was rewritten so
// that it shares nothing with what a shallow clone holds, Push must fail
// rather than replay commits the remote may have, and never force.
func TestPushNoBaseInShallowClone(t *testing.T) {
	bare := newPartialRemote(t)
	a := newPusher(t, "a", bare, PushOptions{})
	t0 := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	a.save("story", "one", t0)
	a.save("story", "two", t0.Add(time.Minute))
	a.push()
	run := openCheckout(t, checkout(t, "file://"+bare, gitCmd(t, bare, "rev-parse", "main"), false), PushOptions{Tries: 2})
	run.saveN("story", "three", 3, t0.Add(2*time.Minute))
	// Another archive, started apart, replaces the remote's branch.
	b := newPusher(t, "b", t.TempDir(), PushOptions{})
	b.save("other", "x", t0)
	gitCmd(t, b.dir, "push", "-q", "--force", "file://"+bare, "main")
	before := gitCmd(t, bare, "rev-parse", "main")
	_, err := run.arch.Push(context.Background(), run.opts)
	if err == nil {
		t.Fatal("Push succeeded onto an unrelated history")
	}
	if after := gitCmd(t, bare, "rev-parse", "main"); after != before {
		t.Errorf("remote moved from %s to %s", before, after)
	}
}

// TestSyncWorktreeSkipsSparseCheckout: in a sparse checkout (git puts
// core.sparseCheckout in config.worktree) a save must not write the
// article into the work tree or rewrite the index.
func TestSyncWorktreeSkipsSparseCheckout(t *testing.T) {
	bare := newPartialRemote(t)
	seed := newPusher(t, "seed", bare, PushOptions{})
	seed.save("story", "one", time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC))
	seed.push()
	dir := filepath.Join(t.TempDir(), "sparse")
	gitCmd(t, t.TempDir(), "clone", "-q", "--sparse", "file://"+bare, dir)
	run := openCheckout(t, dir, PushOptions{})
	run.saveN("story", "two", 2, time.Date(2026, 11, 26, 11, 0, 0, 0, time.UTC))
	index := gitCmd(t, dir, "ls-files", "--stage")
	if err := run.arch.SyncWorktree(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(mustPath(t, "story")))); err == nil {
		t.Error("SyncWorktree wrote an article outside the sparse checkout")
	}
	if got := gitCmd(t, dir, "ls-files", "--stage"); got != index {
		t.Errorf("SyncWorktree rewrote the index:\n%s\nwas\n%s", got, index)
	}
}
