package diff

import (
	"html"
	"io"
	"strings"
)

// htmlStyle is the page's whole style sheet. Colours meet WCAG AA (4.5:1)
// for normal text: #1a1a1a on #fff is 17.4:1, removed #8a1111 on #fde8e8
// is 8.2:1, added #0b5a1e on #e3f6e6 is 7.4:1, the header's #454545 is 9.6:1. Strike-through and
// underline carry the meaning for readers who cannot tell the colours
// apart.
const htmlStyle = `body{margin:0 auto;max-width:46rem;padding:1rem;font:1.05rem/1.55 Georgia,"Times New Roman",serif;color:#1a1a1a;background:#fff}
.stet-diff header p{margin:.2rem 0;color:#454545;font:.9rem/1.4 system-ui,sans-serif}
.stet-diff h1{font-size:1.6rem;line-height:1.25}
.stet-diff .field{font:.95rem/1.4 system-ui,sans-serif}
.stet-diff del{color:#8a1111;background:#fde8e8;text-decoration:line-through}
.stet-diff ins{color:#0b5a1e;background:#e3f6e6;text-decoration:underline}
.stet-diff .block{margin:1rem 0;white-space:pre-wrap;overflow-wrap:anywhere}
.stet-diff .insert{border-left:.25rem solid #0b5a1e;padding-left:.6rem}
.stet-diff .delete{border-left:.25rem solid #8a1111;padding-left:.6rem}
.stet-diff .change{border-left:.25rem solid #6b6b6b;padding-left:.6rem}
`

// WriteHTML writes d as one self-contained HTML page: inline CSS, no
// scripts, no external resources. The content is [WriteHTMLFragment]'s.
// Every piece of article text is HTML-escaped. It returns the first
// write error.
func WriteHTML(w io.Writer, d *Diff, o RenderOptions) error {
	ew := &errWriter{w: w}
	title := d.Title
	if title == "" {
		title = "Article"
	}
	ew.write("<!DOCTYPE html>\n<html lang=\"" + htmlLang(d.Language) + "\">\n<head>\n<meta charset=\"utf-8\">\n")
	ew.write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	ew.write("<title>" + html.EscapeString("Changes: "+title) + "</title>\n")
	ew.write("<style>\n" + htmlStyle + "</style>\n</head>\n<body>\n")
	if ew.err != nil {
		return ew.err
	}
	if err := WriteHTMLFragment(w, d, o); err != nil {
		return err
	}
	ew.write("</body>\n</html>\n")
	return ew.err
}

// WriteHTMLFragment writes d as an <article class="stet-diff"> element
// for embedding in a larger page (the static site, a feed entry): a
// header naming the two versions, the headline, changed byline and
// published fields, then one <div> per paragraph row with a class of
// equal, insert, delete or change, and <del>/<ins> around changed words.
// Text is HTML-escaped and paragraphs keep their line breaks through
// white-space: pre-wrap. The styles are those of [WriteHTML]; the
// fragment works unstyled too, since <del> and <ins> strike and underline
// by default. It returns the first write error.
func WriteHTMLFragment(w io.Writer, d *Diff, o RenderOptions) error {
	ew := &errWriter{w: w}
	oldL, newL := o.labels()
	ew.write("<article class=\"stet-diff\">\n<header>\n")
	note := ""
	if !d.Changed() {
		note = " (no changes)"
	}
	ew.write("<p>Comparing <span class=\"old\">" + html.EscapeString(oldL) + "</span> with <span class=\"new\">" + html.EscapeString(newL) + "</span>" + note + "</p>\n")
	if d.URL != "" {
		u := html.EscapeString(d.URL)
		ew.write("<p><a href=\"" + u + "\">" + u + "</a></p>\n")
	}
	ew.write("<h1>" + htmlOps(headlineOps(d)) + "</h1>\n")
	if d.Byline != nil {
		ew.write("<p class=\"field\">Byline: " + htmlOps(d.Byline.Ops) + "</p>\n")
	}
	if d.Published != nil {
		ew.write("<p class=\"field\">Published: " + htmlOps(d.Published.Ops) + "</p>\n")
	}
	ew.write("</header>\n")
	for _, p := range d.Paragraphs {
		ew.write("<div class=\"block " + p.Op + " " + p.Kind + "\">" + htmlOps(p.Ops) + "</div>\n")
	}
	ew.write("</article>\n")
	return ew.err
}

func htmlOps(ops []Op) string {
	var b strings.Builder
	for _, op := range ops {
		t := html.EscapeString(strings.ToValidUTF8(op.Text, "\uFFFD"))
		switch op.Kind {
		case OpDelete:
			b.WriteString("<del>" + t + "</del>")
		case OpInsert:
			b.WriteString("<ins>" + t + "</ins>")
		default:
			b.WriteString(t)
		}
	}
	return b.String()
}

// htmlLang returns the article's language for a lang attribute when it
// is a well-formed tag, else "und" (undetermined, BCP 47).
func htmlLang(l string) string {
	if l == "" || len(l) > 35 {
		return "und"
	}
	for _, r := range l {
		if !(r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return "und"
		}
	}
	return l
}
