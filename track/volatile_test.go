package track

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stet-archive/stet/archive"
	"github.com/stet-archive/stet/fetch"
)

// doc builds a rendering: front matter, title and the body lines, with a
// blank line between body lines (each its own block).
func doc(title string, body ...string) []byte {
	return []byte("---\ntitle: " + title + "\n---\n\n# " + title + "\n\n" + strings.Join(body, "\n\n") + "\n")
}

// fetcher returns renderings from a list, one per call, and counts them;
// texts, when set, holds the text of each page (unknown otherwise).
type fetcher struct {
	pages [][]byte
	texts []string
	calls int
}

func (f *fetcher) next() (reading, bool) {
	if f.calls >= len(f.pages) {
		return reading{}, false
	}
	f.calls++
	r := reading{md: f.pages[f.calls-1]}
	if f.calls <= len(f.texts) {
		r.page = pageWords(f.texts[f.calls-1])
	}
	return r, true
}

// settleMD settles a fresh rendering md of a page whose text is unknown.
func (v *Volatility) settleMD(host string, md, prev []byte, hasPrev bool, refetch func() (reading, bool)) []byte {
	return v.settle(host, reading{md: md}, prev, hasPrev, nil, refetch)
}

const (
	lede  = "The council approved the harbour plan on Tuesday after a long debate that lasted well into the night."
	quote = "The mayor said the vote would be remembered as the moment the town chose its future over its past."
)

func ticker(n int) string {
	return fmt.Sprintf("- [Storm warning %d issued for coast](https://news.example.com/news/storm-%d)", n, n)
}
func updated(n int) string { return fmt.Sprintf("Updated %d minutes ago", n) }

func TestSettleNewArticleKeepsWhatBothFetchesAgreeOn(t *testing.T) {
	v := &Volatility{}
	a := doc("Harbour plan", ticker(1), lede, updated(3), quote)
	b := doc("Harbour plan", ticker(2), lede, updated(9), quote)
	f := &fetcher{pages: [][]byte{b}}
	got := v.settleMD("news.example.com", a, nil, false, f.next)
	if diff := cmp.Diff(string(doc("Harbour plan", lede, quote)), string(got)); diff != "" {
		t.Errorf("settle of a new article (-want +got):\n%s", diff)
	}
	if f.calls != 1 {
		t.Errorf("confirming fetches = %d, want 1 (a site's first run)", f.calls)
	}
}

func TestSettleCommitsOnlyWhatReproduces(t *testing.T) {
	v := &Volatility{}
	prev := doc("Harbour plan", lede, quote)
	edited := strings.Replace(lede, "Tuesday", "Wednesday", 1)
	a := doc("Harbour plan", ticker(5), edited, updated(4), quote)
	b := doc("Harbour plan", ticker(6), edited, updated(8), quote)
	f := &fetcher{pages: [][]byte{b}}
	got := v.settleMD("news.example.com", a, prev, true, f.next)
	if diff := cmp.Diff(string(doc("Harbour plan", edited, quote)), string(got)); diff != "" {
		t.Errorf("settle (-want +got):\n%s", diff)
	}
}

func TestSettleLearnedRulesNeedNoSecondFetch(t *testing.T) {
	v := &Volatility{}
	host := "news.example.com"
	prev := doc("Harbour plan", lede, quote)
	// Learning runs: noise differs between the two fetches.
	for run := range 2 {
		v.BeginRun()
		f := &fetcher{pages: [][]byte{doc("Harbour plan", ticker(20+run), lede, updated(20+run), quote)}}
		got := v.settleMD(host, doc("Harbour plan", ticker(10+run), lede, updated(10+run), quote), prev, true, f.next)
		if string(got) != string(prev) {
			t.Fatalf("learning run %d: noise changed the article:\n%s", run, got)
		}
	}
	// Later runs: new noise of the learned kinds is known without a fetch.
	v.BeginRun()
	f := &fetcher{pages: [][]byte{doc("Harbour plan", lede, quote)}}
	got := v.settleMD(host, doc("Harbour plan", ticker(77), lede, updated(41), quote), prev, true, f.next)
	if string(got) != string(prev) {
		t.Errorf("a learned kind of noise changed the article:\n%s", got)
	}
	if f.calls != 0 {
		t.Errorf("confirming fetches after learning = %d, want 0", f.calls)
	}
	// A real edit next to known noise is still committed, without the
	// noise, and a confirming fetch, if the credit buys one, has it too.
	edited := quote + " He thanked the volunteers."
	f = &fetcher{pages: [][]byte{doc("Harbour plan", ticker(80), lede, updated(44), edited)}}
	got = v.settleMD(host, doc("Harbour plan", ticker(78), lede, updated(42), edited), prev, true, f.next)
	if diff := cmp.Diff(string(doc("Harbour plan", lede, edited)), string(got)); diff != "" {
		t.Errorf("edit beside known noise (-want +got):\n%s", diff)
	}
	// And a headline change on a site with rules.
	got = v.settleMD(host, doc("Harbour plan passes", ticker(79), lede, updated(43), quote), prev, true, f.next)
	if !strings.Contains(string(got), "# Harbour plan passes\n") || !strings.Contains(string(got), "title: Harbour plan passes\n") {
		t.Errorf("new headline lost:\n%s", got)
	}
}

func TestSettleLearnsFragmentsInsideALine(t *testing.T) {
	v := &Volatility{}
	host := "news.example.com"
	prev := doc("Harbour plan", lede+" Subscribe today for unlimited access.", quote)
	f := &fetcher{pages: [][]byte{doc("Harbour plan", lede+" Get our best journalism every morning.", quote)}}
	got := v.settleMD(host, doc("Harbour plan", lede+" Join thousands of readers now.", quote), prev, true, f.next)
	if string(got) != string(prev) {
		t.Errorf("a promo glued into a sentence changed the article:\n%s", got)
	}
	// The sentence itself is still compared: an edit to it is kept.
	v.LearnRuns = -1 // no more learning runs: checks are unconfirmed
	v.ConfirmShare = -1
	v.BeginRun()
	edited := strings.Replace(lede, "harbour", "marina", 1)
	got = v.settleMD(host, doc("Harbour plan", edited+" Get our best journalism every morning.", quote), prev, true, nil)
	if !strings.Contains(string(got), "marina") {
		t.Errorf("edit in a sentence with known furniture lost:\n%s", got)
	}
}

func TestSettleHoldsBackUnconfirmedRemovals(t *testing.T) {
	v := &Volatility{}
	host := "news.example.com"
	prev := doc("Harbour plan", lede, quote)
	v.site(host).Runs = 5 // past the learning runs
	v.ConfirmShare = -1
	v.BeginRun()
	got := v.settleMD(host, doc("Harbour plan", lede), prev, true, (&fetcher{}).next)
	if string(got) != string(prev) {
		t.Errorf("a paragraph missing from one fetch was removed:\n%s", got)
	}
	// Two fetches are not enough either.
	v.ConfirmShare = 0
	v.LearnRuns = 10
	f := &fetcher{pages: [][]byte{doc("Harbour plan", lede)}}
	if got := v.settleMD(host, doc("Harbour plan", lede), prev, true, f.next); string(got) != string(prev) {
		t.Errorf("a paragraph missing from two fetches was removed: %q", got)
	}
	// Confirmed by a second and a third fetch, the removal is an edit.
	f = &fetcher{pages: [][]byte{doc("Harbour plan", lede), doc("Harbour plan", lede)}}
	got = v.settleMD(host, doc("Harbour plan", lede), prev, true, f.next)
	if string(got) != string(doc("Harbour plan", lede)) {
		t.Errorf("a removal three fetches agree on was not kept: %q", got)
	}
}

func TestLearnParams(t *testing.T) {
	for _, tc := range []struct {
		name, url, key string
	}{
		{"query key", "https://news.example.com/report?id=7&zq=%d", "zq"},
		// A servlet session id, written into the path for a client
		// without cookies: new on every request.
		{"path parameter", "https://news.example.com/report;jsessionid=%d?id=7", ";jsessionid"},
		{"path parameter mid-path", "https://news.example.com/a;s=%d/report?id=7", ";s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := &Volatility{}
			host := "news.example.com"
			line := func(n int) string {
				return "See the [full report](" + fmt.Sprintf(tc.url, n) + ") for the figures behind the decision of the council."
			}
			prev := doc("Harbour plan", lede, line(1))
			f := &fetcher{pages: [][]byte{doc("Harbour plan", lede, line(3))}}
			got := v.settleMD(host, doc("Harbour plan", lede, line(2)), prev, true, f.next)
			if string(got) != string(prev) {
				t.Errorf("a per-request key on a link changed the article:\n%s", got)
			}
			if _, ok := v.Sites()[host].Params[tc.key]; !ok {
				t.Errorf("params learned = %v, want %s", v.Sites()[host].Params, tc.key)
			}
			if _, ok := v.Sites()[host].Params["id"]; ok {
				t.Errorf("the stable key id was learned as volatile")
			}
			// Once learned, the key is left out of what is compared, so
			// a later fetch with another value is no change.
			rules := v.Sites()[host]
			if a, b := stripParams(fmt.Sprintf(tc.url, 8), &rules), stripParams(fmt.Sprintf(tc.url, 9), &rules); a != b || !strings.Contains(a, "id=7") {
				t.Errorf("stripParams: %q and %q", a, b)
			}
		})
	}
}

func TestNoRuleFromANumberAlone(t *testing.T) {
	v := &Volatility{}
	host := "news.example.com"
	s := func(n int) string {
		return fmt.Sprintf("The video of the speech by the mayor has now been watched %d times on the council's own website.", n)
	}
	v.learn(host, reading{md: doc("T", s(100))}, reading{md: doc("T", s(200))}, true)
	for k, r := range v.Sites()[host].Lines {
		if r.Kind == "fragment" && strings.TrimSpace(strings.ReplaceAll(r.Sample, "#", "")) == "" {
			t.Errorf("rule %s %q would hide every number", k, r.Sample)
		}
	}
	// A changed number in a sentence is still an edit.
	v.LearnRuns, v.ConfirmShare = -1, -1
	v.BeginRun()
	prev := doc("T", lede)
	edited := strings.Replace(lede, "Tuesday", "Tuesday 14", 1)
	if got := v.settleMD(host, doc("T", edited), prev, true, nil); !strings.Contains(string(got), "Tuesday 14") {
		t.Errorf("changed number lost:\n%s", got)
	}
}

