//go:build cgo && cgoguard

package cguard

/*
#include <stdint.h>
#include "faults.h"

static uintptr_t cguard_install_addr(void) { return (uintptr_t)&cguard_install; }
*/
import "C"

import (
	"debug/elf"
	"slices"
	"unsafe"
)

// loadSymbols gives the fault handler the executable's function symbols,
// Go and C alike, so that a fault report names the function that made the
// access. Reading them at start-up takes about 2 ms for a 10k-symbol
// binary. A stripped executable has no symbols, and reports go without
// them.
func loadSymbols() {
	f, err := elf.Open("/proc/self/exe")
	if err != nil {
		return
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		return
	}
	type sym struct {
		addr uintptr
		name string
	}
	var funcs []sym
	var bias uintptr
	var goLo, goHi uint64
	for _, s := range syms {
		switch s.Name {
		case "cguard_install":
			bias = uintptr(C.cguard_install_addr()) - uintptr(s.Value)
		case "runtime.text":
			goLo = s.Value
		case "runtime.etext":
			goHi = s.Value
		}
		if elf.ST_TYPE(s.Info) == elf.STT_FUNC && s.Value != 0 {
			funcs = append(funcs, sym{uintptr(s.Value), s.Name})
		}
	}
	if bias == 0 && goLo == 0 {
		return
	}
	slices.SortFunc(funcs, func(a, b sym) int {
		switch {
		case a.addr < b.addr:
			return -1
		case a.addr > b.addr:
			return 1
		}
		return 0
	})
	n := len(funcs)
	if n == 0 {
		return
	}
	// C memory, never freed: the handler may read it at any time.
	addrs := (*[1 << 30]C.uintptr_t)(C.malloc(C.size_t(n) * C.size_t(unsafe.Sizeof(C.uintptr_t(0)))))[:n:n]
	names := (*[1 << 30]*C.char)(C.malloc(C.size_t(n) * C.size_t(unsafe.Sizeof((*C.char)(nil)))))[:n:n]
	for i, s := range funcs {
		addrs[i] = C.uintptr_t(s.addr + bias)
		names[i] = C.CString(s.name)
	}
	C.cguard_symbols(&addrs[0], &names[0], C.size_t(n), C.uintptr_t(uintptr(goLo)+bias), C.uintptr_t(uintptr(goHi)+bias))
}
