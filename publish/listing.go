package publish

import (
	"slices"
	"strings"
	"time"
)

// recentRows is how many articles, newest change first, the index and
// each source page list; the rest are in the listing by month.
const recentRows = 100

// listingRows is how many articles one listing page holds.
const listingRows = 200

// listing is the articles first seen in one month (of the whole site or
// of one source), in the order they were found, split into pages of
// listingRows. An article keeps its place as it changes, so a change
// rewrites the one page that shows it, and an archive of any size is
// browsed in pages of a bounded size.
type listing struct {
	dir   string     // "" for the site, "s/<host>/" for a source
	month string     // "2026-11"
	rows  []indexRow // by first seen, then path
	up    string     // the page it belongs to, from the root
	feed  string     // the feed of that page, from the root
}

func (l *listing) pages() int { return (len(l.rows) + listingRows - 1) / listingRows }

// file is page k's name (k from 0).
func (l *listing) file(k int) string {
	return l.dir + "m/" + l.month + "-" + itoa(k+1) + ".html"
}

// name is the month in words: "November 2026".
func (l *listing) name() string {
	t, err := time.Parse("2006-01", l.month)
	if err != nil {
		return l.month
	}
	return t.Format("January 2006")
}

// listings splits rows into listings by month of first sight, newest
// month first.
func listings(rows []indexRow, dir, up, feed string) []*listing {
	by := map[string]*listing{}
	for _, r := range rows {
		k := r.First.UTC().Format("2006-01")
		l := by[k]
		if l == nil {
			l = &listing{dir: dir, month: k, up: up, feed: feed}
			by[k] = l
		}
		l.rows = append(l.rows, r)
	}
	out := make([]*listing, 0, len(by))
	for _, l := range by {
		slices.SortFunc(l.rows, func(x, y indexRow) int {
			if c := x.First.Compare(y.First); c != 0 {
				return c
			}
			return strings.Compare(x.Path, y.Path)
		})
		out = append(out, l)
	}
	slices.SortFunc(out, func(x, y *listing) int { return strings.Compare(y.month, x.month) })
	return out
}

func sortedKeysS(m map[string]string) []string {
	b := make(map[string]bool, len(m))
	for k := range m {
		b[k] = true
	}
	return sortedKeys(b)
}
