//go:build cgo && cgoguard

package cguard

// #include "faults.h"
import "C"

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/cgoguard/cgoguard/guard/internal/config"
	"github.com/cgoguard/cgoguard/guard/internal/report"
)

var pageSize = uintptr(os.Getpagesize())

// Guard-page geometry. A chunk is mapped PROT_NONE once; each slot in it
// is a run of data pages between guard gaps of gapPages pages, so placing a
// buffer and freeing it only flip the data pages' protection. The gap
// costs address space, not memory: an overflow up to half a gap (32 KiB)
// past the end still faults and is charged to the right buffer.
const (
	gapPages   = 16
	chunkSlots = 64
	// maxSlots bounds the fault table. Each slot's data pages and each
	// gap are kernel memory areas of their own (see cguard_separate), of
	// the 65530 Linux allows a process by default.
	maxSlots = 8192
)

// classPages are the data sizes of pooled slots, in pages. Larger buffers
// get a mapping of their own, made and unmade at allocation and release.
var classPages = [...]uintptr{1, 2, 4, 8, 16}

// slot is a place for one guarded buffer.
type slot struct {
	idx   int            // fault table index
	data  unsafe.Pointer // first data page
	pages uintptr
	class int    // index into classPages; -1 for a mapping of its own
	b     *block // the buffer it holds, live or quarantined
	next  *slot  // quarantine queue
}

type slotClass struct {
	free        []*slot // never used, or given back
	head, tail  *slot   // quarantined, oldest first
	quarantined uint64
}

// pool is every guarded slot. Its lock is never held while a report is
// written or a shard lock is taken.
var pool struct {
	mu        sync.Mutex
	installed bool
	nextIdx   int
	freeIdx   []int  // indexes of own mappings released
	bytes     uint64 // data bytes of slots holding a buffer
	peak      uint64
	live      uint64
	placed    uint64 // buffers ever placed on guard pages
	reused    uint64 // quarantined slots taken back for a new buffer
	denied    uint64 // sampled allocations that found no room
	// liveBytes mirrors the data bytes of live guarded buffers, read
	// without the lock to keep room for new sites.
	liveBytes atomic.Uint64
	classes   [len(classPages)]slotClass
}

func init() {
	if config.Current.Sample == 0 {
		return
	}
	json := 0
	if report.FaultJSON() {
		json = 1
	}
	if C.cguard_install(C.int(report.FaultFD()), C.int(json), maxSlots) != 0 {
		fmt.Fprintln(os.Stderr, "cgoguard: cannot install the fault handler; guard pages are off")
		return
	}
	pool.installed = true
	loadSymbols()
}

// poolFigures are shown by the HTTP view.
type poolFigures struct {
	Live        uint64 `json:"live"`
	Quarantined uint64 `json:"quarantined"`
	Bytes       uint64 `json:"bytes"`
	PeakBytes   uint64 `json:"peak_bytes"`
	BoundBytes  uint64 `json:"bound_bytes"`
	Placed      uint64 `json:"placed"`
	Reused      uint64 `json:"reused"`
	Denied      uint64 `json:"denied"`
	Slots       int    `json:"slots"`
}

func poolStats() any {
	pool.mu.Lock()
	defer pool.mu.Unlock()
	f := poolFigures{Live: pool.live, Bytes: pool.bytes, PeakBytes: pool.peak, BoundBytes: config.Current.GuardBytes,
		Placed: pool.placed, Reused: pool.reused, Denied: pool.denied, Slots: pool.nextIdx - len(pool.freeIdx)}
	for i := range pool.classes {
		f.Quarantined += pool.classes[i].quarantined
	}
	return f
}

func classOf(pages uintptr) int {
	for i, p := range classPages {
		if pages <= p {
			return i
		}
	}
	return -1
}

