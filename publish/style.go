package publish

// styleCSS is the site's one stylesheet. Colours meet WCAG AA: body text
// #1b1b1b on #ffffff (17:1), links #0b57b0 (6.8:1), secondary text
// #4a4a4a (8.9:1), removed text #1b1b1b on #ffe3e3 (15:1) and added text
// on #dcf5e0 (15:1); changes are also struck through or underlined, so
// they do not rely on colour, and screen readers hear "removed:" and
// "added:" from text that is hidden from view (most do not announce
// <del> and <ins> by themselves). Layout is fluid: narrow screens stack
// the two columns of a diff and label each side. A diff page's
// "#changes" fragment (:target) hides the unchanged paragraphs, with no
// script.
const styleCSS = `:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; padding: 0 1rem 2rem; font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b; background: #ffffff; }
main { max-width: 72rem; margin: 0 auto; }
header.site { max-width: 72rem; margin: 0 auto; padding: .75rem 0; border-bottom: 1px solid #767676; }
a { color: #0b57b0; }
a:visited { color: #6a2e9c; }
a:focus-visible { outline: 3px solid #0b57b0; outline-offset: 2px; }
h1 { font-size: 1.5rem; line-height: 1.25; overflow-wrap: anywhere; }
.meta, .legend, dd.url { color: #4a4a4a; overflow-wrap: anywhere; }
ol.articles { padding-left: 0; list-style: none; }
ol.articles li { padding: .5rem 0; border-bottom: 1px solid #d0d0d0; }
ol.articles .meta { display: block; font-size: .9rem; }
ul.months { padding-left: 1.25rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; min-width: 0; }
ol.timeline { padding-left: 0; list-style: none; border-left: 3px solid #767676; margin-left: .5rem; }
ol.timeline li { padding: 0 0 .75rem 1rem; }
ol.timeline li p { margin: 0; }
article.text { max-width: 40rem; overflow-wrap: anywhere; }
blockquote { margin: 1rem 0; padding-left: 1rem; border-left: 4px solid #767676; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; }
figure.image { margin: 1rem 0; padding: .5rem .75rem; border-left: 4px solid #d0d0d0; }
figure.image figcaption { font-style: italic; }
del { background: #ffe3e3; color: #1b1b1b; text-decoration: line-through; text-decoration-thickness: 2px; }
ins { background: #dcf5e0; color: #1b1b1b; text-decoration: underline; text-decoration-thickness: 2px; }
del::before, del::after, ins::before, ins::after { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
del::before { content: " [removed: "; }
ins::before { content: " [added: "; }
del::after, ins::after { content: "] "; }
nav.pairs ul { padding-left: 0; list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
nav.prevnext { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; margin: 1rem 0; }
nav.prevnext a[rel=next] { margin-left: auto; }
.sbs { border-top: 1px solid #767676; }
.sbs .row { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; padding: .5rem 0; border-bottom: 1px solid #d0d0d0; }
.sbs .cell { overflow-wrap: anywhere; min-width: 0; }
.sbs .cell > :first-child { margin-top: 0; }
.sbs .cell > :last-child { margin-bottom: 0; }
.sbs .row.head { font-weight: bold; }
.sbs .row.headline .cell { font-size: 1.25rem; font-weight: bold; }
.sbs .row.equal .cell { color: #4a4a4a; }
.sbs:target .row.equal:not(.headline) { display: none; }
@media (max-width: 40rem) {
  .sbs .row { grid-template-columns: 1fr; gap: .25rem; }
  .sbs .row.head { display: none; }
  .sbs .cell.old:not(:empty)::before { content: "Before:"; font-weight: bold; display: block; }
  .sbs .cell.new:not(:empty)::before { content: "After:"; font-weight: bold; display: block; }
  .sbs .row.equal .cell.new { display: none; }
  .sbs .row.equal .cell.old::before { content: none; }
}
`
