package a

/*
#include <stdlib.h>
struct rec { char name[16]; };
static char *line(int *n) { *n = 4; return calloc(1, 8); }
static int count(void) { return 4; }
*/
import "C"

import "unsafe"

// Flagged: an unbounded array cast grown with append writes in place past
// the C buffer.

func Line(suffix byte) []byte {
	var n C.int
	p := C.line(&n)
	b := (*[1 << 30]byte)(unsafe.Pointer(p))[:n] // want `cgoheader: \(\*\[1 << 30\]byte\)\(unsafe.Pointer\(p\)\)\[:n\] has the capacity of the 1073741824-element array, not of the C buffer behind it, and append grows it in place while len < cap: past the end of the buffer; limit the capacity with \[:n:n\] so that append copies to Go memory`
	b = append(b, suffix)
	return b
}

func Loop(p *C.char, n int, xs []byte) []byte {
	b := (*[1 << 30]byte)(unsafe.Pointer(p))[2:n] // want `cgoheader: .*\[2:n\] has the capacity.*limit the capacity with \[2:n:n\]`
	for _, x := range xs {
		b = append(b, x)
	}
	return b
}

// Known allocation: a small array cast is unbounded too.
func Small(x byte) []byte {
	p := C.malloc(8)
	b := (*[64]byte)(p)[:8] // want `cgoheader: \(\*\[64\]byte\)\(p\)\[:8\] has the capacity of the 64-element array, not of the C buffer behind it`
	return append(b, x)
}

// Flagged without a fix: the length is a call, which the limit would repeat.
func Called(p *C.char, x byte) []byte {
	b := (*[1 << 30]byte)(unsafe.Pointer(p))[:C.count()] // want `cgoheader: .*\[:C.count\(\)\] has the capacity.*limit the capacity with \[low:n:n\]`
	return append(b, x)
}

// Silent near-misses.

// Limited capacity: append copies to Go memory.
func Limited(p *C.char, n int, x byte) []byte {
	b := (*[1 << 30]byte)(unsafe.Pointer(p))[:n:n]
	return append(b, x)
}

// Unbounded but never appended to.
func ReadOnly(p *C.char, n int) byte {
	b := (*[1 << 30]byte)(unsafe.Pointer(p))[:n]
	return b[0]
}

// The array is the memory's real type: a struct's char[16].
func Name(r *C.struct_rec, n int, x byte) []byte {
	b := (*[16]byte)(unsafe.Pointer(&r.name[0]))[:n]
	return append(b, x)
}

// A copy is appended to, not the cast.
func Copied(p *C.char, n int, x byte) []byte {
	b := append([]byte(nil), (*[1 << 30]byte)(unsafe.Pointer(p))[:n]...)
	return append(b, x)
}

// The variable holds another slice by the time it is appended to.
func Replaced(p *C.char, n int, x byte) []byte {
	var b []byte
	get := func() []byte { return b }
	b = (*[1 << 30]byte)(unsafe.Pointer(p))[:n]
	_ = get()
	b = make([]byte, 0, 1)
	return append(get(), x)
}

// Appended to in a closure: not followed (a limit, not a judgement).
func Captured(p *C.char, n int, x byte) []byte {
	var b []byte
	grow := func() { b = append(b, x) }
	b = (*[1 << 30]byte)(unsafe.Pointer(p))[:n]
	grow()
	return b
}
