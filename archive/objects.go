package archive

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// objectWriter writes loose objects durably: each goes to a temporary file
// that is renamed into place, and flush makes the files and the renames
// durable together (one syncfs on Linux, an fsync per file and directory
// elsewhere), so once flush returns every object survives a crash. A
// commit therefore costs one filesystem sync for its objects, not a dozen
// fsyncs, and its cost stays flat as the archive grows.
type objectWriter struct {
	a     *Archive
	dirs  map[string]bool
	files []string
}

func (a *Archive) newObjectWriter() *objectWriter {
	return &objectWriter{a: a, dirs: map[string]bool{}}
}

// write stores an object of type t unless the repository already has it,
// and returns its hash.
func (w *objectWriter) write(t plumbing.ObjectType, content []byte) (plumbing.Hash, error) {
	h := plumbing.ComputeHash(t, content)
	if w.a.st.HasEncodedObject(h) == nil {
		return h, nil
	}
	hex := h.String()
	dir := filepath.Join(w.a.gitDir, "objects", hex[:2])
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return h, fmt.Errorf("write object: %w", err)
	}
	f, err := os.CreateTemp(dir, "tmp_obj_")
	if err != nil {
		return h, fmt.Errorf("write object: %w", err)
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	// Deflate into memory and write the file once: flate hands its output
	// on every few hundred bytes, which unbuffered is a syscall each.
	w.a.zbuf.Reset()
	if w.a.zw == nil {
		w.a.zw, _ = zlib.NewWriterLevel(&w.a.zbuf, zlib.BestSpeed)
	} else {
		w.a.zw.Reset(&w.a.zbuf)
	}
	zw := w.a.zw
	fmt.Fprintf(zw, "%s %d\x00", t, len(content))
	if _, err := zw.Write(content); err != nil {
		return h, fmt.Errorf("write object %s: %w", hex, err)
	}
	if err := zw.Close(); err != nil {
		return h, fmt.Errorf("write object %s: %w", hex, err)
	}
	if _, err := f.Write(w.a.zbuf.Bytes()); err != nil {
		return h, fmt.Errorf("write object %s: %w", hex, err)
	}
	if err := f.Close(); err != nil {
		return h, fmt.Errorf("write object %s: %w", hex, err)
	}
	if err := os.Chmod(tmp, 0o444); err != nil {
		return h, fmt.Errorf("write object %s: %w", hex, err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, hex[2:])); err != nil {
		return h, fmt.Errorf("write object %s: %w", hex, err)
	}
	ok = true
	w.dirs[dir] = true
	w.files = append(w.files, filepath.Join(dir, hex[2:]))
	return h, nil
}

// flush makes the written objects and their renames durable.
func (w *objectWriter) flush() error {
	if w.a.noSync || len(w.files) == 0 {
		return nil
	}
	if err := syncObjects(filepath.Join(w.a.gitDir, "objects"), w.files, w.dirs); err != nil {
		return fmt.Errorf("sync objects: %w", err)
	}
	clear(w.dirs)
	w.files = w.files[:0]
	return nil
}

