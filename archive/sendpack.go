package archive

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/capability"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/plumbing/transport/client"
)

// errBehind is returned by sendPack when the remote branch has commits
// ours lacks (or is not on our first-parent chain): a replay is needed.
var errBehind = errors.New("the remote branch has commits ours lacks")

// maxSendChain bounds the commits sendPack looks back for the remote tip;
// further back, go-git's push does the work.
const maxSendChain = 100000

// sendPack pushes the branch tip and, when set, the state with one
// receive-pack request whose pack holds exactly the objects our commits
// after the remote's tip added: it diffs each commit's tree with its
// parent's, descending only into subtrees that differ, and the state's tree
// with the remote state's when we have it. go-git's own push first lists
// every object reachable from the remote's refs, a walk of the whole tree
// that took 13 s at a million articles.
//
// It returns handled=false, having sent nothing, when it cannot tell the
// objects this way (the remote has no such branch yet, or its tip is
// beyond our history's reach); the caller then pushes with go-git. It
// returns an error wrapping errBehind when a replay is needed, and the
// transport's errors (an auth failure included) otherwise.
func (a *Archive) sendPack(ctx context.Context, url string, auth transport.AuthMethod, tip, state plumbing.Hash) (handled, upToDate bool, err error) {
	ep, err := transport.NewEndpoint(url)
	if err != nil {
		return false, false, fmt.Errorf("remote URL: %w", err)
	}
	cl, err := client.NewClient(ep)
	if err != nil {
		return false, false, err
	}
	sess, err := cl.NewReceivePackSession(ep, auth)
	if err != nil {
		return false, false, err
	}
	defer sess.Close()
	ar, err := sess.AdvertisedReferencesContext(ctx)
	if err != nil {
		return false, false, err
	}
	refs, err := ar.AllReferences()
	if err != nil {
		return false, false, err
	}
	theirs := plumbing.ZeroHash
	if r, err := refs.Reference(a.branch); err == nil {
		theirs = r.Hash()
	}
	theirState := plumbing.ZeroHash
	if r, err := refs.Reference(StateRef); err == nil {
		theirState = r.Hash()
	}
	if theirs.IsZero() {
		return false, false, nil
	}
	// Our commits after theirs, newest first.
	var chain []plumbing.Hash
	for h := tip; h != theirs; {
		if len(chain) >= maxSendChain {
			return false, false, nil // a long way back: go-git's push
		}
		if h.IsZero() {
			return true, false, errBehind // their tip is not in our history
		}
		c, err := a.readCommit(h)
		if errors.Is(err, plumbing.ErrObjectNotFound) && h != tip {
			// Past a shallow boundary without meeting their tip.
			return true, false, errBehind
		}
		if err != nil {
			return false, false, fmt.Errorf("read commit %s: %w", h, err)
		}
		chain = append(chain, h)
		h = firstParent(c)
	}
	var cmds []*packp.Command
	seen := map[plumbing.Hash]bool{}
	var objs []plumbing.Hash
	add := func(h plumbing.Hash) {
		if !seen[h] {
			seen[h] = true
			objs = append(objs, h)
		}
	}
	for i := len(chain) - 1; i >= 0; i-- {
		c, err := a.readCommit(chain[i])
		if err != nil {
			return false, false, err
		}
		pt, err := a.commitTree(firstParent(c))
		if err != nil {
			return false, false, err
		}
		add(chain[i])
		if err := a.newObjects(pt, c.TreeHash, add); err != nil {
			return false, false, err
		}
	}
	if len(chain) > 0 {
		cmds = append(cmds, &packp.Command{Name: a.branch, Old: theirs, New: tip})
	}
	if !state.IsZero() && state != theirState {
		old := plumbing.ZeroHash
		if !theirState.IsZero() {
			if c, err := a.readCommit(theirState); err == nil {
				old = c.TreeHash
			}
		}
		c, err := a.readCommit(state)
		if err != nil {
			return false, false, err
		}
		add(state)
		if err := a.newObjects(old, c.TreeHash, add); err != nil {
			return false, false, err
		}
		cmds = append(cmds, &packp.Command{Name: StateRef, Old: theirState, New: state})
	}
	if len(cmds) == 0 {
		return true, true, nil
	}
	req := packp.NewReferenceUpdateRequestFromCapabilities(ar.Capabilities)
	req.Commands = cmds
	rd, wr := io.Pipe()
	req.Packfile = rd
	done := make(chan error, 1)
	go func() {
		enc := packfile.NewEncoder(wr, a.st, !ar.Capabilities.Supports(capability.OFSDelta))
		_, err := enc.Encode(objs, 10)
		done <- wr.CloseWithError(err)
	}()
	rs, err := sess.ReceivePack(ctx, req)
	if err != nil {
		rd.Close()
		<-done
		return true, false, err
	}
	if err := <-done; err != nil {
		return true, false, err
	}
	if rs != nil {
		if err := rs.Error(); err != nil {
			// The remote moved between its advertisement and our
			// update, or refused it: catch up and try again.
			return true, false, fmt.Errorf("%w: %w", errBehind, err)
		}
	}
	return true, false, nil
}

// newObjects calls add for tree y and every tree and blob under it that
// tree x (zero: none) lacks at the same path, descending only into
// subtrees whose hashes differ.
func (a *Archive) newObjects(x, y plumbing.Hash, add func(plumbing.Hash)) error {
	if x == y || y.IsZero() {
		return nil
	}
	add(y)
	xe, err := a.readTree(x)
	if err != nil {
		return err
	}
	ye, err := a.readTree(y)
	if err != nil {
		return err
	}
	for _, e := range ye {
		o, ok := findEntry(xe, e.name)
		if ok && o.hash == e.hash {
			continue
		}
		if e.mode == filemode.Dir {
			var xh plumbing.Hash
			if ok && o.mode == filemode.Dir {
				xh = o.hash
			}
			if err := a.newObjects(xh, e.hash, add); err != nil {
				return err
			}
			continue
		}
		if e.mode != filemode.Submodule {
			add(e.hash)
		}
	}
	return nil
}
