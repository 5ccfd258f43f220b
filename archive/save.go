package archive

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// Change is one article version to commit with [Archive.Save].
type Change struct {
	Path    string    // from PathFor
	Content []byte    // the whole file
	Message string    // whole commit message, trailers included (built by the caller)
	Author  Signature // zero means the default; author and committer are the same
	When    time.Time // author and committer time
}

// Save commits c on the branch only if c.Content differs from the blob at
// c.Path in the tip's tree. It writes the blob, the trees along c.Path
// (reusing every other subtree by hash) and the commit as durable loose
// objects, then moves the branch from the old tip to the new commit with a
// compare-and-swap on "<ref>.lock". Its cost does not grow with the number
// of files in the archive, only with the size of the directories on c.Path.
//
// It returns the new commit and changed=true, or the current tip (""
// on an empty branch) and changed=false when the bytes are unchanged. On
// error the branch is left where it was; objects already written are
// harmless garbage. Errors wrap [ErrBadPath] (invalid path, or a file where a
// directory is needed), [ErrRefLocked] (a leftover or foreign ref lock) or
// [ErrRefMoved] (another writer moved the branch).
func (a *Archive) Save(c Change) (commit string, changed bool, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.usable(true); err != nil {
		return "", false, fmt.Errorf("save %s: %w", c.Path, err)
	}
	commit, changed, err = a.save(c)
	if err != nil {
		return "", false, fmt.Errorf("save %s: %w", c.Path, err)
	}
	if changed {
		// track logs "saved version" with the URL and number; one line
		// per version is enough at Info.
		a.log.Debug("committed", "path", c.Path, "commit", commit[:12])
	} else {
		a.log.Debug("unchanged", "path", c.Path)
	}
	return commit, changed, nil
}

func (a *Archive) save(c Change) (string, bool, error) {
	if !validPath(c.Path) {
		return "", false, fmt.Errorf("%w: %q", ErrBadPath, c.Path)
	}
	tip, err := a.readRef(a.branch)
	if err != nil {
		return "", false, err
	}
	root, err := a.commitTree(tip)
	if err != nil {
		return "", false, err
	}
	comps := strings.Split(c.Path, "/")
	levels := make([][]treeEntry, len(comps))
	h := root
	for i, name := range comps {
		ents, err := a.readTree(h)
		if err != nil {
			return "", false, err
		}
		levels[i] = ents
		h = plumbing.ZeroHash
		last := i == len(comps)-1
		if e, ok := findEntry(ents, name); ok {
			if (e.mode == filemode.Dir) == last {
				return "", false, fmt.Errorf("%w: %q clashes with %s %q", ErrBadPath, c.Path, kind(e.mode), strings.Join(comps[:i+1], "/"))
			}
			h = e.hash
		}
	}
	blob := plumbing.ComputeHash(plumbing.BlobObject, c.Content)
	if blob == h {
		return hashString(tip), false, nil
	}

	w := a.newObjectWriter()
	child, err := w.write(plumbing.BlobObject, c.Content)
	if err != nil {
		return "", false, err
	}
	mode := filemode.Regular
	for i := len(comps) - 1; i >= 0; i-- {
		ents := upsert(levels[i], treeEntry{name: comps[i], mode: mode, hash: child})
		if child, err = w.write(plumbing.TreeObject, encodeTree(ents)); err != nil {
			return "", false, err
		}
		a.trees.put(child, ents)
		mode = filemode.Dir
	}
	var parents []plumbing.Hash
	if !tip.IsZero() {
		parents = []plumbing.Hash{tip}
	}
	when := c.When
	if when.IsZero() {
		when = time.Now()
	}
	msg := c.Message
	if !strings.HasSuffix(msg, "\n") {
		msg += "\n"
	}
	newTip, err := w.write(plumbing.CommitObject, encodeCommit(child, parents, c.Author, when, msg))
	if err != nil {
		return "", false, err
	}
	if err := w.flush(); err != nil {
		return "", false, err
	}
	if err := a.updateRef(a.branch, tip, newTip); err != nil {
		return "", false, err
	}
	a.changed[c.Path] = true
	if a.idx != nil && a.idx.tip == tip {
		a.idx.add(c.Path, newTip)
		a.idx.tip = newTip
		a.idx.dirty = true
	}
	return newTip.String(), true, nil
}

func kind(m filemode.FileMode) string {
	if m == filemode.Dir {
		return "directory"
	}
	return "file"
}

func hashString(h plumbing.Hash) string {
	if h.IsZero() {
		return ""
	}
	return h.String()
}

func findEntry(ents []treeEntry, name string) (treeEntry, bool) {
	for _, e := range ents {
		if e.name == name {
			return e, true
		}
	}
	return treeEntry{}, false
}

// upsert returns a copy of ents with e added or replacing the entry of the same name.
func upsert(ents []treeEntry, e treeEntry) []treeEntry {
	out := make([]treeEntry, 0, len(ents)+1)
	for _, x := range ents {
		if x.name != e.name {
			out = append(out, x)
		}
	}
	return append(out, e)
}

// Head returns the full hash of the branch tip, or "" when the branch has no
// commit yet.
func (a *Archive) Head() (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.usable(false); err != nil {
		return "", fmt.Errorf("head: %w", err)
	}
	tip, err := a.readRef(a.branch)
	if err != nil {
		return "", fmt.Errorf("head: %w", err)
	}
	return hashString(tip), nil
}

// Current returns the content of path at the branch tip; ok is false (with
// a nil error) when the branch is empty or has no such file.
func (a *Archive) Current(path string) (content []byte, ok bool, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.usable(false); err != nil {
		return nil, false, fmt.Errorf("current %s: %w", path, err)
	}
	tip, err := a.readRef(a.branch)
	if err != nil {
		return nil, false, fmt.Errorf("current %s: %w", path, err)
	}
	b, err := a.readAt(tip, path)
	if errors.Is(err, errNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("current %s: %w", path, err)
	}
	return b, true, nil
}

