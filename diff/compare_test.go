package diff

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// rowsOf summarises a Diff's paragraph rows as "op:kind" for tables.
func rowsOf(d *Diff) []string {
	var out []string
	for _, p := range d.Paragraphs {
		out = append(out, p.Op+":"+p.Kind)
	}
	return out
}

func TestCompareAlignment(t *testing.T) {
	const (
		a = "Alpha one two three four."
		b = "Bravo five six seven eight."
		c = "Charlie nine ten eleven twelve."
		x = "Something else entirely, with new words."
	)
	tests := []struct {
		name     string
		old, new []byte
		want     []string
	}{
		{"identical", article("T", "", "", a, b, c), article("T", "", "", a, b, c),
			[]string{"equal:paragraph", "equal:paragraph", "equal:paragraph"}},
		{"inserted in the middle", article("T", "", "", a, b, c), article("T", "", "", a, x, b, c),
			[]string{"equal:paragraph", "insert:paragraph", "equal:paragraph", "equal:paragraph"}},
		{"deleted in the middle", article("T", "", "", a, b, c), article("T", "", "", a, c),
			[]string{"equal:paragraph", "delete:paragraph", "equal:paragraph"}},
		{"edited", article("T", "", "", a, b, c), article("T", "", "", a, "Bravo five six seven nine.", c),
			[]string{"equal:paragraph", "change:paragraph", "equal:paragraph"}},
		{"replaced by unrelated", article("T", "", "", a, b, c), article("T", "", "", a, x, c),
			[]string{"equal:paragraph", "delete:paragraph", "insert:paragraph", "equal:paragraph"}},
		{"inserted before an edit", article("T", "", "", a, b, c), article("T", "", "", a, x, "Bravo five six seven nine.", c),
			[]string{"equal:paragraph", "insert:paragraph", "change:paragraph", "equal:paragraph"}},
		{"kinds", article("T", "", "", "## Head", "- one\n- two", "> quoted", "![alt](x.jpg)"),
			article("T", "", "", "## Head", "- one\n- three", "> quoted", "![alt](x.jpg)"),
			[]string{"equal:heading", "change:list", "equal:quote", "equal:image"}},
		{"both empty", nil, nil, nil},
		{"from empty", nil, article("T", "", "", a), []string{"insert:paragraph"}},
		{"to empty", article("T", "", "", a), []byte{}, []string{"delete:paragraph"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Compare(tt.old, tt.new)
			if diff := cmp.Diff(tt.want, rowsOf(d)); diff != "" {
				t.Errorf("Compare rows mismatch (-want +got):\n%s", diff)
			}
			checkReconstructs(t, tt.old, tt.new, d)
		})
	}
}

func TestCompareWords(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		want     []Op
	}{
		{"one word", "The motion passed.", "The motion failed.",
			[]Op{{OpEqual, "The motion "}, {OpDelete, "passed"}, {OpInsert, "failed"}, {OpEqual, "."}}},
		{"words stay whole", "cat", "cart", []Op{{OpDelete, "cat"}, {OpInsert, "cart"}}},
		{"inserted word", "on Tuesday", "late on Tuesday", []Op{{OpInsert, "late "}, {OpEqual, "on Tuesday"}}},
		{"space folded between replacements", "red apple pie", "big green pie",
			[]Op{{OpDelete, "red apple"}, {OpInsert, "big green"}, {OpEqual, " pie"}}},
		{"apostrophe and hyphen inside words", "don't well-known", "won't well-known",
			[]Op{{OpDelete, "don't"}, {OpInsert, "won't"}, {OpEqual, " well-known"}}},
		{"CJK by character", "東京で大雪", "東京で小雪", []Op{{OpEqual, "東京で"}, {OpDelete, "大"}, {OpInsert, "小"}, {OpEqual, "雪"}}},
		{"Arabic words", "خطة جديدة", "خطة نقل جديدة", []Op{{OpEqual, "خطة "}, {OpInsert, "نقل "}, {OpEqual, "جديدة"}}},
		{"empty to text", "", "new", []Op{{OpInsert, "new"}}},
		{"text to empty", "old", "", []Op{{OpDelete, "old"}}},
		{"both empty", "", "", []Op{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := wordDiff(tt.old, tt.new)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("wordDiff(%q, %q) mismatch (-want +got):\n%s", tt.old, tt.new, diff)
			}
		})
	}
}

