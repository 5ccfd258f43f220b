package track

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/stet-archive/stet/archive"
	"github.com/stet-archive/stet/extract"
)

// rerenderTrailer marks a commit that re-rendered kept HTML with a newer
// extractor. Its Stet-Version is the version it re-renders, and history
// views don't count it as an edit. Its value is the extractor it replaced.
const rerenderTrailer = archive.RerenderTrailer

// Rerendered is the status of an article whose kept HTML renders
// differently with the current extractor, and was committed so.
const Rerendered Status = "rerendered"

// Rerender renders the kept HTML of the latest version of the article at
// path (see [Tracker.KeepRaw]) with the current extractor and commits the
// result when its bytes differ from HEAD's, in one commit labelled
// "Re-rendered by extractor X", which is not an edit: it keeps the
// version number it re-renders. An article without kept HTML is Skipped.
func (t *Tracker) Rerender(ctx context.Context, path string) Result {
	res := Result{Path: path}
	if err := ctx.Err(); err != nil {
		return failed(res, err)
	}
	page, n, ok, err := t.Archive.LatestRaw(path)
	if err != nil {
		return failed(res, err)
	}
	if !ok {
		res.Status, res.Reason = Skipped, "no kept HTML"
		return res
	}
	history, err := t.Archive.History(path)
	if err != nil {
		return failed(res, fmt.Errorf("history of %s: %w", path, err))
	}
	if len(history) == 0 {
		res.Status, res.Reason = Skipped, "not in the archive"
		return res
	}
	last := history[len(history)-1]
	if last.N != n {
		res.Status, res.Reason = Skipped, fmt.Sprintf("kept HTML is of version %d, the latest is %d", n, last.N)
		return res
	}
	res.URL, res.Canonical = last.URL, last.URL
	pageURL := last.Trailer("Stet-Final-Url")
	if pageURL == "" {
		pageURL = last.URL
	}
	res.FinalURL = pageURL
	ex := t.Extractor
	if ex == nil {
		ex = &extract.Extractor{}
	}
	art, err := ex.Extract(page, pageURL)
	if err != nil {
		return failed(res, fmt.Errorf("extract %s: %w", path, err))
	}
	res.Title, res.Site, res.Version = art.Title, art.Site, n
	md := art.Markdown()

	t.commit.Lock()
	defer t.commit.Unlock()
	cur, _, err := t.Archive.Current(path)
	if err != nil {
		return failed(res, fmt.Errorf("read %s: %w", path, err))
	}
	if string(cur) == string(md) {
		res.Status = Unchanged
		return res
	}
	res.Status = Rerendered
	if t.DryRun {
		return res
	}
	commit, changed, err := t.Archive.Save(archive.Change{
		Path:    path,
		Content: md,
		Message: rerenderMessage(art, last, n, t.now()),
		Author:  t.Author,
		When:    t.now(),
	})
	if err != nil {
		return failed(res, fmt.Errorf("save %s: %w", path, err))
	}
	if !changed {
		res.Status = Unchanged
		return res
	}
	res.Commit = commit
	t.logger().Info("re-rendered version", "path", path, "version", n, "commit", short(commit))
	return res
}

// rerenderMessage labels a re-render commit so no one reads it as an edit.
func rerenderMessage(art *extract.Article, last archive.Version, n int, now time.Time) string {
	var b strings.Builder
	site := art.Site
	if site == "" {
		if u, err := url.Parse(last.URL); err == nil {
			site = u.Hostname()
		}
	}
	prev := last.Trailer("Stet-Extractor")
	if prev == "" {
		prev = "unknown"
	}
	fmt.Fprintf(&b, "%s: %s\n\n", oneLine(site), oneLine(art.Title))
	fmt.Fprintf(&b, "Re-rendered by extractor %s (was %s); not an edit\n\n", oneLine(art.Extractor), oneLine(prev))
	fmt.Fprintf(&b, "Stet-Url: %s\n", last.URL)
	fmt.Fprintf(&b, "Stet-Version: %d\n", n)
	fetched := last.Trailer("Stet-Fetched")
	if fetched == "" {
		fetched = now.UTC().Format(time.RFC3339)
	}
	fmt.Fprintf(&b, "Stet-Fetched: %s\n", fetched)
	if f := last.Trailer("Stet-Final-Url"); f != "" {
		fmt.Fprintf(&b, "Stet-Final-Url: %s\n", f)
	}
	fmt.Fprintf(&b, "Stet-Extractor: %s\n", oneLine(art.Extractor))
	fmt.Fprintf(&b, "%s: %s\n", rerenderTrailer, oneLine(prev))
	return b.String()
}
