package archive

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	gitconfig "github.com/go-git/go-git/v5/plumbing/format/config"
	"github.com/go-git/go-git/v5/plumbing/format/index"
)

// SyncWorktree brings the work tree and .git/index of a non-bare repository
// in line with the branch tip for the paths saved by this Archive value, so
// that `git status` is clean and `git diff HEAD~1` works. When .git/index is
// missing it rebuilds it (and writes every file) from the tip's tree. Files
// are written with temp + rename; the index is written to index.lock, fsynced
// and renamed, as git does. The caller runs it once per run. It does nothing
// for a bare repository, an empty branch, or when HEAD names another branch
// (the work tree belongs to that branch).
//
// In a partial clone (git clone --filter) or a sparse checkout it does
// nothing either: writing the saved articles would fetch and place files
// the checkout chose to leave out, and rewriting an index of a million
// entries costs more than the run. The work tree and index there stay at
// the commit checked out; stet reads only the object store, so nothing it
// does depends on them (`git status` shows the commits made since as
// staged reversals until `git reset` or the next checkout).
func (a *Archive) SyncWorktree() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.usable(true); err != nil {
		return fmt.Errorf("sync worktree: %w", err)
	}
	if err := a.syncWorktree(); err != nil {
		return fmt.Errorf("sync worktree: %w", err)
	}
	return nil
}

