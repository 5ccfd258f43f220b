package publish

import (
	"bytes"
	"html/template"
	"strings"
	"time"

	"github.com/stet-archive/stet/archive"
	"github.com/stet-archive/stet/diff"
)

// timeLayout is how pages show times: always UTC, so output does not
// depend on the machine's zone.
const timeLayout = "2 Jan 2006 15:04 UTC"

func showTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func changedTimes(versions int) string {
	switch n := versions - 1; n {
	case 0:
		return "not changed"
	case 1:
		return "changed once"
	default:
		return "changed " + itoa(n) + " times"
	}
}

var funcs = template.FuncMap{
	"time":    showTime,
	"atom":    atomTime,
	"changed": changedTimes,
	"clean":   clean,
}

// pages holds every page template; it is parsed once per call of
// newPages, never stored in a package variable that could be changed.
const pagesSrc = `
{{define "head"}}<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{clean .Title}}</title>
<link rel="stylesheet" href="{{.Root}}style.css">
{{if .Feed}}<link rel="alternate" type="application/atom+xml" title="{{clean .Title}}" href="{{.Feed}}">
{{end}}</head>
<body>
<header class="site"><a href="{{.Root}}index.html">{{.Site}}</a>{{if .Feed}} · <a href="{{.Feed}}">Atom feed</a>{{end}}</header>
<main>
{{end}}
{{define "foot"}}</main>
</body>
</html>
{{end}}
{{define "rows"}}{{.RowsHTML}}{{end}}
{{define "index"}}{{template "head" .}}<h1>{{.Site}}</h1>
<p>{{len .Rows}} articles, newest change first. Sources:
{{range $i, $s := .Sources}}{{if $i}}, {{end}}<a href="{{$.Root}}{{$s.Href}}">{{clean $s.Name}}</a>{{end}}.</p>
{{template "rows" .}}{{template "foot" .}}{{end}}
{{define "source"}}{{template "head" .}}<h1>{{clean .Title}}</h1>
<p>{{len .Rows}} articles from {{.Host}}, newest change first.</p>
{{template "rows" .}}{{template "foot" .}}{{end}}
{{define "article"}}{{template "head" .}}<h1>{{clean .Title}}</h1>
<dl class="facts">
<dt>Source</dt><dd><a href="{{.Root}}{{.SourceHref}}">{{clean .SiteName}}</a></dd>
{{if .URL}}<dt>Original</dt><dd class="url">{{if .SafeURL}}<a href="{{.URL}}" rel="nofollow noopener">{{clean .URL}}</a>{{else}}{{clean .URL}}{{end}}</dd>
{{end}}<dt>First seen</dt><dd><time datetime="{{atom .First}}">{{time .First}}</time></dd>
<dt>Versions</dt><dd>{{.Edits}} ({{changed .Edits}})</dd>
</dl>
<h2>Versions</h2>
<ol class="versions">
{{range .Versions}}<li value="{{.N}}"><strong>Version {{.N}}{{if .Rerender}}, re-rendered{{end}}</strong>, <time datetime="{{atom .When}}">{{time .When}}</time>{{if .Gap}} ({{.Gap}}){{end}}: {{clean .Summary}}{{if .Href}} · <a href="{{.Href}}">compare with version {{.Prev}}</a>{{end}}</li>
{{end}}</ol>
<h2>Latest text (version {{.LatestN}})</h2>
<article class="text" lang="{{.Lang}}">
<h3 class="headline">{{clean .Headline}}</h3>
{{if .Byline}}<p class="byline">By {{clean .Byline}}</p>
{{end}}{{if .Published}}<p class="published">Published {{clean .Published}}</p>
{{end}}{{.Body}}</article>
{{template "foot" .}}{{end}}
{{define "pair"}}{{template "head" .}}<h1>Version {{.OldN}} / Version {{.NewN}}, {{.Gap}}</h1>
<p><a href="index.html">{{clean .Headline}}</a> · {{clean .Summary}}</p>
<nav class="pairs" aria-label="Other versions"><ul>
{{range .Pairs}}<li>{{if .Current}}<strong aria-current="page">{{.Label}}</strong>{{else}}<a href="{{.Href}}">{{.Label}}</a>{{end}}</li>
{{end}}</ul></nav>
<p class="legend">Removed words are <del>struck through</del>; added words are <ins>underlined</ins>.</p>
<div class="sbs" lang="{{.Lang}}">
<div class="row head"><div class="cell old">Version {{.OldN}}, <time datetime="{{atom .OldWhen}}">{{time .OldWhen}}</time></div><div class="cell new">Version {{.NewN}}, <time datetime="{{atom .NewWhen}}">{{time .NewWhen}}</time></div></div>
{{range .Rows}}<div class="row {{.Class}}"><div class="cell old">{{.Old}}</div><div class="cell new">{{.New}}</div></div>
{{end}}</div>
{{template "foot" .}}{{end}}
`

