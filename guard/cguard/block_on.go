//go:build cgo && cgoguard

package cguard

import (
	"fmt"
	"sync"
	"unsafe"

	"github.com/cgoguard/cgoguard/guard/internal/config"
	"github.com/cgoguard/cgoguard/guard/internal/report"
	"github.com/cgoguard/cgoguard/guard/internal/sample"
	"github.com/cgoguard/cgoguard/guard/internal/stack"
	"github.com/cgoguard/cgoguard/guard/internal/table"
)

// block is the guard's record of one allocation. Pointer fields come
// first so that the garbage collector stops scanning before the stacks.
type block struct {
	user unsafe.Pointer // what the caller got
	base unsafe.Pointer // the malloc block, or the data pages of the slot, behind user
	slot *slot          // the guard-page slot holding the block, or nil
	size uintptr        // what the caller asked for
	span uintptr        // bytes at base
	// class is the arena class of a block in redzones, or -1 when its
	// memory came from malloc.
	class int
	// freed is set once, under the shard lock, by the Free that wins.
	freed bool
	// checked is set when Check found the poison disturbed, so that the
	// block is not reported again when it leaves the quarantine.
	checked bool
	alloc   stack.Stack
	free    stack.Stack
}

// cost is what b holds while quarantined: its C memory and this record.
func (b *block) cost() uint64 { return uint64(b.span) + uint64(unsafe.Sizeof(*b)) }

// blocks recycles records: one allocation and its garbage collection per
// C allocation would otherwise be the largest cost of a debug build.
var blocks = sync.Pool{New: func() any { return new(block) }}

func newBlock(n uintptr) *block {
	b := blocks.Get().(*block)
	*b = block{size: n}
	return b
}

// recycle returns b to the pool once nothing refers to it: it has left the
// table and every report about it has been resolved.
func recycle(b *block) { blocks.Put(b) }

func (b *block) bytes() []byte { return unsafe.Slice((*byte)(b.user), b.size) }

func (b *block) onGuardPages() bool { return b.slot != nil }

// shards spread the table's lock over goroutines and C threads that
// allocate at once.
const shards = 64

type shard struct {
	mu sync.Mutex
	m  table.Table[*block]
	_  [128 - unsafe.Sizeof(sync.Mutex{}) - unsafe.Sizeof(table.Table[*block]{})]byte // one shard per two cache lines
}

var books [shards]shard

func init() {
	report.Register(report.Source{Name: "allocations", Live: liveBlocks})
	report.Register(report.Source{Name: "quarantine", Stats: quarantineStats, Verify: verifyQuarantine})
	report.Register(report.Source{Name: "guard_pages", Stats: poolStats})
	report.Register(report.Source{Name: "arena", Stats: arenaStats})
}

// siteFrames is how many innermost frames make an allocation site: the
// guard's own two or three, and the user's call with two callers, so that
// a helper that wraps Malloc is several sites, one per caller.
const siteFrames = 6

// sites applies the sampling policy of CGOGUARD_SAMPLE and
// CGOGUARD_SAMPLE_FIRST.
var sites = sample.New(sample.Policy{First: config.Current.First, Floor: config.Current.Sample})

func shardOf(p uintptr) *shard { return &books[(p>>4^p>>12)%shards] }

// allocate makes a block of n bytes and records its stack.
func allocate(n uintptr) *block { return allocateFrom(n, 0) }

// allocateFrom is allocate for a caller in C, at return address cpc, or
// in Go (cpc 0).
func allocateFrom(n uintptr, cpc uint64) *block {
	b := newBlock(n)
	b.alloc.Capture()
	if guard, n := sites.Decide(b.alloc.SiteHash(siteFrames) ^ cpc); !guard || !placeOnGuardPages(b, n) {
		placeInRedzones(b)
	}
	p := uintptr(b.user)
	sh := shardOf(p)
	sh.mu.Lock()
	sh.m.Put(p, b)
	sh.mu.Unlock()
	return b
}

