package diff

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// article builds an article file in the format of docs/design.md.
func article(title, byline, published string, paras ...string) []byte {
	var b strings.Builder
	b.WriteString("---\n")
	b.WriteString("title: '" + strings.ReplaceAll(title, "'", "''") + "'\n")
	b.WriteString("url: https://www.example.com/news/story\n")
	b.WriteString("site: Example News\n")
	if byline != "" {
		b.WriteString("byline: " + byline + "\n")
	}
	if published != "" {
		b.WriteString("published: " + published + "\n")
	}
	b.WriteString("language: en\n---\n\n# " + title + "\n")
	for _, p := range paras {
		b.WriteString("\n" + p + "\n")
	}
	return []byte(b.String())
}

const (
	p1 = "The council voted on Tuesday.\nThe motion passed by 12 votes to 9."
	p2 = "Opponents said the plan was rushed.\nThey will appeal."
	p3 = "A final decision is expected in March."
)

func TestSummarize(t *testing.T) {
	base := article("Council backs harbour plan", "Jane Smith", "2026-11-26T10:00:00Z", p1, p2, p3)
	tests := []struct {
		name      string
		old, new  []byte
		want      []string
		wantShort string
	}{
		{"new article", nil, base, []string{"New article"}, "New article"},
		{"identical", base, base, nil, "no visible change"},
		{"whitespace only",
			base, article("Council  backs harbour plan", "Jane  Smith", "2026-11-26T10:00:00Z",
				"The council  voted on Tuesday. \nThe motion passed by 12 votes to 9.", p2, p3),
			nil, "no visible change"},
		{"headline",
			base, article("Council rejects harbour plan", "Jane Smith", "2026-11-26T10:00:00Z", p1, p2, p3),
			[]string{`Headline: "Council backs harbour plan" → "Council rejects harbour plan"`},
			"headline changed"},
		{"byline and published",
			base, article("Council backs harbour plan", "Jane Smith, John Doe", "2026-11-26T12:30:00Z", p1, p2, p3),
			[]string{`Byline: "Jane Smith" → "Jane Smith, John Doe"`, "Published: 2026-11-26T10:00:00Z → 2026-11-26T12:30:00Z"},
			"byline changed; published date changed"},
		{"published added",
			article("Council backs harbour plan", "Jane Smith", "", p1, p2, p3), base,
			[]string{"Published: (none) → 2026-11-26T10:00:00Z"},
			"published date changed"},
		{"sentence added",
			base, article("Council backs harbour plan", "Jane Smith", "2026-11-26T10:00:00Z",
				p1, p2+"\nThe mayor declined to comment.", p3),
			[]string{"1 sentence added; +5 −0 words"}, "1 sentence added; +5 −0 words"},
		{"sentence edited",
			base, article("Council backs harbour plan", "Jane Smith", "2026-11-26T10:00:00Z",
				"The council voted on Tuesday.\nThe motion passed by 13 votes to 8.", p2, p3),
			[]string{"1 sentence edited; +2 −2 words"}, "1 sentence edited; +2 −2 words"},
		{"added removed edited",
			base, article("Council backs harbour plan", "Jane Smith", "2026-11-26T10:00:00Z",
				"The council voted late on Tuesday.\nThe motion passed by 12 votes to 9.\nTurnout was high.",
				"They will appeal.", p3),
			[]string{"1 sentence added, 1 removed, 1 edited; +4 −6 words"},
			"1 sentence added, 1 removed, 1 edited; +4 −6 words"},
		{"paragraph removed",
			base, article("Council backs harbour plan", "Jane Smith", "2026-11-26T10:00:00Z", p1, p3),
			[]string{"2 sentences removed; +0 −9 words"}, "2 sentences removed; +0 −9 words"},
		{"correction appended",
			base, article("Council backs harbour plan", "Jane Smith", "2026-11-26T10:00:00Z",
				p1, p2, p3, "Correction: An earlier version of this article misstated the vote."),
			[]string{"1 sentence added; +10 −0 words", `Correction: "An earlier version of this article misstated the vote."`},
			"1 sentence added; +10 −0 words; correction"},
		{"update in emphasis",
			base, article("Council backs harbour plan", "Jane Smith", "2026-11-26T10:00:00Z",
				p1, p2, p3, "*Updated at 14:00 to add the mayor's reaction.*"),
			[]string{"1 sentence added; +9 −0 words", `Update: "at 14:00 to add the mayor's reaction."`},
			"1 sentence added; +9 −0 words; update"},
		{"amended note",
			base, article("Council backs harbour plan", "Jane Smith", "2026-11-26T10:00:00Z",
				p1, p2, p3, "This article was amended on 27 November 2026."),
			[]string{"1 sentence added; +8 −0 words", `Correction: "This article was amended on 27 November 2026."`},
			"1 sentence added; +8 −0 words; correction"},
		{"editor's note not new",
			article("Council backs harbour plan", "Jane Smith", "2026-11-26T10:00:00Z", p1, p2, p3, "Editor's note: see below."),
			article("Council backs harbour plan", "Jane Smith", "2026-11-26T10:00:00Z", p1, p2, "Editor's note: see below."),
			[]string{"1 sentence removed; +0 −7 words"}, "1 sentence removed; +0 −7 words"},
		{"headline quotes",
			article(`Minister: "I had no choice"`, "", "", p1),
			article(`Minister: "I had a choice"`, "", "", p1),
			[]string{`Headline: "Minister: \"I had no choice\"" → "Minister: \"I had a choice\""`},
			"headline changed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Summarize(tt.old, tt.new)
			if diff := cmp.Diff(tt.want, s.Lines()); diff != "" {
				t.Errorf("Summarize(...).Lines() mismatch (-want +got):\n%s\nsummary: %+v", diff, s)
			}
			if got := s.Short(); got != tt.wantShort {
				t.Errorf("Summarize(...).Short() = %q, want %q", got, tt.wantShort)
			}
			if got := s.Changed(); got != (len(tt.want) > 0) {
				t.Errorf("Summarize(...).Changed() = %v, want %v", got, len(tt.want) > 0)
			}
		})
	}
}

func TestSummaryLongNote(t *testing.T) {
	long := strings.Repeat("word ", 100)
	s := Summarize(article("T", "", "", p1), article("T", "", "", p1, "Clarification: "+long))
	lines := s.Lines()
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, `Clarification: "word word`) || !strings.HasSuffix(last, `…"`) {
		t.Errorf("note line = %q, want a Clarification truncated with …", last)
	}
}

func TestGap(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{-time.Minute, "earlier"},
		{0, "at the same time"},
		{5 * time.Second, "a few seconds later"},
		{time.Minute, "about a minute later"},
		{12 * time.Minute, "12 minutes later"},
		{50 * time.Minute, "about an hour later"},
		{3*time.Hour + 10*time.Minute, "about 3 hours later"},
		{2*time.Hour + 40*time.Minute, "about 3 hours later"},
		{30 * time.Hour, "a day later"},
		{49 * time.Hour, "2 days later"},
		{35 * 24 * time.Hour, "about a month later"},
		{150 * 24 * time.Hour, "5 months later"},
		{400 * 24 * time.Hour, "about a year later"},
		{3 * 365 * 24 * time.Hour, "3 years later"},
	}
	for _, tt := range tests {
		if got := Gap(tt.d); got != tt.want {
			t.Errorf("Gap(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}
