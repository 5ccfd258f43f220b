package publish

import (
	"encoding/xml"
	"html"
	"strings"
	"time"

	"github.com/stet-archive/stet/diff"
)

const atomNS = "http://www.w3.org/2005/Atom"

// idPrefix starts every Atom id: a tag URI (RFC 4151) whose date never
// changes, so ids are stable across runs and machines.
const idPrefix = "tag:stet,2026:"

type atomFeed struct {
	XMLName xml.Name    `xml:"feed"`
	NS      string      `xml:"xmlns,attr"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	Title     string     `xml:"title"`
	ID        string     `xml:"id"`
	Updated   string     `xml:"updated"`
	Published string     `xml:"published"`
	Links     []atomLink `xml:"link"`
	Author    atomPerson `xml:"author"`
	Summary   atomText   `xml:"summary"`
	Content   atomText   `xml:"content"`
}

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// link turns a site path into a feed link: absolute under BaseURL, or
// relative to the feed at from.
func (p *publisher) link(from, target string) string {
	if p.opts.BaseURL != "" {
		return strings.TrimSuffix(p.opts.BaseURL, "/") + "/" + target
	}
	return rel(from) + target
}

// renderFeed writes an Atom feed of entries (newest first) at name.
func (p *publisher) renderFeed(name, key, title, page string, entries []entry) []byte {
	f := atomFeed{
		NS:      atomNS,
		Title:   title,
		ID:      idPrefix + "feed:" + key,
		Updated: atomTime(time.Unix(0, 0)),
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: p.link(name, name)},
			{Rel: "alternate", Type: "text/html", Href: p.link(name, page)},
		},
		Author: atomPerson{Name: p.opts.Title},
	}
	if len(entries) > 0 {
		f.Updated = atomTime(entries[0].when())
	}
	for _, e := range entries {
		v := e.v()
		d := e.a.doc(e.i)
		target := articleDir(e.a.path) + "index.html"
		if e.i > 0 {
			target = articleDir(e.a.path) + diffPage(v)
		}
		var prev []byte
		if e.i > 0 {
			prev = e.a.content(e.i - 1)
		}
		sum := diff.Summarize(prev, e.a.content(e.i))
		f.Entries = append(f.Entries, atomEntry{
			Title:     versionTitle(titleOf(d, v, e.a.path), v.N),
			ID:        idPrefix + v.Commit,
			Updated:   atomTime(v.When),
			Published: atomTime(v.When),
			Links:     []atomLink{{Rel: "alternate", Type: "text/html", Href: p.link(name, target)}},
			Author:    atomPerson{Name: p.sourceName(hostOf(e.a.path))},
			Summary:   atomText{Type: "text", Body: clean(sum.Short())},
			Content:   atomText{Type: "html", Body: entryHTML(e, sum)},
		})
	}
	b, err := xml.MarshalIndent(f, "", " ")
	if err != nil {
		// Only unsupported types make MarshalIndent fail; ours are strings.
		panic("publish: marshal feed: " + err.Error())
	}
	return append(append([]byte(xml.Header), b...), '\n')
}

func versionTitle(title string, n int) string {
	if n <= 1 {
		return clean(title) + " (new)"
	}
	return clean(title) + " (version " + itoa(n) + ")"
}

// entryHTML is an entry's content: the change summary, then the changed
// paragraphs with <del>/<ins> (or the text of a new article).
func entryHTML(e entry, sum diff.Summary) string {
	var b strings.Builder
	lines := sum.Lines()
	if len(lines) == 0 {
		lines = []string{sum.Short()}
	}
	b.WriteString("<ul>")
	for _, l := range lines {
		b.WriteString("<li>" + esc(l) + "</li>")
	}
	b.WriteString("</ul>\n")
	if e.i == 0 {
		b.WriteString(renderMarkdown(e.a.doc(0)))
		return b.String()
	}
	d := diff.Compare(e.a.content(e.i-1), e.a.content(e.i))
	if d.Headline != nil {
		b.WriteString("<h2>" + renderPlainOps(d.Headline.Ops, both) + "</h2>\n")
	}
	if d.Byline != nil {
		b.WriteString("<p>Byline: " + renderPlainOps(d.Byline.Ops, both) + "</p>\n")
	}
	if d.Published != nil {
		// Dates read as dates: the old one struck, the new one added.
		b.WriteString("<p>Published:")
		if d.Published.Old != "" {
			text, _ := showPublished(d.Published.Old)
			b.WriteString(" <del>" + esc(text) + "</del>")
		}
		if d.Published.New != "" {
			text, _ := showPublished(d.Published.New)
			b.WriteString(" <ins>" + esc(text) + "</ins>")
		}
		b.WriteString("</p>\n")
	}
	// Only the changed blocks, rendered as the page renders them, with
	// the removed and added words marked in place.
	ps := d.Paragraphs
	for j := 0; j < len(ps); j++ {
		pd := ps[j]
		if pd.Kind == diff.KindImage && j+1 < len(ps) && captionRow(ps[j+1]) {
			if pd.Op == diff.OpEqual && ps[j+1].Op == diff.OpEqual {
				j++
				continue
			}
			if fig, ok := renderFigureOps(pd.Ops, ps[j+1].Ops, both); ok {
				b.WriteString(fig)
				j++
				continue
			}
		}
		if pd.Op == diff.OpEqual {
			continue
		}
		b.WriteString(renderOps(pd.Ops, both))
	}
	return b.String()
}

// side selects which side of a word diff is rendered: both (feed
// entries, removed and added words in place), or one column of a
// side-by-side page.
type side int

const (
	both side = iota
	oldSide
	newSide
)

// clean makes text safe to embed anywhere: valid UTF-8, no C0 controls
// other than tab and newline (XML 1.0 forbids them), no DEL or C1 controls.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n':
			return r
		case r < 0x20, r >= 0x7f && r < 0xa0, r == 0xfffe, r == 0xffff:
			return '\uFFFD'
		}
		return r
	}, s)
}

// esc escapes text for HTML after clean.
func esc(s string) string { return html.EscapeString(clean(s)) }
