package extract

import (
	"strings"
	"testing"
)

// leadPage is a news page whose standfirst sits in the article's header,
// outside the element that holds the text; head and lead fill the page's
// description and the lead's markup.
func leadPage(head, lead string) string {
	return `<!doctype html><html lang="de"><head><title>Bauern fordern Prämie | Landblatt</title>` + head + `</head>
<body><nav><a href="/">Start</a> <a href="/politik">Politik</a></nav>
<main><header class="m-intro-header"><h1>Bauern fordern Prämie für Gründer</h1>` + lead + `
<p class="byline">Von Anna Berg</p></header>
<div class="l-container"><div class="article-body">
<p>Am vergangenen Dienstag trafen sich die Vertreter der Jugendverbände mit der Ministerin in Düsseldorf, um über die Förderung junger Landwirte zu sprechen.</p>
<p>Die Ministerin zeigte sich offen: „Das Thema greifen wir gerne auf und werden prüfen, ob perspektivisch ein Förderangebot geschaffen werden kann.“</p>
<p>Für kleinere und mittlere Betriebe wäre die Prämie nach Ansicht der Verbände ein größerer Vorteil als die bisherigen flächengebundenen Zahlungen aus Brüssel.</p>
<p>Im Jahr 2020 war auf über 8000 Betrieben in Nordrhein-Westfalen die Nachfolge nicht geklärt, wie die Landwirtschaftskammer mitteilte.</p>
</div></div></main>
<footer><p>© Landblatt Verlag</p></footer></body></html>`
}

const leadText = "Die Jugendverbände der Landwirtschaft fordern eine Existenzgründungsprämie. In einem ersten Gespräch zeigte sich die Ministerin offen für die Forderung."

// longLead is a standfirst of some 700 letters, as press releases have.
const longLead = "Die Jugendverbände der Landwirtschaft fordern eine Existenzgründungsprämie für junge Landwirtinnen und Landwirte, die einen Hof außerhalb der eigenen Familie übernehmen wollen. " +
	"In einem ersten Gespräch zeigte sich die Ministerin offen für die Forderung und kündigte an, ein Förderangebot prüfen zu lassen. " +
	"Die Verbände verweisen auf die Zahl der Betriebe, deren Nachfolge nicht geklärt ist, und auf die hohen Kosten für Flächen, Gebäude und Maschinen. " +
	"Eine Prämie aus der zweiten Säule der Agrarpolitik könne kleineren und mittleren Betrieben mehr helfen als die bisherigen Zahlungen je Hektar. " +
	"Bis zum Herbst wollen Ministerium und Verbände gemeinsam einen Vorschlag erarbeiten, der auch Umweltschutz und Tierwohl berücksichtigt."

func TestLeadOutsideBody(t *testing.T) {
	desc := `<meta name="description" content="` + leadText + `">`
	tests := []struct {
		name, head, lead string
		want             int // times the lead's first sentence is in the text
	}{
		{"lead in the header", desc, `<p class="a-lead">` + leadText + `</p>`, 1},
		{"lead with inline markup", `<meta property="og:description" content="` + leadText + `">`,
			`<div class="intro"><p><strong>Die Jugendverbände der Landwirtschaft</strong> fordern eine Existenzgründungsprämie. In einem ersten Gespräch zeigte sich die Ministerin offen für die Forderung.</p></div>`, 1},
		{"description cut short", `<meta name="description" content="Die Jugendverbände der Landwirtschaft fordern eine Existenzgründungsprämie. In einem ersten Gespr...">`,
			`<p class="a-lead">` + leadText + `</p>`, 1},
		{"JSON-LD description", `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Bauern fordern Prämie für Gründer","description":"` + leadText + `"}</script>`,
			`<p class="a-lead">` + leadText + `</p>`, 1},
		{"long standfirst", `<meta name="description" content="` + longLead + `">`, `<p class="abstract">` + longLead + `</p>`, 1},
		{"no description", ``, `<p class="a-lead">` + leadText + `</p>`, 0},
		{"description only in a hidden share box", desc,
			`<div class="mail-form" style="display:none"><p>` + leadText + `</p></div>`, 0},
		{"description only as a teaser link", desc,
			`<a href="/politik/bauern"><p>` + leadText + `</p></a>`, 0},
		{"description in a share widget", desc,
			`<div class="share-box"><p>` + leadText + `</p></div>`, 0},
		{"one-sentence dek", `<meta name="description" content="Die Jugendverbände der Landwirtschaft fordern eine Existenzgründungsprämie, die Ministerin zeigt sich offen.">`,
			`<p class="a-lead">Die Jugendverbände der Landwirtschaft fordern eine Existenzgründungsprämie, die Ministerin zeigt sich offen.</p>`, 0},
		{"description that is a site tagline", `<meta name="description" content="Das Landblatt: Nachrichten vom Land">`,
			`<p class="a-lead">Das Landblatt: Nachrichten vom Land</p>`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := FromHTML(strings.NewReader(leadPage(tt.head, tt.lead)), "https://www.example.com/politik/bauern")
			if err != nil {
				t.Fatal(err)
			}
			text := a.Text()
			if got := strings.Count(text, "fordern eine Existenzgründungsprämie"); got != tt.want {
				t.Errorf("lead found %d times in the text, want %d:\n%s", got, tt.want, text)
			}
			if !strings.Contains(text, "Am vergangenen Dienstag") {
				t.Errorf("text lost the body:\n%s", text)
			}
		})
	}
}

