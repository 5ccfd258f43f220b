package archive

import (
	"fmt"
	"math/rand/v2"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestPushRacesThreeWriters runs three archives for 100 rounds against one
// bare remote. Every round each writer edits the article all three share,
// its own article and now and then one shared by two; then the writers push
// in a random order, and each skips its push now and then so that unpushed
// commits pile up. At the end every writer pushes once more. The remote must
// hold every version saved (nothing lost), every remote tip seen must be an
// ancestor of the final tip (nothing force-pushed), each article's
// Stet-Version must run 1..n and each commit must change one file, and
// git fsck --strict must be clean.
func TestPushRacesThreeWriters(t *testing.T) {
	rounds := 100
	if testing.Short() {
		rounds = 10
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 3))
	bare := newBareRemote(t)
	ws := []*pusher{
		newPusher(t, "a", bare, PushOptions{}),
		newPusher(t, "b", bare, PushOptions{}),
		newPusher(t, "c", bare, PushOptions{}),
	}
	t0 := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	want := map[string]map[string]bool{}
	var tips []string
	tip := func() {
		if out, err := exec.Command("git", "-C", bare, "rev-parse", "-q", "--verify", "main").Output(); err == nil {
			tips = append(tips, strings.TrimSpace(string(out)))
		}
	}
	pushes, replayed := 0, 0
	for r := range rounds {
		when := t0.Add(time.Duration(r) * time.Minute)
		for i, w := range ws {
			save := func(article string, off time.Duration) {
				text := fmt.Sprintf("%s round %d", w.name, r)
				w.save(article, text, when.Add(off))
				if want[article] == nil {
					want[article] = map[string]bool{}
				}
				want[article][text] = true
			}
			save("all-three", time.Duration(i)*time.Second)
			save("only-"+w.name, 10*time.Second)
			if (r+i)%4 == 0 {
				save(fmt.Sprintf("pair-%d", i%2), 20*time.Second)
			}
		}
		for _, i := range rng.Perm(len(ws)) {
			if rng.IntN(4) == 0 && r < rounds-1 {
				continue // this writer does not push this round
			}
			res := ws[i].push()
			pushes++
			replayed += res.Replayed
			tip()
		}
	}
	for _, w := range ws {
		w.push()
		tip()
	}
	if replayed == 0 {
		t.Fatal("no commit was replayed: the writers never raced")
	}
	gitCmd(t, bare, "fsck", "--strict")
	final := tips[len(tips)-1]
	for i, h := range tips {
		if err := exec.Command("git", "-C", bare, "merge-base", "--is-ancestor", h, final).Run(); err != nil {
			t.Fatalf("remote tip %d (%s) is not an ancestor of the final tip %s: a push was forced", i, h, final)
		}
	}
	lost := 0
	for article, texts := range want {
		path, _ := PathFor("https://news.example.com/" + article)
		log := gitCmd(t, bare, "log", "--first-parent", "--reverse", "--format=%x01%H%n%B%x02", "--name-only", "main", "--", path)
		var specs []string
		for i, rec := range strings.Split(log, "\x01")[1:] {
			h, rest, _ := strings.Cut(rec, "\n")
			body, files, _ := strings.Cut(rest, "\x02")
			if !strings.Contains(body, "Stet-Version: "+strconv.Itoa(i+1)+"\n") {
				t.Errorf("%s: commit %d (%s) lacks Stet-Version: %d", article, i+1, h[:12], i+1)
			}
			if files = strings.TrimSpace(files); files != path {
				t.Errorf("%s: commit %s changes %q, want only %s", article, h[:12], files, path)
			}
			specs = append(specs, h+":"+path)
		}
		cat := exec.Command("git", "-C", bare, "cat-file", "--batch")
		cat.Stdin = strings.NewReader(strings.Join(specs, "\n") + "\n")
		out, err := cat.Output()
		if err != nil {
			t.Fatalf("git cat-file: %v", err)
		}
		got := map[string]int{}
		for _, part := range strings.Split(string(out), "# "+article+"\n\n")[1:] {
			text, _, _ := strings.Cut(part, "\n")
			got[text]++
		}
		for text := range texts {
			if got[text] == 0 {
				lost++
				t.Errorf("%s: version %q missing on the remote", article, text)
			}
		}
		for text, n := range got {
			if n > 1 {
				t.Errorf("%s: version %q is on the remote %d times", article, text, n)
			}
		}
	}
	t.Logf("%d rounds, 3 writers, %d pushes, %d commits replayed, %d versions lost, %d remote tips all on one line",
		rounds, pushes, replayed, lost, len(tips))
}