func TestCompareFields(t *testing.T) {
	d := Compare(article("Old title", "A", "2026-01-01T00:00:00Z", p1), article("New title", "A", "2026-01-02T00:00:00Z", p1))
	want := &FieldChange{Old: "Old title", New: "New title", Ops: []Op{{OpDelete, "Old"}, {OpInsert, "New"}, {OpEqual, " title"}}}
	if diff := cmp.Diff(want, d.Headline); diff != "" {
		t.Errorf("Compare headline mismatch (-want +got):\n%s", diff)
	}
	if d.Byline != nil {
		t.Errorf("Compare byline = %+v, want nil (unchanged)", d.Byline)
	}
	if d.Published == nil || d.Published.New != "2026-01-02T00:00:00Z" {
		t.Errorf("Compare published = %+v, want a change to 2026-01-02T00:00:00Z", d.Published)
	}
	if !d.Changed() {
		t.Error("Changed() = false, want true")
	}
	if Compare(article("T", "", "", p1), article("T", "", "", p1)).Changed() {
		t.Error("Changed() on identical versions = true, want false")
	}
}

// checkReconstructs verifies that the diff's old side gives back the old
// file's headline, fields and paragraphs, and its new side the new one's.
func checkReconstructs(t *testing.T, old, new []byte, d *Diff) {
	t.Helper()
	a, b := Parse(old), Parse(new)
	var gotA, gotB, wantA, wantB []string
	for _, p := range d.Paragraphs {
		if p.Op != OpInsert {
			gotA = append(gotA, p.Old())
		}
		if p.Op != OpDelete {
			gotB = append(gotB, p.New())
		}
	}
	for _, p := range a.Paragraphs {
		wantA = append(wantA, p.Text())
	}
	for _, p := range b.Paragraphs {
		wantB = append(wantB, p.Text())
	}
	if diff := cmp.Diff(wantA, gotA); diff != "" {
		t.Errorf("old paragraphs not reproduced (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantB, gotB); diff != "" {
		t.Errorf("new paragraphs not reproduced (-want +got):\n%s", diff)
	}
	for _, f := range []struct {
		name     string
		fc       *FieldChange
		old, new string
	}{{"headline", d.Headline, a.Title, b.Title}, {"byline", d.Byline, a.Byline, b.Byline}, {"published", d.Published, a.Published, b.Published}} {
		if f.fc == nil {
			if f.old != f.new {
				t.Errorf("%s: no change reported for %q → %q", f.name, f.old, f.new)
			}
			continue
		}
		if got := side(f.fc.Ops, OpDelete); got != f.old {
			t.Errorf("%s old side = %q, want %q", f.name, got, f.old)
		}
		if got := side(f.fc.Ops, OpInsert); got != f.new {
			t.Errorf("%s new side = %q, want %q", f.name, got, f.new)
		}
	}
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// checkAligned verifies that every line of a side-by-side rendering has
// its separator at the same display column.
func checkAligned(t *testing.T, out string, o RenderOptions) {
	t.Helper()
	col := max((o.Width-3)/2, minColumn)
	if o.Width == 0 {
		col = (DefaultWidth - 3) / 2
	}
	rw := newWidth()
	for i, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		plain := ansi.ReplaceAllString(line, "")
		sep := strings.Index(plain, " │")
		if i == 1 {
			sep = strings.Index(plain, "─┼")
		}
		if sep < 0 {
			t.Fatalf("line %d has no separator: %q", i+1, line)
		}
		if w := rw.StringWidth(plain[:sep]); w != col {
			t.Fatalf("line %d: separator at column %d, want %d: %q", i+1, w, col, line)
		}
		if right := plain[sep+len(" │"):]; i != 1 && rw.StringWidth(right) > col+1 {
			t.Fatalf("line %d: right column is %d wide, want at most %d: %q", i+1, rw.StringWidth(right), col+1, line)
		}
	}
}

func TestSideAlignment(t *testing.T) {
	huge := strings.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", 1800) // ~100 KB
	cases := []struct{ name, old, new string }{
		{"CJK", "東京都心で10センチの積雪を観測した。鉄道各社は運転を見合わせている。気象庁は今夜も注意を呼びかけている。",
			"東京都心で15センチの積雪を観測した。鉄道各社は一部区間で運転を見合わせている。"},
		{"Arabic", "أعلنت الحكومة اليوم عن خطة جديدة للنقل. وقال الوزير إن الخطة ستنفذ خلال عامين.",
			"أعلنت الحكومة مساء اليوم عن خطة جديدة للنقل العام."},
		{"Hebrew mixed with English", "הממשלה הודיעה על תוכנית חדשה for the port.", "הממשלה הודיעה היום על תוכנית for the harbour."},
		{"combining marks and emoji", "Cafe\u0301 owners 👩‍🍳 protest.", "Café owners 👩‍🍳👍 protest again."},
		{"tabs and control characters", "a\tb\x1b[31mred\x07", "a\tb c\x00"},
		{"one long word", strings.Repeat("x", 300), strings.Repeat("y", 250) + "東京"},
		{"huge paragraph", huge, strings.Replace(huge, "dolor", "dolores", 1)},
		{"empty versus text", "", "Only new text here."},
	}
	for _, c := range cases {
		for _, width := range []int{0, 30, 81, 160} {
			for _, color := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/%d/color=%v", c.name, width, color), func(t *testing.T) {
					old := article("T", "", "", c.old)
					if c.old == "" {
						old = article("T", "", "")
					}
					d := Compare(old, article("T", "", "", c.new))
					o := RenderOptions{Width: width, Color: color}
					var b bytes.Buffer
					if err := WriteSide(&b, d, o); err != nil {
						t.Fatal(err)
					}
					if !utf8.Valid(b.Bytes()) {
						t.Fatal("WriteSide output is not UTF-8")
					}
					if bytes.ContainsAny(b.Bytes(), "\x00\x07\t") || (!color && bytes.Contains(b.Bytes(), []byte("\x1b"))) {
						t.Fatalf("WriteSide let a control character through: %q", b.String())
					}
					checkAligned(t, b.String(), o)
				})
			}
		}
	}
}

