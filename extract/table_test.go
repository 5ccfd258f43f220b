package extract

import (
	"strings"
	"testing"
)

// TestTableDropsRowsWithoutText: a row with no text (a spacer, an emptied
// ad slot) is not rendered, so it cannot come and go with the page's
// furniture; the header stays the first row with text.
func TestTableDropsRowsWithoutText(t *testing.T) {
	page := `<html><head><title>Harbour fees</title></head><body><article><h1>Harbour fees</h1>
<p>The harbour board published its new fees on Monday, after a long review of the charges paid by visiting boats.</p>
<table><tr><td></td><td> </td></tr><tr><th>Boat</th><th>Fee</th></tr><tr><td>Dinghy</td><td>5</td></tr><tr><td><div id="ad-91x"></div></td><td></td></tr><tr><td>Yacht</td><td>40</td></tr></table>
<p>The fees apply from January, and the board said it would review them again at the end of next year.</p>
</article></body></html>`
	a, err := (&Extractor{}).Extract([]byte(page), "https://news.example.com/fees")
	if err != nil {
		t.Fatal(err)
	}
	md := string(a.Markdown())
	want := "| Boat | Fee |\n| --- | --- |\n| Dinghy | 5 |\n| Yacht | 40 |"
	if !strings.Contains(md, want) {
		t.Errorf("table not rendered as\n%s\ngot:\n%s", want, md)
	}
}
