package track

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stet-archive/stet/archive"
	"github.com/stet-archive/stet/fetch"
)

// gitRun runs the git CLI in dir and returns its trimmed output.
func gitRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// editableSite serves articles whose paragraphs the test sets, by path.
type editableSite struct {
	mu    sync.Mutex
	pages map[string][]string
}

func (s *editableSite) set(paras ...string) { s.setPage("/news/harbour-vote", paras...) }

func (s *editableSite) setPage(path string, paras ...string) {
	s.mu.Lock()
	if s.pages == nil {
		s.pages = map[string][]string{}
	}
	s.pages[path] = paras
	s.mu.Unlock()
}

func (s *editableSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	paras, ok := s.pages[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	var b strings.Builder
	b.WriteString(`<!doctype html><html lang="en"><head><title>Harbour vote delayed</title><meta property="og:site_name" content="Example News"></head><body><article><h1>Harbour vote delayed</h1>`)
	for _, p := range paras {
		fmt.Fprintf(&b, "<p>%s</p>", p)
	}
	b.WriteString(`</article></body></html>`)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(b.String()))
}

var (
	paraA = "The government announced on Thursday that it would delay the vote on the harbour bill until the new year, after objections from several members of the committee who said the costs had not been explained."
	paraB = "Officials said the final cost would be published alongside the revised plans, and that the consultation with residents and local businesses would stay open until the middle of January."
	paraC = "Opposition members welcomed the delay but said the government should never have tried to rush the bill through before the holiday, calling the original timetable unrealistic from the start."
)

// shallowWorld is an archive built by complete runs and pushed to a bare
// remote, and the article site it tracks.
type shallowWorld struct {
	bare, url, other string
	site             *editableSite
	client           *fetch.Client
	clock            time.Time
}

func newShallowWorld(t *testing.T) *shallowWorld {
	site := &editableSite{}
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	w := &shallowWorld{
		bare:   filepath.Join(t.TempDir(), "remote.git"),
		url:    srv.URL + "/news/harbour-vote",
		other:  srv.URL + "/news/other",
		site:   site,
		client: fetch.New(fetch.Options{AllowPrivate: true}),
		clock:  t0,
	}
	gitRun(t, t.TempDir(), "init", "-q", "--bare", "-b", "main", w.bare)
	gitRun(t, w.bare, "config", "uploadpack.allowFilter", "true")
	gitRun(t, w.bare, "config", "uploadpack.allowAnySHA1InWant", "true")
	return w
}

