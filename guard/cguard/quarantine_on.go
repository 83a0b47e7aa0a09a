//go:build cgo && cgoguard

package cguard

import (
	"fmt"
	"sync"

	"github.com/cgoguard/cgoguard/guard/internal/config"
	"github.com/cgoguard/cgoguard/guard/internal/report"
)

// The quarantine holds freed blocks, oldest first, so that their memory is
// not reused while stale pointers may still reach it. It is bounded by the
// bytes the blocks hold, C memory and records alike, not by their number.
var held struct {
	mu sync.Mutex
	// ring holds the blocks, oldest at first, n of them. A ring of
	// entries rather than a list through the blocks: evicting reads the
	// cost here instead of in a record long out of cache.
	ring     []held1
	first, n int
	bytes    uint64
	blocks   uint64
	peak     uint64 // highest bytes ever held: tests check it stays under the bound
	released uint64
}

type held1 struct {
	b    *block
	cost uint64
}

// push appends b. Called with held.mu held.
func push(b *block, cost uint64) {
	if held.n == len(held.ring) {
		grown := make([]held1, max(64, 2*len(held.ring))) // a power of two
		for i := range held.n {
			grown[i] = held.ring[(held.first+i)&(len(held.ring)-1)]
		}
		held.ring, held.first = grown, 0
	}
	held.ring[(held.first+held.n)&(len(held.ring)-1)] = held1{b, cost}
	held.n++
}

// pop removes the oldest block. Called with held.mu held.
func pop() held1 {
	e := held.ring[held.first]
	held.ring[held.first] = held1{}
	held.first = (held.first + 1) & (len(held.ring) - 1)
	held.n--
	return e
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
	cost := b.cost()
	// Usually one or two blocks leave for one that enters; collecting them
	// here rather than linking the records spares a write to each.
	var buf [4]*block
	out := buf[:0]
	held.mu.Lock()
	if cost > bound {
		out = append(out, b) // would never fit: release at once
		held.released++
	} else {
		push(b, cost)
		held.bytes += cost
		held.blocks++
		for held.bytes > bound {
			old := pop()
			held.bytes -= old.cost
			held.blocks--
			out = append(out, old.b)
			held.released++
		}
		held.peak = max(held.peak, held.bytes)
	}
	held.mu.Unlock()
	for _, b := range out {
		if b.onGuardPages() {
			releaseOwnMapping(b)
		} else {
			releaseRedzoned(b)
		}
	}
}

// verifyQuarantine checks the poison of every quarantined buffer, for
// Check and VerifyNone: a write after Free is reported when the test ends,
// not only when the buffer happens to leave the quarantine. Guarded slots
// need no check: they are PROT_NONE, so such a write faulted.
func verifyQuarantine() []*report.Violation {
	var found []*report.Violation
	held.mu.Lock()
	defer held.mu.Unlock()
	for i := range held.n {
		b := held.ring[(held.first+i)&(len(held.ring)-1)].b
		if b.onGuardPages() || b.checked {
			continue
		}
		if offset, changed := poisonChanged(b, true); changed {
			b.checked = true
			found = append(found, writeAfterFree(b, offset, "found by Check while quarantined"))
		}
	}
	return found
}

func writeAfterFree(b *block, offset int64, when string) *report.Violation {
	alloc, free := b.alloc, b.free // copies: b is recycled once it leaves the quarantine
	return &report.Violation{Kind: report.WriteAfterFree, Address: uintptr(b.user), Size: b.size, HasSize: true, Offset: offset, HasOffset: true,
		Message: fmt.Sprintf("the %d-byte C buffer at %s was written after Free (offset %d), %s", b.size, report.Hex(uintptr(b.user)), offset, when),
		Stacks:  []report.NamedStack{{Name: report.AllocStack, Stack: &alloc}, {Name: report.FreeStack, Stack: &free}}}
}
