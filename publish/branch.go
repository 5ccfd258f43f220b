package publish

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// ErrNothingToCommit is returned by GitBranch.Commit when the files
// written leave the branch's tree as it was.
var ErrNothingToCommit = errors.New("publish: nothing to commit")

// GitBranch is an Output that commits to a branch (such as gh-pages) of
// a repository at the object level: WriteFile stores a blob, Commit
// writes only the trees along the written paths (every other subtree is
// reused by hash) and one commit whose parent is the branch's previous
// tip, then moves the branch by compare-and-swap. No work tree or index
// is touched, so the checked-out archive branch is left alone.
//
// A GitBranch is not safe for concurrent use.
type GitBranch struct {
	// Author is the author and committer of the commits; the zero value
	// means stet <stet@localhost>.
	Author  object.Signature
	st      storer.Storer
	ref     plumbing.ReferenceName
	tip     plumbing.Hash // zero for a new branch
	root    plumbing.Hash // tip's tree
	pending map[string]plumbing.Hash
}

// OpenBranch opens the repository in dir (bare or not) for writing to
// branch, which need not exist yet. It opens the object and ref storage
// directly rather than through go-git's repository checks, which refuse
// the extensions a partial clone or sparse checkout sets
// (extensions.partialClone, extensions.worktreeConfig); a GitBranch only
// reads and writes objects and one ref.
func OpenBranch(dir, branch string) (*GitBranch, error) {
	gitDir, err := findGitDir(dir)
	if err != nil {
		return nil, fmt.Errorf("publish: open %s: %w", dir, err)
	}
	st := filesystem.NewStorage(osfs.New(gitDir), cache.NewObjectLRUDefault())
	ref := plumbing.NewBranchReferenceName(branch)
	if err := ref.Validate(); err != nil {
		return nil, fmt.Errorf("publish: branch %q: %w", branch, err)
	}
	b := &GitBranch{st: st, ref: ref, pending: map[string]plumbing.Hash{}}
	r, err := st.Reference(ref)
	switch {
	case errors.Is(err, plumbing.ErrReferenceNotFound):
	case err != nil:
		return nil, fmt.Errorf("publish: read %s: %w", ref, err)
	default:
		c, err := object.GetCommit(st, r.Hash())
		if err != nil {
			return nil, fmt.Errorf("publish: read %s: %w", ref, err)
		}
		b.tip, b.root = c.Hash, c.TreeHash
	}
	return b, nil
}

// findGitDir returns the git directory of the repository in dir: dir/.git
// (a directory, or a file pointing to one, as in a linked work tree), or
// dir itself when it is bare.
func findGitDir(dir string) (string, error) {
	dotgit := filepath.Join(dir, ".git")
	fi, err := os.Stat(dotgit)
	switch {
	case err == nil && fi.IsDir():
		return dotgit, nil
	case err == nil:
		b, err := os.ReadFile(dotgit)
		if err != nil {
			return "", err
		}
		p, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "gitdir: ")
		if !ok {
			return "", fmt.Errorf("%s: not a gitdir file", dotgit)
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		return p, nil
	case !errors.Is(err, fs.ErrNotExist):
		return "", err
	}
	if _, err := os.Stat(filepath.Join(dir, "objects")); err != nil {
		return "", fmt.Errorf("not a git repository")
	}
	return dir, nil
}

