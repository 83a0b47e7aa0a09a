//go:build cgo && cgoguard

package cguard

// #include "faults.h"
import "C"

import (
	"fmt"
	"os"
	"sync"
	"unsafe"

	"github.com/cgoguard/cgoguard/guard/internal/config"
	"github.com/cgoguard/cgoguard/guard/internal/report"
)

var pageSize = uintptr(os.Getpagesize())

// maxGuarded bounds the guard-page blocks alive or quarantined at once: each
// needs a fault table slot and up to three kernel memory areas, and Linux
// allows about 65530 areas per process. Allocations beyond it fall back to
// redzones.
const maxGuarded = 16384

// slots hands out fault table entries; only Go code changes the table.
var slots struct {
	mu        sync.Mutex
	installed bool
	free      []int
	next      int
}

func init() {
	if config.Current.Sample == 0 {
		return
	}
	json := 0
	if report.FaultJSON() {
		json = 1
	}
	if C.cguard_install(C.int(report.FaultFD()), C.int(json), maxGuarded) != 0 {
		fmt.Fprintln(os.Stderr, "cgoguard: cannot install the fault handler; guard pages are off")
		return
	}
	slots.installed = true
}

func takeSlot() (int, bool) {
	slots.mu.Lock()
	defer slots.mu.Unlock()
	switch {
	case !slots.installed:
		return 0, false
	case len(slots.free) > 0:
		i := slots.free[len(slots.free)-1]
		slots.free = slots.free[:len(slots.free)-1]
		return i, true
	case slots.next < maxGuarded:
		slots.next++
		return slots.next - 1, true
	}
	return 0, false
}

func returnSlot(i int) {
	slots.mu.Lock()
	defer slots.mu.Unlock()
	slots.free = append(slots.free, i)
}

// placeOnGuardPages maps b between two PROT_NONE pages, flush against the
// trailing one so that the first byte past the end faults. The front slack
// holds canaries checked at Free. It returns false when no slot or mapping
// is available.
func placeOnGuardPages(b *block) bool {
	slot, ok := takeSlot()
	if !ok {
		return false
	}
	data := (max(b.size, 1) + pageSize - 1) &^ (pageSize - 1)
	m := C.cguard_map(C.size_t(data), C.size_t(pageSize))
	if m == nil {
		returnSlot(slot)
		return false
	}
	b.base, b.span, b.slot = m, data+2*pageSize, slot
	b.user = unsafe.Add(m, pageSize+data-b.size)
	fillCanary(b.front())
	// Rendered now: the fault handler may not allocate or symbolize.
	text := render(b, "cgoguard: access outside the %d-byte C buffer at %s (guard page)",
		report.NamedStack{Name: report.AllocStack, Stack: &b.alloc})
	C.cguard_slot_publish(C.size_t(slot), m, C.size_t(b.span), b.user, C.size_t(b.size), text)
	return true
}

// protect makes a freed guard-page block inaccessible, after giving the
// fault handler its use-after-free report.
func protect(b *block) {
	text := render(b, "cgoguard: use-after-free: access to the %d-byte C buffer at %s after Free",
		report.NamedStack{Name: report.AllocStack, Stack: &b.alloc}, report.NamedStack{Name: report.FreeStack, Stack: &b.free})
	C.cguard_text_free(C.cguard_slot_freed(C.size_t(b.slot), text))
	data := b.span - 2*pageSize
	if C.cguard_protect(unsafe.Add(b.base, pageSize), C.size_t(data)) != 0 {
		// Without protection the block still works as a poisoned one.
		poison(b)
	}
}

// releaseGuarded unmaps a guard-page block leaving quarantine.
func releaseGuarded(b *block) {
	C.cguard_text_free(C.cguard_slot_clear(C.size_t(b.slot)))
	forget(b)
	C.cguard_unmap(b.base, C.size_t(b.span))
	returnSlot(b.slot)
	recycle(b)
}

func render(b *block, format string, stacks ...report.NamedStack) *C.cguard_text {
	v := &report.Violation{Address: uintptr(b.user), Size: b.size, HasSize: true, Stacks: stacks}
	text := report.Prerender(v.Resolve(), fmt.Sprintf(format, b.size, report.Hex(uintptr(b.user))))
	return C.cguard_text_new((*C.char)(unsafe.Pointer(&text[0])), C.size_t(len(text)))
}
