//go:build cgo && cgoguard

package cguard

import (
	"math/rand/v2"
	"testing"
	"unsafe"
)

// TestAddrTable checks the table against a Go map under quarantine-like
// churn: insert at one end, delete at the other, random lookups.
func TestAddrTable(t *testing.T) {
	var tab addrTable
	ref := map[uintptr]*block{}
	var fifo []uintptr
	const n = 100000
	mem := make([]byte, n*8*16+1) // addresses only: never read or written
	off := 0
	for i := 0; i < n; i++ {
		off += 16 * (1 + rand.IntN(8))
		b := &block{user: unsafe.Pointer(&mem[off])}
		next := uintptr(b.user)
		tab.put(b)
		ref[next] = b
		fifo = append(fifo, next)
		for len(fifo) > 5000 || (len(fifo) > 0 && rand.IntN(3) == 0) {
			k := rand.IntN(min(len(fifo), 4))
			p := fifo[k]
			fifo = append(fifo[:k], fifo[k+1:]...)
			tab.remove(p)
			delete(ref, p)
		}
		if i%97 == 0 {
			for p, b := range ref {
				if got := tab.get(p); got != b {
					t.Fatalf("get(%#x) = %p, want %p", p, got, b)
				}
			}
			if tab.get(next+8) != nil {
				t.Fatalf("get of an absent address found a block")
			}
		}
	}
	if tab.n != len(ref) {
		t.Fatalf("n = %d, want %d", tab.n, len(ref))
	}
}
