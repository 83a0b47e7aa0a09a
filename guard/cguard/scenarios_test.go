//go:build cgo && cgoguard

package cguard_test

import (
	"fmt"
	"os"
	"unsafe"

	"github.com/cgoguard/cgoguard/guard"
	"github.com/cgoguard/cgoguard/guard/cguard"
	"github.com/cgoguard/cgoguard/guard/cguard/internal/ctest"
	"github.com/cgoguard/cgoguard/guard/cguard/internal/rawc"
)

// The scenarios misuse memory in a child process; crash_test.go checks the
// reports. Each step is its own non-inlined function so that reports can be
// checked for the frames that allocated, freed and misused.

func init() {
	for name, f := range map[string]func(){
		"uaf-read-go":       func() { readFromGo(freedBuffer()) },
		"uaf-write-go":      func() { writeFromGo(freedBuffer()) },
		"uaf-read-c":        func() { readFromC(freedBuffer(), 0) },
		"uaf-write-c":       func() { writeFromC(freedBuffer(), 5) },
		"uaf-read-c-thread": func() { readOnCThread(freedBuffer()) },
		"overflow-guard":    func() { writeFromC(allocBuffer(24), 24) },
		"overflow-redzone":  func() { p := allocBuffer(24); writeFromC(p, 24); freeBuffer(p) },
		"underflow-redzone": func() { p := allocBuffer(24); writeFromC(p, -1); freeBuffer(p) },
		"write-after-free":  writeAfterFree,
		"double-free":       func() { p := allocBuffer(24); freeBuffer(p); freeAgain(p) },
		"double-free-c":     func() { p := allocBuffer(24); freeBuffer(p); freeFromC(p) },
		"invalid-free":      invalidFree,
		"leaked-allocation": leakAllocation,
	} {
		scenarios[name] = f
	}
}

//go:noinline
func allocBuffer(n uintptr) unsafe.Pointer { return cguard.Malloc(n) }

//go:noinline
func freeBuffer(p unsafe.Pointer) { cguard.Free(p) }

//go:noinline
func freeAgain(p unsafe.Pointer) { cguard.Free(p) }

//go:noinline
func freeFromC(p unsafe.Pointer) { ctest.Free(p) }

//go:noinline
func freedBuffer() unsafe.Pointer {
	p := allocBuffer(24)
	freeBuffer(p)
	return p
}

//go:noinline
func readFromGo(p unsafe.Pointer) { fmt.Println(*(*byte)(p)) }

//go:noinline
func writeFromGo(p unsafe.Pointer) { *(*byte)(unsafe.Add(p, 3)) = 1 }

//go:noinline
func readFromC(p unsafe.Pointer, off int) { fmt.Println(ctest.ReadByte(p, off)) }

//go:noinline
func writeFromC(p unsafe.Pointer, off int) { ctest.WriteByte(p, off, 1) }

//go:noinline
func readOnCThread(p unsafe.Pointer) { ctest.ReadOnCThread(p) }

// writeAfterFree writes into a freed buffer that is only poisoned, then
// frees enough others to push it out of a small quarantine.
func writeAfterFree() {
	p := freedBuffer()
	writeFromC(p, 3)
	for i := 0; i < 100; i++ {
		cguard.Free(cguard.Malloc(64))
	}
}

// invalidFree frees memory cguard never allocated, in log mode, and shows
// that the memory was left alone.
func invalidFree() {
	p := rawc.Malloc(8)
	copy(unsafe.Slice((*byte)(p), 8), "intact!\x00")
	freeForeign(p)
	fmt.Println("after invalid free:", string(unsafe.Slice((*byte)(p), 7)))
	rawc.Free(p)
	os.Exit(3) // fail, as the panic policy would have
}

//go:noinline
func freeForeign(p unsafe.Pointer) { cguard.Free(p) }

func leakAllocation() {
	allocBuffer(40)
	if err := guard.Check(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
}