func TestCompareHugeParagraph(t *testing.T) {
	huge := strings.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", 1800)
	t.Run("scattered edits", func(t *testing.T) {
		var a, b strings.Builder
		for i := range 2000 { // ~100 KB of distinct sentences
			s := fmt.Sprintf("Sentence %d says lorem ipsum dolor sit amet. ", i)
			a.WriteString(s)
			if i%4 == 1 {
				s = strings.Replace(s, "dolor", "dolores", 1)
			}
			b.WriteString(s)
		}
		old, new := article("T", "", "", a.String()), article("T", "", "", b.String())
		d := Compare(old, new)
		checkReconstructs(t, old, new, d)
		if diff := cmp.Diff([]string{"change:paragraph"}, rowsOf(d)); diff != "" {
			t.Fatalf("rows (-want +got):\n%s", diff)
		}
		var changes []Op
		for _, op := range d.Paragraphs[0].Ops {
			if op.Kind != OpEqual {
				changes = append(changes, op)
			}
		}
		if len(changes) != 500*2 {
			t.Errorf("got %d changed ops, want 1000 (500 words replaced)", len(changes))
		}
	})
	t.Run("repeated sentence edited", func(t *testing.T) {
		old, new := article("T", "", "", huge), article("T", "", "", strings.Replace(huge, "elit", "elite", 900))
		d := Compare(old, new)
		checkReconstructs(t, old, new, d)
	})
	t.Run("wholly rewritten", func(t *testing.T) {
		other := strings.Repeat("Sed ut perspiciatis unde omnis iste natus error sit voluptatem. ", 1600)
		old, new := article("T", "", "", huge), article("T", "", "", huge+"\n"+other)
		d := Compare(old, new)
		checkReconstructs(t, old, new, d)
		// Beyond maxCells the middle is replaced wholesale, which
		// still reproduces both texts.
		old2, new2 := article("T", "", "", huge), article("T", "", "", other)
		checkReconstructs(t, old2, new2, Compare(old2, new2))
	})
}

func TestHTMLEscapes(t *testing.T) {
	old := article(`<script>alert(1)</script>`, "", "", `Tom & "Jerry" <b>bold</b>`)
	new := article(`<script>alert(2)</script>`, "", "", `Tom & "Jerry" <i>it</i>`)
	var b bytes.Buffer
	if err := WriteHTML(&b, Compare(old, new), RenderOptions{OldLabel: "<v1>"}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script>", "<b>", "<i>", "<v1>", `"Jerry"`} {
		if strings.Contains(b.String(), bad) {
			t.Errorf("WriteHTML output contains unescaped %q", bad)
		}
	}
	for _, ext := range []string{"<script", "src=", "<link", "@import"} {
		if strings.Contains(b.String(), ext) {
			t.Errorf("WriteHTML page is not self-contained: contains %q", ext)
		}
	}
}

