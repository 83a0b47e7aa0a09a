//go:build cgo

package cguard_test

import (
	"bytes"
	"testing"
	"unsafe"

	"github.com/cgoguard/cgoguard/guard/cguard"
	"github.com/cgoguard/cgoguard/guard/cguard/internal/ctest"
)

// These run in both builds: the API must behave like cgo's in each.

func TestMallocIsWritable(t *testing.T) {
	for _, n := range []uintptr{0, 1, 13, 16, 4095, 4096, 70000} {
		p := cguard.Malloc(n)
		if p == nil {
			t.Fatalf("Malloc(%d) = nil", n)
		}
		b := unsafe.Slice((*byte)(p), n)
		for i := range b {
			b[i] = byte(i)
		}
		for i := range b {
			if b[i] != byte(i) {
				t.Fatalf("Malloc(%d): byte %d reads %d", n, i, b[i])
			}
		}
		cguard.Free(p)
	}
}

func TestCallocZeroes(t *testing.T) {
	p := cguard.Calloc(10, 100)
	defer cguard.Free(p)
	if !bytes.Equal(unsafe.Slice((*byte)(p), 1000), make([]byte, 1000)) {
		t.Error("Calloc memory is not zeroed")
	}
	if q := cguard.Calloc(^uintptr(0)/2, 4); q != nil {
		t.Errorf("Calloc with an overflowing size = %p, want nil", q)
	}
}

func TestCStringAndCBytesCopy(t *testing.T) {
	s := cguard.CString("héllo")
	defer cguard.Free(s)
	if got := unsafe.Slice((*byte)(s), 7); !bytes.Equal(got, []byte("héllo\x00")) {
		t.Errorf("CString wrote %q", got)
	}
	in := []byte{1, 2, 3, 0, 5}
	b := cguard.CBytes(in)
	defer cguard.Free(b)
	if got := unsafe.Slice((*byte)(b), len(in)); !bytes.Equal(got, in) {
		t.Errorf("CBytes wrote %v", got)
	}
}

func TestFreeNil(t *testing.T) {
	cguard.Free(nil)
	ctest.Free(nil)
}

func TestCFreesWithCguardFree(t *testing.T) {
	ctest.Free(cguard.Malloc(32))
	ctest.FreeOnCThread(cguard.CString("freed on a thread C created"))
}

// TestCAllocatesGoFrees: memory from cguard_malloc and cguard_calloc in C
// is released by cguard.Free in Go, in both builds.
func TestCAllocatesGoFrees(t *testing.T) {
	p := ctest.Malloc(24)
	b := unsafe.Slice((*byte)(p), 24)
	for i := range b {
		b[i] = byte(i)
	}
	cguard.Free(p)
	q := ctest.Calloc(3, 8)
	if !bytes.Equal(unsafe.Slice((*byte)(q), 24), make([]byte, 24)) {
		t.Error("cguard_calloc memory is not zeroed")
	}
	ctest.Free(q)
	if ctest.Calloc(^uintptr(0)/2, 4) != nil {
		t.Error("cguard_calloc with an overflowing size did not return NULL")
	}
}
