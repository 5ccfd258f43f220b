package track

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var t0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func TestScheduleRecordIntervals(t *testing.T) {
	s := Schedule{}
	tests := []struct {
		name   string
		before time.Duration
		status Status
		want   time.Duration
	}{
		{"new starts at first interval", 0, New, 15 * time.Minute},
		{"change resets", 3 * time.Hour, Changed, 15 * time.Minute},
		{"unchanged backs off", 20 * time.Minute, Unchanged, 30 * time.Minute},
		{"unchanged stops at max", 6 * 24 * time.Hour, Unchanged, 7 * 24 * time.Hour},
		{"failure backs off", 20 * time.Minute, Failed, 30 * time.Minute},
		{"first failure waits at least first", 0, Failed, 15 * time.Minute},
		{"suspect backs off", 20 * time.Minute, Suspect, 30 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &Entry{Interval: tt.before}
			s.Record(e, &Result{Status: tt.status}, t0)
			if e.Interval != tt.want {
				t.Errorf("Record(%s) interval = %v, want %v", tt.status, e.Interval, tt.want)
			}
			if !e.LastChecked.Equal(t0) {
				t.Errorf("LastChecked = %v, want %v", e.LastChecked, t0)
			}
		})
	}
}

func TestScheduleRecordCounts(t *testing.T) {
	s := Schedule{}
	e := &Entry{}
	s.Record(e, &Result{Status: New, Version: 1, ETag: `"a"`}, t0)
	s.Record(e, &Result{Status: Failed}, t0.Add(time.Hour))
	s.Record(e, &Result{Status: Failed}, t0.Add(2*time.Hour))
	want := Entry{LastChecked: t0.Add(2 * time.Hour), LastChanged: t0, Interval: 15 * time.Minute * 9 / 4, ETag: `"a"`, Failures: 2, Versions: 1}
	if diff := cmp.Diff(want, *e); diff != "" {
		t.Errorf("after new, failed, failed (-want +got):\n%s", diff)
	}
	s.Record(e, &Result{Status: Changed, Version: 2}, t0.Add(3*time.Hour))
	if e.Failures != 0 || e.Versions != 2 || e.ETag != "" || !e.LastChanged.Equal(t0.Add(3*time.Hour)) {
		t.Errorf("after changed: %+v", e)
	}
}

func TestJitterBounds(t *testing.T) {
	lo, hi := 2.0, 0.0
	for i := range 5000 {
		j := Jitter(fmt.Sprintf("https://example.com/news/%d", i))
		lo, hi = min(lo, j), max(hi, j)
		if j != Jitter(fmt.Sprintf("https://example.com/news/%d", i)) {
			t.Fatal("Jitter not deterministic")
		}
	}
	if lo < 0.9 || hi > 1.1 || lo > 0.91 || hi < 1.09 {
		t.Errorf("Jitter range = [%v, %v], want spread over [0.9, 1.1]", lo, hi)
	}
}

func TestRetire(t *testing.T) {
	s := Schedule{}
	tests := []struct {
		name string
		e    Entry
		want bool
	}{
		{"never checked", Entry{FirstSeen: t0.Add(-100 * 24 * time.Hour)}, false},
		{"changed recently", Entry{FirstSeen: t0.Add(-100 * 24 * time.Hour), LastChecked: t0, LastChanged: t0.Add(-59 * 24 * time.Hour)}, false},
		{"60 days unchanged", Entry{FirstSeen: t0.Add(-100 * 24 * time.Hour), LastChecked: t0, LastChanged: t0.Add(-60 * 24 * time.Hour)}, true},
		{"never changed, old", Entry{FirstSeen: t0.Add(-61 * 24 * time.Hour), LastChecked: t0}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.Retire(&tt.e, t0); got != tt.want {
				t.Errorf("Retire = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPlanOrderAndBudgets(t *testing.T) {
	st := NewState()
	add := func(u string, e Entry) { st.Entries[u] = &e }
	add("https://a.example/new2", Entry{FirstSeen: t0.Add(-time.Minute)})
	add("https://a.example/new1", Entry{FirstSeen: t0.Add(-time.Hour)})
	add("https://a.example/late", Entry{FirstSeen: t0.Add(-48 * time.Hour), LastChecked: t0.Add(-24 * time.Hour), Interval: time.Hour})
	add("https://b.example/due", Entry{FirstSeen: t0.Add(-48 * time.Hour), LastChecked: t0.Add(-2 * time.Hour), Interval: time.Hour})
	add("https://b.example/notyet", Entry{FirstSeen: t0.Add(-48 * time.Hour), LastChecked: t0.Add(-time.Minute), Interval: time.Hour})
	add("https://b.example/retired", Entry{FirstSeen: t0.Add(-48 * time.Hour), LastChecked: t0.Add(-24 * time.Hour), Interval: time.Hour, Retired: true})

	urls := func(p []Planned) []string {
		var out []string
		for _, x := range p {
			out = append(out, x.Reason+" "+x.URL)
		}
		return out
	}
	tests := []struct {
		name         string
		s            Schedule
		all          bool
		want         []string
		wantDeferred int
	}{
		{"new first then most overdue", Schedule{}, false, []string{
			"new https://a.example/new1", "new https://a.example/new2",
			"due https://a.example/late", "due https://b.example/due",
		}, 0},
		{"all forces the rest, never retired", Schedule{}, true, []string{
			"new https://a.example/new1", "new https://a.example/new2",
			"due https://a.example/late", "due https://b.example/due", "forced https://b.example/notyet",
		}, 0},
		{"max fetches", Schedule{MaxFetches: 3}, false, []string{
			"new https://a.example/new1", "new https://a.example/new2", "due https://a.example/late",
		}, 1},
		{"max per host", Schedule{MaxPerHost: 1}, false, []string{
			"new https://a.example/new1", "due https://b.example/due",
		}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, deferred := tt.s.Plan(st, t0, tt.all)
			if diff := cmp.Diff(tt.want, urls(plan)); diff != "" {
				t.Errorf("Plan (-want +got):\n%s", diff)
			}
			if deferred != tt.wantDeferred {
				t.Errorf("Plan deferred = %d, want %d", deferred, tt.wantDeferred)
			}
		})
	}
}

func TestDueAtUsesJitter(t *testing.T) {
	s := Schedule{}
	u := "https://example.com/a"
	e := &Entry{LastChecked: t0, Interval: time.Hour}
	want := t0.Add(time.Duration(float64(time.Hour) * Jitter(u)))
	if got := s.DueAt(u, e); !got.Equal(want) {
		t.Errorf("DueAt = %v, want %v", got, want)
	}
}
