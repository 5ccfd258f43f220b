package track

import (
	"testing"
	"time"

	"github.com/stet-archive/stet/extract"
)

func TestScheduleRetiresNotArticle(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name     string
		versions int
		reason   string
		want     bool
	}{
		{"section page never archived", 0, extract.GateNotArticle, true},
		{"article that turned into a listing", 3, extract.GateNotArticle, false},
		{"paywalled page", 0, "paywall", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &Entry{Versions: tt.versions}
			Schedule{}.Record(e, &Result{Status: Suspect, Reason: tt.reason}, now)
			if e.Retired != tt.want {
				t.Errorf("Record(%s): Retired = %v, want %v", tt.name, e.Retired, tt.want)
			}
		})
	}
}
