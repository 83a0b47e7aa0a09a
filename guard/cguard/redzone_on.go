//go:build cgo && cgoguard

package cguard

// #include <stdlib.h>
import "C"

import (
	"bytes"
	"fmt"
	"unsafe"

	"github.com/cgoguard/cgoguard/guard/internal/report"
)

// redzone is the canary space before each buffer; after it there is at
// least as much, plus padding to keep the total a multiple of 16.
const redzone = 16

// poisonByte fills freed buffers. 0xDF reads as neither a small integer nor
// a plausible pointer, and as "deleted, freed".
const poisonByte = 0xDF

var poisonChunk = bytes.Repeat([]byte{poisonByte}, 4096)

// canary is the byte expected at address a in a redzone. It varies with the
// address so that a copy of redzone bytes elsewhere is still caught, and is
// never zero, the most common stray write.
func canary(a uintptr) byte { return 0xA0 | byte(a&0x0F) }

func placeInRedzones(b *block) {
	b.span = redzone + (b.size+15)&^15 + redzone
	b.class, _ = arenaClassOf(b.span)
	if b.class >= 0 {
		_, size := arenaClassOf(b.span)
		b.base = arenaAlloc(b.class, size)
	}
	if b.base == nil {
		b.class = -1
		b.base = C.malloc(C.size_t(b.span))
	}
	b.user = unsafe.Add(b.base, redzone)
	fillCanary(b.front())
	fillCanary(b.back())
}

// guardCanaries is how much of a guard-page buffer's front slack (up to a
// page) holds canaries: filling and checking the whole slack would cost
// more than the rest of a guarded allocation.
const guardCanaries = 64

// front and back are the canary bytes around the buffer. A guard-page
// block has only a front, the end of the slack of its data pages: it ends
// at the guard gap.
func (b *block) front() []byte {
	start := b.base
	if b.onGuardPages() {
		start = unsafe.Add(b.user, -min(guardCanaries, int(uintptr(b.user)-uintptr(b.base))))
	}
	return unsafe.Slice((*byte)(start), uintptr(b.user)-uintptr(start))
}

func (b *block) back() []byte {
	if b.onGuardPages() {
		return nil
	}
	end := uintptr(b.base) + b.span
	tail := uintptr(b.user) + b.size
	return unsafe.Slice((*byte)(unsafe.Add(b.user, b.size)), end-tail)
}

// canaryRun holds canary bytes for addresses 0, 1, 2, ...: the canary
// repeats every 16 bytes, so any span can be filled or compared with one
// copy or bytes.Equal of a slice of it, which matters for the front slack
// of guard-page buffers (up to a page).
var canaryRun = func() []byte {
	b := make([]byte, 4096+16)
	for i := range b {
		b[i] = canary(uintptr(i))
	}
	return b
}()

// canaryFor returns the canary bytes for the n bytes at s[0:n], n <= 4096.
func canaryFor(s []byte) []byte {
	start := int(uintptr(unsafe.Pointer(unsafe.SliceData(s))) & 15)
	return canaryRun[start : start+len(s)]
}

func fillCanary(s []byte) {
	for len(s) > 0 {
		n := min(len(s), 4096)
		copy(s[:n], canaryFor(s[:n]))
		s = s[n:]
	}
}

// badCanary returns the index of the first wrong canary byte scanning from
// the buffer outwards (fromEnd scans a front redzone backwards), or -1.
func badCanary(s []byte, fromEnd bool) int {
	intact := true
	for off := 0; off < len(s) && intact; off += 4096 {
		chunk := s[off:min(off+4096, len(s))]
		intact = bytes.Equal(chunk, canaryFor(chunk))
	}
	if intact {
		return -1
	}
	for k := range s {
		i := k
		if fromEnd {
			i = len(s) - 1 - k
		}
		if s[i] != canary(uintptr(unsafe.Pointer(&s[i]))) {
			return i
		}
	}
	return -1
}

// checkBounds reports writes into the canaries at Free.
func checkBounds(b *block) {
	if i := badCanary(b.back(), false); i >= 0 {
		boundsViolation(b, report.BufferOverflow, int64(b.size)+int64(i))
	}
	front := b.front()
	if i := badCanary(front, true); i >= 0 {
		boundsViolation(b, report.BufferUnderflow, int64(i-len(front)))
	}
}

func boundsViolation(b *block, kind report.Kind, offset int64) {
	where := "past the end"
	if offset < 0 {
		where = "before the start"
	}
	report.Violate(&report.Violation{Kind: kind, Address: uintptr(b.user), Size: b.size, HasSize: true, Offset: offset, HasOffset: true, Op: "Free",
		Message: fmt.Sprintf("the %d-byte C buffer at %s was written %s (offset %d), found at Free", b.size, report.Hex(uintptr(b.user)), where, offset),
		Stacks:  []report.NamedStack{{Name: report.AllocStack, Stack: &b.alloc}, {Name: report.FreeStack, Stack: &b.free}}})
}

func poison(b *block) {
	s := b.bytes()
	for len(s) > 0 {
		s = s[copy(s, poisonChunk):]
	}
}

// evictWindow is how much of each end of a buffer leaving the quarantine
// is checked for writes after Free. The whole buffer is poisoned at Free
// and checked by Check; at eviction, on memory long out of cache, the ends
// (where headers, counts and links live) are checked and the middle is
// not, which keeps eviction within the debug build's cost target.
const evictWindow = 64

// poisonChanged returns the offset of the first byte of b written since
// Free, poison or canary, or ok false. Unless whole, only evictWindow
// bytes at each end of the buffer are checked.
func poisonChanged(b *block, whole bool) (offset int64, changed bool) {
	s := b.bytes()
	if whole || len(s) <= 2*evictWindow {
		if off, ok := firstNotPoison(s, 0); ok {
			return off, true
		}
	} else {
		if off, ok := firstNotPoison(s[:evictWindow], 0); ok {
			return off, true
		}
		if off, ok := firstNotPoison(s[len(s)-evictWindow:], len(s)-evictWindow); ok {
			return off, true
		}
	}
	if i := badCanary(b.back(), false); i >= 0 {
		return int64(b.size) + int64(i), true
	}
	front := b.front()
	if i := badCanary(front, true); i >= 0 {
		return int64(i - len(front)), true
	}
	return 0, false
}

// firstNotPoison returns base plus the index of the first byte of s that
// is not poison.
func firstNotPoison(s []byte, base int) (int64, bool) {
	for off := 0; off < len(s); off += len(poisonChunk) {
		chunk := s[off:min(off+len(poisonChunk), len(s))]
		if !bytes.Equal(chunk, poisonChunk[:len(chunk)]) {
			for i, c := range chunk {
				if c != poisonByte {
					return int64(base + off + i), true
				}
			}
		}
	}
	return 0, false
}

// releaseRedzoned verifies the poison of a block leaving quarantine and
// returns its memory.
func releaseRedzoned(b *block) {
	var v *report.Violation
	if offset, changed := poisonChanged(b, false); changed && !b.checked {
		v = writeAfterFree(b, offset, "found when it left quarantine")
	}
	forget(b)
	if b.class >= 0 {
		arenaFree(b.class, b.base)
	} else {
		C.free(b.base)
	}
	recycle(b)
	if v != nil {
		report.Violate(v)
	}
}
