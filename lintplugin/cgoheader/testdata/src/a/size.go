package a

/*
#include <stdlib.h>
*/
import "C"

import (
	"reflect"
	"unsafe"
)

// Flagged: the slice covers more than C.malloc or C.calloc allocated.

func Ints(n int) []int32 {
	p := C.malloc(C.size_t(n))
	var b []int32
	h := (*reflect.SliceHeader)(unsafe.Pointer(&b))
	h.Data = uintptr(p)
	h.Len = n
	h.Cap = n // want `cgoheader: Cap of b is n elements of 4 bytes \(int32\), but C.malloc\(C.size_t\(n\)\) allocates C.size_t\(n\) bytes: the slice reaches past the end of the C allocation, so accesses through it read or overwrite other memory; allocate Cap × 4 bytes, or lower Cap to what was allocated`
	return b
}

func Fixed() []byte {
	p := C.malloc(16)
	var b []byte
	h := (*reflect.SliceHeader)(unsafe.Pointer(&b))
	h.Data = uintptr(p)
	h.Len = 16
	h.Cap = 32 // want `cgoheader: Cap of b is 32 bytes, but C.malloc\(16\) allocates 16 bytes`
	return b
}

func LenOnly() string {
	p := C.malloc(8)
	var s string
	h := (*reflect.StringHeader)(unsafe.Pointer(&s))
	h.Data = uintptr(p)
	h.Len = 9 // want `cgoheader: Len of s is 9 bytes, but C.malloc\(8\) allocates 8 bytes`
	return s
}

func Sliced(n int) []C.int {
	p := C.malloc(C.size_t(n))
	return unsafe.Slice((*C.int)(p), n) // want `cgoheader: unsafe.Slice\(\(\*C.int\)\(p\), n\) covers n elements of 4 bytes \(C.int\), but C.malloc\(C.size_t\(n\)\) allocates C.size_t\(n\) bytes`
}

func Cast(n int) []C.int {
	p := C.calloc(C.size_t(n), 2)
	return (*[1 << 28]C.int)(p)[:n:n] // want `cgoheader: \(\*\[1 << 28\]C.int\)\(p\)\[:n:n\] reaches n elements of 4 bytes \(C.int\), but C.calloc\(C.size_t\(n\), 2\) allocates C.size_t\(n\) × 2 bytes: .*allocate the capacity × 4 bytes, or lower the capacity`
}

// Silent near-misses: the allocation is large enough, or its size and
// the slice's cannot be compared.

func IntsSized(n int) []int32 {
	p := C.malloc(C.size_t(n) * 4)
	var b []int32
	h := (*reflect.SliceHeader)(unsafe.Pointer(&b))
	h.Data = uintptr(p)
	h.Len = n
	h.Cap = n
	return b
}

func IntsCalloc(n int) []int32 {
	p := C.calloc(C.size_t(n), C.sizeof_int)
	var b []int32
	h := (*reflect.SliceHeader)(unsafe.Pointer(&b))
	h.Data = uintptr(p)
	h.Len = n
	h.Cap = n
	return b
}

func FixedEqual() []byte {
	p := C.malloc(16)
	var b []byte
	h := (*reflect.SliceHeader)(unsafe.Pointer(&b))
	h.Data = uintptr(p)
	h.Len = 8
	h.Cap = 16
	return b
}

func SlicedSized(n int) []C.int {
	p := C.malloc(C.size_t(n) * C.size_t(unsafe.Sizeof(C.int(0))))
	return unsafe.Slice((*C.int)(p), n)
}

func CastSized(n int) []C.int {
	p := C.calloc(C.size_t(n), 4)
	return (*[1 << 28]C.int)(p)[:n:n]
}

// Two different counts: undecidable.
func Other(n, m int) []int32 {
	p := C.malloc(C.size_t(m))
	return unsafe.Slice((*int32)(p), n)
}

// The size is not linear in one value.
func Product(n, m int) []byte {
	p := C.malloc(C.size_t(n * m))
	return unsafe.Slice((*byte)(p), n*m)
}

// The low bound does not add to the end a slice reaches (confluent-kafka's
// key after the value in one allocation).
func Halves(n int, v, k []byte) unsafe.Pointer {
	p := C.malloc(C.size_t(n * 2))
	copy((*[1 << 30]byte)(p)[0:n], v)
	copy((*[1 << 30]byte)(p)[n:2*n], k)
	return p
}
