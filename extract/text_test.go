package extract

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/unicode/norm"
)

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"simple", "One. Two! Three? Four", []string{"One.", "Two!", "Three?", "Four"}},
		{"titles", "Mr. Smith met Mrs. Jones and Dr. Who. Prof. X left.", []string{"Mr. Smith met Mrs. Jones and Dr. Who.", "Prof. X left."}},
		{"saint", "They met at St. Paul's. It rained.", []string{"They met at St. Paul's.", "It rained."}},
		{"acronyms", "Talks between the U.S. and U.K. continued. Both sides agreed.", []string{"Talks between the U.S. and U.K. continued.", "Both sides agreed."}},
		{"number abbreviation", "He lives at No. 10 Downing Street. He works there.", []string{"He lives at No. 10 Downing Street.", "He works there."}},
		{"e.g. and i.e.", "Some fruit, e.g. Apples, i.e. Pomes, etc. are sweet. Yes.", []string{"Some fruit, e.g. Apples, i.e. Pomes, etc. are sweet.", "Yes."}},
		{"months and companies", "On Jan. 5 Acme Inc. and Foo Ltd. merged. Shares rose.", []string{"On Jan. 5 Acme Inc. and Foo Ltd. merged.", "Shares rose."}},
		{"initials", "The books of J. K. Rowling sold well. Very well.", []string{"The books of J. K. Rowling sold well.", "Very well."}},
		{"decimals", "Growth was 3.5 per cent. It was 2.1 last year.", []string{"Growth was 3.5 per cent.", "It was 2.1 last year."}},
		{"ellipsis", "Wait... What happened? He paused… then left.", []string{"Wait...", "What happened?", "He paused… then left."}},
		{"closing quote", `He said "Go." Then he left.`, []string{`He said "Go."`, "Then he left."}},
		{"curly quote", "She said “No way.” They laughed.", []string{"She said “No way.”", "They laughed."}},
		{"quote continues", `"Go," he said. "Now!" she replied.`, []string{`"Go," he said.`, `"Now!" she replied.`}},
		{"brackets", "It rained (a lot.) Then it stopped.", []string{"It rained (a lot.)", "Then it stopped."}},
		{"question exclamation", "Really?! Yes.", []string{"Really?!", "Yes."}},
		{"urls and emails", "See example.com/a.b or mail jo@x.co.uk today. Done.", []string{"See example.com/a.b or mail jo@x.co.uk today.", "Done."}},
		{"lower case next", "It cost 5 p. and more. Fine.", []string{"It cost 5 p. and more.", "Fine."}},
		{"cjk", "今日は晴れです。明日は雨です！本当？はい。", []string{"今日は晴れです。", "明日は雨です！", "本当？", "はい。"}},
		{"year then sentence", "It opened in 2020. 15 people came.", []string{"It opened in 2020.", "15 people came."}},
		{"whitespace", "  One.\n\tTwo.  ", []string{"One.", "Two."}},
		{"empty", "   ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SplitSentences(tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("SplitSentences(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestNormalizeByline(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		publishers []string
		want       []string
	}{
		{"by and publisher", "By Jane Smith and John Doe, BBC News", []string{"BBC News"}, []string{"Jane Smith", "John Doe"}},
		{"ampersand", "Sarah-Jane Okafor & Luis Ortega", nil, []string{"Sarah-Jane Okafor", "Luis Ortega"}},
		{"commas and and", "By Ann Lee, B. J. Chan and Cy Diaz", nil, []string{"Ann Lee", "B. J. Chan", "Cy Diaz"}},
		{"name glued to date", "by Lucas Nolan22 Dec 2016", nil, []string{"Lucas Nolan"}},
		{"with in brackets", "Martin Untersinger (avec Damien Leloup et Morgane Tual)", nil, []string{"Martin Untersinger", "Damien Leloup", "Morgane Tual"}},
		{"nickname in brackets", "Richard (R.J.) Eskow", nil, []string{"Richard (R.J.) Eskow"}},
		{"role", "Grace Liu, Political Editor", nil, []string{"Grace Liu"}},
		{"dedupe", "Jane Smith, JANE SMITH, Jane Smith.", nil, []string{"Jane Smith"}},
		{"bar", "By Kim Park | Dev Digest | 20 May 2026", nil, []string{"Kim Park"}},
		{"month-like name", "Theresa May and Mark March", nil, []string{"Theresa May", "Mark March"}},
		{"french", "Par François Lévêque", nil, []string{"François Lévêque"}},
		{"by colon lower", "by: jo bloggs", nil, []string{"jo bloggs"}},
		{"date after name", "By Nathan Willis\n March 25, 2015", nil, []string{"Nathan Willis"}},
		{"urls dropped", "https://example.com/staff/jane", nil, nil},
		{"publisher only", "Reuters", nil, nil},
		{"site word first", "Telegraph View", []string{"The Telegraph"}, nil},
		{"site word later kept", "Jennifer Washington", []string{"Washington Post"}, []string{"Jennifer Washington"}},
		{"escaped twice", "Maria &amp; Katerina", nil, []string{"Maria", "Katerina"}},
		{"organisation with and", "Center for Drug Evaluation and Research", nil, []string{"Center for Drug Evaluation and Research"}},
		{"two people with and", "Jane Smith and John Doe", nil, []string{"Jane Smith", "John Doe"}},
		{"authors label", "Authors: Julie Weisenhorn, Natalie Hoidal", nil, []string{"Julie Weisenhorn", "Natalie Hoidal"}},
		{"by glued to the name", "byScott Miller", nil, []string{"Scott Miller"}},
		{"bylaw is not by", "Bylaw Officer", nil, []string{"Bylaw Officer"}},
		{"empty", "", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := normalizeByline(tt.in, tt.publishers)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("normalizeByline(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s int) time.Time {
		return time.Date(y, mo, d, h, mi, s, 0, time.UTC)
	}
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2026-11-25T08:30:00+00:00", utc(2026, 11, 25, 8, 30, 0), true},
		{"2026-11-24T15:45:00-05:00", utc(2026, 11, 24, 20, 45, 0), true},
		{"2026-11-24T15:45:00.123Z", time.Date(2026, 11, 24, 15, 45, 0, 123e6, time.UTC), true},
		{"2026-11-24T15:45:00+0100", utc(2026, 11, 24, 14, 45, 0), true},
		{"2026-11-24T15:45", utc(2026, 11, 24, 15, 45, 0), true},
		{"2026-11-24 15:45:00", utc(2026, 11, 24, 15, 45, 0), true},
		{"2026-11-24", utc(2026, 11, 24, 0, 0, 0), true},
		{"Wed, 04 Nov 2026 07:15:00 GMT", utc(2026, 11, 4, 7, 15, 0), true},
		{"Wed, 04 Nov 2026 07:15:00 +0200", utc(2026, 11, 4, 5, 15, 0), true},
		{"November 20, 2026", utc(2026, 11, 20, 0, 0, 0), true},
		{"Nov 20, 2026", utc(2026, 11, 20, 0, 0, 0), true},
		{"20 November 2026", utc(2026, 11, 20, 0, 0, 0), true},
		{"March 3rd, 2020 at 10:00", utc(2020, 3, 3, 10, 0, 0), true},
		{"1764151200", utc(2025, 11, 26, 10, 0, 0), true},
		{"1764151200000", utc(2025, 11, 26, 10, 0, 0), true},
		{"Updated 2026-11-24", utc(2026, 11, 24, 0, 0, 0), true},
		{"yesterday", time.Time{}, false},
		{"", time.Time{}, false},
		{"0001-01-01T00:00:00Z", time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseDate(tt.in)
			if ok != tt.ok || !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Errorf("parseDate(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestCleanTitle(t *testing.T) {
	tests := []struct{ name, title, site, h1, want string }{
		{"bar suffix", "Bridge reopens | The Daily Example", "The Daily Example", "", "Bridge reopens"},
		{"dash suffix", "Recall widens - Gadget Weekly", "Gadget Weekly", "", "Recall widens"},
		{"en dash suffix", "Le café ferme – L’Écho du Nord", "L’Écho du Nord", "", "Le café ferme"},
		{"site prefix of name", "Storm hits | BBC", "BBC News", "", "Storm hits"},
		{"two suffixes", "Storm hits | World | The Paper", "The Paper", "Storm hits", "Storm hits"},
		{"unknown site keeps", "Storm hits - Somewhere", "", "", "Storm hits - Somewhere"},
		{"h1 match", "Storm hits - Section - Paper", "", "Storm hits", "Storm hits"},
		{"colon kept", "Minister resigns: I had no choice", "Minister", "", "Minister resigns: I had no choice"},
		{"whitespace", "  Storm\n hits  ", "", "", "Storm hits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cleanTitle(tt.title, tt.site, tt.h1); got != tt.want {
				t.Errorf("cleanTitle(%q, %q, %q) = %q, want %q", tt.title, tt.site, tt.h1, got, tt.want)
			}
		})
	}
}

func TestNormalizeText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"nbsp", "a\u00a0b", "a b"},
		{"zero width", "a\u200bb\ufeff", "ab"},
		{"soft hyphen", "co\u00adoperate", "cooperate"},
		{"NFC", "e\u0301", "é"},
		{"NFC across removed zero width", "e\u200b\u0301", "é"},
		{"en quad", "a\u2000b", "a b"},
		{"tab", "a\tb", "a b"},
		{"keeps newline", "a\nb", "a\nb"},
		{"drops controls", "a\x07b", "ab"},
		{"typography kept", "“Quote” — dash", "“Quote” — dash"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := normalizeText(tt.in); got != tt.want {
				t.Errorf("normalizeText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestNormalizeTextShortcuts checks normalizeText's fast paths against the
// full rule, filter then compose then filter, on text that exercises each.
func TestNormalizeTextShortcuts(t *testing.T) {
	full := func(s string) string { return filterText(norm.NFC.String(filterText(s))) }
	for _, s := range []string{
		"plain ascii\n", "tab\tand\r\nCR", "e\u0301 composed", "e\u200b\u0301 after a zero-width",
		"nbsp\u00a0and\u2002en space", "\ttab then e\u0301", "ﬁ ligature stays", "\x00nul\x7fdel", "Ω\u2126 ohm",
		"\ufeffbom", "\u00ad soft hyphen", "private \ue000 use", "bad \xff byte",
	} {
		if got, want := normalizeText(s), full(s); got != want {
			t.Errorf("normalizeText(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestFirstLast(t *testing.T) {
	for in, want := range map[string]string{
		"Roy, Aniruddha":       "Aniruddha Roy",
		"van Dijk, J. A.":      "J. A. van Dijk",
		"Aniruddha Roy":        "Aniruddha Roy",
		"Smith, Jones, Brown":  "Smith, Jones, Brown",
		"Staff, Reuters Media": "Reuters Media Staff",
	} {
		if got := firstLast(in); got != want {
			t.Errorf("firstLast(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFixMojibake(t *testing.T) {
	tests := []struct{ in, want string }{
		{"A DIY Investor\u00e2\u0080\u0099s Guide", "A DIY Investor’s Guide"},
		{"JOHNSON\u00e2\u0080\u0099S\u00c2\u00ae", "JOHNSON’S®"},
		{"It\u00e2\u20ac\u2122s \u00e2\u20ac\u0153quoted\u00e2\u20ac\u009d", "It’s “quoted”"},
		{"Caf\u00c3\u00a9 cr\u00c3\u00a8me", "Café crème"},
		{"Acme\u00e2\u201e\u00a2", "Acme™"},
		{"\u00c5\u201aód\u00c5\u00ba", "łódź"},
		// Real text stays.
		{"Das war ein Spaß“, sagte sie.", "Das war ein Spaß“, sagte sie."},
		{"SÃO PAULO e MÃE", "SÃO PAULO e MÃE"},
		{"Âge d’or, Ça va, Å berg", "Âge d’or, Ça va, Å berg"},
		{"naïve café – déjà vu…", "naïve café – déjà vu…"},
		{"Ã", "Ã"},
	}
	for _, tt := range tests {
		if got := fixMojibake(tt.in); got != tt.want {
			t.Errorf("fixMojibake(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestMojibakeInPage: a page whose text was misdecoded before it was
// served reads right in the title and the body.
func TestMojibakeInPage(t *testing.T) {
	page := "<html><head><title>A DIY Investor\u00e2\u0080\u0099s Guide</title></head><body><article><h1>A DIY Investor\u00e2\u0080\u0099s Guide</h1>" +
		"<p>Retirement calculators don\u00e2\u0080\u0099t agree, and the caf\u00c3\u00a9 owner we spoke to had tried six of them before she settled on one that let her change the rate of return.</p></article></body></html>"
	a, err := FromHTML(strings.NewReader(page), "https://example.com/guide")
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "A DIY Investor’s Guide" || !strings.Contains(a.Text(), "don’t agree, and the café owner") {
		t.Errorf("Title %q, text %q; want the misdecoded characters repaired", a.Title, a.Text())
	}
}

// TestTidySpansInvariants checks, on random spans, what tidySpans
// promises whether it rebuilds the spans or finds them already tidy: no
// space at either end or doubled, no line break, no empty span, no two
// neighbours with the same link, no link that ends with a space or starts
// with one after plain text; and tidying its own output changes nothing.
func TestTidySpansInvariants(t *testing.T) {
	pieces := []string{"a", "Bc", " ", "  ", "\n", "\t", "\u00a0", "é", "e\u0301", "\u200b", "-", "x y", "\u2002"}
	links := []string{"", "", "http://a.example/", "http://b.example/"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var in []Span
		for range r.IntN(5) {
			var b strings.Builder
			for range r.IntN(5) {
				b.WriteString(pieces[r.IntN(len(pieces))])
			}
			in = append(in, Span{Text: b.String(), Link: links[r.IntN(len(links))]})
		}
		out := tidySpans(in)
		for i, s := range out {
			bad := s.Text == "" || strings.Contains(s.Text, "  ") || strings.ContainsAny(s.Text, "\n\t\u00a0\u2002\u200b") ||
				i == 0 && strings.HasPrefix(s.Text, " ") || i == len(out)-1 && strings.HasSuffix(s.Text, " ") ||
				s.Link != "" && strings.HasSuffix(s.Text, " ") ||
				s.Link != "" && strings.HasPrefix(s.Text, " ") && (i == 0 || out[i-1].Link == "") ||
				i > 0 && (out[i-1].Link == s.Link || strings.HasSuffix(out[i-1].Text, " ") && strings.HasPrefix(s.Text, " "))
			if bad {
				t.Fatalf("tidySpans(%q) = %q: span %d is not tidy", in, out, i)
			}
		}
		if again := tidySpans(out); !slices.Equal(again, out) {
			t.Fatalf("tidySpans(%q) = %q, then %q", in, out, again)
		}
	}
}
