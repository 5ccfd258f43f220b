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
<main id="top">
{{end}}
{{define "foot"}}</main>
</body>
</html>
{{end}}
{{define "months"}}{{if .Months}}<h2>All articles, by month first seen</h2>
<ul class="months">
{{range .Months}}<li>{{.Name}} ({{.Count}}):{{range .Pages}} <a href="{{.Href}}">page {{.N}}</a>{{end}}</li>
{{end}}</ul>
{{end}}{{end}}
{{define "index"}}{{template "head" .}}<h1>{{.Site}}</h1>
<p>{{.Total}} articles{{if .Sources}} from
{{range $i, $s := .Sources}}{{if $i}}, {{end}}<a href="{{$.Root}}{{$s.Href}}">{{clean $s.Name}}</a>{{end}}{{end}}.</p>
<h2>{{if gt .Total (len .Rows)}}The {{len .Rows}} latest changes{{else}}Newest change first{{end}}</h2>
{{.RowsHTML}}{{template "months" .}}{{template "foot" .}}{{end}}
{{define "source"}}{{template "head" .}}<h1>{{clean .Title}}</h1>
<p>{{.Total}} articles from {{clean .Title}}{{if ne .Title .Host}} ({{.Host}}){{end}}.</p>
<h2>{{if gt .Total (len .Rows)}}The {{len .Rows}} latest changes{{else}}Newest change first{{end}}</h2>
{{.RowsHTML}}{{template "months" .}}{{template "foot" .}}{{end}}
{{define "listing"}}{{template "head" .}}<h1>{{clean .Title}}</h1>
<p>Articles first seen in {{.Month}}, in the order they were found: page {{.N}}.{{if .Up}} <a href="{{.Up}}">Back to {{clean .UpName}}</a>.{{end}}</p>
{{template "pager" .}}{{.RowsHTML}}{{template "pager" .}}{{template "foot" .}}{{end}}
{{define "pager"}}{{if or .PrevHref .NextHref}}<nav class="prevnext" aria-label="Pages">{{if .PrevHref}}<a rel="prev" href="{{.PrevHref}}">← Page {{.PrevN}}</a>{{end}}{{if .NextHref}}<a rel="next" href="{{.NextHref}}">Page {{.NextN}} →</a>{{end}}</nav>
{{end}}{{end}}
{{define "article"}}{{template "head" .}}<h1{{if .TextLang}} lang="{{.TextLang}}"{{end}}>{{clean .Title}}</h1>
<dl class="facts">
<dt>Source</dt><dd><a href="{{.Root}}{{.SourceHref}}">{{clean .SiteName}}</a></dd>
{{if .URL}}<dt>Current article</dt><dd class="url">{{if .SafeURL}}<a href="{{.URL}}" rel="nofollow noopener">{{clean .URL}}</a>{{else}}{{clean .URL}}{{end}}</dd>
{{end}}{{if .Published}}<dt>First published</dt><dd>{{if .PublishedAt}}<time datetime="{{.PublishedAt}}">{{clean .Published}}</time>{{else}}{{clean .Published}}{{end}}</dd>
{{end}}<dt>First seen</dt><dd><time datetime="{{atom .First}}">{{time .First}}</time></dd>
{{if not .LastChecked.IsZero}}<dt>Last checked</dt><dd><time datetime="{{atom .LastChecked}}">{{time .LastChecked}}</time></dd>
{{end}}{{if .Retired}}<dt>Next check</dt><dd>none: no longer checked, since it has not changed for a long time</dd>
{{else if not .NextCheck.IsZero}}<dt>Next check</dt><dd><time datetime="{{atom .NextCheck}}">{{time .NextCheck}}</time> or later</dd>
{{end}}<dt>Changes</dt><dd>The article has {{changed .Edits}} ({{.Edits}} {{if eq .Edits 1}}version{{else}}versions{{end}})</dd>
<dt>Feed</dt><dd><a href="feed.xml">Atom feed of this article's changes</a></dd>
</dl>
<h2>Timeline</h2>
<ol class="timeline">
{{range .Versions}}<li value="{{.N}}"><p><strong>Version {{.N}}{{if .Rerender}}, re-rendered{{end}}</strong> · <time datetime="{{atom .When}}">{{time .When}}</time>{{if .Gap}} ({{.Gap}}){{end}}</p>
<p>{{clean .Summary}}{{if .Href}} · <a href="{{.Href}}">compare with version {{.Prev}}</a> · <a href="{{.Href}}#changes">changes only</a>{{end}}</p></li>
{{end}}</ol>
<h2>Latest text (version {{.LatestN}})</h2>
<article class="text" dir="auto"{{if .TextLang}} lang="{{.TextLang}}"{{end}}>
<h3 class="headline">{{clean .Headline}}</h3>
{{if .Byline}}<p class="byline">By {{clean .Byline}}</p>
{{end}}{{if .LatestPublished}}<p class="published">Published {{clean .LatestPublished}}</p>
{{end}}{{.Body}}</article>
{{template "foot" .}}{{end}}
{{define "prevnext"}}<nav class="prevnext" aria-label="Versions">{{if .PrevHref}}<a rel="prev" href="{{.PrevHref}}">← {{.PrevLabel}}</a>{{end}}<a href="index.html">All versions</a>{{if .NextHref}}<a rel="next" href="{{.NextHref}}">{{.NextLabel}} →</a>{{end}}</nav>
{{end}}
{{define "pair"}}{{template "head" .}}{{template "prevnext" .}}<h1>Version {{.OldN}} / Version {{.NewN}}, {{.Gap}}</h1>
<p><a href="index.html"{{if .TextLang}} lang="{{.TextLang}}"{{end}}>{{clean .Headline}}</a> · {{clean .Summary}}</p>
<nav class="pairs" aria-label="Other versions"><ul>
{{range .Pairs}}<li>{{if .Current}}<strong aria-current="page">{{.Label}}</strong>{{else}}<a href="{{.Href}}">{{.Label}}</a>{{end}}</li>
{{end}}</ul></nav>
<p class="legend">Removed words are <del>struck through</del>; added words are <ins>underlined</ins>. <a href="#changes">Show changes only</a> · <a href="#top">Show the whole text</a></p>
<div class="sbs" id="changes"{{if .TextLang}} lang="{{.TextLang}}"{{end}}>
<div class="row head"><div class="cell old">Version {{.OldN}}, <time datetime="{{atom .OldWhen}}">{{time .OldWhen}}</time></div><div class="cell new">Version {{.NewN}}, <time datetime="{{atom .NewWhen}}">{{time .NewWhen}}</time> ({{.Gap}})</div></div>
{{range .Rows}}<div class="row {{.Class}}"><div class="cell old" dir="auto">{{.Old}}</div><div class="cell new" dir="auto">{{.New}}</div></div>
{{end}}</div>
{{template "prevnext" .}}{{template "foot" .}}{{end}}
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

