package track

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stet-archive/stet/archive"
)

func stateRef(t *testing.T, repo string) string {
	t.Helper()
	out, _ := exec.Command("git", "-C", repo, "rev-parse", "-q", "--verify", "refs/stet/state").Output()
	return strings.TrimSpace(string(out))
}

// TestPassStateWrites checks when a pass writes the state: a missing
// state is rebuilt from history and written; a pass with nothing due
// writes nothing.
func TestPassStateWrites(t *testing.T) {
	repo := t.TempDir()
	arch, err := archive.Open(repo, archive.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer arch.Close()
	for i := range 3 {
		u := fmt.Sprintf("https://news.example.com/story-%d", i)
		path, _ := archive.PathFor(u)
		msg := fmt.Sprintf("Example: %d\n\nNew article\n\nStet-Url: %s\nStet-Version: 1\nStet-Fetched: %s\n", i, u, t0.Format(time.RFC3339))
		if _, _, err := arch.Save(archive.Change{Path: path, Content: []byte("x\n"), Message: msg, When: t0}); err != nil {
			t.Fatal(err)
		}
	}
	clock := t0.Add(5 * time.Minute)
	p := &Pass{Tracker: &Tracker{Archive: arch}, Now: func() time.Time { return clock }}

	rep, err := p.Run(t.Context())
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if !rep.Rebuilt || rep.Tracked != 3 || rep.Checked != 0 {
		t.Errorf("first Run: rebuilt %v, tracked %d, checked %d; want true, 3, 0", rep.Rebuilt, rep.Tracked, rep.Checked)
	}
	ref := stateRef(t, repo)
	if ref == "" {
		t.Fatal("rebuilt state not written")
	}

	clock = t0.Add(10 * time.Minute) // still nothing due (first interval 15m ± 10 %)
	rep, err = p.Run(t.Context())
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if rep.Rebuilt || rep.Checked != 0 || len(rep.Planned) != 0 {
		t.Errorf("second Run: rebuilt %v, checked %d, planned %d; want false, 0, 0", rep.Rebuilt, rep.Checked, len(rep.Planned))
	}
	if got := stateRef(t, repo); got != ref {
		t.Errorf("a pass with nothing due moved refs/stet/state %s → %s", ref, got)
	}

	clock = t0.Add(61 * 24 * time.Hour)
	p.DryRun = true
	rep, err = p.Run(t.Context())
	if err != nil {
		t.Fatalf("dry Run: %v", err)
	}
	if rep.Retired != 3 || len(rep.Planned) != 0 {
		t.Errorf("dry Run 61 days on: retired %d, planned %d; want 3, 0", rep.Retired, len(rep.Planned))
	}
	if got := stateRef(t, repo); got != ref {
		t.Errorf("a dry run moved refs/stet/state")
	}
}

func TestPassRebuildsCorruptState(t *testing.T) {
	repo := t.TempDir()
	arch, err := archive.Open(repo, archive.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer arch.Close()
	u := "https://news.example.com/story"
	path, _ := archive.PathFor(u)
	msg := fmt.Sprintf("Example: s\n\nNew article\n\nStet-Url: %s\nStet-Version: 1\nStet-Fetched: %s\n", u, t0.Format(time.RFC3339))
	if _, _, err := arch.Save(archive.Change{Path: path, Content: []byte("x\n"), Message: msg, When: t0}); err != nil {
		t.Fatal(err)
	}
	if err := arch.WriteState(map[string][]byte{"0/0.json": []byte("{not json")}, t0); err != nil {
		t.Fatal(err)
	}
	p := &Pass{Tracker: &Tracker{Archive: arch}, Now: func() time.Time { return t0.Add(time.Minute) }}
	rep, err := p.Run(t.Context())
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if !rep.Rebuilt || rep.Tracked != 1 {
		t.Errorf("Run on a corrupt state: rebuilt %v, tracked %d; want true, 1", rep.Rebuilt, rep.Tracked)
	}
	files, err := arch.ReadState()
	if err != nil {
		t.Fatal(err)
	}
	st, err := DecodeState(files)
	if err != nil {
		t.Fatalf("state after Run is still corrupt: %v", err)
	}
	if _, _, ok := st.Lookup(u); !ok || len(st.Entries) != 1 {
		t.Errorf("rebuilt state = %v, want just %s", st.Entries, u)
	}
}
