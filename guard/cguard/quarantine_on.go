//go:build cgo && cgoguard

package cguard

import (
	"sync"

	"github.com/cgoguard/cgoguard/guard/internal/config"
)

// The quarantine holds freed blocks, oldest first, so that their memory is
// not reused while stale pointers may still reach it. It is bounded by the
// bytes the blocks hold, C memory and records alike, not by their number.
var held struct {
	mu         sync.Mutex
	head, tail *block
	bytes      uint64
	blocks     uint64
	peak       uint64 // highest bytes ever held: tests check it stays under the bound
	released   uint64
}

// quarantineFigures are shown by the HTTP view and checked by the stress test.
type quarantineFigures struct {
	Bytes     uint64 `json:"bytes"`
	Blocks    uint64 `json:"blocks"`
	Bound     uint64 `json:"bound_bytes"`
	PeakBytes uint64 `json:"peak_bytes"`
	Released  uint64 `json:"released_blocks"`
}

func quarantineStats() any {
	held.mu.Lock()
	defer held.mu.Unlock()
	return quarantineFigures{Bytes: held.bytes, Blocks: held.blocks, Bound: config.Current.Quarantine, PeakBytes: held.peak, Released: held.released}
}

// quarantine adds b and releases the oldest blocks beyond the bound, after
// the lock is dropped: checking poison takes time, and may report.
func quarantine(b *block) {
	bound := config.Current.Quarantine
	var out *block
	held.mu.Lock()
	if b.cost() > bound {
		out = b // would never fit: release at once
		held.released++
	} else {
		if held.tail == nil {
			held.head = b
		} else {
			held.tail.next = b
		}
		held.tail = b
		held.bytes += b.cost()
		held.blocks++
		for held.bytes > bound {
			old := held.head
			held.head = old.next
			if held.head == nil {
				held.tail = nil
			}
			held.bytes -= old.cost()
			held.blocks--
			old.next = out
			out = old
			held.released++
		}
		held.peak = max(held.peak, held.bytes)
	}
	held.mu.Unlock()
	for out != nil {
		b, out = out, out.next
		b.next = nil
		if b.onGuardPages() {
			releaseGuarded(b)
		} else {
			releaseRedzoned(b)
		}
	}
}