// rowsHTML renders the article list of an index, source or listing
// page. It is written by hand rather than with the template because
// listings are the largest pages, and every value is escaped with esc.
func rowsHTML(rows []indexRow, root string, names map[string]string) template.HTML {
	var b strings.Builder
	b.Grow(len(rows) * 300)
	b.WriteString("<ol class=\"articles\">\n")
	for _, r := range rows {
		b.WriteString("<li><a href=\"" + esc(root+articleDir(r.Path)+"index.html") + "\"")
		if r.Lang != "" {
			b.WriteString(" lang=\"" + r.Lang + "\"")
		}
		b.WriteString(">" + esc(r.Title) + "</a>\n")
		b.WriteString("<span class=\"meta\">" + esc(sourceOr(names, r.Path)) + " · " + changedTimes(r.Versions) +
			" · last change <time datetime=\"" + atomTime(r.Last) + "\">" + showTime(r.Last) + "</time></span></li>\n")
	}
	b.WriteString("</ol>\n")
	return template.HTML(b.String())
}

func sourceOr(names map[string]string, path string) string {
	if n := names[hostOf(path)]; n != "" {
		return n
	}
	return hostOf(path)
}

// monthLink is one month of a listing on an index or source page.
type monthLink struct {
	Name  string
	Count int
	Pages []pageLink
}

type pageLink struct {
	N    int
	Href string
}

func monthLinks(ls []*listing, root string) []monthLink {
	var out []monthLink
	for _, l := range ls {
		ml := monthLink{Name: l.name(), Count: len(l.rows)}
		for k := range l.pages() {
			ml.Pages = append(ml.Pages, pageLink{N: k + 1, Href: root + l.file(k)})
		}
		out = append(out, ml)
	}
	return out
}