// release is Free: it checks p, poisons or protects the block and
// quarantines it. Reports come after every lock is released.
func release(p unsafe.Pointer) {
	if p == nil {
		return
	}
	addr := uintptr(p)
	sh := shardOf(addr)
	sh.mu.Lock()
	b, _ := sh.m.Get(addr)
	if b == nil || b.freed {
		var earlier *block
		if b != nil {
			// A copy: b may leave quarantine and be recycled meanwhile.
			earlier = new(block)
			*earlier = *b
		}
		sh.mu.Unlock()
		var at stack.Stack
		at.Capture()
		freeViolation(addr, earlier, at)
		return
	}
	// Captured under the lock: a racing second Free copies b under it.
	b.freed = true
	b.free.Capture()
	sh.mu.Unlock()
	// This Free owns b from here on.
	checkBounds(b)
	if b.onGuardPages() {
		protect(b)
		return
	}
	poison(b)
	quarantine(b)
}

// freeViolation reports a Free of addr, which is not live: earlier is a copy
// of its freed block, or nil if cguard does not know addr. at is passed by
// value so that only this rare path moves a stack to the heap.
func freeViolation(addr uintptr, earlier *block, at stack.Stack) {
	b := earlier
	if b == nil {
		v := &report.Violation{Kind: report.InvalidFree, Address: addr, Op: "Free",
			Message: fmt.Sprintf("Free of %s, which cguard did not allocate or has already released (the memory was not touched)", report.Hex(addr)),
			Stacks:  []report.NamedStack{{Name: report.ReportStack, Stack: &at}}}
		if in := containing(addr); in != nil {
			state := "live"
			if in.freed {
				state = "freed"
			}
			v.Size, v.HasSize = in.size, true
			v.Message = fmt.Sprintf("Free of %s, %d bytes into the %s %d-byte C buffer at %s: not a pointer cguard returned (the memory was not touched)",
				report.Hex(addr), addr-uintptr(in.user), state, in.size, report.Hex(uintptr(in.user)))
			v.Stacks = []report.NamedStack{{Name: report.AllocStack, Stack: &in.alloc}}
			if in.freed {
				v.Stacks = append(v.Stacks, report.NamedStack{Name: report.FreeStack, Stack: &in.free})
			}
			v.Stacks = append(v.Stacks, report.NamedStack{Name: report.ReportStack, Stack: &at})
		}
		report.Violate(v)
		return
	}
	report.Violate(&report.Violation{Kind: report.DoubleFree, Address: addr, Size: b.size, HasSize: true, Op: "Free",
		Message: fmt.Sprintf("second Free of the %d-byte C buffer at %s (the memory was not touched)", b.size, report.Hex(addr)),
		Stacks: []report.NamedStack{{Name: report.AllocStack, Stack: &b.alloc}, {Name: report.FreeStack, Stack: &b.free},
			{Name: report.ReportStack, Stack: &at}}})
}

// containing returns a copy of the block whose buffer holds addr, or nil.
// It scans every shard: only an invalid Free, already a violation, asks.
func containing(addr uintptr) *block {
	for i := range books {
		sh := &books[i]
		var found *block
		sh.mu.Lock()
		sh.m.Each(func(p uintptr, b *block) {
			if found == nil && addr > p && addr < p+b.size {
				found = new(block)
				*found = *b
			}
		})
		sh.mu.Unlock()
		if found != nil {
			return found
		}
	}
	return nil
}

// forget removes b from the table before its memory is returned, so that a
// new block at the same address can be recorded.
func forget(b *block) {
	p := uintptr(b.user)
	sh := shardOf(p)
	sh.mu.Lock()
	sh.m.Remove(p)
	sh.mu.Unlock()
}

func liveBlocks() []report.Live {
	var out []report.Live
	for i := range books {
		sh := &books[i]
		sh.mu.Lock()
		sh.m.Each(func(_ uintptr, b *block) {
			if !b.freed {
				p := uintptr(b.user)
				alloc := b.alloc // a copy: b may be freed and recycled once the lock is dropped
				out = append(out, report.Live{Kind: report.LeakedAllocation, Address: p, Size: b.size, HasSize: true,
					Message: fmt.Sprintf("%d-byte C buffer at %s not freed", b.size, report.Hex(p)),
					Stacks:  []report.NamedStack{{Name: report.AllocStack, Stack: &alloc}}})
			}
		})
		sh.mu.Unlock()
	}
	return out
}
