//go:build cgo && cgoguard

package cguard

/*
#include <stdint.h>
#include "faults.h"

static uintptr_t cguard_install_addr(void) { return (uintptr_t)&cguard_install; }
*/
import "C"

import (
	"cmp"
	"debug/elf"
	"debug/gosym"
	"reflect"
	"runtime"
	"slices"
	"unsafe"
)

// loadSymbols gives the fault handler the executable's function symbols,
// Go and C alike, so that a fault report names the function that made the
// access. Reading them at start-up takes about 2 ms for a 10k-symbol
// binary. A stripped executable (go test and go run link with -s) names
// its Go functions only, from the pclntab; a fault in C code is then
// reported with the file mapped at the faulting address.
func loadSymbols() {
	f, err := elf.Open("/proc/self/exe")
	if err != nil {
		return
	}
	defer func() { _ = f.Close() }()
	funcs, lo, hi, ok := elfSymbols(f)
	if !ok {
		// Stripped (go test and go run link with -s): the Go functions
		// are still in the pclntab the runtime itself uses.
		if funcs, lo, hi, ok = pclntabSymbols(f); !ok {
			return
		}
	}
	slices.SortFunc(funcs, func(a, b sym) int { return cmp.Compare(a.addr, b.addr) })
	n := len(funcs)
	if n == 0 {
		return
	}
	// C memory, never freed: the handler may read it at any time.
	words := func() []C.uintptr_t {
		return (*[1 << 30]C.uintptr_t)(C.malloc(C.size_t(n) * C.size_t(unsafe.Sizeof(C.uintptr_t(0)))))[:n:n]
	}
	addrs, ends := words(), words()
	names := (*[1 << 30]*C.char)(C.malloc(C.size_t(n) * C.size_t(unsafe.Sizeof((*C.char)(nil)))))[:n:n]
	for i, s := range funcs {
		addrs[i] = C.uintptr_t(s.addr)
		ends[i] = C.uintptr_t(s.addr + s.size)
		names[i] = C.CString(s.name)
	}
	C.cguard_symbols(&addrs[0], &ends[0], &names[0], C.size_t(n), C.uintptr_t(lo), C.uintptr_t(hi))
}

// sym is a function at its run-time address.
type sym struct {
	addr, size uintptr
	name       string
}

// elfSymbols reads the symbol table, Go and C functions alike, and the
// bounds of the Go text.
func elfSymbols(f *elf.File) (funcs []sym, goLo, goHi uintptr, ok bool) {
	syms, err := f.Symbols()
	if err != nil {
		return nil, 0, 0, false
	}
	bias, haveBias := uintptr(0), false
	for _, s := range syms {
		switch s.Name {
		case "cguard_install":
			bias, haveBias = uintptr(C.cguard_install_addr())-uintptr(s.Value), true
		case "runtime.text":
			goLo = uintptr(s.Value)
		case "runtime.etext":
			goHi = uintptr(s.Value)
		}
		if elf.ST_TYPE(s.Info) == elf.STT_FUNC && s.Value != 0 && s.Size != 0 {
			funcs = append(funcs, sym{uintptr(s.Value), uintptr(s.Size), s.Name})
		}
	}
	if !haveBias {
		return nil, 0, 0, false
	}
	for i := range funcs {
		funcs[i].addr += bias
	}
	return funcs, goLo + bias, goHi + bias, true
}

// pclntabSymbols reads the Go functions from the pclntab.
func pclntabSymbols(f *elf.File) (funcs []sym, goLo, goHi uintptr, ok bool) {
	pcln, text := f.Section(".gopclntab"), f.Section(".text")
	if pcln == nil || text == nil {
		return nil, 0, 0, false
	}
	data, err := pcln.Data()
	if err != nil {
		return nil, 0, 0, false
	}
	table, err := gosym.NewTable(nil, gosym.NewLineTable(data, text.Addr))
	if err != nil || len(table.Funcs) == 0 {
		return nil, 0, 0, false
	}
	// Where this very function is, against where the table says it is:
	// the load bias of a position-independent executable, and the offset
	// of the text start the table was read with.
	here := runtime.FuncForPC(reflect.ValueOf(pclntabSymbols).Pointer())
	if here == nil {
		return nil, 0, 0, false
	}
	found := table.LookupFunc(here.Name())
	if found == nil {
		return nil, 0, 0, false
	}
	bias := here.Entry() - uintptr(found.Entry)
	for _, fn := range table.Funcs {
		funcs = append(funcs, sym{uintptr(fn.Entry) + bias, uintptr(fn.End - fn.Entry), fn.Name})
	}
	return funcs, uintptr(table.Funcs[0].Entry) + bias, uintptr(table.Funcs[len(table.Funcs)-1].End) + bias, true
}