// grow maps a chunk of slots of class c. Called with pool.mu held.
func grow(c int) bool {
	pages := classPages[c]
	if pool.nextIdx+chunkSlots > maxSlots {
		return false
	}
	stride := (pages + gapPages) * pageSize
	base := C.cguard_reserve(C.size_t(gapPages*pageSize + chunkSlots*stride))
	if base == nil {
		return false
	}
	for j := uintptr(0); j <= chunkSlots; j++ {
		C.cguard_separate(unsafe.Add(base, j*stride), gapPages*C.size_t(pageSize))
	}
	cl := &pool.classes[c]
	for j := chunkSlots - 1; j >= 0; j-- {
		data := unsafe.Add(base, gapPages*pageSize+uintptr(j)*stride)
		s := &slot{idx: pool.nextIdx + j, data: data, pages: pages, class: c}
		setRegion(s)
		cl.free = append(cl.free, s)
	}
	pool.nextIdx += chunkSlots
	return true
}

// setRegion tells the fault handler which addresses belong to s: its data
// pages and half of the gap on each side.
func setRegion(s *slot) {
	half := gapPages * pageSize / 2
	data := uintptr(s.data)
	C.cguard_slot_region(C.size_t(s.idx), C.uintptr_t(data-half), C.uintptr_t(data+s.pages*pageSize+half))
}

// takeSlot finds a slot for a buffer of pages pages within the budget: a
// free one, a new chunk, or the oldest quarantined one of its class. When
// the budget is spent on other sizes, it takes back their oldest freed
// slots first. The blocks of the quarantined slots it took are returned,
// for the caller to forget. Called with pool.mu held.
func takeSlot(pages uintptr) (s *slot, evicted []*block) {
	c := classOf(pages)
	if c < 0 {
		size := uint64(pages * pageSize)
		evicted = reclaim(size, -1)
		return takeOwnSlot(pages), evicted
	}
	cl := &pool.classes[c]
	size := uint64(classPages[c] * pageSize)
	if pool.bytes+size > config.Current.GuardBytes && cl.head == nil {
		evicted = reclaim(size, c)
	}
	if pool.bytes+size <= config.Current.GuardBytes {
		if len(cl.free) == 0 {
			grow(c)
		}
		if n := len(cl.free); n > 0 {
			s = cl.free[n-1]
			cl.free = cl.free[:n-1]
			pool.bytes += size
			pool.peak = max(pool.peak, pool.bytes)
			return s, evicted
		}
	}
	if s = dequeue(cl); s == nil {
		return nil, evicted
	}
	pool.reused++
	b := s.b
	s.b = nil
	return s, append(evicted, b)
}

// dequeue takes the oldest quarantined slot of cl. Called with pool.mu held.
func dequeue(cl *slotClass) *slot {
	s := cl.head
	if s == nil {
		return nil
	}
	cl.head = s.next
	if cl.head == nil {
		cl.tail = nil
	}
	cl.quarantined--
	s.next = nil
	return s
}

// reclaim gives back the oldest freed slots of classes other than keep,
// largest first, until size more bytes fit in the budget or none is left.
// It returns their blocks. Called with pool.mu held.
func reclaim(size uint64, keep int) []*block {
	var out []*block
	for c := len(pool.classes) - 1; c >= 0 && pool.bytes+size > config.Current.GuardBytes; c-- {
		if c == keep {
			continue
		}
		cl := &pool.classes[c]
		for pool.bytes+size > config.Current.GuardBytes {
			s := dequeue(cl)
			if s == nil {
				break
			}
			out = append(out, s.b)
			s.b = nil
			C.cguard_slot_empty(C.size_t(s.idx))
			cl.free = append(cl.free, s)
			pool.bytes -= uint64(classPages[c] * pageSize)
			pool.reused++
		}
	}
	return out
}

// takeOwnSlot maps a buffer too large for the classes between two gaps.
// Called with pool.mu held.
func takeOwnSlot(pages uintptr) *slot {
	size := uint64(pages * pageSize)
	if pool.bytes+size > config.Current.GuardBytes {
		return nil
	}
	idx := -1
	if n := len(pool.freeIdx); n > 0 {
		idx = pool.freeIdx[n-1]
		pool.freeIdx = pool.freeIdx[:n-1]
	} else if pool.nextIdx < maxSlots {
		idx = pool.nextIdx
		pool.nextIdx++
	} else {
		return nil
	}
	base := C.cguard_reserve(C.size_t((pages + 2*gapPages) * pageSize))
	if base == nil {
		pool.freeIdx = append(pool.freeIdx, idx)
		return nil
	}
	s := &slot{idx: idx, data: unsafe.Add(base, gapPages*pageSize), pages: pages, class: -1}
	C.cguard_separate(base, gapPages*C.size_t(pageSize))
	C.cguard_separate(unsafe.Add(s.data, pages*pageSize), gapPages*C.size_t(pageSize))
	setRegion(s)
	pool.bytes += size
	pool.peak = max(pool.peak, pool.bytes)
	return s
}

