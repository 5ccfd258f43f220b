package archive

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/capability"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/sideband"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/plumbing/transport/client"
)

// RemoteOptions name the remote that a shallow or partial clone gets what
// it lacks from ([Options.Remote]). The zero value means DefaultRemote as
// configured in the repository (for a partial clone: the remote named by
// extensions.partialClone), without credentials.
type RemoteOptions struct {
	Name       string // "" means the promisor remote of a partial clone, else DefaultRemote
	URL        string // overrides the configured URL; kept in memory only
	Token      string // HTTP Basic password with user TokenUser; never logged or stored
	SSHKeyFile string // "" means the SSH agent
}

// fetchTimeout bounds one on-demand fetch of a partial clone.
const fetchTimeout = 2 * time.Minute

// Shallow reports whether the repository is a shallow clone: it has a
// .git/shallow file listing commits whose parents it lacks. History,
// version numbers and Recent then see only the commits after that
// boundary.
func (a *Archive) Shallow() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	hs, err := a.st.Shallow()
	return err == nil && len(hs) > 0
}

// Partial reports whether the repository is a partial clone
// (git clone --filter=...): blobs it lacks are fetched from the remote
// on demand, and the work tree is not synced (see [Archive.SyncWorktree]).
func (a *Archive) Partial() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.promisor() != ""
}

// promisor returns the name of the remote that promises the objects a
// partial clone lacks, or "" when the repository is complete. git records
// it as extensions.partialClone, and marks the remote with
// remote.<name>.promisor = true.
func (a *Archive) promisor() string {
	if a.promised != nil {
		return *a.promised
	}
	name := ""
	if cfg, err := a.st.Config(); err == nil && cfg.Raw != nil {
		name = cfg.Raw.Section("extensions").Options.Get("partialclone")
		if name == "" {
			for _, sub := range cfg.Raw.Section("remote").Subsections {
				if strings.EqualFold(sub.Options.Get("promisor"), "true") {
					name = sub.Name
					break
				}
			}
		}
	}
	a.promised = &name
	return name
}

// errNotPartial is returned by fetchMissing in a complete repository.
var errNotPartial = errors.New("not a partial clone")

// fetchMissing fetches objects this partial clone lacks from the promisor
// remote: one upload-pack request that wants exactly these ids, so only
// they (and nothing they point to that we have) come back. The server must
// accept wants that are not ref tips: GitHub does, and so does git with
// uploadpack.allowAnySHA1InWant (or allowReachableSHA1InWant) set. The
// pack is stored next to git's own, with a .promisor marker as git writes
// for packs from a promisor remote.
func (a *Archive) fetchMissing(hs ...plumbing.Hash) error {
	name := a.promisor()
	if name == "" {
		return errNotPartial
	}
	ro := a.remoteOpts
	if ro.Name == "" {
		ro.Name = name
	}
	sc := scrubber{token: ro.Token}
	if err := a.fetchObjects(ro, hs); err != nil {
		if perr := permanent(err, sc); perr != nil {
			err = perr
		}
		return sc.wrap(fmt.Errorf("fetch from %s: %w", ro.Name, err))
	}
	a.log.Debug("fetched missing objects", "count", len(hs))
	return nil
}

func (a *Archive) fetchObjects(ro RemoteOptions, hs []plumbing.Hash) error {
	remote, auth, err := a.dial(ro)
	if err != nil {
		return err
	}
	ep, err := transport.NewEndpoint(remote.Config().URLs[0])
	if err != nil {
		return fmt.Errorf("remote URL: %w", err)
	}
	cl, err := client.NewClient(ep)
	if err != nil {
		return err
	}
	sess, err := cl.NewUploadPackSession(ep, auth)
	if err != nil {
		return err
	}
	defer sess.Close()
	ctx, cancel := context.WithTimeout(context.Background(), fetchTimeout)
	defer cancel()
	ar, err := sess.AdvertisedReferencesContext(ctx)
	if err != nil {
		return err
	}
	req := packp.NewUploadPackRequestFromCapabilities(ar.Capabilities)
	if ar.Capabilities.Supports(capability.NoProgress) {
		if err := req.Capabilities.Set(capability.NoProgress); err != nil {
			return err
		}
	}
	req.Wants = hs
	before := a.packNames()
	resp, err := sess.UploadPack(ctx, req)
	if err != nil {
		return err
	}
	defer resp.Close()
	var r io.Reader = resp
	switch {
	case req.Capabilities.Supports(capability.Sideband64k):
		r = sideband.NewDemuxer(sideband.Sideband64k, resp)
	case req.Capabilities.Supports(capability.Sideband):
		r = sideband.NewDemuxer(sideband.Sideband, resp)
	}
	if err := packfile.UpdateObjectStorage(a.st, r); err != nil {
		return err
	}
	a.objs.close() // the lazy reader lists packs once; this added one
	for p := range a.packNames() {
		if !before[p] {
			// git's promisor marker, so that git gc and fsck treat what
			// this pack points to as promised rather than lost.
			os.WriteFile(strings.TrimSuffix(p, ".pack")+".promisor", nil, 0o644)
		}
	}
	for _, h := range hs {
		if err := a.st.HasEncodedObject(h); err != nil {
			return fmt.Errorf("object %s: %w", h, err)
		}
	}
	return nil
}

// packNames lists the pack files in the object store.
func (a *Archive) packNames() map[string]bool {
	names, _ := filepath.Glob(filepath.Join(a.gitDir, "objects", "pack", "pack-*.pack"))
	out := make(map[string]bool, len(names))
	for _, n := range names {
		out[n] = true
	}
	return out
}