// ReadFile returns a file as last written, or as it is at the branch tip.
func (b *GitBranch) ReadFile(name string) ([]byte, error) {
	h, ok := b.pending[name]
	if !ok {
		var err error
		if h, err = b.lookup(name); err != nil {
			return nil, err
		}
	}
	blob, err := object.GetBlob(b.st, h)
	if err != nil {
		return nil, fmt.Errorf("publish: read %s: %w", name, err)
	}
	r, err := blob.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// lookup finds name in the tip's tree, reading only the trees on its path.
func (b *GitBranch) lookup(name string) (plumbing.Hash, error) {
	h := b.root
	comps := strings.Split(name, "/")
	for i, c := range comps {
		if h.IsZero() {
			break
		}
		t, err := object.GetTree(b.st, h)
		if err != nil {
			return h, err
		}
		h = plumbing.ZeroHash
		for _, e := range t.Entries {
			if e.Name == c && (e.Mode == filemode.Dir) == (i < len(comps)-1) {
				h = e.Hash
				break
			}
		}
	}
	if h.IsZero() {
		return h, fmt.Errorf("publish: %s: %w", name, fs.ErrNotExist)
	}
	return h, nil
}

// WriteFile stores data as a blob to be committed at name.
func (b *GitBranch) WriteFile(name string, data []byte) error {
	h, err := b.writeObject(plumbing.BlobObject, data)
	if err != nil {
		return err
	}
	b.pending[name] = h
	return nil
}

func (b *GitBranch) writeObject(t plumbing.ObjectType, data []byte) (plumbing.Hash, error) {
	h := plumbing.ComputeHash(t, data)
	if b.st.HasEncodedObject(h) == nil {
		return h, nil
	}
	obj := b.st.NewEncodedObject()
	obj.SetType(t)
	obj.SetSize(int64(len(data)))
	w, err := obj.Writer()
	if err != nil {
		return h, err
	}
	if _, err := w.Write(data); err != nil {
		return h, err
	}
	if err := w.Close(); err != nil {
		return h, err
	}
	return b.st.SetEncodedObject(obj)
}

// dirWrites is the pending writes under one directory.
type dirWrites struct {
	files map[string]plumbing.Hash
	dirs  map[string]*dirWrites
}

// Commit writes the trees and a commit with message msg at time when, and
// moves the branch to it. It returns the new commit's hash, or
// ErrNothingToCommit when the tree did not change. The branch moves only
// if it still holds the tip read by OpenBranch.
func (b *GitBranch) Commit(msg string, when time.Time) (string, error) {
	top := &dirWrites{files: map[string]plumbing.Hash{}, dirs: map[string]*dirWrites{}}
	for name, h := range b.pending {
		comps := strings.Split(name, "/")
		d := top
		for _, c := range comps[:len(comps)-1] {
			if d.dirs[c] == nil {
				d.dirs[c] = &dirWrites{files: map[string]plumbing.Hash{}, dirs: map[string]*dirWrites{}}
			}
			d = d.dirs[c]
		}
		d.files[comps[len(comps)-1]] = h
	}
	root, err := b.build(b.root, top)
	if err != nil {
		return "", fmt.Errorf("publish: commit %s: %w", b.ref.Short(), err)
	}
	if root == b.root && !b.tip.IsZero() {
		return "", ErrNothingToCommit
	}
	sig := object.Signature{Name: b.Author.Name, Email: b.Author.Email, When: when.UTC()}
	if sig.Name == "" && sig.Email == "" {
		sig.Name, sig.Email = "stet", "stet@localhost"
	}
	c := &object.Commit{Author: sig, Committer: sig, Message: msg, TreeHash: root}
	if !b.tip.IsZero() {
		c.ParentHashes = []plumbing.Hash{b.tip}
	}
	obj := b.st.NewEncodedObject()
	if err := c.Encode(obj); err != nil {
		return "", err
	}
	h, err := b.st.SetEncodedObject(obj)
	if err != nil {
		return "", fmt.Errorf("publish: commit %s: %w", b.ref.Short(), err)
	}
	var old *plumbing.Reference
	if !b.tip.IsZero() {
		old = plumbing.NewHashReference(b.ref, b.tip)
	}
	if err := b.st.CheckAndSetReference(plumbing.NewHashReference(b.ref, h), old); err != nil {
		return "", fmt.Errorf("publish: move %s: %w", b.ref.Short(), err)
	}
	b.tip, b.root = h, root
	clear(b.pending)
	return h.String(), nil
}

// build returns the tree h with the writes in d applied.
func (b *GitBranch) build(h plumbing.Hash, d *dirWrites) (plumbing.Hash, error) {
	entries := map[string]object.TreeEntry{}
	if !h.IsZero() {
		t, err := object.GetTree(b.st, h)
		if err != nil {
			return h, err
		}
		for _, e := range t.Entries {
			entries[e.Name] = e
		}
	}
	for name, fh := range d.files {
		entries[name] = object.TreeEntry{Name: name, Mode: filemode.Regular, Hash: fh}
	}
	for name, sub := range d.dirs {
		var old plumbing.Hash
		if e, ok := entries[name]; ok && e.Mode == filemode.Dir {
			old = e.Hash
		}
		nh, err := b.build(old, sub)
		if err != nil {
			return h, err
		}
		entries[name] = object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: nh}
	}
	list := make([]object.TreeEntry, 0, len(entries))
	for _, e := range entries {
		list = append(list, e)
	}
	key := func(e object.TreeEntry) string {
		if e.Mode == filemode.Dir {
			return e.Name + "/"
		}
		return e.Name
	}
	sort.Slice(list, func(i, j int) bool { return key(list[i]) < key(list[j]) })
	obj := b.st.NewEncodedObject()
	if err := (&object.Tree{Entries: list}).Encode(obj); err != nil {
		return h, err
	}
	if b.st.HasEncodedObject(obj.Hash()) == nil {
		return obj.Hash(), nil
	}
	return b.st.SetEncodedObject(obj)
}
