package archive

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// historyIndex maps each article path to its commits, oldest first. It is a
// cache of what the first-parent chain of the branch says, kept in
// .git/stet/history-<branch> and rebuilt whenever it cannot be trusted.
//
// The chain it describes depends on the tip and, in a shallow clone, on
// where the chain is cut: git fetch --unshallow or --deepen gives the
// boundary commits their parents without moving the tip, and git fetch
// --depth cuts the chain higher up. So the index also records the shallow
// boundary it was built against, and is rebuilt when that changes.
type historyIndex struct {
	tip     plumbing.Hash // the branch tip the index describes
	shallow plumbing.Hash // shallowKey of the boundary it was built against
	paths   map[string][]plumbing.Hash
	dirty   bool // differs from the file on disk
}

func newHistoryIndex() *historyIndex {
	return &historyIndex{paths: map[string][]plumbing.Hash{}}
}

func (x *historyIndex) add(path string, c plumbing.Hash) {
	x.paths[path] = append(x.paths[path], c)
}

// indexMagic names the file format. Version 1 recorded no shallow
// boundary; such a file is rebuilt, since it may describe the history of a
// clone that has been unshallowed since.
const indexMagic = "stet-history 2"

// shallowKey identifies a set of shallow boundary commits (.git/shallow):
// the SHA-1 of the sorted hashes, or the zero hash when the clone is not
// shallow.
func shallowKey(set map[plumbing.Hash]bool) plumbing.Hash {
	if len(set) == 0 {
		return plumbing.ZeroHash
	}
	hs := make([]plumbing.Hash, 0, len(set))
	for h := range set {
		hs = append(hs, h)
	}
	sort.Slice(hs, func(i, j int) bool { return bytes.Compare(hs[i][:], hs[j][:]) < 0 })
	d := sha1.New()
	for _, h := range hs {
		d.Write(h[:])
	}
	var k plumbing.Hash
	copy(k[:], d.Sum(nil))
	return k
}

// shallowSet reads the commits .git/shallow lists: git treats them as
// parentless, though their objects name the parents the clone lacks.
func (a *Archive) shallowSet() (map[plumbing.Hash]bool, error) {
	hs, err := a.st.Shallow()
	if err != nil {
		return nil, fmt.Errorf("read shallow boundary: %w", err)
	}
	set := make(map[plumbing.Hash]bool, len(hs))
	for _, h := range hs {
		set[h] = true
	}
	return set, nil
}

func (a *Archive) indexFile() string {
	return filepath.Join(a.gitDir, "stet", "history-"+hex.EncodeToString([]byte(a.branch.Short())))
}

// loadIndex reads the index file; any problem gives an empty index, which
// makes the caller rebuild it.
func loadIndex(name string) *historyIndex {
	b, err := os.ReadFile(name)
	if err != nil {
		return newHistoryIndex()
	}
	x, err := parseIndex(b)
	if err != nil {
		return newHistoryIndex()
	}
	return x
}

