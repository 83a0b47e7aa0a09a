//go:build cgo

package cguard_test

import (
	"testing"

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