// Unchanged reports whether content equals the file at path in the branch
// tip, and whether there is such a file, by comparing git blob hashes: it
// reads trees only, never the old blob, so in a partial clone an unchanged
// article costs no fetch. It is the test [Archive.Save] applies.
func (a *Archive) Unchanged(path string, content []byte) (unchanged, exists bool, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.usable(false); err != nil {
		return false, false, fmt.Errorf("unchanged %s: %w", path, err)
	}
	tip, err := a.readRef(a.branch)
	if err != nil {
		return false, false, fmt.Errorf("unchanged %s: %w", path, err)
	}
	root, err := a.commitTree(tip)
	if err != nil {
		return false, false, fmt.Errorf("unchanged %s: %w", path, err)
	}
	h, err := a.entryAt(root, path)
	if err != nil {
		return false, false, fmt.Errorf("unchanged %s: %w", path, err)
	}
	if h.IsZero() {
		return false, false, nil
	}
	return h == plumbing.ComputeHash(plumbing.BlobObject, content), true, nil
}

// BlobHash returns the git blob hash of content in hex: what
// [Archive.FileHash] returns for a file with these bytes.
func BlobHash(content []byte) string {
	return plumbing.ComputeHash(plumbing.BlobObject, content).String()
}

// FileHash returns the blob hash (hex) of the file at path in commit, or
// "" when the commit has no such file. It reads trees only.
func (a *Archive) FileHash(commit, path string) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.usable(false); err != nil {
		return "", fmt.Errorf("file hash %s at %s: %w", path, commit, err)
	}
	if !plumbing.IsHash(commit) {
		return "", fmt.Errorf("file hash %s at %s: not a full commit hash", path, commit)
	}
	root, err := a.commitTree(plumbing.NewHash(commit))
	if err == nil {
		var h plumbing.Hash
		if h, err = a.entryAt(root, path); err == nil {
			return hashString(h), nil
		}
	}
	return "", fmt.Errorf("file hash %s at %s: %w", path, commit, err)
}

// ErrNotFound is wrapped by [Archive.Read] when the commit has no file at the path.
var ErrNotFound = errors.New("archive: file not found")

var errNotFound = ErrNotFound

// Read returns the content of path at commit (a full or unique abbreviated
// hex hash is not accepted: give the full hash). It wraps [ErrNotFound] when
// the commit has no such file.
func (a *Archive) Read(commit, path string) ([]byte, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.usable(false); err != nil {
		return nil, fmt.Errorf("read %s at %s: %w", path, commit, err)
	}
	if !plumbing.IsHash(commit) {
		return nil, fmt.Errorf("read %s at %s: not a full commit hash", path, commit)
	}
	b, err := a.readAt(plumbing.NewHash(commit), path)
	if err != nil {
		return nil, fmt.Errorf("read %s at %s: %w", path, commit, err)
	}
	return b, nil
}

func (a *Archive) readAt(commit plumbing.Hash, path string) ([]byte, error) {
	if commit.IsZero() {
		return nil, errNotFound
	}
	root, err := a.commitTree(commit)
	if err != nil {
		return nil, err
	}
	h, err := a.entryAt(root, path)
	if err != nil {
		return nil, err
	}
	if h.IsZero() {
		return nil, errNotFound
	}
	return a.blob(h)
}

// entryAt returns the blob hash of the file at path in tree root; the zero
// hash (and a nil error) when there is no such file.
func (a *Archive) entryAt(root plumbing.Hash, path string) (plumbing.Hash, error) {
	h := root
	comps := strings.Split(path, "/")
	for i, name := range comps {
		ents, err := a.readTree(h)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		e, ok := findEntry(ents, name)
		if !ok || (e.mode == filemode.Dir) == (i == len(comps)-1) {
			return plumbing.ZeroHash, nil
		}
		h = e.hash
	}
	return h, nil
}

// Paths returns every file path at the branch tip, sorted; nil on an empty branch.
func (a *Archive) Paths() ([]string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.usable(false); err != nil {
		return nil, fmt.Errorf("paths: %w", err)
	}
	tip, err := a.readRef(a.branch)
	if err != nil {
		return nil, fmt.Errorf("paths: %w", err)
	}
	var out []string
	err = a.walkFiles(tip, func(p string, _ plumbing.Hash) error {
		out = append(out, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("paths: %w", err)
	}
	sort.Strings(out)
	return out, nil
}

// IsArticlePath reports whether p, a path in the branch's tree, is an
// article file as [PathFor] names them: a markdown file under a site
// folder. The README, stet.yaml and .github/ that stet init commits are
// not.
func IsArticlePath(p string) bool {
	return strings.HasSuffix(p, ".md") && strings.Contains(p, "/") && !strings.HasPrefix(p, ".")
}

// walkFiles calls fn for every file in commit's tree.
func (a *Archive) walkFiles(commit plumbing.Hash, fn func(path string, blob plumbing.Hash) error) error {
	root, err := a.commitTree(commit)
	if err != nil {
		return err
	}
	var walk func(prefix string, h plumbing.Hash) error
	walk = func(prefix string, h plumbing.Hash) error {
		ents, err := a.readTree(h)
		if err != nil {
			return err
		}
		for _, e := range ents {
			if e.mode == filemode.Dir {
				if err := walk(prefix+e.name+"/", e.hash); err != nil {
					return err
				}
				continue
			}
			if err := fn(prefix+e.name, e.hash); err != nil {
				return err
			}
		}
		return nil
	}
	if root.IsZero() {
		return nil
	}
	return walk("", root)
}
