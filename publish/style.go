package publish

// styleCSS is the site's one stylesheet. Colours meet WCAG AA: body text
// #1b1b1b on #ffffff (17:1), links #0b57b0 (6.8:1), removed text #1b1b1b
// on #ffe3e3 (15:1) and added text on #dcf5e0 (15:1); changes are also
// struck through or underlined, so they do not rely on colour. Narrow
// screens stack the two columns of a diff.
const styleCSS = `:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; padding: 0 1rem 2rem; font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b; background: #ffffff; }
main { max-width: 72rem; margin: 0 auto; }
header.site { max-width: 72rem; margin: 0 auto; padding: .75rem 0; border-bottom: 1px solid #767676; }
a { color: #0b57b0; }
a:visited { color: #6a2e9c; }
h1 { font-size: 1.5rem; line-height: 1.25; overflow-wrap: anywhere; }
.meta, .legend, dd.url { color: #4a4a4a; overflow-wrap: anywhere; }
ol.articles { padding-left: 0; list-style: none; }
ol.articles li { padding: .5rem 0; border-bottom: 1px solid #d0d0d0; }
ol.articles .meta { display: block; font-size: .9rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
article.text { max-width: 40rem; overflow-wrap: anywhere; }
blockquote { margin: 1rem 0; padding-left: 1rem; border-left: 4px solid #767676; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; }
del { background: #ffe3e3; color: #1b1b1b; text-decoration: line-through; text-decoration-thickness: 2px; }
ins { background: #dcf5e0; color: #1b1b1b; text-decoration: underline; text-decoration-thickness: 2px; }
nav.pairs ul { padding-left: 0; list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
.sbs { border-top: 1px solid #767676; }
.sbs .row { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; padding: .5rem 0; border-bottom: 1px solid #d0d0d0; }
.sbs .cell { white-space: pre-wrap; overflow-wrap: anywhere; min-width: 0; }
.sbs .row.head { font-weight: bold; }
.sbs .row.headline .cell { font-size: 1.25rem; font-weight: bold; }
.sbs .row.equal .cell { color: #4a4a4a; }
@media (max-width: 40rem) {
  .sbs .row { grid-template-columns: 1fr; gap: .25rem; }
  .sbs .row.head { display: none; }
  .sbs .cell.old:not(:empty)::before { content: "Before: "; font-weight: bold; }
  .sbs .cell.new:not(:empty)::before { content: "After: "; font-weight: bold; }
  .sbs .row.equal .cell.new { display: none; }
  .sbs .row.equal .cell.old::before { content: ""; }
}
`