func newPages() *template.Template {
	return template.Must(template.New("pages").Funcs(funcs).Parse(pagesSrc))
}

func (p *publisher) execPage(name string, data any) []byte {
	var b bytes.Buffer
	if err := p.tmpl.ExecuteTemplate(&b, name, data); err != nil {
		// The templates are fixed and the data is ours: an error here is
		// a programming mistake.
		panic("publish: render " + name + ": " + err.Error())
	}
	return b.Bytes()
}

// page is what the "head" template needs.
type page struct {
	Lang  string
	Title string
	Root  string
	Site  string
	Feed  string
}

type sourceLink struct{ Name, Href string }

// rowsHTML renders the article list of an index or source page. It is
// written by hand rather than with the template because an index of 10k
// articles is the largest page, and every value is escaped with esc.
func rowsHTML(rows []indexRow, root string) template.HTML {
	var b strings.Builder
	b.Grow(len(rows) * 300)
	b.WriteString("<ol class=\"articles\">\n")
	for _, r := range rows {
		b.WriteString("<li><a href=\"" + esc(root+articleDir(r.Path)+"index.html") + "\">" + esc(r.Title) + "</a>\n")
		b.WriteString("<span class=\"meta\">" + esc(r.Site) + " · " + changedTimes(r.Versions) +
			" · last change <time datetime=\"" + atomTime(r.Last) + "\">" + showTime(r.Last) + "</time></span></li>\n")
	}
	b.WriteString("</ol>\n")
	return template.HTML(b.String())
}

func (p *publisher) renderIndex(m *manifest, title string) []byte {
	rows := indexRows(m, "")
	seen := map[string]string{}
	for _, r := range rows {
		h := hostOf(r.Path)
		if _, ok := seen[h]; !ok {
			seen[h] = r.Site
		}
	}
	var sources []sourceLink
	for _, h := range sortedKeysS(seen) {
		sources = append(sources, sourceLink{Name: seen[h], Href: sourceDir(h) + "index.html"})
	}
	return p.execPage("index", struct {
		page
		Rows     []indexRow
		RowsHTML template.HTML
		Sources  []sourceLink
	}{page{Lang: "en", Title: title, Root: "", Site: title, Feed: "feed.xml"}, rows, rowsHTML(rows, ""), sources})
}

func (p *publisher) renderSource(rows []indexRow, host, title, name string) []byte {
	site := host
	if len(rows) > 0 && rows[0].Site != "" {
		site = rows[0].Site
	}
	return p.execPage("source", struct {
		page
		Host     string
		Rows     []indexRow
		RowsHTML template.HTML
	}{page{Lang: "en", Title: site, Root: rel(name), Site: title, Feed: "feed.xml"}, host, rows, rowsHTML(rows, rel(name))})
}

type versionRow struct {
	N       int
	When    time.Time
	Gap     string
	Summary string
	Href    string
	Prev    int
	// Rerender marks a commit that re-rendered version N's kept HTML
	// with a newer extractor (not an edit).
	Rerender bool
}

func lang(d diff.Doc) string {
	l := d.Language
	if l == "" || len(l) > 35 {
		return "en"
	}
	for _, r := range l {
		if !(r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return "en"
		}
	}
	return l
}

