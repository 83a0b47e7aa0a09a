package stack

import (
	"slices"
	"sync"
)

// maxCached bounds the distinct stacks kept resolved. Programs have few
// distinct allocation and free stacks; one that exceeds the bound (deep
// recursion of varying depth) keeps working, resolving the excess anew.
const maxCached = 1 << 16

// cache resolves each distinct stack once: symbolizing costs microseconds,
// and a report, the HTTP view and the fault handler's prepared text all ask
// for the same few stacks again and again.
var cache = frameCache{m: make(map[uint64][]cachedStack)}

type frameCache struct {
	mu sync.RWMutex
	m  map[uint64][]cachedStack
	n  int
}

type cachedStack struct {
	pcs    []uintptr
	frames []Frame
}

func (c *frameCache) lookup(h uint64, pcs []uintptr) ([]Frame, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for _, e := range c.m[h] {
		if slices.Equal(e.pcs, pcs) {
			return e.frames, true
		}
	}
	return nil, false
}

func (c *frameCache) frames(s *Stack) []Frame {
	h, pcs := s.Hash(), s.PCs()
	if fs, ok := c.lookup(h, pcs); ok {
		return fs
	}
	fs := s.trimmed()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n < maxCached {
		c.m[h] = append(c.m[h], cachedStack{slices.Clone(pcs), fs})
		c.n++
	}
	return fs
}
