package archive

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// objectReader reads objects without decoding whole pack indexes: go-git's
// first read from a pack decodes its .idx into memory and, for any
// undeltified object, builds an offset→hash map of every object in the
// pack (idxfile.MemoryIndex.genOffsetHash), which costs hundreds of
// milliseconds on a 100k-commit archive. A one-shot command such as
// `stet log` or `stet diff` reads a handful of objects, so this reader
// binary-searches each .idx with ReadAt instead and inflates the object
// from the pack, resolving deltas. Any error other than "not found" makes
// the caller fall back to go-git.
type objectReader struct {
	gitDir string
	packs  []*lazyPack // nil until first used
	loaded bool
	reads  int // objects read so far; see lazyReads

	// bases caches resolved delta bases by pack and offset, so that
	// reading many objects deltified against each other (the 256 state
	// shards, a fetched pack's blobs) inflates each base once rather than
	// once per object on its chain.
	bases     map[baseKey]baseObject
	baseBytes int
}

type baseObject struct {
	t    plumbing.ObjectType
	data []byte // shared with callers, never written to
}

type baseKey struct {
	p   *lazyPack
	off int64
}

// maxBaseBytes bounds objectReader.bases. The state of a million articles
// is 256 shards of about 1 MB, deltified against each other in chains of
// up to 50; the cache must hold a chain's bases, or each shard re-inflates
// its chain (8.5 s of CPU at that size with a 64 MB cache). The cached
// slices are the ones returned, so ReadState pays no copy for them.
const maxBaseBytes = 384 << 20

// lazyReads is how many objects an Archive reads lazily before handing
// over to go-git: each lazy read costs a binary search by ReadAt (about 17
// reads of 20 bytes), while go-git pays once for the whole index and then
// looks up in memory, so a long walk (rebuilding the history index from
// 100k commits, Recent over many versions) is cheaper through go-git.
const lazyReads = 2000

type lazyPack struct {
	idx, pack *os.File
	fanout    [256]uint32
	count     uint32
}

var errNoObject = errors.New("object not found")

func (r *objectReader) close() {
	for _, p := range r.packs {
		p.idx.Close()
		p.pack.Close()
	}
	r.packs, r.loaded = nil, false
	r.bases, r.baseBytes = nil, 0
}

func (r *objectReader) load() {
	if r.loaded {
		return
	}
	r.loaded = true
	names, _ := filepath.Glob(filepath.Join(r.gitDir, "objects", "pack", "pack-*.idx"))
	for _, n := range names {
		p, err := openLazyPack(n)
		if err != nil {
			continue
		}
		r.packs = append(r.packs, p)
	}
}

func openLazyPack(idxName string) (*lazyPack, error) {
	idx, err := os.Open(idxName)
	if err != nil {
		return nil, err
	}
	pack, err := os.Open(strings.TrimSuffix(idxName, ".idx") + ".pack")
	if err != nil {
		idx.Close()
		return nil, err
	}
	p := &lazyPack{idx: idx, pack: pack}
	var head [8 + 256*4]byte
	if _, err := idx.ReadAt(head[:], 0); err != nil || !bytes.Equal(head[:8], []byte{0xff, 't', 'O', 'c', 0, 0, 0, 2}) {
		idx.Close()
		pack.Close()
		return nil, errors.New("unsupported pack index")
	}
	for i := range p.fanout {
		p.fanout[i] = binary.BigEndian.Uint32(head[8+4*i:])
	}
	p.count = p.fanout[255]
	return p, nil
}

