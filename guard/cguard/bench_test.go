//go:build cgo

package cguard_test

import (
	"runtime/cgo"
	"testing"
	"unsafe"

	"github.com/cgoguard/cgoguard/guard"
	"github.com/cgoguard/cgoguard/guard/cguard"
	"github.com/cgoguard/cgoguard/guard/cguard/internal/rawc"
)

// Each benchmark pairs the raw cgo call with cguard in one run, so ratios
// come from the same machine state.

const benchSize = 64

func BenchmarkMallocFree(b *testing.B) {
	b.Run("raw", func(b *testing.B) {
		for b.Loop() {
			rawc.Free(rawc.Malloc(benchSize))
		}
	})
	b.Run("cguard", func(b *testing.B) {
		for b.Loop() {
			cguard.Free(cguard.Malloc(benchSize))
		}
	})
}

func BenchmarkCStringFree(b *testing.B) {
	const s = "a message of a typical length for a C logging call"
	b.Run("raw", func(b *testing.B) {
		for b.Loop() {
			rawc.Free(rawc.CString(s))
		}
	})
	b.Run("cguard", func(b *testing.B) {
		for b.Loop() {
			cguard.Free(cguard.CString(s))
		}
	})
}

// BenchmarkGuardPagePair compares a Malloc/Free pair with its two
// protection flips alone: run with CGOGUARD_SAMPLE=1, where every buffer
// goes on guard pages, it shows what the guard adds to the system calls.
func BenchmarkGuardPagePair(b *testing.B) {
	b.Run("raw", func(b *testing.B) {
		for b.Loop() {
			rawc.ProtectPair()
		}
	})
	b.Run("cguard", func(b *testing.B) {
		for b.Loop() {
			cguard.Free(cguard.Malloc(benchSize))
		}
	})
}

// mixedSizes are the sizes BenchmarkMixed allocates: 16 to 4096 bytes,
// spread evenly, in a fixed pseudo-random order.
var mixedSizes = func() []uintptr {
	s := make([]uintptr, 4096)
	x := uint32(1)
	for i := range s {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		s[i] = 16 + uintptr(x%4081)
	}
	return s
}()

const mixedMessage = "a message of a typical length for a C logging call"

// mixedRaw and mixedGuard are one iteration of the mixed workload of
// guard/BENCHMARKS.md: a malloc/free pair of 16..4096 bytes whose first
// and last bytes are written, a CString/free pair, and a handle created,
// read and deleted.
func mixedRaw(i int) {
	n := mixedSizes[i%len(mixedSizes)]
	p := rawc.Malloc(n)
	b := unsafe.Slice((*byte)(p), n)
	b[0], b[n-1] = 1, 2
	rawc.Free(p)
	rawc.Free(rawc.CString(mixedMessage))
	h := cgo.NewHandle(i)
	sinkAny = h.Value()
	h.Delete()
}

func mixedGuard(i int) {
	n := mixedSizes[i%len(mixedSizes)]
	p := cguard.Malloc(n)
	b := unsafe.Slice((*byte)(p), n)
	b[0], b[n-1] = 1, 2
	cguard.Free(p)
	cguard.Free(cguard.CString(mixedMessage))
	h := guard.NewHandle(i)
	sinkAny = h.Value()
	h.Delete()
}

var sinkAny any

func BenchmarkMixed(b *testing.B) {
	b.Run("raw", func(b *testing.B) {
		i := 0
		for b.Loop() {
			mixedRaw(i)
			i++
		}
	})
	b.Run("cguard", func(b *testing.B) {
		i := 0
		for b.Loop() {
			mixedGuard(i)
			i++
		}
	})
}
