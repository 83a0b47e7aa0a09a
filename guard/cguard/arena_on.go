//go:build cgo && cgoguard

package cguard

import (
	"sync"
	"syscall"
	"unsafe"
)

// The arena holds the memory of buffers in redzones. Taking it from malloc
// cost a cgo call at each allocation and each release (about 50 ns each),
// and a quarantine holding freed chunks fragmented malloc's heap, which
// then slowed every call; from memory mapped in chunks and kept in free
// lists per size class, allocating and releasing are a few Go instructions.
// The memory is never returned to the system: the arena holds the most
// that was ever live or quarantined at once in each class, a bound the
// HTTP view shows (stats.arena). Larger spans come from malloc.

const (
	arenaChunk = 1 << 20
	// maxArenaSpan is the largest span served from the arena.
	maxArenaSpan = 64 << 10
	arenaClasses = 64 + 56 + 56
)

type arenaClass struct {
	mu   sync.Mutex
	free []unsafe.Pointer
	next unsafe.Pointer // carving point in the current chunk
	left uintptr        // bytes left after next
}

var arena struct {
	classes [arenaClasses]arenaClass
	mu      sync.Mutex
	mapped  uintptr
}

// arenaClassOf returns the class of a span (a multiple of 16) and the
// class's size: 16-byte steps to 1 KiB, 128-byte steps to 8 KiB, 1 KiB
// steps to 64 KiB, so that no class wastes more than 1/8 of a buffer.
func arenaClassOf(span uintptr) (int, uintptr) {
	switch {
	case span <= 1024:
		i := (span+15)/16 - 1
		return int(i), (i + 1) * 16
	case span <= 8192:
		i := (span-1024+127)/128 - 1
		return 64 + int(i), 1024 + (i+1)*128
	case span <= maxArenaSpan:
		i := (span-8192+1023)/1024 - 1
		return 120 + int(i), 8192 + (i+1)*1024
	}
	return -1, 0
}

// arenaAlloc returns size bytes of class c.
func arenaAlloc(c int, size uintptr) unsafe.Pointer {
	cl := &arena.classes[c]
	cl.mu.Lock()
	if n := len(cl.free); n > 0 {
		p := cl.free[n-1]
		cl.free = cl.free[:n-1]
		cl.mu.Unlock()
		return p
	}
	if cl.left < size {
		chunk := mapChunk(max(arenaChunk, size))
		if chunk == nil {
			cl.mu.Unlock()
			return nil
		}
		cl.next, cl.left = chunk, max(arenaChunk, size)
	}
	p := cl.next
	cl.next, cl.left = unsafe.Add(cl.next, size), cl.left-size
	cl.mu.Unlock()
	return p
}

func arenaFree(c int, p unsafe.Pointer) {
	cl := &arena.classes[c]
	cl.mu.Lock()
	cl.free = append(cl.free, p)
	cl.mu.Unlock()
}

func mapChunk(n uintptr) unsafe.Pointer {
	b, err := syscall.Mmap(-1, 0, int(n), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return nil
	}
	arena.mu.Lock()
	arena.mapped += n
	arena.mu.Unlock()
	return unsafe.Pointer(unsafe.SliceData(b))
}

func arenaStats() any {
	arena.mu.Lock()
	defer arena.mu.Unlock()
	return struct {
		Mapped uintptr `json:"mapped_bytes"`
	}{arena.mapped}
}
