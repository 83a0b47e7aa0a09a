//go:build cgo && cgoguard

package cguard

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"unsafe"

	"github.com/cgoguard/cgoguard/guard/internal/config"
	"github.com/cgoguard/cgoguard/guard/internal/report"
	"github.com/cgoguard/cgoguard/guard/internal/stack"
)

// block is the guard's record of one allocation.
type block struct {
	user unsafe.Pointer // what the caller got
	size uintptr        // what the caller asked for
	base unsafe.Pointer // the malloc block or the mapping behind user
	span uintptr        // bytes at base: the quarantine's unit of account
	slot int            // fault table slot of a guard-page block, else -1
	// freed is set once, under the shard lock, by the Free that wins.
	freed bool
	alloc stack.Stack
	free  stack.Stack
	next  *block // quarantine queue
}

func (b *block) bytes() []byte { return unsafe.Slice((*byte)(b.user), b.size) }

func (b *block) onGuardPages() bool { return b.slot >= 0 }

// shards spread the table's lock over goroutines and C threads that
// allocate at once.
const shards = 64

type shard struct {
	mu sync.Mutex
	m  map[uintptr]*block
	_  [40]byte // keep neighbouring locks on separate cache lines
}

var table [shards]shard

func init() {
	for i := range table {
		table[i].m = make(map[uintptr]*block)
	}
	report.Register(report.Source{Name: "allocations", Live: liveBlocks, Stats: quarantineStats})
}

func shardOf(p uintptr) *shard { return &table[(p>>4^p>>12)%shards] }

// allocate makes a block of n bytes and records the stack skip frames
// above its caller.
func allocate(n uintptr, skip int) *block {
	b := &block{size: n, slot: -1}
	b.alloc.Capture(skip)
	if !sampled() || !placeOnGuardPages(b) {
		placeInRedzones(b)
	}
	p := uintptr(b.user)
	sh := shardOf(p)
	sh.mu.Lock()
	sh.m[p] = b
	sh.mu.Unlock()
	return b
}

func sampled() bool {
	switch n := config.Current.Sample; n {
	case 0:
		return false
	case 1:
		return true
	default:
		return rand.Uint64N(n) == 0
	}
}

// release is Free: it checks p, poisons or protects the block and
// quarantines it. Reports come after every lock is released.
func release(p unsafe.Pointer, skip int) {
	if p == nil {
		return
	}
	var at stack.Stack
	at.Capture(skip)
	addr := uintptr(p)
	sh := shardOf(addr)
	sh.mu.Lock()
	b := sh.m[addr]
	first := b != nil && !b.freed
	if first {
		b.freed = true
		b.free = at
	}
	sh.mu.Unlock()
	switch {
	case b == nil:
		report.Violate(&report.Violation{Kind: report.InvalidFree, Address: addr, Op: "Free",
			Message: fmt.Sprintf("Free of %s, which cguard did not allocate or has already released (the memory was not touched)", report.Hex(addr)),
			Stacks:  []report.NamedStack{{Name: report.ReportStack, Stack: &at}}})
		return
	case !first:
		report.Violate(&report.Violation{Kind: report.DoubleFree, Address: addr, Size: b.size, HasSize: true, Op: "Free",
			Message: fmt.Sprintf("second Free of the %d-byte C buffer at %s (the memory was not touched)", b.size, report.Hex(addr)),
			Stacks: []report.NamedStack{{Name: report.AllocStack, Stack: &b.alloc}, {Name: report.FreeStack, Stack: &b.free},
				{Name: report.ReportStack, Stack: &at}}})
		return
	}
	// This Free owns b from here on.
	checkBounds(b)
	if b.onGuardPages() {
		protect(b)
	} else {
		poison(b)
	}
	quarantine(b)
}

// forget removes b from the table before its memory is returned, so that a
// new block at the same address can be recorded.
func forget(b *block) {
	p := uintptr(b.user)
	sh := shardOf(p)
	sh.mu.Lock()
	delete(sh.m, p)
	sh.mu.Unlock()
}

func liveBlocks() []report.Live {
	var out []report.Live
	for i := range table {
		sh := &table[i]
		sh.mu.Lock()
		for p, b := range sh.m {
			if !b.freed {
				out = append(out, report.Live{Kind: report.LeakedAllocation, Address: p, Size: b.size, HasSize: true,
					Message: fmt.Sprintf("%d-byte C buffer at %s never freed", b.size, report.Hex(p)),
					Stacks:  []report.NamedStack{{Name: report.AllocStack, Stack: &b.alloc}}})
			}
		}
		sh.mu.Unlock()
	}
	return out
}
