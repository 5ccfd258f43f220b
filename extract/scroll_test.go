package extract

import (
	"strings"
	"testing"
)

// scrollPage is a news page that has loaded the next story below the one
// asked for, as sites that scroll on to the next story do; the next story
// is the longer one.
func scrollPage(tag string) string {
	para := func(s string, n int) string {
		var b strings.Builder
		for i := range n {
			b.WriteString("<p>" + s + " Absatz " + string(rune('A'+i)) + " erzählt davon ausführlich und mit vielen Einzelheiten, wie es die Zeitung eben tut.</p>\n")
		}
		return b.String()
	}
	return `<!doctype html><html lang="es"><head><title>Darán bendición a vehículos este sábado - Diario</title>
<meta property="og:title" content="Darán bendición a vehículos este sábado"></head><body>
<header><a href="/">Diario</a></header><main>
<` + tag + ` id="article-0"><h1>Darán bendición a vehículos este sábado</h1>
<div class="entry-text">` + para("Die Segnung der Fahrzeuge", 3) + `</div></` + tag + `>
<aside class="more"><a href="/otra">Otra noticia</a></aside>
<` + tag + ` id="article-1"><h1>Bebé muere en su casa tras un accidente</h1>
<div class="entry-text">` + para("Das Unglück im Haus", 8) + `</div></` + tag + `>
</main></body></html>`
}

func TestOwnArticle(t *testing.T) {
	tests := []struct {
		name, tag string
		wantOwn   bool // the body is the headline's story, not the next one
	}{
		{"next story in its own article", "article", true},
		{"stories in divs", "div", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := FromHTML(strings.NewReader(scrollPage(tt.tag)), "https://www.example.com/nacionales/bendicion")
			if err != nil {
				t.Fatal(err)
			}
			text := a.Text()
			own, next := strings.Contains(text, "Die Segnung der Fahrzeuge"), strings.Contains(text, "Das Unglück im Haus")
			if own != tt.wantOwn || next == tt.wantOwn {
				t.Errorf("body has the headline's story %v, the next story %v; want %v, %v:\n%s", own, next, tt.wantOwn, !tt.wantOwn, text)
			}
		})
	}
}