func (p *publisher) renderArticle(a *article, title, name string) []byte {
	last := len(a.versions) - 1
	d := a.doc(last)
	var rows []versionRow
	for i := last; i >= 0; i-- {
		v := a.versions[i]
		r := versionRow{N: v.N, When: v.When, Rerender: v.Rerender()}
		var prev []byte
		if i > 0 {
			prev = a.content(i - 1)
			r.Gap = diff.Gap(v.When.Sub(a.versions[i-1].When))
			r.Href = diffPage(v)
			r.Prev = a.versions[i-1].N
		}
		if r.Rerender {
			// What changed is the rendering, which the commit says.
			r.Summary, _, _ = strings.Cut(v.Body, "\n")
		} else {
			r.Summary = diff.Summarize(prev, a.content(i)).Short()
		}
		rows = append(rows, r)
	}
	url := a.versions[last].URL
	if url == "" {
		url = d.URL
	}
	return p.execPage("article", struct {
		page
		Headline, SiteName, SourceHref, URL string
		SafeURL                             bool
		First                               time.Time
		Versions                            []versionRow
		Edits                               int
		LatestN                             int
		Byline, Published                   string
		Body                                template.HTML
	}{
		page:     page{Lang: lang(d), Title: titleOf(d, a.versions[last], a.path), Root: rel(name), Site: title, Feed: "feed.xml"},
		Headline: titleOf(d, a.versions[last], a.path), SiteName: siteOf(d, a.path),
		SourceHref: sourceDir(hostOf(a.path)) + "index.html",
		URL:        url, SafeURL: safeURL(url),
		First:    a.versions[0].When,
		Versions: rows,
		Edits:    archive.Edits(a.versions),
		LatestN:  a.versions[last].N,
		Byline:   d.Byline, Published: d.Published,
		Body: template.HTML(renderMarkdown(d)),
	})
}

type pairLink struct {
	Label   string
	Href    string
	Current bool
}

type sbsRow struct {
	Class    string
	Old, New template.HTML
}

// pairLabel names the comparison of version old with version new.
func pairLabel(old, new archive.Version) string {
	if new.Rerender() {
		return "Version " + itoa(new.N) + " re-rendered"
	}
	return "Version " + itoa(old.N) + " / " + itoa(new.N)
}

// renderPair renders version i-1 beside version i.
func (p *publisher) renderPair(a *article, i int, title, name string) []byte {
	oldV, newV := a.versions[i-1], a.versions[i]
	d := diff.Compare(a.content(i-1), a.content(i))
	var pairs []pairLink
	for j := 1; j < len(a.versions); j++ {
		pairs = append(pairs, pairLink{
			Label:   pairLabel(a.versions[j-1], a.versions[j]),
			Href:    diffPage(a.versions[j]),
			Current: j == i,
		})
	}
	var rows []sbsRow
	if d.Headline != nil {
		rows = append(rows, sbsRow{"headline change", opsT(d.Headline.Ops, oldSide), opsT(d.Headline.Ops, newSide)})
	} else {
		t := template.HTML(esc(a.doc(i).Title))
		rows = append(rows, sbsRow{"headline equal", t, t})
	}
	for _, f := range []struct {
		label string
		c     *diff.FieldChange
	}{{"Byline: ", d.Byline}, {"Published: ", d.Published}} {
		if f.c != nil {
			rows = append(rows, sbsRow{"field change", template.HTML(f.label) + opsT(f.c.Ops, oldSide), template.HTML(f.label) + opsT(f.c.Ops, newSide)})
		}
	}
	for _, p := range d.Paragraphs {
		rows = append(rows, sbsRow{p.Op + " " + p.Kind, opsT(p.Ops, oldSide), opsT(p.Ops, newSide)})
	}
	headline := titleOf(a.doc(i), newV, a.path)
	return p.execPage("pair", struct {
		page
		OldN, NewN       int
		OldWhen, NewWhen time.Time
		Gap, Headline    string
		Summary          string
		Pairs            []pairLink
		Rows             []sbsRow
	}{
		page: page{Lang: lang(a.doc(i)), Title: headline + ": version " + itoa(oldV.N) + " / " + itoa(newV.N), Root: rel(name), Site: title, Feed: "feed.xml"},
		OldN: oldV.N, NewN: newV.N, OldWhen: oldV.When, NewWhen: newV.When,
		Gap:      diff.Gap(newV.When.Sub(oldV.When)),
		Headline: headline,
		Summary:  diff.Summarize(a.content(i-1), a.content(i)).Short(),
		Pairs:    pairs, Rows: rows,
	})
}

func opsT(ops []diff.Op, s side) template.HTML {
	return template.HTML(opsHTML(ops, s))
}

func sortedKeysS(m map[string]string) []string {
	b := make(map[string]bool, len(m))
	for k := range m {
		b[k] = true
	}
	return sortedKeys(b)
}