// TestLeadAlreadyInBody checks that a lead the body holds is not added
// again, also when the description adds the headline before it.
func TestLeadAlreadyInBody(t *testing.T) {
	tests := []struct{ name, desc string }{
		{"same text", leadText},
		{"headline before the lead", "Bauern fordern Prämie für Gründer. " + leadText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := strings.Replace(leadPage(`<meta name="description" content="`+tt.desc+`">`, `<p class="a-lead">`+leadText+`</p>`),
				`<div class="article-body">`, `<div class="article-body"><p>`+leadText+`</p>`, 1)
			a, err := FromHTML(strings.NewReader(page), "https://www.example.com/politik/bauern")
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Count(a.Text(), "fordern eine Existenzgründungsprämie"); got != 1 {
				t.Errorf("lead found %d times in the text, want 1:\n%s", got, a.Text())
			}
		})
	}
}

func TestInBody(t *testing.T) {
	lead := foldText(leadText)
	tests := []struct {
		name, body string
		want       bool
	}{
		{"whole lead", "Vorher. " + leadText + " Nachher.", true},
		{"headline and lead", "Bauern fordern Prämie für Gründer " + leadText, true},
		{"first sentence only", "Die Jugendverbände der Landwirtschaft fordern eine Existenzgründungsprämie. So sollen junge Landwirte bis zu 70000 Euro erhalten, wenn sie einen Hof übernehmen.", false},
		{"none of it", "Am vergangenen Dienstag trafen sich die Vertreter der Jugendverbände mit der Ministerin.", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := inBody(foldText(tt.body), lead); got != tt.want {
				t.Errorf("inBody(%q) = %v, want %v", tt.body, got, tt.want)
			}
		})
	}
}

func TestLeadKey(t *testing.T) {
	tests := []struct {
		name, in, want string
		cut            bool
	}{
		{"whole", "Ein Satz, der endet.", "einsatzderendet", false},
		{"cut word dropped", "Ein Satz, der end...", "einsatzder", true},
		{"ellipsis character", "Ein Satz, der end…", "einsatzder", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, cut := leadKey(tt.in); got != tt.want || cut != tt.cut {
				t.Errorf("leadKey(%q) = %q, %v, want %q, %v", tt.in, got, cut, tt.want, tt.cut)
			}
		})
	}
}

// TestAppendFolded checks that folding into a buffer gives what
// [foldText] gives, as the lead is matched on one and looked for in the
// other.
func TestAppendFolded(t *testing.T) {
	for _, s := range []string{"", "Plain ASCII, with: punctuation!", "Größe ÄÖÜ ẞ straße", "İstanbul’un", "中文，标点。", "Ω and ǅ"} {
		if got, want := string(appendFolded([]byte("x"), s)), "x"+foldText(s); got != want {
			t.Errorf("appendFolded(%q) = %q, want %q", s, got, want)
		}
	}
}