func TestVolatilityEncodeLoadExpireReset(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	v := &Volatility{Now: func() time.Time { return now }}
	v.learn("www.news.example.com", reading{md: doc("T", ticker(1), lede)}, reading{md: doc("T", ticker(2), lede)}, true)
	b := v.Encode()
	if b == nil || !strings.Contains(string(b), `"news.example.com"`) {
		t.Fatalf("Encode = %s, want rules under news.example.com", b)
	}
	w := &Volatility{Now: v.Now}
	if err := w.Load(b); err != nil {
		t.Fatal(err)
	}
	if string(w.Encode()) != string(b) {
		t.Errorf("Load(Encode()) does not round-trip:\n%s\n%s", b, w.Encode())
	}
	if err := w.Load([]byte("{not json")); err == nil {
		t.Errorf("Load of a damaged file: no error")
	}
	now = now.Add(DefaultVolatileExpiry + 48*time.Hour)
	if err := w.Load(b); err != nil {
		t.Fatal(err)
	}
	if n := len(w.Sites()["news.example.com"].Lines); n != 0 {
		t.Errorf("%d rules left after the expiry, want 0", n)
	}
	if !v.Reset("news.example.com") || v.Encode() != nil {
		t.Errorf("Reset left %s", v.Encode())
	}
}

// noisyServer serves one article whose ticker and "updated" line change
// on every request; edit changes its text.
type noisyServer struct {
	mu   sync.Mutex
	hits int
	text string
}

func (s *noisyServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits++
	n, text := s.hits, s.text
	s.mu.Unlock()
	if r.URL.Path != "/news/story" {
		http.NotFound(w, r)
		return
	}
	fmt.Fprintf(w, `<html><head><title>Harbour plan</title></head><body>
<article><h1>Harbour plan</h1>
<p>%s</p><ul><li><a href="/news/flash-%d">Storm warning %d issued for the coast</a></li></ul>
<p>%s</p><p>Brought to you by Acme %d</p><p>Officials said the final cost of the plan would be published alongside the revised drawings next month.</p></article>
</body></html>`, text, n*7919%1000, n*31%97, quote, n*131%1000)
}

