//go:build cgo

package cguard_test

import (
	"bytes"
	"math/rand/v2"
	"sync"
	"testing"
	"unsafe"

	"github.com/cgoguard/cgoguard/guard/cguard"
	"github.com/cgoguard/cgoguard/guard/cguard/internal/ctest"
)

type buffer struct {
	p    unsafe.Pointer
	n    int
	fill byte
}

// churn allocates, fills, checks and frees buffers from many goroutines at
// once, some freed by C, some on threads C created. Any report panics (the
// default policy), and any byte the guard disturbed fails the check.
func churn(t testing.TB, goroutines, iterations int) {
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 7))
			var live []buffer
			release := func(k int, how int) {
				b := live[k]
				live = append(live[:k], live[k+1:]...)
				if got := unsafe.Slice((*byte)(b.p), b.n); !bytes.Equal(got, bytes.Repeat([]byte{b.fill}, b.n)) {
					t.Errorf("a %d-byte buffer changed while live", b.n)
				}
				switch {
				case how == 0:
					ctest.FreeOnCThread(b.p)
				case how < 40:
					ctest.Free(b.p)
				default:
					cguard.Free(b.p)
				}
			}
			for i := range iterations {
				n := rng.IntN(300)
				var p unsafe.Pointer
				switch i % 3 {
				case 0:
					p = cguard.Malloc(uintptr(n))
				case 1:
					p = cguard.Calloc(uintptr(n), 1)
				default:
					p = cguard.CBytes(make([]byte, n))
				}
				b := buffer{p, n, byte(rng.Uint32())}
				copy(unsafe.Slice((*byte)(p), n), bytes.Repeat([]byte{b.fill}, n))
				live = append(live, b)
				if len(live) > 16 || rng.IntN(2) == 0 {
					release(rng.IntN(len(live)), rng.IntN(400))
				}
			}
			for len(live) > 0 {
				release(0, 1)
			}
		})
	}
	wg.Wait()
}

func TestConcurrentAllocFree(t *testing.T) {
	churn(t, 16, 1500)
}
