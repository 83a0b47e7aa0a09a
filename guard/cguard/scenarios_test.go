//go:build cgo

package cguard_test

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"time"
	"unsafe"

	"github.com/cgoguard/cgoguard/guard"
	"github.com/cgoguard/cgoguard/guard/cguard"
	"github.com/cgoguard/cgoguard/guard/cguard/internal/ctest"
	"github.com/cgoguard/cgoguard/guard/cguard/internal/rawc"
)

//cgoguard:file-ignore cgofree,cgohandle the scenarios misuse C memory and handles on purpose, for the guard to report

// The scenarios misuse memory in a child process; crash_test.go checks the
// reports of the debug build, and guard/asan.sh runs the same scenarios in
// the raw, -asan and debug builds for the table of guard/BENCHMARKS.md.
// Each step is its own non-inlined function so that reports can be checked
// for the frames that allocated, freed and misused.

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

		"uaf-read-goroutine":    func() { readOnGoroutine(freedBuffer()) },
		"over-read-c":           func() { readFromC(allocBuffer(24), 24) },
		"over-read-go":          func() { readPastEnd(allocBuffer(24)) },
		"over-read-strlen":      func() { fmt.Println(ctest.Strlen(unterminated(24))) },
		"uaf-strlen":            func() { fmt.Println(ctest.Strlen(freedString("hello"))) },
		"uaf-c-only-thread":     ctest.UseAfterFreeOnCThread,
		"uaf-large-after-churn": largeAfterChurn,
		"uaf-after-many-live":   afterManyLive,
		"overflow-far":          func() { writeFromC(allocBuffer(64), 64+2048) },
		"invalid-free-interior": func() { freeForeign(unsafe.Add(allocBuffer(24), 8)) },
		"hot-uaf":               hotUseAfterFree,
		"handle-after-delete":   handleAfterDelete,
		"pin-map":               func() { var p guard.Pinner; p.Pin(map[string]int{}); p.Unpin() },
		"leaked-pinner":         leakPinner,
		"leak-exit":             func() { allocBuffer(40); fmt.Println("exiting") },
		"mixed":                 mixedWorkload,
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

//go:noinline
func readPastEnd(p unsafe.Pointer) { fmt.Println(*(*byte)(unsafe.Add(p, 24))) }

//go:noinline
func readOnGoroutine(p unsafe.Pointer) {
	done := make(chan byte)
	go func() { done <- *(*byte)(p) }()
	fmt.Println(<-done)
}

// largeAfterChurn fills the guard pages with freed small buffers, then
// reads a freed 10000-byte buffer, the first at its site.
func largeAfterChurn() {
	for range 1000 {
		cguard.Free(cguard.Malloc(32))
	}
	p := allocBuffer(10000)
	freeBuffer(p)
	readFromGo(p)
}

// kept holds buffers that stay live until the process ends.
var kept []unsafe.Pointer

// afterManyLive keeps 200 buffers from one site live, then reads a freed
// buffer, the first at its own site.
func afterManyLive() {
	for range 200 {
		kept = append(kept, cguard.Malloc(32))
	}
	readFromGo(freedBuffer())
}

// handleAfterDelete reads a deleted handle.
func handleAfterDelete() {
	h := guard.NewHandle(1)
	h.Delete()
	fmt.Println(h.Value()) //nolint:cgoguard // used after Delete on purpose: the scenario checks that the guard reports it
}

// freedString returns s copied to C memory, already freed.
//
//go:noinline
func freedString(s string) unsafe.Pointer {
	p := cguard.CString(s)
	freeBuffer(p)
	return p
}

// unterminated returns a buffer of n 'x' bytes and no NUL.
//
//go:noinline
func unterminated(n uintptr) unsafe.Pointer {
	p := allocBuffer(n)
	copy(unsafe.Slice((*byte)(p), n), bytes.Repeat([]byte{'x'}, int(n)))
	return p
}

// cycle allocates, frees and, if stale, reads the freed buffer: the same
// allocation site whether or not it misbehaves.
//
//go:noinline
func cycle(stale bool) byte {
	p := allocBuffer(48)
	freeBuffer(p)
	if stale {
		return *(*byte)(p)
	}
	return 0
}

// hotUseAfterFree makes a site hot with 20000 clean cycles, then repeats a
// stale read at that same site, printing the number of each occurrence
// before it happens: the last number printed is how many it took.
func hotUseAfterFree() {
	const clean = 20000
	for i := range clean + 2000 {
		stale := i >= clean
		if stale {
			fmt.Println("occurrence", i-clean+1)
		}
		cycle(stale)
	}
}

// leakPinner pins an object with a Pinner that becomes unreachable: the Go
// runtime reports the leaked pin when the Pinner is collected.
func leakPinner() {
	pinAndDrop()
	for range 5 {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	fmt.Println("the runtime did not report the leaked pin")
}

//go:noinline
func pinAndDrop() {
	p := new(guard.Pinner)
	p.Pin(new([64]byte))
}

// mixedWorkload is BenchmarkMixed's loop, 1e6 times, for guard/asan.sh to
// time whole processes.
func mixedWorkload() {
	for i := range 1000000 {
		mixedGuard(i)
	}
	fmt.Println("mixed: done")
}

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