func TestPassKeepsRulesBesideTheState(t *testing.T) {
	repo := t.TempDir()
	arch, err := archive.Open(repo, archive.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer arch.Close()
	site := &noisyServer{text: lede}
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	clock := t0
	now := func() time.Time { return clock }
	client := fetch.New(fetch.Options{AllowPrivate: true, Now: now})
	u := srv.URL + "/news/story"
	runs := 0
	pass := func() Report {
		t.Helper()
		runs++
		clock = clock.Add(24 * time.Hour)
		p := &Pass{
			Tracker: &Tracker{Archive: arch, Client: client, Now: now, Volatile: &Volatility{Now: now}},
			Now:     now, All: true,
		}
		if runs == 1 {
			st, err := DecodeState(nil)
			if err != nil {
				t.Fatal(err)
			}
			st.Add(u, "test", clock)
			if err := arch.WriteState(st.Files(), clock); err != nil {
				t.Fatal(err)
			}
		}
		rep, err := p.Run(t.Context())
		if err != nil {
			t.Fatalf("run %d: %v", runs, err)
		}
		return rep
	}
	for range 5 {
		site.mu.Lock()
		before := site.hits
		site.mu.Unlock()
		rep := pass()
		if rep.Changed != 0 {
			t.Fatalf("run %d: noise made a commit: %+v", runs, rep.Results)
		}
		site.mu.Lock()
		if n := site.hits - before; runs > 2 && n != 1 {
			t.Errorf("run %d after learning made %d fetches of an unchanged article, want 1", runs, n)
		}
		site.mu.Unlock()
	}
	out, err := exec.Command("git", "-C", repo, "show", "refs/stet/state:"+VolatileFile).CombinedOutput()
	if err != nil || !strings.Contains(string(out), `"lines"`) {
		t.Fatalf("git show refs/stet/state:%s: %v\n%s", VolatileFile, err, out)
	}
	site.mu.Lock()
	before := site.hits
	site.text = strings.Replace(lede, "Tuesday", "Thursday", 1)
	site.mu.Unlock()
	rep := pass()
	if rep.Changed != 1 {
		t.Fatalf("an edit was not committed: %+v", rep.Results)
	}
	if s := strings.Join(rep.Results[0].Summary, "\n"); !strings.Contains(s, "edited") {
		t.Errorf("summary %q does not say what changed", s)
	}
	site.mu.Lock()
	if n := site.hits - before; n > 2 {
		t.Errorf("a run after learning made %d fetches of an edited article, want at most 2", n)
	}
	site.mu.Unlock()
	if out, err := exec.Command("git", "-C", repo, "fsck", "--strict").CombinedOutput(); err != nil {
		t.Errorf("git fsck: %v\n%s", err, out)
	}
}

func TestSettleKnownPlaceRotates(t *testing.T) {
	v := &Volatility{}
	host := "news.example.com"
	promo := func(s string) string { return s }
	prev := doc("Harbour plan", lede, promo("Subscribe today for unlimited access."), quote)
	// One learning check sees two variants of the promo.
	f := &fetcher{pages: [][]byte{doc("Harbour plan", lede, promo("Get our best journalism every morning."), quote)}}
	if got := v.settleMD(host, doc("Harbour plan", lede, promo("Join thousands of readers: sign up."), quote), prev, true, f.next); string(got) != string(prev) {
		t.Errorf("two more variants of a promo changed the article:\n%s", got)
	}
	v.LearnRuns, v.ConfirmShare = -1, -1 // from now on, no confirming fetch
	v.BeginRun()
	// A variant never seen replaces a known one: the place rotates.
	got := v.settleMD(host, doc("Harbour plan", lede, promo("Try the app free for a month."), quote), prev, true, nil)
	if string(got) != string(prev) {
		t.Errorf("a new variant of a rotating promo changed the article:\n%s", got)
	}
	// A correction added beside it is an edit.
	note := "Correction: An earlier version of this article misstated the date of the vote."
	got = v.settleMD(host, doc("Harbour plan", lede, promo("Listen to the briefing now."), note, quote), prev, true, nil)
	if !strings.Contains(string(got), note) {
		t.Errorf("a correction beside rotating furniture was lost:\n%s", got)
	}
}

func TestSettleShorterHeadlineIsAnEdit(t *testing.T) {
	v := &Volatility{LearnRuns: -1, ConfirmShare: -1}
	long := "Conversations with a cryptid, chapter one: a mournful howl in the night over the harbour"
	prev := doc(long, lede, quote)
	got := v.settleMD("news.example.com", doc("Harbour plan approved", lede, quote), prev, true, nil)
	if !strings.Contains(string(got), "# Harbour plan approved\n") {
		t.Errorf("a shorter headline was held back as a removal:\n%s", got)
	}
}

func TestSettleNewArticleKeepsLineWithGluedPromo(t *testing.T) {
	v := &Volatility{}
	item := "- Groups and families: tours handle logistics and cost sharing easily, while a drive offers privacy."
	a := doc("Tours", lede, item+" Try the app free for a month.", quote)
	b := doc("Tours", lede, item+" Get our best journalism every morning.", quote)
	got := v.settleMD("news.example.com", a, nil, false, (&fetcher{pages: [][]byte{b}}).next)
	if !strings.Contains(string(got), item) {
		t.Errorf("a line the two fetches have in two variants was dropped:\n%s", got)
	}
}

func TestSettleHeldRemovalAddsNoNoise(t *testing.T) {
	v := &Volatility{}
	host := "news.example.com"
	v.learn(host, reading{md: doc("T", updated(3), lede)}, reading{md: doc("T", updated(7), lede)}, true)
	v.LearnRuns, v.ConfirmShare = -1, -1
	v.BeginRun()
	prev := doc("T", lede, updated(3), quote, "Officials said the final cost would be published alongside the revised plans next month.")
	// The fetch loses two paragraphs (held back) and shows a new "updated" line.
	got := v.settleMD(host, doc("T", lede, updated(12)), prev, true, nil)
	if string(got) != string(prev) {
		t.Errorf("held removal changed the article:\n%s", got)
	}
}

func TestSettleLongLineWhosePresenceWobbles(t *testing.T) {
	v := &Volatility{}
	host := "news.example.com"
	last := "Whether you are after a quiet harbour walk, a thorough museum visit or simply want more time to relax on the coast, the town has something for every visitor who makes the trip this winter."
	prev := doc("T", lede, quote, last)
	// One fetch has the last paragraph, the other not.
	f := &fetcher{pages: [][]byte{doc("T", lede, updated(2), quote)}}
	if got := v.settleMD(host, doc("T", lede, updated(1), quote, last), prev, true, f.next); string(got) != string(prev) {
		t.Fatalf("wobble changed the article:\n%s", got)
	}
	// Later three fetches in a row lack it: still the same article.
	f = &fetcher{pages: [][]byte{doc("T", lede, quote), doc("T", lede, quote)}}
	if got := v.settleMD(host, doc("T", lede, quote), prev, true, f.next); string(got) != string(prev) {
		t.Errorf("a paragraph whose presence wobbles was removed:\n%s", got)
	}
	v.LearnRuns, v.ConfirmShare = -1, -1
	v.BeginRun()
	// An edit to that paragraph is still an edit, made once.
	edited := strings.Replace(last, "winter", "spring", 1)
	got := v.settleMD(host, doc("T", lede, quote, edited), prev, true, nil)
	if want := doc("T", lede, quote, edited); string(got) != string(want) {
		t.Errorf("edit of a wobbling paragraph (-want +got):\n%s", cmp.Diff(string(want), string(got)))
	}
}

func TestSettleKnowsFurnitureInItalics(t *testing.T) {
	v := &Volatility{}
	host := "news.example.com"
	prev := doc("Harbour plan", lede, quote)
	// Learned plain, from two fetches that disagree on the promo.
	f := &fetcher{pages: [][]byte{doc("Harbour plan", lede, "Subscribe today for unlimited access.", quote)}}
	if got := v.settleMD(host, doc("Harbour plan", lede, "Get our best journalism every morning.", quote), prev, true, f.next); string(got) != string(prev) {
		t.Fatalf("promo changed the article:\n%s", got)
	}
	v.LearnRuns, v.ConfirmShare = -1, -1
	v.BeginRun()
	// Served in italics, in a caption block, it is the same furniture.
	got := v.settleMD(host, doc("Harbour plan", lede, "*A caption of the photo.*\n*Get our best journalism every morning.*", quote), doc("Harbour plan", lede, "*A caption of the photo.*", quote), true, nil)
	if want := doc("Harbour plan", lede, "*A caption of the photo.*", quote); string(got) != string(want) {
		t.Errorf("promo in italics (-want +got):\n%s", cmp.Diff(string(want), string(got)))
	}
}

func TestSettlePullQuotesComeAndGo(t *testing.T) {
	v := &Volatility{}
	host := "news.example.com"
	pull := func(s string) string { return "> “" + strings.Join(strings.Fields(s)[:8], " ") + " …”" }
	prev := doc("Harbour plan", lede, quote)
	// A learning check: one fetch has a pull quote, the other not.
	f := &fetcher{pages: [][]byte{doc("Harbour plan", lede, quote)}}
	if got := v.settleMD(host, doc("Harbour plan", lede, pull(lede), quote), prev, true, f.next); string(got) != string(prev) {
		t.Fatalf("a pull quote changed the article:\n%s", got)
	}
	v.LearnRuns, v.ConfirmShare = -1, -1
	v.BeginRun()
	// Later, another pull quote at another place needs no fetch.
	if got := v.settleMD(host, doc("Harbour plan", lede, quote, pull(quote)), prev, true, nil); string(got) != string(prev) {
		t.Errorf("another pull quote changed the article:\n%s", got)
	}
	// A paragraph repeated whole is article text, and new text is an edit.
	note := "Correction: An earlier version of this article misstated the date of the vote."
	want := doc("Harbour plan", lede, quote, note, quote)
	if got := v.settleMD(host, doc("Harbour plan", lede, pull(quote), quote, note, quote), prev, true, nil); string(got) != string(want) {
		t.Errorf("edit beside a pull quote (-want +got):\n%s", cmp.Diff(string(want), string(got)))
	}
}

func TestSettleSameLineInAnotherForm(t *testing.T) {
	img := "![The harbour at dawn](https://news.example.com/media/image/72012?w=1080)"
	row := "| Leasing rate | Kilometre contract: expensive | | |"
	prev := doc("T", lede, row, img, quote)
	tests := []struct{ name, row, img, text string }{
		{"image without its query, a removal beside it", row, "![The harbour at dawn](https://news.example.com/media/image/72012)", ""},
		{"table row with its empty cells moved", "| | Leasing rate | Kilometre contract: expensive |", img, quote},
		{"a space less between sentences", row, img, strings.Replace(quote+" He left.", ". He", ".He", 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &Volatility{}
			v.site("news.example.com").Runs = 5
			v.ConfirmShare = -1
			v.BeginRun()
			body := []string{lede, tt.row, tt.img}
			want := prev
			if tt.text != "" {
				body = append(body, tt.text)
				if tt.text != quote {
					want = doc("T", lede, row, img, strings.Replace(tt.text, ".He", ". He", 1))
					prev := doc("T", lede, row, img, quote+" He left.")
					got := v.settleMD("news.example.com", doc("T", body...), prev, true, nil)
					if string(got) != string(prev) {
						t.Errorf("settle (-want +got):\n%s", cmp.Diff(string(prev), string(got)))
					}
					return
				}
			}
			// Three fetches agree the last paragraph is gone: an edit, and
			// the image line beside it keeps its bytes.
			f := &fetcher{pages: [][]byte{doc("T", body...), doc("T", body...)}}
			v.LearnRuns = 10
			got := v.settleMD("news.example.com", doc("T", body...), prev, true, f.next)
			if tt.text == "" {
				want = doc("T", lede, row, img)
			}
			if string(got) != string(want) {
				t.Errorf("settle (-want +got):\n%s", cmp.Diff(string(want), string(got)))
			}
		})
	}
}

func TestSettleShortLineWithACounter(t *testing.T) {
	v := &Volatility{}
	host := "news.example.com"
	join := func(n int) string { return fmt.Sprintf("Join %d readers who get our briefing before breakfast.", n) }
	prev := doc("T", lede, quote)
	f := &fetcher{pages: [][]byte{doc("T", lede, quote, join(456))}}
	if got := v.settleMD(host, doc("T", lede, quote, join(2733)), prev, true, f.next); string(got) != string(prev) {
		t.Fatalf("a counter line changed the article:\n%s", got)
	}
	v.LearnRuns, v.ConfirmShare = -1, -1
	v.BeginRun()
	if got := v.settleMD(host, doc("T", lede, quote, join(21688)), prev, true, nil); string(got) != string(prev) {
		t.Errorf("a counter line with another number changed the article:\n%s", got)
	}
}

func TestSettleHeldRemovalKeepsLinesInAnotherForm(t *testing.T) {
	v := &Volatility{LearnRuns: -1, ConfirmShare: -1}
	img := "![The harbour at dawn](https://news.example.com/media/image/72012?w=1080)"
	prev := doc("T", lede, img+"\n"+quote+" Officials said the final cost would be published next month.")
	// The fetch loses a paragraph (held back) and serves the image without its query.
	got := v.settleMD("news.example.com", doc("T", lede, "![The harbour at dawn](https://news.example.com/media/image/72012)"), prev, true, nil)
	if string(got) != string(prev) {
		t.Errorf("held removal changed the article (-want +got):\n%s", cmp.Diff(string(prev), string(got)))
	}
}

func TestSettleEditedShortLineBesideRotatingPromo(t *testing.T) {
	v := &Volatility{}
	host := "news.example.com"
	prev := doc("T", lede+"\n5,7 Milliarden seien immens.", quote)
	edited := doc("T", lede+"\n6,1 Milliarden seien immens.", "Get our best journalism every morning.", quote)
	f := &fetcher{pages: [][]byte{doc("T", lede+"\n6,1 Milliarden seien immens.", "Try the app free for a month.", quote)}}
	got := v.settleMD(host, edited, prev, true, f.next)
	if want := doc("T", lede+"\n6,1 Milliarden seien immens.", quote); string(got) != string(want) {
		t.Errorf("edit of a short line beside a rotating promo (-want +got):\n%s", cmp.Diff(string(want), string(got)))
	}
}

// TestSettleReadingDropsWhatThePageStillHolds: when the fresh readings
// leave out an archived paragraph that both fresh pages still hold, the
// reading flipped, not the article: the paragraph stays. When the pages
// no longer hold it, the removal is committed.
func TestSettleReadingDropsWhatThePageStillHolds(t *testing.T) {
	const tail = "Work on the new quay is due to start in the spring and should take about two years to finish."
	prev := doc("Harbour plan", lede, quote, tail)
	held := "Harbour plan " + lede + " " + quote + " " + tail + " Most read today"
	gone := "Harbour plan " + lede + " " + quote + " Most read today"
	for _, tt := range []struct {
		name, page string
		want       []byte
	}{
		{"still on the page", held, prev},
		{"gone from the page", gone, doc("Harbour plan", lede, quote)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := &Volatility{}
			cur := doc("Harbour plan", lede, quote)
			// Three fetches agree the paragraph is out of the reading,
			// which is what a removal needs (see
			// TestSettleHoldsBackUnconfirmedRemovals).
			f := &fetcher{pages: [][]byte{cur, cur}, texts: []string{tt.page, tt.page}}
			got := v.settle("news.example.com", reading{md: cur, page: pageWords(tt.page)}, prev, true, nil, f.next)
			if diff := cmp.Diff(string(tt.want), string(got)); diff != "" {
				t.Errorf("settle (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSettleBlockTheLastPageHeld: a block the fresh reading takes in
// that the last version's page already held (its print) is the reading
// wobbling, not an edit; a new paragraph the last page did not hold is
// an edit, beside it or alone.
func TestSettleBlockTheLastPageHeld(t *testing.T) {
	const (
		intro = "Looking for a new home by the sea but you do not know where to start?"
		added = "In a statement on Monday the harbour board said the review would continue."
	)
	prev := doc("Harbour plan", lede, quote)
	oldPage := "Harbour plan\n" + intro + "\n" + lede + "\n" + quote + "\nMost read today"
	for _, tt := range []struct {
		name, page string
		cur, want  []byte
	}{
		{"held block", oldPage, doc("Harbour plan", intro, lede, quote), prev},
		{"new paragraph", oldPage, doc("Harbour plan", lede, quote, added), doc("Harbour plan", lede, quote, added)},
		{"new paragraph beside a held block", oldPage, doc("Harbour plan", intro, lede, quote, added), doc("Harbour plan", lede, quote, added)},
		{"held paragraph, a sentence a line", "Harbour plan\nWhere to start? Ask the council.\n" + lede + "\n" + quote, doc("Harbour plan", "Where to start?\nAsk the council.", lede, quote), prev},
		{"held heading of one word", oldPage + "\nNotes", doc("Harbour plan", "## Notes", lede, quote), prev},
		{"no print", "", doc("Harbour plan", intro, lede, quote), doc("Harbour plan", intro, lede, quote)},
		// The page held the quote once, and the version has it: a second
		// copy is an edit (a site that repeats a statement), not wobble.
		{"a held line repeated", oldPage, doc("Harbour plan", lede, quote, quote), doc("Harbour plan", lede, quote, quote)},
		{"a held block the page held twice", oldPage + "\n" + intro, doc("Harbour plan", intro, lede, quote, intro), prev},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := &Volatility{LearnRuns: -1, ConfirmShare: -1}
			var before pagePrint
			if tt.page != "" {
				before = readPrint(PagePrint(tt.page))
			}
			text := strings.ReplaceAll(string(tt.cur), "\n", " ") // the fresh page
			got := v.settle("news.example.com", reading{md: tt.cur, page: pageWords(text)}, prev, true, before, nil)
			if diff := cmp.Diff(string(tt.want), string(got)); diff != "" {
				t.Errorf("settle (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPagePrintHolds: a print holds the page's blocks, as lines are compared (list markers, emphasis and case aside),
// and nothing else.
func TestPagePrintHolds(t *testing.T) {
	p := readPrint(PagePrint("The Harbour Plan, approved\nRead more\nfirst item of the list\n"))
	for _, tt := range []struct {
		line string
		want bool
	}{
		{"*The harbour plan approved*", true},
		{"- first item of the list", true},
		{"1. first item of the list", true},
		{"## The Harbour Plan, approved", true},
		{"## Read more", true},
		{"Read", false},
		{"The harbour plan approved today", false},
		{"![The harbour plan approved](https://x.example/a.jpg)", false},
	} {
		if got := p.holds(tt.line); got != tt.want {
			t.Errorf("holds(%q) = %v, want %v", tt.line, got, tt.want)
		}
	}
	if readPrint("not base64!") != nil || readPrint("") != nil {
		t.Error("readPrint of a damaged print is not nil")
	}
}

// TestSettleConfirmingReadingLeftOutTheEdit: the confirming reading
// leaves out the block with a new paragraph, but its page holds it: the
// paragraph reproduces, and is committed.
func TestSettleConfirmingReadingLeftOutTheEdit(t *testing.T) {
	const added = "In a statement on Monday the harbour board said the review would continue."
	prev := doc("Harbour plan", lede, quote)
	cur := doc("Harbour plan", lede, quote, added)
	page := "Harbour plan " + lede + " " + quote + " " + added
	v := &Volatility{}
	f := &fetcher{pages: [][]byte{doc("Harbour plan", lede)}, texts: []string{page}}
	got := v.settle("news.example.com", reading{md: cur, page: pageWords(page)}, prev, true, nil, f.next)
	if diff := cmp.Diff(string(cur), string(got)); diff != "" {
		t.Errorf("settle (-want +got):\n%s", diff)
	}
}

// TestSettleSentencesApartOnThePage: the readings drop a paragraph of
// two sentences that every fresh page still holds, with furniture
// between them: each sentence is still on the page, and the paragraph
// stays.
func TestSettleSentencesApartOnThePage(t *testing.T) {
	const tail = "Work on the new quay is due to start in the spring and should take about two years to finish."
	prev := doc("Harbour plan", lede, quote+"\n"+tail)
	page := "Harbour plan " + lede + " " + quote + " Advertisement " + tail
	cur := doc("Harbour plan", lede)
	v := &Volatility{}
	f := &fetcher{pages: [][]byte{cur, cur}, texts: []string{page, page}}
	got := v.settle("news.example.com", reading{md: cur, page: pageWords(page)}, prev, true, nil, f.next)
	if diff := cmp.Diff(string(prev), string(got)); diff != "" {
		t.Errorf("settle (-want +got):\n%s", diff)
	}
}

// TestSettleKeepsTablesWhole: two fresh readings whose tables gain a
// first row that differs between them (a rotating promo cell) agree on
// the rows below it only, so the rows they agree on start with the
// separator; the merge must not commit a table whose header sits below
// its separator. It keeps the table as it was.
func TestSettleKeepsTablesWhole(t *testing.T) {
	table := func(first string) string {
		rows := []string{"| Pros | Cons |", "| --- | --- |", "| Low rates | Less cash at hand |", "| Fixed costs | Interest is due |"}
		if first != "" {
			rows = append([]string{first}, rows...)
			rows[1], rows[2] = rows[2], rows[1] // the new row is the header
		}
		return strings.Join(rows, "\n")
	}
	prev := doc("Harbour plan", lede, table(""), quote)
	a := doc("Harbour plan", lede, table("| Deal of the day 17 | |"), quote)
	b := doc("Harbour plan", lede, table("| Deal of the day 42 | |"), quote)
	v := &Volatility{LearnRuns: -1, ConfirmShare: -1}
	f := &fetcher{pages: [][]byte{b, b}}
	got := string(v.settleMD("news.example.com", a, prev, true, f.next))
	checkTables(t, got)
}

// checkTables fails t unless every table of the settled rendering got
// is well formed and the table's rows are there.
func checkTables(t *testing.T, got string) {
	t.Helper()
	for _, tab := range tables(splitLines([]byte(got))) {
		if !wellFormed(tab) {
			t.Errorf("settle wrote a broken table:\n%s\nin\n%s", strings.Join(tab, "\n"), got)
		}
	}
	if !strings.Contains(got, "| Low rates | Less cash at hand |") {
		t.Errorf("settle lost the table's rows:\n%s", got)
	}
}

// tables returns the runs of table rows of lines.
func tables(lines []string) [][]string {
	var out [][]string
	for _, r := range tableRuns(lines) {
		out = append(out, lines[r[0]:r[1]])
	}
	return out
}

// TestSettleNewArticleKeepsTablesWhole: the same for a new article,
// whose first version is what two readings agree on.
func TestSettleNewArticleKeepsTablesWhole(t *testing.T) {
	table := func(first string) string {
		return strings.Join([]string{first, "| --- | --- |", "| Low rates | Less cash at hand |", "| Fixed costs | Interest is due |"}, "\n")
	}
	a := doc("Harbour plan", lede, table("| Deal of the day 17 | |"), quote)
	b := doc("Harbour plan", lede, table("| Deal of the day 42 | |"), quote)
	v := &Volatility{LearnRuns: -1, ConfirmShare: -1}
	f := &fetcher{pages: [][]byte{b}}
	got := string(v.settleMD("news.example.com", a, nil, false, f.next))
	checkTables(t, got)
}

// TestWellFormedTables: the shapes mendTables mends.
func TestWellFormedTables(t *testing.T) {
	for _, tt := range []struct {
		name string
		rows []string
		want bool
	}{
		{"header, separator, rows", []string{"| A | B |", "| --- | --- |", "| 1 | 2 \\| 3 |"}, true},
		{"header below the separator", []string{"| --- | --- |", "| A | B |", "| 1 | 2 |"}, false},
		{"two separators", []string{"| A | B |", "| --- | --- |", "| --- | --- |", "| 1 | 2 |"}, false},
		{"a separator of another width", []string{"| A | B | |", "| --- | --- |", "| 1 | 2 | 3 |"}, false},
		{"a row of another width", []string{"| A | B |", "| --- | --- |", "| 1 | 2 | 3 |"}, false},
	} {
		if got := wellFormed(tt.rows); got != tt.want {
			t.Errorf("%s: wellFormed = %v, want %v", tt.name, got, tt.want)
		}
	}
	prev := []string{"Intro.", "", "| A | B | |", "| --- | --- | --- |", "| 1 | 2 | 3 |", "", "| X | Y |", "| --- | --- |"}
	got := mendTables([]string{"Intro.", "", "| A | B | |", "| --- | --- |", "| 1 | 2 | 3 |", "", "| X | Y |", "| --- | --- |"}, prev)
	if diff := cmp.Diff(prev, got); diff != "" {
		t.Errorf("mendTables (-want +got):\n%s", diff)
	}
}

// TestSettleNewArticleWithoutPullQuotes: a pull quote both readings of a
// new article have is not taken in either: the next fetch's may be
// another, and its going would be a change of nothing.
func TestSettleNewArticleWithoutPullQuotes(t *testing.T) {
	pull := "> “" + strings.Join(strings.Fields(quote)[:8], " ") + " …”"
	a := doc("Harbour plan", lede, pull, quote)
	v := &Volatility{LearnRuns: -1, ConfirmShare: -1}
	f := &fetcher{pages: [][]byte{a}}
	got := v.settleMD("news.example.com", a, nil, false, f.next)
	if diff := cmp.Diff(string(doc("Harbour plan", lede, quote)), string(got)); diff != "" {
		t.Errorf("settle (-want +got):\n%s", diff)
	}
}

// TestSettlePullQuotesAcrossBlocks: a pull quote that runs two blocks
// together with no space between them, or that is set among the items of
// a list, is an echo like any other.
func TestSettlePullQuotesAcrossBlocks(t *testing.T) {
	items := "1. Rebuild the harbour wall before the winter storms.\n2. Dredge the channel for the larger ferries."
	tests := []struct{ name, q, a, pull string }{
		{"quote of two blocks", "Q: How long will the work on the new harbour wall take?", "A: The council says the work will take four years in all, weather permitting.",
			"> “Q: How long will the work on the new harbour wall take?A: The council says …”"},
		{"quote of two blocks run together", "Pros: Quiet, light and easy to carry on a long walk", "Cons: The battery lasts a single day in cold weather.",
			"> “Pros: Quiet, light and easy to carry on a long walkCons: The battery …”"},
		{"quote set in a list", "Q: How long will the work on the new harbour wall take?", "A: The council says the work will take four years in all, weather permitting.",
			"3. “" + strings.Join(strings.Fields(lede)[:9], " ") + " …”"},
	}
	for _, tt := range tests {
		q, a := tt.q, tt.a
		t.Run(tt.name, func(t *testing.T) {
			want := doc("Harbour plan", lede, q, a, items)
			cur := doc("Harbour plan", lede, q, a, items+"\n"+tt.pull)
			if strings.HasPrefix(tt.pull, ">") {
				cur = doc("Harbour plan", lede, q, a, tt.pull, items)
			}
			// A new article: the readings agree on the pull quote, but it
			// is not taken.
			v := &Volatility{LearnRuns: -1, ConfirmShare: -1}
			f := &fetcher{pages: [][]byte{cur}}
			if got := v.settleMD("news.example.com", cur, nil, false, f.next); string(got) != string(want) {
				t.Errorf("new article (-want +got):\n%s", cmp.Diff(string(want), string(got)))
			}
			// A later check without a second reading: no change.
			if got := v.settleMD("news.example.com", cur, want, true, nil); string(got) != string(want) {
				t.Errorf("later check (-want +got):\n%s", cmp.Diff(string(want), string(got)))
			}
		})
	}
}

// TestSettleShedsFurnitureWithAnEdit: a promo the last version took in,
// learned as volatile since, leaves with the next real change (never in a
// commit of its own), so that a note later added where it stood is an
// addition, taken without a second reading, not the promo's next variant.
func TestSettleShedsFurnitureWithAnEdit(t *testing.T) {
	promo := "Read the rest of our coverage in the archive."
	other := "This story was produced with support from 38203 members like you."
	note := "In a statement on Friday the minister said the harbour review would continue."
	edited := strings.Replace(lede, "Tuesday", "Wednesday", 1)
	text := func(body ...string) string { return strings.Join(body, " ") }
	v := &Volatility{}
	host := "news.example.com"
	prev := doc("Harbour plan", lede, quote, promo)
	// Learned: two fetches disagree on the promo.
	v.BeginRun()
	f := &fetcher{pages: [][]byte{doc("Harbour plan", lede, quote, promo)}}
	if got := v.settleMD(host, doc("Harbour plan", lede, quote, other), prev, true, f.next); string(got) != string(prev) {
		t.Fatalf("promo changed the article:\n%s", got)
	}
	v.LearnRuns, v.ConfirmShare = -1, -1
	v.BeginRun()
	// The promo gone and nothing else: no commit.
	if got := v.settleText(host, doc("Harbour plan", lede, quote), text(lede, quote), prev); string(got) != string(prev) {
		t.Errorf("the promo's going alone changed the article:\n%s", got)
	}
	// A promo the page still holds (the reading left it out) stays with
	// an edit.
	want := doc("Harbour plan", edited, quote, promo)
	if got := v.settleText(host, doc("Harbour plan", edited, quote), text(edited, quote, promo), prev); string(got) != string(want) {
		t.Errorf("promo still on the page (-want +got):\n%s", cmp.Diff(string(want), string(got)))
	}
	// A promo the page no longer holds goes with the edit.
	want = doc("Harbour plan", edited, quote)
	got := v.settleText(host, doc("Harbour plan", edited, quote), text(edited, quote), prev)
	if string(got) != string(want) {
		t.Fatalf("edit with the promo gone (-want +got):\n%s", cmp.Diff(string(want), string(got)))
	}
	// A note where the promo stood is then an addition.
	want = doc("Harbour plan", edited, quote, note)
	if got := v.settleText(host, doc("Harbour plan", edited, quote, note), text(edited, quote, note), got); string(got) != string(want) {
		t.Errorf("note after the promo went (-want +got):\n%s", cmp.Diff(string(want), string(got)))
	}
}

// settleText settles md, whose page has the words of text, against prev
// without a second reading.
func (v *Volatility) settleText(host string, md []byte, text string, prev []byte) []byte {
	return v.settle(host, reading{md: md, page: pageWords(text)}, prev, true, nil, nil)
}

// TestSettleItemWithFurnitureGlued: a sentence of furniture glued to the
// end of a list item, another on each request, stays out of a new
// article's first version, and its next variant commits nothing.
func TestSettleItemWithFurnitureGlued(t *testing.T) {
	items := func(tail string) string {
		return "1. Parata H, Hori K. Stranded whales of the northern coast, a survey of ten years. J Mar Biol. 2015.\n" +
			"2. Kirchhof MG, Wong A, Dutz JP. Cyclosporine treatment of a rare hypersensitivity syndrome. JAMA Dermatol. 2016." + tail
	}
	tails := []string{"", " Join 14571 readers who get our briefing before breakfast.", " She has written about local politics since 38962 and hosts our podcast.", " Join 2211 readers who get our briefing before breakfast."}
	v := &Volatility{}
	host := "news.example.com"
	v.BeginRun()
	f := &fetcher{pages: [][]byte{doc("Harbour plan", lede, quote, items(tails[2]))}}
	first := v.settleMD(host, doc("Harbour plan", lede, quote, items(tails[1])), nil, false, f.next)
	if want := doc("Harbour plan", lede, quote, items(tails[0])); string(first) != string(want) {
		t.Fatalf("first version (-want +got):\n%s", cmp.Diff(string(want), string(first)))
	}
	v.BeginRun()
	f = &fetcher{pages: [][]byte{doc("Harbour plan", lede, quote, items(tails[2]))}}
	if got := v.settleMD(host, doc("Harbour plan", lede, quote, items(tails[3])), first, true, f.next); string(got) != string(first) {
		t.Errorf("another tail changed the article (-want +got):\n%s", cmp.Diff(string(first), string(got)))
	}
}

// TestSettleLineTheReadingsPlaceApart: a new paragraph two readings hold
// at different places is added once, and the paragraph it moved past is
// not copied.
func TestSettleLineTheReadingsPlaceApart(t *testing.T) {
	note := "In a statement on Friday the minister said the harbour review would continue."
	text := lede + " " + quote + " " + note
	prev := doc("Harbour plan", lede, quote)
	v := &Volatility{}
	v.BeginRun()
	f := &fetcher{pages: [][]byte{doc("Harbour plan", lede, quote, note)}, texts: []string{text}}
	got := v.settle("news.example.com", reading{md: doc("Harbour plan", lede, note, quote), page: pageWords(text)}, prev, true, nil, f.next)
	for _, l := range []string{note, quote} {
		if n := strings.Count(string(got), l); n != 1 {
			t.Errorf("%.20q is in the version %d times, want once:\n%s", l, n, got)
		}
	}
}

// TestSettleNoteWhereFurnitureRotated: without a second reading, a note
// that takes the place of a rotating line is committed when no page of
// the site's other articles held it, and waits when one did (it is the
// furniture's next variant).
func TestSettleNoteWhereFurnitureRotated(t *testing.T) {
	promo := "Read the rest of our coverage in the archive."
	other := "This story was produced with support from 38203 members like you."
	note := "In a statement on Friday the minister said the harbour review would continue."
	prev := doc("Harbour plan", lede, quote, promo)
	for _, tt := range []struct {
		name  string
		site  []string // the text of the site's other pages
		taken bool
	}{
		{"unknown on the site", []string{lede + "\n" + promo, other}, true},
		{"on another page of the site", []string{note + "\n" + promo}, false},
		{"site unknown", nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := &Volatility{}
			host := "news.example.com"
			v.BeginRun()
			f := &fetcher{pages: [][]byte{doc("Harbour plan", lede, quote, promo)}}
			v.settleMD(host, doc("Harbour plan", lede, quote, other), prev, true, f.next)
			v.LearnRuns, v.ConfirmShare = -1, -1
			v.BeginRun()
			var site pagePrint
			for _, text := range tt.site {
				for h, n := range readPrint(PagePrint(text)) {
					if site == nil {
						site = pagePrint{}
					}
					site[h] += n
				}
			}
			cur := doc("Harbour plan", lede, quote, note)
			got := v.settle(host, reading{md: cur, page: pageWords(lede + " " + quote + " " + note), site: site}, prev, true, nil, nil)
			want := prev
			if tt.taken {
				want = cur
			}
			if string(got) != string(want) {
				t.Errorf("(-want +got):\n%s", cmp.Diff(string(want), string(got)))
			}
		})
	}
}

// TestSettleReadingWithoutHeadingsAddsNoCopy: a reading that lacks the
// step headings around a paragraph (the page still holds them) lines up
// its blank lines with theirs, so the paragraph is both a new line of one
// change and a line another removes; the merge must not hold it twice.
func TestSettleReadingWithoutHeadingsAddsNoCopy(t *testing.T) {
	const (
		fill = "Fill each circle with a spoon of the pumpkin filling and pinch the edges shut."
		roll = "Roll the dough out thin, cut circles with a glass and fold each one over the filling."
		boil = "Boil the dumplings in salted water until they float, then fry them in butter."
	)
	prev := doc("Pumpkin dumplings", lede, "### Step 4", fill, "### Step 5", roll, "### Step 6", boil)
	cur := []byte(strings.Replace(string(doc("Pumpkin dumplings", lede, fill, roll, "", "Support independent reporting from one dollar.", boil)), "\n\n\n\n", "\n\n\n", 1))
	page := "Pumpkin dumplings " + lede + " Step 4 " + fill + " Step 5 " + roll + " Step 6 " + boil + " Support independent reporting from one dollar."
	v := &Volatility{}
	got := string(v.settle("news.example.com", reading{md: cur, page: pageWords(page)}, prev, true, nil, nil))
	if n := strings.Count(got, roll); n != 1 {
		t.Errorf("the paragraph is %d times in the version:\n%s", n, got)
	}
}

// TestTrackerSettleTakesTheReadingClosestToTheLastVersion: a page whose
// readings its prose supports about equally (a list of entries, or the
// same entries as paragraphs) is rendered as the one the last version
// was, so that furniture tipping the extractor's choice commits nothing,
// while an edit the page makes is in every reading and is committed.
func TestTrackerSettleTakesTheReadingClosestToTheLastVersion(t *testing.T) {
	const (
		one = "The first car is refined, interesting and preposterously spacious for a family of five."
		two = "The second car is smooth and silent on the road and a pleasure to drive on long trips."
	)
	asList := func(extra ...string) []byte {
		return doc("Best electric cars", append([]string{"1. " + one + "\n2. " + two}, extra...)...)
	}
	asParas := func(extra ...string) []byte {
		return doc("Best electric cars", append([]string{one, two}, extra...)...)
	}
	const note = "Correction: An earlier version of this article misnamed the second car."
	for _, tt := range []struct {
		name      string
		md, other []byte
		want      []byte
	}{
		{"furniture tipped the choice", asParas(), asList(), asList()},
		{"the same reading as before", asList(), asParas(), asList()},
		{"an edit is in every reading", asParas(note), asList(note), asList(note)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			arch, err := archive.Open(t.TempDir(), archive.Options{})
			if err != nil {
				t.Fatal(err)
			}
			const path = "news.example.com/cars.md"
			t.Cleanup(func() { arch.Close() })
			if _, _, err := arch.Save(archive.Change{Path: path, Content: asList(), Message: "v1"}); err != nil {
				t.Fatal(err)
			}
			tr := &Tracker{Archive: arch, Volatile: &Volatility{}}
			others := func() [][]byte { return [][]byte{tt.other} }
			got, err := tr.settle(path, "https://news.example.com/cars", tt.md, others, "", "", nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(tt.want), string(got)); diff != "" {
				t.Errorf("settle (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSettleSiteHeadlinesInAnySection: a block of the site's other
// stories that links into a section (/2026/12/…) no fetch showed before
// is known as the site's rotating headlines, without a fetch; a new
// paragraph beside it and a link to another site are still edits.
func TestSettleSiteHeadlinesInAnySection(t *testing.T) {
	v := &Volatility{}
	host := "news.example.com"
	story := func(section string, n int) string {
		return fmt.Sprintf("[Council votes on the harbour budget %d](https://news.example.com/%s/harbour-%d.html)", n, section, n)
	}
	prev := doc("Harbour plan", lede, quote)
	for run := range 2 {
		v.BeginRun()
		f := &fetcher{pages: [][]byte{doc("Harbour plan", lede, story("world", 20+run), quote)}}
		if got := v.settleMD(host, doc("Harbour plan", lede, story("news", 10+run), quote), prev, true, f.next); string(got) != string(prev) {
			t.Fatalf("learning run %d: noise changed the article:\n%s", run, got)
		}
	}
	v.BeginRun()
	f := &fetcher{}
	if got := v.settleMD(host, doc("Harbour plan", lede, story("2026/12", 77), quote), prev, true, f.next); string(got) != string(prev) {
		t.Errorf("a headline of the site in a new section changed the article:\n%s", got)
	}
	const note = "Correction: An earlier version of this article misstated the date of the vote."
	if got := v.settleMD(host, doc("Harbour plan", lede, story("2026/12", 78), quote, note), prev, true, f.next); !strings.Contains(string(got), note) {
		t.Errorf("the note beside the headline is lost:\n%s", got)
	}
	other := "[The port authority's report on the harbour budget](https://port.example.org/report.html)"
	if got := v.settleMD(host, doc("Harbour plan", lede, other, quote), prev, true, f.next); !strings.Contains(string(got), other) {
		t.Errorf("a link to another site is lost:\n%s", got)
	}
}

// TestWithoutCopies: a merge's extra copy of a line goes, and the copy
// that stays is the one where the last version had it.
func TestWithoutCopies(t *testing.T) {
	for _, tt := range []struct {
		name         string
		out, prev, x []string
		want         []string
	}{
		{"a copy beside the line", []string{"H5", "", "R", "", "R", "", "H6"}, []string{"H5", "", "R", "", "H6"}, []string{"R"},
			[]string{"H5", "", "R", "", "", "H6"}},
		{"a copy where a reading moved it", []string{"A", "", "P", "", "B", "", "P", "", "C"}, []string{"A", "", "B", "", "P", "", "C"}, []string{"A", "P", "B", "C"},
			[]string{"A", "", "", "B", "", "P", "", "C"}},
		{"a line the page repeats stays twice", []string{"A", "", "Q", "", "B", "", "Q"}, []string{"A", "", "Q", "", "B", "", "Q"}, nil,
			[]string{"A", "", "Q", "", "B", "", "Q"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, withoutCopies(tt.out, tt.prev, tt.x)); diff != "" {
				t.Errorf("withoutCopies (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSettleRotatingLabelledLine: a short line led by a label ("Watch:")
// whose words are new on every request is learned by its label, so a
// later run's new variant is no change; a line under another label, or an
// edit to the article beside it, still is.
func TestSettleRotatingLabelledLine(t *testing.T) {
	v := &Volatility{}
	host := "news.example.com"
	card := func(n int) string {
		words := []string{"Harbour festival opens", "Minister visits the new rail depot", "Storm damage along the coast road", "Orchestra season ends early",
			"Library reopens after the flood", "Strike closes the school", "Bridge repairs begin in spring", "Forest fire near the village",
			"Market traders protest new fees", "Museum wins a national award"}
		return fmt.Sprintf("Watch: %s (%d:%02d)", words[n%len(words)], n%5, 7*n%60)
	}
	prev := doc("Harbour plan", lede, quote)
	for run := range 2 {
		v.BeginRun()
		f := &fetcher{pages: [][]byte{doc("Harbour plan", lede, card(2*run+1), quote)}}
		if got := v.settleMD(host, doc("Harbour plan", lede, card(2*run), quote), prev, true, f.next); string(got) != string(prev) {
			t.Fatalf("learning run %d: noise changed the article:\n%s", run, got)
		}
	}
	if got := lineLabel(card(3)); got != "paragraph watch:" {
		t.Errorf("lineLabel(%q) = %q", card(3), got)
	}
	v.BeginRun()
	f := &fetcher{}
	if got := v.settleMD(host, doc("Harbour plan", lede, card(7), quote), prev, true, f.next); string(got) != string(prev) {
		t.Errorf("a new variant of the labelled line changed the article:\n%s", got)
	}
	const note = "Correction: An earlier version of this article misstated the date of the vote."
	if got := v.settleMD(host, doc("Harbour plan", lede, card(8), quote, note), prev, true, f.next); !strings.Contains(string(got), note) {
		t.Errorf("a line under another label is lost:\n%s", got)
	}
	edited := strings.Replace(lede, "council", "city council", 1)
	if edited == lede {
		t.Fatal("the lede has no word to edit")
	}
	if got := v.settleMD(host, doc("Harbour plan", edited, card(9), quote), prev, true, f.next); !strings.Contains(string(got), edited) {
		t.Errorf("an edit beside the labelled line is lost:\n%s", got)
	}
}

func TestLineLabel(t *testing.T) {
	for _, tt := range []struct{ line, want string }{
		{"Watch: Storm damage along the coast road (2:13)", "paragraph watch:"},
		{"*Photos from the scene:* the harbour at dawn", "paragraph photos from the scene:"},
		{"- Listen: the mayor on the budget", "item listen:"},
		{"Watch:", ""}, // nothing after the label
		{"The minister said on Monday that the plan: would go ahead", ""},
		{"Read more: [Council votes](https://news.example.com/a)", ""}, // a link line has its shape
		{"See https://example.com/a for more", ""},
	} {
		if got := lineLabel(tt.line); got != tt.want {
			t.Errorf("lineLabel(%q) = %q, want %q", tt.line, got, tt.want)
		}
	}
}

// TestSettleRotatingCards: a run of other stories' cards (a heading and a
// short teaser each) set inside the article, new stories on every
// request, is learned as a run of its headings' level, so a later run's
// new cards are no change; an appended paragraph after them, and one new
// section of the article (a heading and its paragraph), still are.
func TestSettleRotatingCards(t *testing.T) {
	v := &Volatility{}
	host := "news.example.com"
	words := strings.Fields("harbour council budget river station market minister village league bridge festival museum school hospital airport rail forest coast summit court")
	r := rand.New(rand.NewPCG(1, 2))
	cards := func() string {
		var b strings.Builder
		for range 3 {
			w := func() string { return words[r.IntN(len(words))] }
			fmt.Fprintf(&b, "#### The %s and the %s %s plan\n\nWhat the %s %s means for the %s, in pictures.\n\n", w(), w(), w(), w(), w(), w())
		}
		return strings.TrimSpace(b.String())
	}
	prev := doc("Harbour plan", lede, quote)
	for run := range 2 {
		v.BeginRun()
		f := &fetcher{pages: [][]byte{doc("Harbour plan", lede, cards(), quote)}}
		if got := v.settleMD(host, doc("Harbour plan", lede, cards(), quote), prev, true, f.next); string(got) != string(prev) {
			t.Fatalf("learning run %d: noise changed the article:\n%s", run, got)
		}
	}
	v.BeginRun()
	f := &fetcher{}
	if got := v.settleMD(host, doc("Harbour plan", lede, cards(), quote), prev, true, f.next); string(got) != string(prev) {
		t.Errorf("new cards changed the article:\n%s", got)
	}
	const more = "The harbour master said on Wednesday that the first ferries would berth at the new quay in the spring of next year, weeks before the festival."
	if got := v.settleMD(host, doc("Harbour plan", lede, cards(), quote, more), prev, true, f.next); !strings.Contains(string(got), more) {
		t.Errorf("the appended paragraph is lost:\n%s", got)
	}
	section := "#### What the harbour plan costs the town\n\nThe council put the cost at four million over five years, most of it borrowed."
	if got := v.settleMD(host, doc("Harbour plan", lede, section, quote), prev, true, f.next); !strings.Contains(string(got), "borrowed") {
		t.Errorf("the new section is lost:\n%s", got)
	}
}

// TestSettleRotatingTitleTails: a site that A/B-tests its title tag
// serves a headline with another tail on each request ("| Courier",
// "— Courier: latest news", none). Two fetches of one article that
// disagree only there teach the tail for the whole site; later, on
// another article, a headline with a known tail, or none, is the same
// headline, while a headline whose words changed, or that gained a tail
// never seen to rotate, is an edit.
func TestSettleRotatingTitleTails(t *testing.T) {
	v := &Volatility{LearnRuns: 10}
	host := "news.example.com"
	first := doc(`Ferry strike ends \| Courier`, quote)
	f := &fetcher{pages: [][]byte{doc("Ferry strike ends — Courier: latest news", quote)}}
	if got := v.settleMD(host, doc("Ferry strike ends", quote), first, true, f.next); string(got) != string(first) {
		t.Errorf("a rotating title tail changed the article:\n%s", got)
	}
	if tails := v.Sites()[host].Tails; len(tails) != 1 || tails["courier: latest news"].IsZero() {
		t.Errorf("tails learned = %v, want the one tail the fetches disagree on", tails)
	}
	v.LearnRuns, v.ConfirmShare = 0, 0 // later runs: no confirming fetch
	prev := doc(`Harbour plan \| Courier`, lede, quote)
	for _, tt := range []struct {
		name, title string
		edit        bool
	}{
		{"known tail", "Harbour plan — Courier: latest news", false},
		{"no tail", "Harbour plan", false},
		{"new words", `Harbour plan approved \| Courier`, true},
		{"a known tail after the last version's whole headline", `Harbour plan \| Courier — Courier: latest news`, false},
		{"a tail never seen to rotate", "Harbour plan - three objections", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := v.settleMD(host, doc(tt.title, lede, quote), prev, true, nil)
			if tailChangeOnly(splitLines(prev), splitLines(doc(tt.title, lede, quote))) {
				// A change of the tail alone waits for a confirming
				// fetch, which commits it when the tail does not rotate.
				if string(got) != string(prev) {
					t.Errorf("%q: committed without a confirming fetch:\n%s", tt.title, got)
				}
				v.site(host).Credit = 1
				f := &fetcher{pages: [][]byte{doc(tt.title, lede, quote)}}
				got = v.settleMD(host, doc(tt.title, lede, quote), prev, true, f.next)
			}
			if changed := string(got) != string(prev); changed != tt.edit {
				t.Errorf("%q: changed %v, want %v:\n%s", tt.title, changed, tt.edit, got)
			}
		})
	}
}

// TestSettleNoteInsideAnItemWithFurnitureGlued: a note appended to a list
// item that has a sentence of furniture glued after it, another on each
// request, is committed (both fetches have it before their furniture),
// and the furniture's next variants commit nothing, before the note or
// after it.
func TestSettleNoteInsideAnItemWithFurnitureGlued(t *testing.T) {
	items := func(tail string) string {
		return "1. Parata H, Hori K. Stranded whales of the northern coast, a survey of ten years. J Mar Biol. 2015.\n" +
			"2. Kirchhof MG, Wong A, Dutz JP. Cyclosporine treatment of a rare hypersensitivity syndrome. JAMA Dermatol. 2016." + tail
	}
	text := func(tail string) string { return lede + " " + quote + " " + items(tail) }
	join := func(n int) string { return fmt.Sprintf(" Join %d readers who get our briefing before breakfast.", n) }
	const (
		archive = " Read the rest of our coverage in the archive."
		podcast = " She has written about local politics since 38962 and hosts our podcast."
		note    = " In a statement on Monday the minister said the energy review would continue."
	)
	v := &Volatility{ConfirmShare: 1}
	var prev []byte
	for i, run := range []struct {
		fetches [2]string
		want    string // the tail of the item in the version
	}{
		{[2]string{archive, archive}, archive}, // by chance, both fetches have one variant
		{[2]string{join(2211), join(14571)}, archive},
		{[2]string{podcast, join(14571)}, archive},
		{[2]string{note + join(14571), note + podcast}, note},
		{[2]string{note + archive, note + join(2211)}, note},
	} {
		v.BeginRun()
		f := &fetcher{pages: [][]byte{doc("Harbour plan", lede, quote, items(run.fetches[1]))}, texts: []string{text(run.fetches[1])}}
		got := v.settle("news.example.com", reading{md: doc("Harbour plan", lede, quote, items(run.fetches[0])), page: pageWords(text(run.fetches[0]))}, prev, prev != nil, nil, f.next)
		if want := doc("Harbour plan", lede, quote, items(run.want)); string(got) != string(want) {
			t.Errorf("run %d (-want +got):\n%s", i, cmp.Diff(string(want), string(got)))
		}
		prev = got
	}
}

// TestSettleRotatingTitleTailsQuoted: a headline with ": " in it is a
// quoted title in the front matter; its tails rotate and are learned all
// the same.
func TestSettleRotatingTitleTailsQuoted(t *testing.T) {
	// YAML quotes a title with ": " in it, so whether the title is quoted
	// may depend on its tail.
	qdoc := func(head, tail string, body ...string) []byte {
		title := head + tail
		if strings.Contains(title, ": ") {
			title = "'" + title + "'"
		}
		md := "---\ntitle: " + title + "\n---\n\n# " + head + strings.ReplaceAll(tail, "|", `\|`) + "\n\n" + strings.Join(body, "\n\n") + "\n"
		return []byte(md)
	}
	v := &Volatility{LearnRuns: 10}
	host := "news.example.com"
	first := qdoc("Ferry strike: talks end", " | Courier", quote)
	f := &fetcher{pages: [][]byte{qdoc("Ferry strike: talks end", " — Courier: latest news", quote)}}
	if got := v.settleMD(host, qdoc("Ferry strike: talks end", " - Courier", quote), first, true, f.next); string(got) != string(first) {
		t.Errorf("a rotating title tail changed the article:\n%s", got)
	}
	v.LearnRuns, v.ConfirmShare = 0, 0 // later runs: no confirming fetch
	// No rule learned from the rotating headline hides its edit.
	edit := qdoc("Ferry strike: talks end in a deal", " | Courier", quote)
	if got := v.settleMD(host, edit, first, true, nil); string(got) != string(edit) {
		t.Errorf("the headline's edit was not committed:\n%s", got)
	}
	prev := qdoc("Harbour plan: a vote", " | Courier", lede, quote)
	for _, tt := range []struct {
		head, tail string
		edit       bool
	}{
		{"Harbour plan: a vote", " — Courier: latest news", false},
		{"Harbour plan: a vote", " - Courier", false},
		{"Harbour plan: a vote", "", false},
		{"Harbour plan: a vote tonight", " | Courier", true},
	} {
		got := v.settleMD(host, qdoc(tt.head, tt.tail, lede, quote), prev, true, nil)
		if changed := string(got) != string(prev); changed != tt.edit {
			t.Errorf("%q: changed %v, want %v:\n%s", tt.head+tt.tail, changed, tt.edit, got)
		}
	}
	// A headline without a colon is quoted only with the tail that has one.
	prev = qdoc("Harbour plan vote", " | Courier", lede, quote)
	for _, tt := range []struct {
		head, tail string
		edit       bool
	}{
		{"Harbour plan vote", " — Courier: latest news", false},
		{"Harbour plan vote", "", false},
		{"Harbour plan vote delayed", " — Courier: latest news", true},
	} {
		got := v.settleMD(host, qdoc(tt.head, tt.tail, lede, quote), prev, true, nil)
		if changed := string(got) != string(prev); changed != tt.edit {
			t.Errorf("%q: changed %v, want %v:\n%s", tt.head+tt.tail, changed, tt.edit, got)
		}
	}
}

// TestSettleAutoLinkedWords: a site's auto-linker links other words of
// the text to topic pages on each request. Two fetches that differ so
// teach the link target as a rule: later fetches with other words linked
// commit nothing, while an edit in the words, or a link to another page,
// is still an edit.
func TestSettleAutoLinkedWords(t *testing.T) {
	link := func(text, word string) string {
		return strings.Replace(text, word, "["+word+"](https://news.example.com/topic/"+strings.ToLower(word)+")", 1)
	}
	v := &Volatility{LearnRuns: 10}
	host := "news.example.com"
	f := &fetcher{pages: [][]byte{doc("Harbour plan", lede, link(quote, "future"))}}
	first := v.settleMD(host, doc("Harbour plan", link(lede, "council"), quote), nil, false, f.next)
	if got := v.Sites()[host].Links; len(got) != 1 || got["news.example.com/topic/"].IsZero() {
		t.Fatalf("link rules = %v, want the topic pages", got)
	}
	v.LearnRuns, v.ConfirmShare = -1, -1 // later runs: no confirming fetch
	for _, tt := range []struct {
		name string
		md   []byte
		edit bool
	}{
		{"other words linked", doc("Harbour plan", link(lede, "harbour"), link(quote, "vote")), false},
		{"no word linked", doc("Harbour plan", lede, quote), false},
		{"a word edited beside a link", doc("Harbour plan", link(strings.Replace(lede, "Tuesday", "Monday", 1), "debate"), quote), true},
		{"a link to a story", doc("Harbour plan", lede, strings.Replace(quote, "the vote", "[the vote](https://news.example.com/news/2026/vote-result)", 1)), true},
	} {
		got := v.settleMD(host, tt.md, first, true, nil)
		if changed := string(got) != string(first); changed != tt.edit {
			t.Errorf("%s: changed %v, want %v:\n%s", tt.name, changed, tt.edit, got)
		}
	}
}

// TestSettleKeepsThePublishedDate: a page without a date of its own
// shows today's, which moves a day at a time and on which the two
// fetches of a run agree. The last version's published date stands, with
// or without an edit beside it.
func TestSettleKeepsThePublishedDate(t *testing.T) {
	dated := func(day string, body ...string) []byte {
		return []byte("---\ntitle: Harbour plan\npublished: 2026-12-0" + day + "T00:00:00Z\n---\n\n# Harbour plan\n\n" + strings.Join(body, "\n\n") + "\n")
	}
	v := &Volatility{}
	host := "news.example.com"
	prev := dated("1", lede, quote)
	v.BeginRun()
	f := &fetcher{pages: [][]byte{dated("2", lede, quote)}}
	if got := v.settleMD(host, dated("2", lede, quote), prev, true, f.next); string(got) != string(prev) {
		t.Errorf("the next day's date changed the article:\n%s", got)
	}
	edited := quote + " He thanked the volunteers."
	f = &fetcher{pages: [][]byte{dated("3", lede, edited)}}
	if got, want := v.settleMD(host, dated("3", lede, edited), prev, true, f.next), dated("1", lede, edited); string(got) != string(want) {
		t.Errorf("edit with a new date (-want +got):\n%s", cmp.Diff(string(want), string(got)))
	}
}

// TestSettleLinkTwinsAreOneLine: the two fetches of a change differ only
// in the words an auto-linker linked, and each page holds the other's
// words. The line is one line, in the last version's form: not both
// forms side by side, with or without an edit beside it.
func TestSettleLinkTwinsAreOneLine(t *testing.T) {
	linked := strings.Replace(lede, "council", "[council](https://news.example.com/topic/council)", 1)
	edited := quote + " He thanked the volunteers."
	prev := doc("Harbour plan", lede, quote)
	for _, tt := range []struct {
		name string
		body string
		want []byte
	}{
		{"no edit", quote, prev},
		{"an edit beside", edited, doc("Harbour plan", lede, edited)},
	} {
		page := pageWords("Harbour plan " + lede + " " + tt.body)
		a := doc("Harbour plan", linked, tt.body)
		b := doc("Harbour plan", lede, tt.body)
		v := &Volatility{}
		f := &fetcher{pages: [][]byte{b}, texts: []string{"Harbour plan " + lede + " " + tt.body}}
		got := v.settle("news.example.com", reading{md: a, page: page}, prev, true, nil, f.next)
		if diff := cmp.Diff(string(tt.want), string(got)); diff != "" {
			t.Errorf("%s: settle (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestSettleCounterCompanions: a box after the article comes and goes
// with the request, and holds a counter beside a short line of words
// ("Got a tip?"). When both fetches of a check have the box, with other
// numbers, or one fetch has it and the counter is a known rule, the
// words beside the counter come and go with it: no commit. A new
// paragraph of the article, with a number both fetches agree on, is
// still an edit.
func TestSettleCounterCompanions(t *testing.T) {
	box := func(n int) string { return fmt.Sprintf("Got a tip?\nOur newsroom answers within %d hours.", n) }
	prev := doc("Harbour plan", lede, quote)
	host := "news.example.com"
	v := &Volatility{}
	f := &fetcher{pages: [][]byte{doc("Harbour plan", lede, quote, box(31))}}
	if got := v.settleMD(host, doc("Harbour plan", lede, quote, box(12)), prev, true, f.next); string(got) != string(prev) {
		t.Errorf("a box with a counter, both fetches, changed the article:\n%s", got)
	}
	// The counter is now a rule: one fetch, no confirming one.
	if got := v.settleMD(host, doc("Harbour plan", lede, quote, box(7)), prev, true, nil); string(got) != string(prev) {
		t.Errorf("a box with a known counter changed the article:\n%s", got)
	}
	added := "Officials said.\nThe vote was 7 to 2 in the end."
	f = &fetcher{pages: [][]byte{doc("Harbour plan", lede, quote, added)}}
	want := doc("Harbour plan", lede, quote, added)
	if got := (&Volatility{}).settleMD(host, want, prev, true, f.next); string(got) != string(want) {
		t.Errorf("an appended paragraph with a number (-want +got):\n%s", cmp.Diff(string(want), string(got)))
	}
}

// TestVersionBlankLinesAreNoChange: a merge that differs from the last
// version only in blank lines is no change, and so sheds nothing: a
// known counter the fresh pages lack stays with the version it came in.
func TestVersionBlankLinesAreNoChange(t *testing.T) {
	const meter = "1 free articles left this month."
	v := &Volatility{}
	rules := &SiteRules{}
	v.addLine(rules, "text", "# free articles left this month.", v.today())
	prev := doc("Harbour plan", lede, meter, quote)
	p := splitLines(prev)
	m := append(slices.Clone(p), "", "")
	page := pageWords("Harbour plan " + lede + " " + quote)
	fresh := splitLines(doc("Harbour plan", lede, quote))
	if got := v.version(rules, m, p, prev, []string{page}, fresh); string(got) != string(prev) {
		t.Errorf("version of a merge with blank lines more (-want +got):\n%s", cmp.Diff(string(prev), string(got)))
	}
}

// TestSettleCounterNextToAnEdit: a known counter takes another value in
// the paragraph of an edit. The edit is committed, the counter stays as
// the last version had it: its new value is the next variant of noise,
// not a version of the line.
func TestSettleCounterNextToAnEdit(t *testing.T) {
	meter := func(n int) string { return fmt.Sprintf("%d free articles left this month.", n) }
	v := &Volatility{}
	host := "news.example.com"
	rules := v.site(host)
	v.addLine(rules, "text", "# free articles left this month.", v.today())
	prev := doc("Harbour plan", lede+"\n"+meter(1), quote)
	edited := strings.Replace(lede, "Tuesday", "Wednesday", 1)
	got := v.settleMD(host, doc("Harbour plan", edited+"\n"+meter(3), quote), prev, true, nil)
	if want := doc("Harbour plan", edited+"\n"+meter(1), quote); string(got) != string(want) {
		t.Errorf("settle (-want +got):\n%s", cmp.Diff(string(want), string(got)))
	}
}

// TestSettleTitleTailsByName: a site rotates the separator before its
// name as well as the words after it. A tail that names what a learned
// tail names, after any separator, is no edit, nor is the headline of a
// page without one of its own (the site's name, with a tail or without);
// other words after a separator are.
func TestSettleTitleTailsByName(t *testing.T) {
	v := &Volatility{LearnRuns: 10}
	host := "news.example.com"
	first := doc(`Ferry strike ends \| Courier`, quote)
	f := &fetcher{pages: [][]byte{first}}
	if got := v.settleMD(host, doc("Ferry strike ends - Courier", quote), first, true, f.next); string(got) != string(first) {
		t.Fatalf("a rotating title tail changed the article:\n%s", got)
	}
	v.LearnRuns, v.ConfirmShare = -1, -1 // later runs: no confirming fetch
	for _, tt := range []struct {
		prev, title string
		edit        bool
	}{
		{"Harbour plan - Courier", "Harbour plan — Courier", false},
		{"Harbour plan", "Harbour plan — Courier: latest news", false},
		{"Courier", "Courier: latest news", false},
		{"Courier: latest news", "Courier", false},
		{"Courier", "Harbour plan", true},
		{"Harbour plan - Courier", "Harbour plan - three objections", true},
		{"Harbour plan - Courier", "Harbour plan approved - Courier", true},
	} {
		prev := doc(tt.prev, lede, quote)
		got := v.settleMD(host, doc(tt.title, lede, quote), prev, true, nil)
		if tt.edit && tailChangeOnly(splitLines(prev), splitLines(doc(tt.title, lede, quote))) {
			// A change of the tail alone waits for a confirming fetch.
			if string(got) != string(prev) {
				t.Errorf("%q → %q: committed without a confirming fetch:\n%s", tt.prev, tt.title, got)
			}
			v.site(host).Credit = 1
			f := &fetcher{pages: [][]byte{doc(tt.title, lede, quote)}}
			got = v.settleMD(host, doc(tt.title, lede, quote), prev, true, f.next)
		}
		if changed := string(got) != string(prev); changed != tt.edit {
			t.Errorf("%q → %q: changed %v, want %v:\n%s", tt.prev, tt.title, changed, tt.edit, got)
		}
	}
}

// TestSettleEditionDateOfTheSite: a line of the site's furniture (other
// articles' pages held it too) names the day's edition, which moves a
// day at a time; the two fetches of a run agree on it. Its new date is
// no edit. The same change on a line no other page held, or a change of
// its words, is.
func TestSettleEditionDateOfTheSite(t *testing.T) {
	const (
		tuesday   = "Today's edition · Tuesday 1 December 2026"
		wednesday = "Today's edition · Wednesday 2 December 2026"
		other     = "Ferry services resume after the strike ends on the coast."
	)
	union := func(texts ...string) pagePrint {
		p := pagePrint{}
		for _, text := range texts {
			for h := range readPrint(PagePrint(text)) {
				p[h]++
			}
		}
		return p
	}
	own := strings.Join([]string{"Harbour plan", tuesday, lede, quote}, "\n")
	prev := doc("Harbour plan", tuesday, lede, quote)
	for _, tt := range []struct {
		name  string
		site  pagePrint
		line  string
		taken bool
	}{
		{"furniture of the site", union(own, "Ferry\n"+tuesday+"\n"+other), wednesday, false},
		{"no other page held it", union(own, "Ferry\n"+other), wednesday, true},
		{"its words changed", union(own, "Ferry\n"+tuesday+"\n"+other), "Today's special · Tuesday 1 December 2026", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := &Volatility{LearnRuns: -1, ConfirmShare: -1}
			v.site("news.example.com").Runs = 5
			cur := doc("Harbour plan", tt.line, lede, quote)
			got := v.settle("news.example.com", reading{md: cur, page: pageWords("Harbour plan " + tt.line + " " + lede + " " + quote), site: tt.site}, prev, true, readPrint(PagePrint(own)), nil)
			want := prev
			if tt.taken {
				want = cur
			}
			if string(got) != string(want) {
				t.Errorf("(-want +got):\n%s", cmp.Diff(string(want), string(got)))
			}
		})
	}
	// The reading takes in the edition line the last version lacked.
	v := &Volatility{LearnRuns: -1, ConfirmShare: -1}
	v.site("news.example.com").Runs = 5
	bare := doc("Harbour plan", lede, quote)
	ownBare := strings.Join([]string{"Harbour plan", lede, quote}, "\n")
	for _, tt := range []struct {
		name  string
		site  pagePrint
		taken bool
	}{
		{"an edition line other pages held", union(ownBare, "Ferry\n"+wednesday+"\n"+other), false},
		{"a line with a date no other page held", union(ownBare, "Ferry\n"+other), true},
	} {
		cur := doc("Harbour plan", wednesday, lede, quote)
		got := v.settle("news.example.com", reading{md: cur, page: pageWords("Harbour plan " + wednesday + " " + lede + " " + quote), site: tt.site}, bare, true, readPrint(PagePrint(ownBare)), nil)
		if taken := string(got) != string(bare); taken != tt.taken {
			t.Errorf("%s: taken %v, want %v:\n%s", tt.name, taken, tt.taken, got)
		}
	}
}

// TestTailChangeOnly: which changes of a last version wait for a
// confirming fetch as a change of the headline's tail alone.
func TestTailChangeOnly(t *testing.T) {
	for _, tt := range []struct {
		prev, cur []byte
		want      bool
	}{
		{doc("Harbour plan | Courier", lede), doc("Harbour plan - Courier", lede), true},
		{doc("Harbour plan", lede), doc("Harbour plan — Courier: latest news", lede), true},
		{doc("Courier", lede), doc("Courier: latest news", lede), true},
		{doc("Harbour plan | Courier", lede), doc("Harbour plan approved | Courier", lede), false},
		{doc("Harbour plan | Courier", lede), doc("Harbour plan - Courier", quote), false},
		{doc("Harbour plan", lede), doc("Harbour plan", quote), false},
		{doc("Harbour plan", lede), doc("Harbour plan", lede), false},
	} {
		if got := tailChangeOnly(splitLines(tt.prev), splitLines(tt.cur)); got != tt.want {
			t.Errorf("tailChangeOnly(%q, %q) = %v, want %v", tt.prev, tt.cur, got, tt.want)
		}
	}
}

// TestWithoutLinkTwins: a merge that kept the last version's form of a
// line and took in the change's form of the same words (other words
// linked) keeps one, the last version's; a line the readings hold twice
// stays twice.
func TestWithoutLinkTwins(t *testing.T) {
	linked := strings.Replace(lede, "council", "[council](https://news.example.com/topic/council)", 1)
	prev := []string{linked, "", quote}
	x := []string{lede, "", quote}
	got := withoutLinkTwins([]string{linked, "", lede, "", quote}, prev, x)
	if want := []string{linked, "", "", quote}; !slices.Equal(got, want) {
		t.Errorf("withoutLinkTwins = %q, want %q", got, want)
	}
	twice := []string{linked, "", lede, "", quote}
	if got := withoutLinkTwins(twice, twice, x); !slices.Equal(got, twice) {
		t.Errorf("withoutLinkTwins dropped a line the last version holds twice: %q", got)
	}
}

// TestSettleLinkTwinMovedPastAnImage: the change holds a paragraph of
// the last version with no word linked, after the image the last version
// had before it. The paragraph is the page's all along: no commit of
// the same words twice.
func TestSettleLinkTwinMovedPastAnImage(t *testing.T) {
	const img = "![](http://img1.cdn.example.com/uploads/harbour-photo.jpg)"
	linked := strings.Replace(lede, "council", "[council](https://news.example.com/topic/council)", 1)
	prev := doc("Harbour plan", img, linked, quote)
	text := strings.Join([]string{"Harbour plan", lede, quote}, "\n")
	v := &Volatility{LearnRuns: -1, ConfirmShare: -1}
	v.site("news.example.com").Runs = 5
	cur := doc("Harbour plan", lede, img, quote)
	got := v.settle("news.example.com", reading{md: cur, page: pageWords(text)}, prev, true, readPrint(PagePrint(text)), nil)
	if n := strings.Count(string(got), "harbour plan on Tuesday"); n != 1 {
		t.Errorf("the paragraph is in the version %d times:\n%s", n, got)
	}
}

func TestSettleNumberFragmentKeepsItsLine(t *testing.T) {
	v := &Volatility{}
	host := "news.example.com"
	bio := func(n int) string {
		// Glued to the end of the first paragraph: too long a line to be
		// learned whole.
		return lede + fmt.Sprintf(" Our reporter has covered the region for %d years and writes the weekly letter.", n)
	}
	own := func(n int) string {
		return fmt.Sprintf("The harbour master has run the port for %d years and said the plan came too late.", n)
	}
	prev := doc("Harbour plan", bio(3), own(20))
	f := &fetcher{pages: [][]byte{doc("Harbour plan", bio(9), own(20))}}
	if got := v.settleMD(host, doc("Harbour plan", bio(5), own(20)), prev, true, f.next); string(got) != string(prev) {
		t.Errorf("a counter inside the bio line changed the article:\n%s", got)
	}
	rules := v.Sites()[host]
	if !slices.ContainsFunc(slices.Collect(maps.Values(rules.Lines)), func(r LineRule) bool {
		return r.Kind == "fragment" && strings.Contains(r.Sample, "#") && len(r.Context) > 0
	}) {
		t.Fatalf("no fragment with its context learned: %+v", rules.Lines)
	}
	// Unconfirmed from now on: the learned rules alone decide.
	v.LearnRuns, v.ConfirmShare = -1, -1
	v.BeginRun()
	if got := v.settleMD(host, doc("Harbour plan", bio(11), own(20)), prev, true, nil); string(got) != string(prev) {
		t.Errorf("the learned counter changed the article:\n%s", got)
	}
	// The same words around a number in the article's own sentence are
	// no counter: the edit is kept.
	if got := v.settleMD(host, doc("Harbour plan", bio(3), own(25)), prev, true, nil); !strings.Contains(string(got), "for 25 years") {
		t.Errorf("a changed number in the article was taken for the counter:\n%s", got)
	}
}

func TestFragmentApplies(t *testing.T) {
	learned := "Our reporter has covered the region for 12 years and writes the weekly letter."
	re := fragmentRe("for # years")
	long := strings.Repeat("harbour council plan vote town ", 2) + "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty twentyone twentytwo twentythree twentyfour twentyfive twentysix twentyseven twentyeight twentynine thirty thirtyone thirtytwo thirtythree thirtyfour thirtyfive thirtysix thirtyseven thirtyeight thirtynine forty fortyone fortytwo fortythree fortyfour fortyfive fortysix fortyseven fortyeight fortynine fifty for 3 years"
	v := &Volatility{}
	rules := &SiteRules{}
	v.addFragment(rules, "for # years", learned, time.Now())
	v.addFragment(rules, "for # years", long, time.Now())
	rules.compile()
	if len(rules.frags) != 1 {
		t.Fatalf("frags = %d, want 1", len(rules.frags))
	}
	f := rules.frags[0]
	for _, tc := range []struct {
		line string
		want bool
	}{
		{"Our reporter has covered the region for 15 years and writes the weekly letter.", true},
		{"Ana Ortiz has covered the region for 3 years and writes the weekly letter.", true},
		{"For 20 years", true}, // the line is the fragment
		{"In this week's issue, a topic I was known for 20 years - analytics.", false},
		{strings.Replace(long, "for 3 years", "for 4 years", 1), true},
	} {
		if !re.MatchString(tc.line) {
			t.Fatalf("the fragment does not match %q", tc.line)
		}
		if got := f.applies(tc.line); got != tc.want {
			t.Errorf("applies(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}
