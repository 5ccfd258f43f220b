package publish

import (
	"io"
	"strings"

	"github.com/stet-archive/stet/diff"
)

// WriteDiffPage writes d as one self-contained HTML page (`stet diff
// --format html`): the side-by-side rows of the site's diff pages, with
// the article's markdown rendered and changed words marked, the site's
// style sheet inline, no scripts and no external resources. oldLabel and
// newLabel name the two versions ("" means "old" and "new"). It returns
// the first write error.
func WriteDiffPage(w io.Writer, d *diff.Diff, oldLabel, newLabel string) error {
	if oldLabel == "" {
		oldLabel = "old"
	}
	if newLabel == "" {
		newLabel = "new"
	}
	title := d.Title
	if title == "" {
		title = "Article"
	}
	l := lang(diff.Doc{Language: d.Language})
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"" + pageLang(diff.Doc{Language: d.Language}) + "\">\n<head>\n<meta charset=\"utf-8\">\n")
	b.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	b.WriteString("<title>" + esc("Changes: "+title) + "</title>\n<style>\n" + styleCSS + "</style>\n</head>\n<body>\n<main id=\"top\">\n")
	b.WriteString("<h1>" + esc(title) + "</h1>\n")
	note := ""
	if !d.Changed() {
		note = " (no changes)"
	}
	b.WriteString("<p>Comparing " + esc(oldLabel) + " with " + esc(newLabel) + note + ".")
	if safeURL(d.URL) {
		b.WriteString(" <a href=\"" + esc(d.URL) + "\" rel=\"nofollow noopener\">" + esc(d.URL) + "</a>")
	}
	b.WriteString("</p>\n")
	b.WriteString("<p class=\"legend\">Removed words are <del>struck through</del>; added words are <ins>underlined</ins>. <a href=\"#changes\">Show changes only</a> · <a href=\"#top\">Show the whole text</a></p>\n")
	b.WriteString("<div class=\"sbs\" id=\"changes\"")
	if l != "" {
		b.WriteString(" lang=\"" + l + "\"")
	}
	b.WriteString(">\n<div class=\"row head\"><div class=\"cell old\">" + esc(oldLabel) + "</div><div class=\"cell new\">" + esc(newLabel) + "</div></div>\n")
	for _, r := range diffRows(d, d.Title) {
		b.WriteString("<div class=\"row " + r.Class + "\"><div class=\"cell old\" dir=\"auto\">" + string(r.Old) + "</div><div class=\"cell new\" dir=\"auto\">" + string(r.New) + "</div></div>\n")
	}
	b.WriteString("</div>\n</main>\n</body>\n</html>\n")
	_, err := io.WriteString(w, b.String())
	return err
}