// The file format, one record per line:
//
//	stet-history 2 <tip> <shallow key>
//	<path>\t<hash> <hash> ...      (oldest first, paths sorted)
//	end <number of paths>
//
// parseIndex works on the bytes in place, decoding each hash straight into
// its slot: stet log and stet diff load the whole index on every call, so
// at 100k versions the parse is most of their time.
func parseIndex(b []byte) (*historyIndex, error) {
	const hexLen = 2 * len(plumbing.Hash{})
	if len(b) == 0 || b[len(b)-1] != '\n' {
		return nil, errors.New("truncated")
	}
	line, rest, _ := bytes.Cut(b, []byte("\n"))
	head, ok := bytes.CutPrefix(line, []byte(indexMagic+" "))
	if !ok || len(head) != 2*hexLen+1 || head[hexLen] != ' ' {
		return nil, errors.New("bad header")
	}
	x := &historyIndex{paths: make(map[string][]plumbing.Hash, bytes.Count(rest, []byte("\n")))}
	if _, err := hex.Decode(x.tip[:], head[:hexLen]); err != nil {
		return nil, errors.New("bad header")
	}
	if _, err := hex.Decode(x.shallow[:], head[hexLen+1:]); err != nil {
		return nil, errors.New("bad header")
	}
	n := 0
	for len(rest) > 0 {
		line, rest, _ = bytes.Cut(rest, []byte("\n"))
		if len(rest) == 0 { // the last line is the trailer
			if string(line) != "end "+strconv.Itoa(n) || len(x.paths) != n {
				return nil, errors.New("bad trailer")
			}
			return x, nil
		}
		p, hs, ok := bytes.Cut(line, []byte("\t"))
		if !ok || len(p) == 0 || (len(hs)+1)%(hexLen+1) != 0 {
			return nil, errors.New("bad line")
		}
		list := make([]plumbing.Hash, (len(hs)+1)/(hexLen+1))
		for k := range list {
			h := hs[k*(hexLen+1):]
			if k+1 < len(list) && h[hexLen] != ' ' {
				return nil, errors.New("bad line")
			}
			if _, err := hex.Decode(list[k][:], h[:hexLen]); err != nil {
				return nil, errors.New("bad hash")
			}
		}
		x.paths[string(p)] = list
		n++
	}
	return nil, errors.New("truncated")
}

func (x *historyIndex) encode() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s %s\n", indexMagic, x.tip, x.shallow)
	paths := make([]string, 0, len(x.paths))
	for p := range x.paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		b.WriteString(p)
		b.WriteByte('\t')
		for i, h := range x.paths[p] {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(h.String())
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "end %d\n", len(paths))
	return b.Bytes()
}

// saveIndex writes the index atomically (temp file + rename). A read-only
// Archive also writes it (it is a rebuildable cache, and the rename is
// atomic), but ignores failures such as a read-only file system.
func (a *Archive) saveIndex() error {
	if a.idx == nil || !a.idx.dirty {
		return nil
	}
	name := a.indexFile()
	if err := writeFileAtomic(name, a.idx.encode(), !a.noSync); err != nil {
		if a.readOnly {
			// The index is only a cache; a reader without write access
			// keeps it in memory.
			a.log.Debug("history index not written", "error", err)
			return nil
		}
		return fmt.Errorf("write history index: %w", err)
	}
	a.idx.dirty = false
	return nil
}

func writeFileAtomic(name string, data []byte, sync bool) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(name), filepath.Base(name)+".tmp*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil && sync {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), name)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// ensureIndex brings the index up to the branch tip by walking first-parent
// commits from the tip back to the indexed tip, reading only commit
// messages. When the indexed tip is not on that chain (history rewritten, or
// a corrupt file) the walk reaches the root and the index is rebuilt from
// it. A shallow boundary ends the walk without error; when the boundary
// differs from the one the index was built against (the clone was
// unshallowed, deepened or cut shallower), the index is rebuilt from the
// tip, since the commits it lacks, or holds in excess, sit below the
// indexed tip where an incremental walk does not look.
func (a *Archive) ensureIndex() (plumbing.Hash, error) {
	tip, err := a.readRef(a.branch)
	if err != nil {
		return tip, err
	}
	shallow, err := a.shallowSet()
	if err != nil {
		return tip, fmt.Errorf("history index: %w", err)
	}
	key := shallowKey(shallow)
	if a.idx == nil {
		a.idx = loadIndex(a.indexFile())
	}
	if a.idx.shallow != key {
		a.idx = newHistoryIndex() // the walk below rebuilds it
	}
	if a.idx.tip == tip {
		return tip, nil
	}
	type entry struct {
		path   string
		commit plumbing.Hash
	}
	var walked []entry
	found := false
	for h := tip; !h.IsZero(); {
		if h == a.idx.tip {
			found = true
			break
		}
		c, err := a.readCommit(h)
		if errors.Is(err, plumbing.ErrObjectNotFound) && h != tip {
			break // beyond a shallow boundary the parents are missing
		}
		if err != nil {
			return tip, fmt.Errorf("history index: %w", err)
		}
		_, _, trailers := ParseMessage(c.Message)
		if u := (Version{Trailers: trailers}).Trailer("Stet-Url"); u != "" {
			if p, err := PathFor(u); err == nil {
				walked = append(walked, entry{p, h})
			}
		}
		if shallow[h] || len(c.ParentHashes) == 0 {
			break
		}
		h = c.ParentHashes[0]
	}
	if !found {
		a.log.Debug("rebuilding history index", "commit", hashString(tip))
		a.idx = newHistoryIndex()
	}
	for i := len(walked) - 1; i >= 0; i-- {
		a.idx.add(walked[i].path, walked[i].commit)
	}
	a.idx.tip = tip
	a.idx.shallow = key
	a.idx.dirty = true
	return tip, a.saveIndex()
}