// find returns the pack offset of h, or -1.
func (p *lazyPack) find(h plumbing.Hash) (int64, error) {
	lo := uint32(0)
	if h[0] > 0 {
		lo = p.fanout[h[0]-1]
	}
	hi := p.fanout[h[0]]
	const names = 8 + 256*4
	var buf [20]byte
	for lo < hi {
		mid := lo + (hi-lo)/2
		if _, err := p.idx.ReadAt(buf[:], names+int64(mid)*20); err != nil {
			return -1, err
		}
		switch c := bytes.Compare(buf[:], h[:]); {
		case c == 0:
			return p.offset(mid)
		case c < 0:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return -1, nil
}

func (p *lazyPack) offset(i uint32) (int64, error) {
	base := int64(8+256*4) + int64(p.count)*24
	var b [8]byte
	if _, err := p.idx.ReadAt(b[:4], base+int64(i)*4); err != nil {
		return -1, err
	}
	o := binary.BigEndian.Uint32(b[:4])
	if o&0x80000000 == 0 {
		return int64(o), nil
	}
	large := base + int64(p.count)*4 + int64(o&0x7fffffff)*8
	if _, err := p.idx.ReadAt(b[:], large); err != nil {
		return -1, err
	}
	return int64(binary.BigEndian.Uint64(b[:])), nil
}

// maxDeltaDepth bounds delta chains (git's default depth is 50).
const maxDeltaDepth = 1000

// at reads the object at offset off, resolving deltas.
func (r *objectReader) at(p *lazyPack, off int64, depth int) (plumbing.ObjectType, []byte, error) {
	if depth > maxDeltaDepth {
		return 0, nil, errors.New("delta chain too long")
	}
	var hdr [32]byte
	n, err := p.pack.ReadAt(hdr[:], off)
	if n == 0 {
		return 0, nil, err
	}
	hdrb := hdr[:n]
	i := 0
	c := hdrb[i]
	i++
	t := plumbing.ObjectType((c >> 4) & 7)
	size := uint64(c & 15)
	for shift := uint(4); c&0x80 != 0; shift += 7 {
		if i >= len(hdrb) {
			return 0, nil, errors.New("bad pack header")
		}
		c = hdrb[i]
		i++
		size |= uint64(c&0x7f) << shift
	}
	var baseOff int64 = -1
	var baseHash plumbing.Hash
	switch t {
	case plumbing.OFSDeltaObject:
		if i >= len(hdrb) {
			return 0, nil, errors.New("bad pack header")
		}
		c = hdrb[i]
		i++
		rel := int64(c & 0x7f)
		for c&0x80 != 0 {
			if i >= len(hdrb) {
				return 0, nil, errors.New("bad pack header")
			}
			c = hdrb[i]
			i++
			rel = ((rel + 1) << 7) | int64(c&0x7f)
		}
		baseOff = off - rel
		if baseOff < 0 || baseOff >= off {
			return 0, nil, errors.New("bad delta offset")
		}
	case plumbing.REFDeltaObject:
		if i+20 > len(hdrb) {
			return 0, nil, errors.New("bad pack header")
		}
		copy(baseHash[:], hdrb[i:i+20])
		i += 20
	case plumbing.CommitObject, plumbing.TreeObject, plumbing.BlobObject, plumbing.TagObject:
	default:
		return 0, nil, fmt.Errorf("bad object type %d", t)
	}
	if size > 1<<30 {
		return 0, nil, errors.New("object too large")
	}
	zr, err := zlib.NewReader(io.NewSectionReader(p.pack, off+int64(i), 1<<62))
	if err != nil {
		return 0, nil, err
	}
	data := make([]byte, size)
	if _, err := io.ReadFull(zr, data); err != nil {
		return 0, nil, err
	}
	switch t {
	case plumbing.OFSDeltaObject, plumbing.REFDeltaObject:
		var bt plumbing.ObjectType
		var base []byte
		if baseOff >= 0 {
			k := baseKey{p, baseOff}
			if b, ok := r.bases[k]; ok {
				bt, base = b.t, b.data
			} else if bt, base, err = r.at(p, baseOff, depth+1); err == nil {
				if r.baseBytes+len(base) > maxBaseBytes || r.bases == nil {
					r.bases, r.baseBytes = map[baseKey]baseObject{}, 0
				}
				r.bases[k] = baseObject{bt, base}
				r.baseBytes += len(base)
			}
		} else {
			bt, base, err = r.read(baseHash, depth+1)
		}
		if err != nil {
			return 0, nil, err
		}
		out, err := packfile.PatchDelta(base, data)
		if err != nil {
			return 0, nil, err
		}
		return bt, out, nil
	}
	return t, data, nil
}

// read returns the type and content of object h: a loose object, or one in
// a pack; errNoObject when neither has it.
func (r *objectReader) read(h plumbing.Hash, depth int) (plumbing.ObjectType, []byte, error) {
	hex := h.String()
	if f, err := os.Open(filepath.Join(r.gitDir, "objects", hex[:2], hex[2:])); err == nil {
		defer f.Close()
		return readLoose(f)
	}
	r.load()
	for _, p := range r.packs {
		off, err := p.find(h)
		if err != nil {
			return 0, nil, err
		}
		if off >= 0 {
			return r.at(p, off, depth)
		}
	}
	return 0, nil, errNoObject
}

func readLoose(f io.Reader) (plumbing.ObjectType, []byte, error) {
	zr, err := zlib.NewReader(f)
	if err != nil {
		return 0, nil, err
	}
	b, err := io.ReadAll(io.LimitReader(zr, 1<<30))
	if err != nil {
		return 0, nil, err
	}
	head, body, ok := bytes.Cut(b, []byte{0})
	if !ok {
		return 0, nil, errors.New("bad loose object")
	}
	ts, ss, ok := strings.Cut(string(head), " ")
	n, err := strconv.Atoi(ss)
	if !ok || err != nil || n != len(body) {
		return 0, nil, errors.New("bad loose object header")
	}
	t, err := plumbing.ParseObjectType(ts)
	if err != nil {
		return 0, nil, err
	}
	return t, body, nil
}

// readObject reads object h through the lazy reader, checking that its
// content hashes to h, and falls back to go-git's storage on any problem.
func (a *Archive) readObject(h plumbing.Hash) (plumbing.EncodedObject, error) {
	a.objs.gitDir = a.gitDir
	if a.objs.reads < lazyReads {
		a.objs.reads++
		t, b, err := a.objs.read(h, 0)
		if err != nil || plumbing.ComputeHash(t, b) != h {
			return a.st.EncodedObject(plumbing.AnyObject, h)
		}
		o := &plumbing.MemoryObject{}
		o.SetType(t)
		o.Write(b)
		return o, nil
	}
	return a.st.EncodedObject(plumbing.AnyObject, h)
}

// readCommit returns commit h.
func (a *Archive) readCommit(h plumbing.Hash) (*object.Commit, error) {
	o, err := a.readObject(h)
	if err != nil {
		return nil, err
	}
	return object.DecodeCommit(a.st, o)
}
