package table

import (
	"math/rand/v2"
	"testing"
)

// TestTable checks the table against a Go map under quarantine-like
// churn: insert at one end, delete at the other, random lookups.
func TestTable(t *testing.T) {
	var tab Table[int]
	ref := map[uintptr]int{}
	var fifo []uintptr
	const n = 40000
	next := uintptr(0)
	for i := 0; i < n; i++ {
		next += uintptr(16 * (1 + rand.IntN(8)))
		tab.Put(next, i)
		ref[next] = i
		fifo = append(fifo, next)
		for len(fifo) > 5000 || (len(fifo) > 0 && rand.IntN(3) == 0) {
			k := rand.IntN(min(len(fifo), 4))
			p := fifo[k]
			fifo = append(fifo[:k], fifo[k+1:]...)
			tab.Remove(p)
			delete(ref, p)
		}
		if i%397 == 0 {
			for p, v := range ref {
				if got, ok := tab.Get(p); !ok || got != v {
					t.Fatalf("Get(%#x) = %d, %v; want %d", p, got, ok, v)
				}
			}
			if _, ok := tab.Get(next + 8); ok {
				t.Fatalf("Get of an absent key found a value")
			}
		}
	}
	if _, ok := tab.Get(0); ok {
		t.Fatal("Get(0) found a value")
	}
	if tab.Len() != len(ref) {
		t.Fatalf("Len = %d, want %d", tab.Len(), len(ref))
	}
	seen := 0
	tab.Each(func(k uintptr, v int) {
		if ref[k] != v {
			t.Errorf("Each gave %#x: %d, want %d", k, v, ref[k])
		}
		seen++
	})
	if seen != len(ref) {
		t.Errorf("Each visited %d keys, want %d", seen, len(ref))
	}
}
