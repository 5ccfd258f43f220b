package archive

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// RawRef holds the fetched HTML of kept versions (archive.keep_raw): one
// parentless commit whose tree has "<article path>/<N>.html" for version N
// of the article at that path. It lives outside the branch, so the
// archive branch stays markdown-only. Pages are stored as plain blobs:
// git compresses every object, and a pack delta-compresses successive
// versions of one page far better than opaque gzip files would allow.
const RawRef = "refs/stet/raw"

// rawName is where version n of the article at path keeps its page.
func rawName(path string, n int) string {
	return path + "/" + strconv.Itoa(n) + ".html"
}

// SaveRaw keeps page as the fetched HTML of version n of the article at
// path, replacing [RawRef] with a commit whose tree adds it. Only the trees
// along that one path are written, so the cost does not grow with the
// number of kept pages. The ref moves by compare-and-swap, as in
// [Archive.Save].
func (a *Archive) SaveRaw(path string, n int, page []byte, when time.Time) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.usable(true); err != nil {
		return fmt.Errorf("save raw %s: %w", path, err)
	}
	name := rawName(path, n)
	if n < 1 || !validPath(path) || !validPath(name) {
		return fmt.Errorf("save raw: %w: %q version %d", ErrBadPath, path, n)
	}
	tip, err := a.readRef(RawRef)
	if err != nil {
		return fmt.Errorf("save raw %s: %w", path, err)
	}
	root, err := a.commitTree(tip)
	if err != nil {
		return fmt.Errorf("save raw %s: %w", path, err)
	}
	w := a.newObjectWriter()
	blob, err := w.write(plumbing.BlobObject, page)
	if err != nil {
		return fmt.Errorf("save raw %s: %w", path, err)
	}
	newRoot, err := a.applyChange(w, root, fileChange{path: name, blob: blob, mode: filemode.Regular})
	if err != nil {
		return fmt.Errorf("save raw %s: %w", path, err)
	}
	if newRoot == root {
		return nil
	}
	msg := "stet raw pages\n"
	commit, err := w.write(plumbing.CommitObject, encodeCommit(newRoot, nil, Signature{}, when, msg))
	if err != nil {
		return fmt.Errorf("save raw %s: %w", path, err)
	}
	if err := w.flush(); err != nil {
		return fmt.Errorf("save raw %s: %w", path, err)
	}
	if err := a.updateRef(RawRef, tip, commit); err != nil {
		return fmt.Errorf("save raw %s: %w", path, err)
	}
	return nil
}

// LatestRaw returns the kept HTML of the newest kept version of the
// article at path and that version's number. ok is false when no page of
// it was kept.
func (a *Archive) LatestRaw(path string) (page []byte, n int, ok bool, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.usable(false); err != nil {
		return nil, 0, false, fmt.Errorf("read raw %s: %w", path, err)
	}
	tip, err := a.readRef(RawRef)
	if err != nil || tip.IsZero() {
		return nil, 0, false, err
	}
	h, err := a.commitTree(tip)
	if err != nil {
		return nil, 0, false, fmt.Errorf("read raw %s: %w", path, err)
	}
	for _, name := range strings.Split(path, "/") {
		ents, err := a.readTree(h)
		if err != nil {
			return nil, 0, false, fmt.Errorf("read raw %s: %w", path, err)
		}
		e, found := findEntry(ents, name)
		if !found || e.mode != filemode.Dir {
			return nil, 0, false, nil
		}
		h = e.hash
	}
	ents, err := a.readTree(h)
	if err != nil {
		return nil, 0, false, fmt.Errorf("read raw %s: %w", path, err)
	}
	for _, e := range ents {
		v, err := strconv.Atoi(strings.TrimSuffix(e.name, ".html"))
		if err == nil && strings.HasSuffix(e.name, ".html") && v > n {
			n = v
		}
	}
	if n == 0 {
		return nil, 0, false, nil
	}
	page, err = a.readAt(tip, rawName(path, n))
	if err != nil {
		return nil, 0, false, fmt.Errorf("read raw %s: %w", path, err)
	}
	return page, n, true, nil
}
