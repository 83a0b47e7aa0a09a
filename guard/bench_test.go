package guard_test

import (
	"runtime"
	"runtime/cgo"
	"testing"

	"github.com/cgoguard/cgoguard/guard"
)

// Each benchmark pairs the standard library's call with the guard's in one
// run, so ratios come from the same machine state.

var sink any

func BenchmarkPinUnpin(b *testing.B) {
	x := new([64]byte)
	b.Run("raw", func(b *testing.B) {
		var p runtime.Pinner
		for b.Loop() {
			p.Pin(x)
			p.Unpin()
		}
	})
	b.Run("guard", func(b *testing.B) {
		var p guard.Pinner
		for b.Loop() {
			p.Pin(x)
			p.Unpin()
		}
	})
}

func BenchmarkHandle(b *testing.B) {
	v := "value"
	b.Run("raw", func(b *testing.B) {
		for b.Loop() {
			h := cgo.NewHandle(v)
			sink = h.Value()
			h.Delete()
		}
	})
	b.Run("guard", func(b *testing.B) {
		for b.Loop() {
			h := guard.NewHandle(v)
			sink = h.Value()
			h.Delete()
		}
	})
}