// keepForNewSites is how many allocations at a site may still go on guard
// pages when live guarded buffers hold half the budget: the rest of it is
// kept for the first allocations at sites not seen yet, since live
// buffers, unlike freed ones, cannot give their slots back.
const keepForNewSites = 2

// placeOnGuardPages puts b, the nth allocation at its site (0: unknown),
// flush against the guard gap that follows its slot's data pages, so that
// the first byte past the end faults. The front slack holds canaries
// checked at Free. It returns false when the budget or the fault table has
// no room.
func placeOnGuardPages(b *block, n uint64) bool {
	if !pool.installed {
		return false
	}
	if n > keepForNewSites && 2*pool.liveBytes.Load() > config.Current.GuardBytes {
		pool.mu.Lock()
		pool.denied++
		pool.mu.Unlock()
		return false
	}
	pages := (max(b.size, 1) + pageSize - 1) / pageSize
	pool.mu.Lock()
	s, evicted := takeSlot(pages)
	if s != nil {
		pool.live++
		pool.placed++
	} else {
		pool.denied++
	}
	pool.mu.Unlock()
	for _, e := range evicted {
		forget(e)
		recycle(e)
	}
	if s == nil {
		return false
	}
	span := s.pages * pageSize
	if C.cguard_protect(s.data, C.size_t(span), 1) != 0 {
		giveBack(s, true)
		return false
	}
	b.slot, b.base, b.span = s, s.data, span
	b.user = unsafe.Add(s.data, span-b.size)
	pool.liveBytes.Add(uint64(span))
	fillCanary(b.front())
	s.b = b
	C.cguard_slot_live(C.size_t(s.idx), C.uintptr_t(uintptr(b.user)), C.size_t(b.size), textOf(&b.alloc))
	return true
}

// giveBack returns a slot that holds no buffer. Called without pool.mu.
func giveBack(s *slot, wasLive bool) {
	C.cguard_slot_empty(C.size_t(s.idx))
	pool.mu.Lock()
	defer pool.mu.Unlock()
	if wasLive {
		pool.live--
	}
	pool.bytes -= uint64(s.pages * pageSize)
	if s.class >= 0 {
		cl := &pool.classes[s.class]
		cl.free = append(cl.free, s)
		return
	}
	C.cguard_slot_region(C.size_t(s.idx), 0, 0)
	C.cguard_unmap(unsafe.Add(s.data, -int(gapPages*pageSize)), C.size_t((s.pages+2*gapPages)*pageSize))
	pool.freeIdx = append(pool.freeIdx, s.idx)
}

// protect makes a freed guarded buffer inaccessible and quarantines its
// slot: any later access faults, and the fault handler names the free.
func protect(b *block) {
	s := b.slot
	pool.liveBytes.Add(-uint64(b.span))
	C.cguard_slot_freed(C.size_t(s.idx), textOf(&b.free))
	if C.cguard_protect(s.data, C.size_t(b.span), 0) != 0 {
		// Without protection the block still works as a poisoned one.
		poison(b)
	}
	if s.class < 0 {
		// Too large for the pool: the byte quarantine holds it.
		pool.mu.Lock()
		pool.live--
		pool.mu.Unlock()
		quarantine(b)
		return
	}
	pool.mu.Lock()
	defer pool.mu.Unlock()
	pool.live--
	cl := &pool.classes[s.class]
	if cl.tail == nil {
		cl.head = s
	} else {
		cl.tail.next = s
	}
	cl.tail = s
	cl.quarantined++
}

// releaseOwnMapping unmaps a large guarded block leaving the byte
// quarantine.
func releaseOwnMapping(b *block) {
	forget(b)
	s := b.slot
	s.b = nil
	giveBack(s, false)
	recycle(b)
}