func (p *publisher) renderIndex(rows []indexRow, total int, sources []sourceLink, months []*listing, title string) []byte {
	return p.execPage("index", struct {
		page
		Total    int
		Rows     []indexRow
		RowsHTML template.HTML
		Sources  []sourceLink
		Months   []monthLink
	}{page{Lang: "en", Title: title, Root: "", Site: title, Feed: "feed.xml"}, total, rows, rowsHTML(rows, "", p.names), sources, monthLinks(months, "")})
}

func (p *publisher) renderSource(rows []indexRow, total int, host, name string, months []*listing, title, file string) []byte {
	return p.execPage("source", struct {
		page
		Host     string
		Total    int
		Rows     []indexRow
		RowsHTML template.HTML
		Months   []monthLink
	}{page{Lang: "en", Title: name, Root: rel(file), Site: title, Feed: "feed.xml"}, host, total, rows, rowsHTML(rows, rel(file), p.names),
		monthLinks(months, rel(file))})
}

func (p *publisher) renderListing(l *listing, k int, upName string, title string) []byte {
	file := l.file(k)
	root := rel(file)
	lo, hi := k*listingRows, min((k+1)*listingRows, len(l.rows))
	var prev, next string
	if k > 0 {
		prev = root + l.file(k-1)
	}
	if hi < len(l.rows) {
		next = root + l.file(k+1)
	}
	name := upName + ": " + l.name()
	if k > 0 {
		name += ", page " + itoa(k+1)
	}
	return p.execPage("listing", struct {
		page
		Month        string
		N            int
		Up, UpName   string
		PrevHref     string
		NextHref     string
		PrevN, NextN int
		RowsHTML     template.HTML
	}{page{Lang: "en", Title: name, Root: root, Site: title, Feed: root + l.feed},
		l.name(), k + 1, root + l.up, upName, prev, next, k, k + 2, rowsHTML(l.rows[lo:hi], root, p.names)})
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

// lang returns the article's language as a BCP 47 tag, or "" when it
// has none or it is not well formed.
func lang(d diff.Doc) string {
	l := d.Language
	if l == "" || len(l) > 35 {
		return ""
	}
	for _, r := range l {
		if !(r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return ""
		}
	}
	return l
}

// pageLang is the lang of a page about an article: the article's, else
// English, the language of stet's own words.
func pageLang(d diff.Doc) string {
	if l := lang(d); l != "" {
		return l
	}
	return "en"
}

// showPublished formats an article's published date as pages show
// times, with its RFC 3339 form for a <time> element; a value that is not
// a date is shown as written, with no datetime.
func showPublished(s string) (text, datetime string) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return showTime(t), atomTime(t)
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.Format("2 Jan 2006"), s
	}
	return s, ""
}