func TestParse(t *testing.T) {
	md := []byte("---\r\ntitle: 'Minister resigns: \"I had no choice\"'\r\nurl: https://x.test/a\r\npublished: 2026-11-26T10:00:00Z\r\n---\r\n\r\n# Minister resigns\r\n\r\nOne.\r\nTwo.\r\n\r\n```\r\ncode\r\n\r\nmore\r\n```\r\n")
	want := Doc{
		Title: `Minister resigns: "I had no choice"`, URL: "https://x.test/a", Published: "2026-11-26T10:00:00Z",
		Paragraphs: []Paragraph{{KindParagraph, []string{"One.", "Two."}}, {KindCode, []string{"```", "code", "", "more", "```"}}},
	}
	if diff := cmp.Diff(want, Parse(md)); diff != "" {
		t.Errorf("Parse mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(Doc{Title: "Bare", Paragraphs: []Paragraph{{KindParagraph, []string{"Text."}}}}, Parse([]byte("# Bare\n\nText.\n"))); diff != "" {
		t.Errorf("Parse without front matter mismatch (-want +got):\n%s", diff)
	}
}

func FuzzCompare(f *testing.F) {
	f.Add([]byte(article("T", "A", "", p1, p2)), []byte(article("U", "B", "", p2, p3)))
	f.Add([]byte(""), []byte("# x\n\ny\n"))
	f.Add([]byte("---\ntitle: [\n---\nbody"), []byte("东京\t\x1b\xff\n\n\n- a"))
	f.Add([]byte("a b c\n\nd e"), []byte("a c\n\nd f e\n\ng"))
	f.Fuzz(func(t *testing.T, old, new []byte) {
		d := Compare(old, new)
		checkReconstructs(t, old, new, d)
		// The raw word diff reproduces arbitrary text, too.
		ops := wordDiff(string(old), string(new))
		if got := side(ops, OpDelete); got != string(old) {
			t.Fatalf("wordDiff old side = %q, want %q", got, old)
		}
		if got := side(ops, OpInsert); got != string(new) {
			t.Fatalf("wordDiff new side = %q, want %q", got, new)
		}
		for _, op := range ops {
			if op.Text == "" {
				t.Fatalf("wordDiff returned an empty op: %+v", ops)
			}
		}
		if diff := cmp.Diff(d, Compare(old, new)); diff != "" {
			t.Fatalf("Compare not deterministic:\n%s", diff)
		}
		var b bytes.Buffer
		o := RenderOptions{Width: 50}
		if err := WriteSide(&b, d, o); err != nil {
			t.Fatal(err)
		}
		checkAligned(t, b.String(), o)
		for _, w := range []func() error{
			func() error { return WriteInline(&b, d, o) },
			func() error { return WriteHTML(&b, d, o) },
			func() error { return WriteJSON(&b, d) },
		} {
			if err := w(); err != nil {
				t.Fatal(err)
			}
		}
		_ = Summarize(old, new).Lines()
	})
}

// benchVersions returns two versions of a ~5,000-word article: 100
// paragraphs of 50 words, and the same with every tenth paragraph
// edited, three paragraphs inserted and two removed.
func benchVersions() (old, new []byte) {
	words := strings.Fields("the council harbour plan vote minister said would could after before report budget year people city police court government new old first last public local national week month")
	r := rand.New(rand.NewPCG(1, 2))
	para := func() string {
		var s []string
		for i := range 50 {
			w := words[r.IntN(len(words))]
			if i%10 == 9 {
				w += "."
			}
			s = append(s, w)
		}
		return strings.Join(s, " ")
	}
	var a, b []string
	for i := range 100 {
		p := para()
		a = append(a, p)
		switch {
		case i == 40 || i == 70:
			continue // removed
		case i%10 == 5:
			f := strings.Fields(p)
			f[3], f[20] = "changed", "edited"
			b = append(b, strings.Join(f, " "))
		default:
			b = append(b, p)
		}
		if i == 20 || i == 50 || i == 99 {
			b = append(b, para())
		}
	}
	return article("Benchmark", "", "", a...), article("Benchmark", "", "", b...)
}

func BenchmarkCompare(b *testing.B) {
	old, new := benchVersions()
	b.SetBytes(int64(len(old) + len(new)))
	b.ReportAllocs()
	for b.Loop() {
		Compare(old, new)
	}
}

func BenchmarkSummarize(b *testing.B) {
	old, new := benchVersions()
	b.SetBytes(int64(len(old) + len(new)))
	b.ReportAllocs()
	for b.Loop() {
		Summarize(old, new)
	}
}

func BenchmarkWriteSide(b *testing.B) {
	old, new := benchVersions()
	d := Compare(old, new)
	b.ReportAllocs()
	for b.Loop() {
		var buf bytes.Buffer
		if err := WriteSide(&buf, d, RenderOptions{Width: 160}); err != nil {
			b.Fatal(err)
		}
	}
}