// pass runs one pass over every tracked article in repo, as stet run
// --all does, and pushes.
func (w *shallowWorld) pass(t *testing.T, repo string, track ...string) (Report, error) {
	t.Helper()
	arch, err := archive.Open(repo, archive.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer arch.Close()
	if len(track) > 0 {
		st := NewState()
		for _, u := range track {
			st.Add(u, "test", w.clock)
		}
		if err := arch.WriteState(st.Files(), w.clock); err != nil {
			t.Fatal(err)
		}
	}
	w.clock = w.clock.Add(time.Hour)
	now := w.clock
	p := &Pass{
		Tracker: &Tracker{Archive: arch, Client: w.client, Now: func() time.Time { return now }},
		All:     true,
		Now:     func() time.Time { return now },
	}
	rep, err := p.Run(t.Context())
	if err != nil {
		return rep, err
	}
	if _, err := arch.Push(t.Context(), archive.PushOptions{}); err != nil {
		t.Fatalf("Push: %v", err)
	}
	return rep, nil
}

// TestPassInShallowClone: runs in a depth-1 checkout (with and without
// blobs) number versions on from the remote's, summarise real changes
// ("New article" only for new ones), label a revert to a version the clone
// has no commit of, fetch the state they were not given, and stop rather
// than renumber when the remote has no state.
func TestPassInShallowClone(t *testing.T) {
	for _, partial := range []bool{false, true} {
		t.Run(fmt.Sprintf("partial=%t", partial), func(t *testing.T) {
			w := newShallowWorld(t)
			full := filepath.Join(t.TempDir(), "full")
			gitRun(t, t.TempDir(), "clone", "-q", w.bare, full)

			w.site.set(paraA, paraB)
			w.site.setPage("/news/other", paraC, paraB)
			if _, err := w.pass(t, full, w.url, w.other); err != nil {
				t.Fatalf("first pass: %v", err)
			}
			w.site.set(paraA, paraB, paraC)
			if rep, err := w.pass(t, full); err != nil || rep.Changed != 1 {
				t.Fatalf("second pass: changed %d, %v", rep.Changed, err)
			}
			// The tip is another article's commit, so a depth-1 clone
			// holds no commit of this one.
			w.site.setPage("/news/other", paraC)
			if rep, err := w.pass(t, full); err != nil || rep.Changed != 1 {
				t.Fatalf("third pass: changed %d, %v", rep.Changed, err)
			}

			// A depth-1 checkout of the branch only: no state ref.
			args := []string{"clone", "-q", "--depth", "1", "--no-tags"}
			if partial {
				args = append(args, "--filter=blob:none", "--sparse")
			}
			shallow := filepath.Join(t.TempDir(), "shallow")
			gitRun(t, t.TempDir(), append(args, "file://"+w.bare, shallow)...)
			if got := gitRun(t, shallow, "for-each-ref", "refs/stet/"); got != "" {
				t.Fatalf("the clone has stet refs: %s", got)
			}

			// An edit: version 3, summarised against version 2.
			w.site.set(paraA, paraC)
			rep, err := w.pass(t, shallow)
			if err != nil || rep.Changed != 1 {
				t.Fatalf("shallow pass: changed %d, %v", rep.Changed, err)
			}
			r := result(t, rep, w.url)
			if r.Version != 3 || len(r.Summary) == 0 || strings.Contains(strings.Join(r.Summary, " "), "New article") {
				t.Errorf("shallow edit: version %d, summary %q; want 3 and a real summary", r.Version, r.Summary)
			}
			// Back to version 1's text: a revert, found from the state.
			w.site.set(paraA, paraB)
			shallow2 := filepath.Join(t.TempDir(), "shallow2")
			gitRun(t, t.TempDir(), append(args, "file://"+w.bare, shallow2)...)
			rep, err = w.pass(t, shallow2)
			if r := result(t, rep, w.url); err != nil || rep.Changed != 1 || r.Version != 4 || r.Reverts != 1 {
				t.Fatalf("revert pass: %+v, %v; want version 4 reverting to 1", r, err)
			}

			gitRun(t, w.bare, "fsck", "--strict")
			path, _ := archive.PathFor(w.url)
			log := gitRun(t, w.bare, "log", "--reverse", "--format=%(trailers:key=Stet-Version,valueonly,separator=)|%b", "main", "--", path)
			var got []string
			for _, rec := range strings.Split(log, "\n") {
				if n, body, ok := strings.Cut(rec, "|"); ok {
					got = append(got, n+":"+strings.SplitN(body, "\n", 2)[0])
				}
			}
			if len(got) != 4 || got[0] != "1:New article" || strings.Contains(strings.Join(got[1:], " "), "New article") ||
				!strings.HasPrefix(got[1], "2:") || !strings.HasPrefix(got[2], "3:") || got[3] != "4:Reverts to version 1" {
				t.Errorf("remote history (version:first body line) = %q", got)
			}

			if partial {
				// Nothing changed: decided on the blob hash, so the
				// article's blob is never fetched.
				shallow4 := filepath.Join(t.TempDir(), "shallow4")
				gitRun(t, t.TempDir(), append(args, "file://"+w.bare, shallow4)...)
				rep, err := w.pass(t, shallow4)
				if err != nil || rep.Unchanged != 2 {
					t.Fatalf("unchanged pass: %+v, %v", rep, err)
				}
				blob := gitRun(t, shallow4, "rev-parse", "HEAD:"+path)
				if missing := gitRun(t, shallow4, "rev-list", "--objects", "--missing=print", "HEAD"); !strings.Contains(missing, "?"+blob) {
					t.Errorf("an unchanged check fetched the article's blob")
				}
			}

			// No state anywhere: stop, commit nothing.
			gitRun(t, w.bare, "update-ref", "-d", archive.StateRef)
			w.site.set(paraB, paraC)
			shallow3 := filepath.Join(t.TempDir(), "shallow3")
			gitRun(t, t.TempDir(), append(args, "file://"+w.bare, shallow3)...)
			before := gitRun(t, w.bare, "rev-parse", "main")
			if _, err := w.pass(t, shallow3); !errors.Is(err, ErrNoState) {
				t.Errorf("pass without any state: %v, want ErrNoState", err)
			}
			if head := gitRun(t, shallow3, "rev-parse", "main"); head != before {
				t.Errorf("a pass without state committed")
			}
		})
	}
}

// result returns the result for u in rep.
func result(t *testing.T, rep Report, u string) Result {
	t.Helper()
	for _, r := range rep.Results {
		if r.URL == u {
			return r
		}
	}
	t.Fatalf("no result for %s in %+v", u, rep.Results)
	return Result{}
}
