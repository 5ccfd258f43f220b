package archive

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// ReadState returns the files of the state commit at [StateRef], keyed by
// slash-separated path. It returns a nil map and nil error when there is no state.
func (a *Archive) ReadState() (map[string][]byte, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.usable(false); err != nil {
		return nil, fmt.Errorf("read state: %w", err)
	}
	tip, err := a.readRef(StateRef)
	if err != nil || tip.IsZero() {
		return nil, err
	}
	out := map[string][]byte{}
	if err := a.fetchMissingBlobs(tip); err != nil {
		return nil, fmt.Errorf("read state: %w", err)
	}
	err = a.walkFiles(tip, func(p string, h plumbing.Hash) error {
		b, err := a.blob(h)
		out[p] = b
		return err
	})
	a.objs.bases, a.objs.baseBytes = nil, 0 // the shards' delta bases are of no further use
	if err != nil {
		return nil, fmt.Errorf("read state: %w", err)
	}
	return out, nil
}

// WriteState replaces the state at [StateRef] with one parentless commit
// whose tree holds files ("a/b.json" style paths, checked like Save paths).
// It is a no-op when the tree is unchanged. Objects that already exist
// (unchanged blobs and subtrees) are not written again, so a run touching
// few files adds few objects. The ref moves by compare-and-swap, as in
// [Archive.Save].
func (a *Archive) WriteState(files map[string][]byte, when time.Time) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.usable(true); err != nil {
		return fmt.Errorf("write state: %w", err)
	}
	if err := a.writeState(files, when); err != nil {
		return fmt.Errorf("write state: %w", err)
	}
	return nil
}

type dirNode struct {
	files map[string][]byte
	dirs  map[string]*dirNode
}

func (a *Archive) writeState(files map[string][]byte, when time.Time) error {
	root := &dirNode{files: map[string][]byte{}, dirs: map[string]*dirNode{}}
	for p, b := range files {
		if !validPath(p) {
			return fmt.Errorf("%w: %q", ErrBadPath, p)
		}
		comps := strings.Split(p, "/")
		n := root
		for _, c := range comps[:len(comps)-1] {
			if _, ok := n.files[c]; ok {
				return fmt.Errorf("%w: %q clashes with a file", ErrBadPath, p)
			}
			if n.dirs[c] == nil {
				n.dirs[c] = &dirNode{files: map[string][]byte{}, dirs: map[string]*dirNode{}}
			}
			n = n.dirs[c]
		}
		last := comps[len(comps)-1]
		if n.dirs[last] != nil {
			return fmt.Errorf("%w: %q clashes with a directory", ErrBadPath, p)
		}
		n.files[last] = b
	}
	old, err := a.readRef(StateRef)
	if err != nil {
		return err
	}
	oldTree, err := a.commitTree(old)
	if err != nil {
		return err
	}
	w := a.newObjectWriter()
	var build func(n *dirNode) (plumbing.Hash, error)
	build = func(n *dirNode) (plumbing.Hash, error) {
		ents := make([]treeEntry, 0, len(n.files)+len(n.dirs))
		for name, b := range n.files {
			h, err := w.write(plumbing.BlobObject, b)
			if err != nil {
				return h, err
			}
			ents = append(ents, treeEntry{name: name, mode: filemode.Regular, hash: h})
		}
		names := make([]string, 0, len(n.dirs))
		for name := range n.dirs {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			h, err := build(n.dirs[name])
			if err != nil {
				return h, err
			}
			ents = append(ents, treeEntry{name: name, mode: filemode.Dir, hash: h})
		}
		return w.write(plumbing.TreeObject, encodeTree(ents))
	}
	tree, err := build(root)
	if err != nil {
		return err
	}
	if !old.IsZero() && tree == oldTree {
		return nil
	}
	if when.IsZero() {
		when = time.Now()
	}
	c, err := w.write(plumbing.CommitObject, encodeCommit(tree, nil, Signature{}, when, "stet state\n"))
	if err != nil {
		return err
	}
	if err := w.flush(); err != nil {
		return err
	}
	return a.updateRef(StateRef, old, c)
}

// ErrNoRemoteState is wrapped by [Archive.FetchState] when the remote has
// no [StateRef].
var ErrNoRemoteState = errors.New("archive: the remote has no schedule state")

// FetchState fetches [StateRef] from the remote named by [Options.Remote]
// (default: the promisor remote of a partial clone, else DefaultRemote)
// and sets ours to it, replacing what we had. It is how a checkout that
// did not fetch the state (a depth-1 clone fetches one branch) gets it
// before a pass. It wraps [ErrNoRemoteState] when the remote has none,
// an [*AuthError] when the remote refused the credentials, or the
// transport's error; errors never contain the token.
func (a *Archive) FetchState(ctx context.Context) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.usable(true); err != nil {
		return fmt.Errorf("fetch state: %w", err)
	}
	ro := a.remoteOpts
	if ro.Name == "" {
		ro.Name = a.promisor()
	}
	sc := scrubber{token: ro.Token}
	remote, auth, err := a.dial(ro)
	if err != nil {
		return sc.wrap(fmt.Errorf("fetch state: %w", err))
	}
	err = remote.FetchContext(ctx, &git.FetchOptions{
		RefSpecs: []config.RefSpec{config.RefSpec("+" + StateRef + ":" + StateRef)},
		Auth:     auth,
		Tags:     git.NoTags,
		Force:    true,
	})
	var noMatch git.NoMatchingRefSpecError
	switch {
	case err == nil || errors.Is(err, git.NoErrAlreadyUpToDate):
		a.objs.close() // the lazy reader lists packs once; the fetch added one
		return nil
	case errors.As(err, &noMatch):
		return fmt.Errorf("fetch state from %s: %w", ro.Name, ErrNoRemoteState)
	}
	if perr := permanent(err, sc); perr != nil {
		err = perr
	}
	return sc.wrap(fmt.Errorf("fetch state from %s: %w", ro.Name, err))
}

// fetchMissingBlobs fetches, in one request, the blobs of commit's tree
// that a partial clone lacks (a state ref fetched with the clone's
// blob:none filter has none); in a complete repository it does nothing.
func (a *Archive) fetchMissingBlobs(commit plumbing.Hash) error {
	if a.promisor() == "" {
		return nil
	}
	var missing []plumbing.Hash
	err := a.walkFiles(commit, func(_ string, h plumbing.Hash) error {
		if a.st.HasEncodedObject(h) != nil {
			missing = append(missing, h)
		}
		return nil
	})
	if err != nil || len(missing) == 0 {
		return err
	}
	return a.fetchMissing(missing...)
}