func (a *Archive) syncWorktree() error {
	if a.bare {
		return nil
	}
	if a.promisor() != "" || a.sparse() {
		a.log.Debug("work tree not synced: partial clone or sparse checkout")
		return nil
	}
	head, err := a.st.Reference(plumbing.HEAD)
	if err != nil {
		return err
	}
	if head.Type() != plumbing.SymbolicReference || head.Target() != a.branch {
		a.log.Warn("work tree not synced: HEAD names another branch", "ref", head.Target().String())
		return nil
	}
	tip, err := a.readRef(a.branch)
	if err != nil || tip.IsZero() {
		return err
	}
	idxName := filepath.Join(a.gitDir, "index")
	idx := &index.Index{Version: 2}
	paths := map[string]plumbing.Hash{}
	f, err := os.Open(idxName)
	switch {
	case errors.Is(err, os.ErrNotExist):
		err = a.walkFiles(tip, func(p string, h plumbing.Hash) error {
			paths[p] = h
			return nil
		})
		if err != nil {
			return err
		}
	case err != nil:
		return err
	default:
		err = index.NewDecoder(f).Decode(idx)
		f.Close()
		if err != nil {
			return fmt.Errorf("read index: %w", err)
		}
		for p := range a.changed {
			paths[p] = plumbing.ZeroHash
		}
		if a.readSyncedTip() != a.baseTip {
			// A writer committed and died before syncing: bring every
			// path whose index entry is not the tip's blob up to date.
			// (Found by cmd/stet TestCrashSafety.)
			have := make(map[string]plumbing.Hash, len(idx.Entries))
			for _, e := range idx.Entries {
				have[e.Name] = e.Hash
			}
			err = a.walkFiles(tip, func(p string, h plumbing.Hash) error {
				if have[p] != h {
					paths[p] = h
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
	}
	if len(paths) == 0 {
		return a.writeSyncedTip(tip)
	}
	byName := map[string]*index.Entry{}
	for _, e := range idx.Entries {
		byName[e.Name] = e
	}
	names := make([]string, 0, len(paths))
	for p := range paths {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		if !validPath(p) {
			return fmt.Errorf("%w: %q", ErrBadPath, p)
		}
		content, err := a.readAt(tip, p)
		if err != nil {
			return fmt.Errorf("read %s: %w", p, err)
		}
		file := filepath.Join(a.dir, filepath.FromSlash(p))
		if err := a.writeWorktreeFile(file, content); err != nil {
			return fmt.Errorf("write %s: %w", p, err)
		}
		fi, err := os.Stat(file)
		if err != nil {
			return err
		}
		e := byName[p]
		if e == nil {
			e = &index.Entry{Name: p}
			idx.Entries = append(idx.Entries, e)
			byName[p] = e
		}
		e.Hash = plumbing.ComputeHash(plumbing.BlobObject, content)
		e.Mode = filemode.Regular
		e.Size = uint32(fi.Size())
		e.ModifiedAt = fi.ModTime()
		e.CreatedAt = fi.ModTime()
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			e.Dev, e.Inode = uint32(st.Dev), uint32(st.Ino)
			e.UID, e.GID = st.Uid, st.Gid
		}
	}
	sort.Slice(idx.Entries, func(i, j int) bool {
		if idx.Entries[i].Name != idx.Entries[j].Name {
			return idx.Entries[i].Name < idx.Entries[j].Name
		}
		return idx.Entries[i].Stage < idx.Entries[j].Stage
	})
	idx.Cache, idx.ResolveUndo, idx.EndOfIndexEntry = nil, nil, nil
	if err := a.writeIndex(idxName, idx); err != nil {
		return err
	}
	clear(a.changed)
	return a.writeSyncedTip(tip)
}

// sparse reports whether core.sparseCheckout is on, in .git/config or in
// .git/config.worktree, where git puts it when `git sparse-checkout` turned
// on extensions.worktreeConfig.
func (a *Archive) sparse() bool {
	if cfg, err := a.st.Config(); err == nil && cfg.Raw != nil && strings.EqualFold(cfg.Raw.Section("core").Options.Get("sparsecheckout"), "true") {
		return true
	}
	f, err := os.Open(filepath.Join(a.gitDir, "config.worktree"))
	if err != nil {
		return false
	}
	defer f.Close()
	wt := gitconfig.New()
	return gitconfig.NewDecoder(f).Decode(wt) == nil && strings.EqualFold(wt.Section("core").Options.Get("sparsecheckout"), "true")
}

// syncedTipFile records the branch tip the work tree and index were last
// synced to. When it does not match the tip at Open, an earlier writer
// committed without syncing (it was killed), and syncWorktree checks every
// path rather than only those this Archive saved. A missing or stale file
// only costs that check.
func (a *Archive) syncedTipFile() string {
	return filepath.Join(a.gitDir, "stet", "worktree-"+hex.EncodeToString([]byte(a.branch.Short())))
}

func (a *Archive) readSyncedTip() plumbing.Hash {
	b, err := os.ReadFile(a.syncedTipFile())
	if s := strings.TrimSpace(string(b)); err == nil && plumbing.IsHash(s) {
		return plumbing.NewHash(s)
	}
	return plumbing.ZeroHash
}

func (a *Archive) writeSyncedTip(tip plumbing.Hash) error {
	if err := writeFileAtomic(a.syncedTipFile(), []byte(tip.String()+"\n"), false); err != nil {
		return fmt.Errorf("record synced tip: %w", err)
	}
	a.baseTip = tip
	return nil
}

func (a *Archive) writeIndex(name string, idx *index.Index) error {
	lock := name + ".lock"
	f, err := os.OpenFile(lock, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("write index: %w", err)
	}
	err = index.NewEncoder(f).Encode(idx)
	if err == nil && !a.noSync {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(lock, name)
	}
	if err != nil {
		os.Remove(lock)
		return fmt.Errorf("write index: %w", err)
	}
	return nil
}

// worktreeTmp is where work-tree files are written before they are renamed
// into place. A writer killed between the two leaves its temporary file
// there, not next to the article where `git status` would list it; [Open]
// empties the directory once it holds the writer lock. (Found by cmd/stet
// TestCrashSafety: a "story.md.tmp123" left in the work tree.)
func (a *Archive) worktreeTmp() string { return filepath.Join(a.gitDir, "stet", "tmp") }

func (a *Archive) writeWorktreeFile(file string, content []byte) error {
	tmpDir := a.worktreeTmp()
	if err := os.MkdirAll(tmpDir, 0o755); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(tmpDir, "wt*")
	if err != nil {
		return err
	}
	_, err = f.Write(content)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), file)
	}
	if err != nil {
		os.Remove(f.Name())
		if errors.Is(err, syscall.EXDEV) {
			// The git directory is on another file system (a "gitdir:" file).
			return writeFileAtomic(file, content, false)
		}
	}
	return err
}