func (p *publisher) renderArticle(a *article, title, name string) []byte {
	last := len(a.versions) - 1
	d := a.doc(last)
	var rows []versionRow
	published := ""
	for i := 0; i <= last; i++ {
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
		if published == "" {
			published = a.doc(i).Published
		}
		rows = append(rows, r)
	}
	url := a.versions[last].URL
	if url == "" {
		url = d.URL
	}
	tr := p.opts.Tracking[a.path]
	first := a.versions[0].When
	if !tr.FirstSeen.IsZero() && tr.FirstSeen.Before(first) {
		first = tr.FirstSeen
	}
	pubText, pubAt := showPublished(published)
	latestPub, _ := showPublished(d.Published)
	return p.execPage("article", struct {
		page
		Headline, SiteName, SourceHref, URL string
		SafeURL                             bool
		TextLang                            string
		First, LastChecked, NextCheck       time.Time
		Retired                             bool
		Versions                            []versionRow
		Edits                               int
		LatestN                             int
		Byline, Published, PublishedAt      string
		LatestPublished                     string
		Body                                template.HTML
	}{
		page:     page{Lang: pageLang(d), Title: titleOf(d, a.versions[last], a.path), Root: rel(name), Site: title, Feed: "feed.xml"},
		Headline: titleOf(d, a.versions[last], a.path), SiteName: p.sourceName(hostOf(a.path)),
		SourceHref: sourceDir(hostOf(a.path)) + "index.html",
		URL:        url, SafeURL: safeURL(url),
		TextLang: lang(d),
		First:    first, LastChecked: tr.LastChecked, NextCheck: tr.NextCheck, Retired: tr.Retired,
		Versions: rows,
		Edits:    archive.Edits(a.versions),
		LatestN:  a.versions[last].N,
		Byline:   d.Byline, Published: pubText, PublishedAt: pubAt, LatestPublished: latestPub,
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

// diffRows renders a word diff as side-by-side rows: the headline, the
// changed byline and published fields, then one row per paragraph, an
// image and its caption in one row as a figure.
func diffRows(d *diff.Diff, title string) []sbsRow {
	var rows []sbsRow
	if d.Headline != nil {
		rows = append(rows, sbsRow{"headline change", template.HTML(renderPlainOps(d.Headline.Ops, oldSide)), template.HTML(renderPlainOps(d.Headline.Ops, newSide))})
	} else {
		t := template.HTML(esc(title))
		rows = append(rows, sbsRow{"headline equal", t, t})
	}
	for _, f := range []struct {
		label string
		c     *diff.FieldChange
	}{{"Byline: ", d.Byline}, {"Published: ", d.Published}} {
		if f.c != nil {
			o, n := renderPlainOps(f.c.Ops, oldSide), renderPlainOps(f.c.Ops, newSide)
			if f.label == "Published: " {
				o, n = fieldDate(f.c.Old, o), fieldDate(f.c.New, n)
			}
			rows = append(rows, sbsRow{"field change", template.HTML(f.label + o), template.HTML(f.label + n)})
		}
	}
	ps := d.Paragraphs
	for j := 0; j < len(ps); j++ {
		pd := ps[j]
		if pd.Kind == diff.KindImage && j+1 < len(ps) && captionRow(ps[j+1]) {
			o, okO := renderFigureOps(pd.Ops, ps[j+1].Ops, oldSide)
			n, okN := renderFigureOps(pd.Ops, ps[j+1].Ops, newSide)
			if okO || okN {
				op := pd.Op
				if op != ps[j+1].Op {
					op = diff.OpChange
				}
				rows = append(rows, sbsRow{op + " image", template.HTML(o), template.HTML(n)})
				j++
				continue
			}
		}
		rows = append(rows, sbsRow{pd.Op + " " + pd.Kind, template.HTML(renderOps(pd.Ops, oldSide)), template.HTML(renderOps(pd.Ops, newSide))})
	}
	return rows
}

// fieldDate shows a published date as pages format dates when it is one
// and unchanged in form; otherwise the word diff rendered as html.
func fieldDate(raw, html string) string {
	if raw == "" {
		return html
	}
	if text, at := showPublished(raw); at != "" {
		if strings.Contains(html, "<del>") || strings.Contains(html, "<ins>") {
			tag := "del"
			if strings.Contains(html, "<ins>") {
				tag = "ins"
			}
			return "<" + tag + "><time datetime=\"" + at + "\">" + esc(text) + "</time></" + tag + ">"
		}
		return "<time datetime=\"" + at + "\">" + esc(text) + "</time>"
	}
	return html
}

// captionRow reports whether a paragraph row is an image caption on
// either side.
func captionRow(pd diff.ParaDiff) bool {
	if pd.Kind != diff.KindParagraph {
		return false
	}
	for _, t := range []string{pd.New(), pd.Old()} {
		if t != "" && !isCaption(strings.Split(t, "\n")) {
			return false
		}
	}
	return true
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
	var prevHref, prevLabel, nextHref, nextLabel string
	if i > 1 {
		prevHref, prevLabel = pairs[i-2].Href, pairs[i-2].Label
	}
	if i < len(a.versions)-1 {
		nextHref, nextLabel = pairs[i].Href, pairs[i].Label
	}
	headline := titleOf(a.doc(i), newV, a.path)
	return p.execPage("pair", struct {
		page
		OldN, NewN          int
		OldWhen, NewWhen    time.Time
		Gap, Headline       string
		Summary             string
		TextLang            string
		Pairs               []pairLink
		PrevHref, PrevLabel string
		NextHref, NextLabel string
		Rows                []sbsRow
	}{
		page: page{Lang: pageLang(a.doc(i)), Title: headline + ": version " + itoa(oldV.N) + " / " + itoa(newV.N), Root: rel(name), Site: title, Feed: "feed.xml"},
		OldN: oldV.N, NewN: newV.N, OldWhen: oldV.When, NewWhen: newV.When,
		Gap:      diff.Gap(newV.When.Sub(oldV.When)),
		Headline: headline,
		Summary:  diff.Summarize(a.content(i-1), a.content(i)).Short(),
		TextLang: lang(a.doc(i)),
		Pairs:    pairs,
		PrevHref: prevHref, PrevLabel: prevLabel, NextHref: nextHref, NextLabel: nextLabel,
		Rows: diffRows(d, a.doc(i).Title),
	})
}
