package archive

import (
	"container/list"

	"github.com/go-git/go-git/v5/plumbing"
)

// treeCacheEntries bounds the decoded trees kept by treeCache, counted in
// tree entries (about 100 bytes each), so the cache stays under ~2 MiB.
const treeCacheEntries = 16 << 10

// treeCache keeps recently read or written trees decoded, so that the
// trees along a hot path (root, host, section) are neither inflated nor
// parsed again on the next Save. Trees are immutable, so entries never go
// stale. It is guarded by Archive.mu.
type treeCache struct {
	size  int
	ll    *list.List // front = most recent; values are *treeCacheItem
	items map[plumbing.Hash]*list.Element
}

type treeCacheItem struct {
	hash    plumbing.Hash
	entries []treeEntry
}

func (c *treeCache) get(h plumbing.Hash) ([]treeEntry, bool) {
	if c.items == nil {
		return nil, false
	}
	el, ok := c.items[h]
	if !ok {
		return nil, false
	}
	c.ll.MoveToFront(el)
	return el.Value.(*treeCacheItem).entries, true
}

func (c *treeCache) put(h plumbing.Hash, entries []treeEntry) {
	if len(entries) > treeCacheEntries/4 {
		return
	}
	if c.items == nil {
		c.items = map[plumbing.Hash]*list.Element{}
		c.ll = list.New()
	}
	if _, ok := c.items[h]; ok {
		return
	}
	c.items[h] = c.ll.PushFront(&treeCacheItem{hash: h, entries: entries})
	c.size += len(entries)
	for c.size > treeCacheEntries {
		el := c.ll.Back()
		it := el.Value.(*treeCacheItem)
		c.ll.Remove(el)
		delete(c.items, it.hash)
		c.size -= len(it.entries)
	}
}