// History returns the versions of the article at path, oldest first, from
// the first-parent history of the branch; nil when there are none. It reads
// the history index (.git/stet/), updating it incrementally from commit
// messages (a commit belongs to PathFor(its Stet-Url trailer)), so its cost
// depends on the number of versions of path and the commits since the last
// call, not on the size of the archive. In a shallow clone the history
// starts at the shallow boundary; when the boundary moves (git fetch
// --unshallow, --deepen or --depth) the index is rebuilt once.
func (a *Archive) History(path string) ([]Version, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.usable(false); err != nil {
		return nil, fmt.Errorf("history %s: %w", path, err)
	}
	if _, err := a.ensureIndex(); err != nil {
		return nil, fmt.Errorf("history %s: %w", path, err)
	}
	hs := a.idx.paths[path]
	if len(hs) == 0 {
		return nil, nil
	}
	out := make([]Version, 0, len(hs))
	for i, h := range hs {
		v, err := a.version(h, i+1)
		if err != nil {
			return nil, fmt.Errorf("history %s: %w", path, err)
		}
		v.Path = path
		out = append(out, v)
	}
	return out, nil
}

// version reads commit h; pos is the fallback for N.
func (a *Archive) version(h plumbing.Hash, pos int) (Version, error) {
	c, err := a.readCommit(h)
	if err != nil {
		return Version{}, fmt.Errorf("read commit %s: %w", h, err)
	}
	v := Version{Commit: h.String(), When: c.Committer.When}
	v.Subject, v.Body, v.Trailers = ParseMessage(c.Message)
	v.URL = v.Trailer("Stet-Url")
	v.N = pos
	if n, err := strconv.Atoi(v.Trailer("Stet-Version")); err == nil && n > 0 {
		v.N = n
	}
	return v, nil
}

// Recent returns up to n versions (n <= 0: no limit) committed on the branch
// at or after since, newest first, following first parents. Path is
// PathFor(URL), or "" for a commit without a Stet-Url trailer.
func (a *Archive) Recent(since time.Time, n int) ([]Version, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.usable(false); err != nil {
		return nil, fmt.Errorf("recent: %w", err)
	}
	tip, err := a.ensureIndex()
	if err != nil {
		return nil, fmt.Errorf("recent: %w", err)
	}
	shallow, err := a.shallowSet()
	if err != nil {
		return nil, fmt.Errorf("recent: %w", err)
	}
	var out []Version
	for h := tip; !h.IsZero() && (n <= 0 || len(out) < n); {
		c, err := a.readCommit(h)
		if errors.Is(err, plumbing.ErrObjectNotFound) && h != tip {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("recent: %w", err)
		}
		if c.Committer.When.Before(since) {
			break
		}
		v, err := a.version(h, 0)
		if err != nil {
			return nil, fmt.Errorf("recent: %w", err)
		}
		if v.URL != "" {
			v.Path, _ = PathFor(v.URL)
		}
		if v.N == 0 && v.Path != "" {
			for i, x := range a.idx.paths[v.Path] {
				if x == h {
					v.N = i + 1
				}
			}
		}
		out = append(out, v)
		if shallow[h] || len(c.ParentHashes) == 0 {
			break
		}
		h = c.ParentHashes[0]
	}
	return out, nil
}