// syncEach fsyncs every file and then every directory: the portable way to
// make written-and-renamed files durable.
func syncEach(files []string, dirs map[string]bool) error {
	for _, name := range files {
		if err := syncDir(name); err != nil { // syncDir opens read-only; fine for files
			return err
		}
	}
	for d := range dirs {
		if err := syncDir(d); err != nil {
			return err
		}
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// treeEntry is one entry of a tree object.
type treeEntry struct {
	name string
	mode filemode.FileMode
	hash plumbing.Hash
}

// encodeTree serialises entries in git's order: by name, with tree names
// compared as if they ended in "/" (git fsck --strict checks this).
func encodeTree(entries []treeEntry) []byte {
	sort.Slice(entries, func(i, j int) bool {
		return treeSortKey(entries[i]) < treeSortKey(entries[j])
	})
	var b bytes.Buffer
	for _, e := range entries {
		b.WriteString(strconv.FormatUint(uint64(e.mode), 8))
		b.WriteByte(' ')
		b.WriteString(e.name)
		b.WriteByte(0)
		b.Write(e.hash[:])
	}
	return b.Bytes()
}

func treeSortKey(e treeEntry) string {
	if e.mode == filemode.Dir {
		return e.name + "/"
	}
	return e.name
}

// readTree returns the entries of tree h; the zero hash is the empty tree.
func (a *Archive) readTree(h plumbing.Hash) ([]treeEntry, error) {
	if h.IsZero() {
		return nil, nil
	}
	if ents, ok := a.trees.get(h); ok {
		return ents, nil
	}
	o, err := a.readObject(h)
	var t *object.Tree
	if err == nil {
		t, err = object.DecodeTree(a.st, o)
	}
	if err != nil {
		return nil, fmt.Errorf("read tree %s: %w", h, err)
	}
	out := make([]treeEntry, len(t.Entries))
	for i, e := range t.Entries {
		out[i] = treeEntry{name: e.Name, mode: e.Mode, hash: e.Hash}
	}
	a.trees.put(h, out)
	return out, nil
}

// encodeCommit serialises a commit object.
func encodeCommit(tree plumbing.Hash, parents []plumbing.Hash, sig Signature, when time.Time, msg string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "tree %s\n", tree)
	for _, p := range parents {
		fmt.Fprintf(&b, "parent %s\n", p)
	}
	stamp := formatSig(sig, when)
	fmt.Fprintf(&b, "author %s\ncommitter %s\n\n", stamp, stamp)
	b.WriteString(msg)
	return b.Bytes()
}

func formatSig(s Signature, when time.Time) string {
	s = s.orDefault()
	clean := func(v string) string {
		return strings.Map(func(r rune) rune {
			if r == '<' || r == '>' || r == '\n' || r == 0 {
				return -1
			}
			return r
		}, strings.TrimSpace(v))
	}
	_, off := when.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("%s <%s> %d %c%02d%02d", clean(s.Name), clean(s.Email), when.Unix(), sign, off/3600, off%3600/60)
}

// readRef returns the hash in ref, looking at the loose ref file and then
// packed-refs; the zero hash when the ref does not exist.
func (a *Archive) readRef(name plumbing.ReferenceName) (plumbing.Hash, error) {
	b, err := os.ReadFile(filepath.Join(a.gitDir, filepath.FromSlash(name.String())))
	if err == nil {
		s := strings.TrimSpace(string(b))
		if !plumbing.IsHash(s) {
			return plumbing.ZeroHash, fmt.Errorf("read ref %s: not a hash: %q", name, s)
		}
		return plumbing.NewHash(s), nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return plumbing.ZeroHash, fmt.Errorf("read ref %s: %w", name, err)
	}
	f, err := os.Open(filepath.Join(a.gitDir, "packed-refs"))
	if errors.Is(err, os.ErrNotExist) {
		return plumbing.ZeroHash, nil
	}
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("read ref %s: %w", name, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' || line[0] == '^' {
			continue
		}
		h, n, ok := strings.Cut(line, " ")
		if ok && n == name.String() && plumbing.IsHash(h) {
			return plumbing.NewHash(h), nil
		}
	}
	if err := sc.Err(); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("read ref %s: %w", name, err)
	}
	return plumbing.ZeroHash, nil
}

// updateRef moves ref from old to new with git's locking protocol: create
// "<ref>.lock" exclusively, write and fsync the new hash, check that the ref
// still holds old (loose or packed), and rename the lock over the ref. A zero
// old means the ref must not exist yet.
func (a *Archive) updateRef(name plumbing.ReferenceName, old, new plumbing.Hash) error {
	file := filepath.Join(a.gitDir, filepath.FromSlash(name.String()))
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return fmt.Errorf("update ref %s: %w", name, err)
	}
	lockName := file + ".lock"
	f, err := os.OpenFile(lockName, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("update ref %s: %w: %s", name, ErrRefLocked, lockName)
	}
	if err != nil {
		return fmt.Errorf("update ref %s: %w", name, err)
	}
	done := false
	defer func() {
		if !done {
			f.Close()
			os.Remove(lockName)
		}
	}()
	if _, err := f.WriteString(new.String() + "\n"); err != nil {
		return fmt.Errorf("update ref %s: %w", name, err)
	}
	if !a.noSync {
		if err := f.Sync(); err != nil {
			return fmt.Errorf("update ref %s: %w", name, err)
		}
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("update ref %s: %w", name, err)
	}
	cur, err := a.readRef(name)
	if err != nil {
		return fmt.Errorf("update ref %s: %w", name, err)
	}
	if cur != old {
		return fmt.Errorf("update ref %s: %w: want %s, found %s", name, ErrRefMoved, old, cur)
	}
	if err := os.Rename(lockName, file); err != nil {
		return fmt.Errorf("update ref %s: %w", name, err)
	}
	done = true
	// The rename is not fsynced: should the machine lose it, the ref still
	// holds the old, complete commit, and the next sync (of the next
	// commit's objects, or of the state) makes it durable.
	return nil
}

// commitTree returns the root tree hash of commit c.
func (a *Archive) commitTree(c plumbing.Hash) (plumbing.Hash, error) {
	if c.IsZero() {
		return plumbing.ZeroHash, nil
	}
	co, err := a.readCommit(c)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("read commit %s: %w", c, err)
	}
	return co.TreeHash, nil
}

func readFull(r io.Reader, buf []byte) (int, error) { return io.ReadFull(r, buf) }
