// Package a holds cgoptr's fixtures: each flagged line has a `want`, and
// the near-miss next to it is the legal variant the check must stay
// silent on.
package a

/*
#include <stdint.h>
#include <stdlib.h>
typedef struct { int *p; } holder;
typedef struct { int i; int *p; } mixed;
typedef union { char **p; unsigned long i; } ptrunion;
typedef union { unsigned long i; } intunion;
static void take(void *p) {}
static void takeHolder(holder *h) {}
static void takeMixed(mixed *m) {}
static void takeInt(int *p) {}
static void takeIntPP(int **p) {}
static void takePP(void **p) {}
static void takeChar(char *p) {}
static void takePtrUnion(ptrunion *u) {}
static void takeIntUnion(intunion *u) {}
static void takeUintptr(uintptr_t u) {}
*/
import "C"

import (
	"runtime"
	"strings"
	"unsafe"
)

// Arguments: a Go pointer passed to C must not point to memory that holds
// unpinned Go pointers.

func structLiteral() {
	C.takeHolder(&C.holder{p: new(C.int)}) // want `cgoptr: &C.holder\{.*\} passed to C.takeHolder points to Go memory that holds the Go pointer new\(C.int\) \(at .p\): Go memory passed to C must not contain unpinned Go pointers; pin new\(C.int\) with a runtime.Pinner`
}

func structLiteralNil() {
	C.takeHolder(&C.holder{p: nil})
	C.takeHolder(&C.holder{})
}

func structLiteralCMemory() {
	C.takeHolder(&C.holder{p: (*C.int)(C.malloc(4))})
}

func localAlias() {
	h := &C.holder{}
	alias := h
	alias.p = new(C.int) // stored through an alias
	C.takeHolder(h)      // want `cgoptr: h passed to C.takeHolder points to Go memory that holds the Go pointer new\(C.int\) \(at .p\)`
}

func overwrittenWithNil() {
	h := &C.holder{p: new(C.int)}
	h.p = nil
	C.takeHolder(h)
}

func pointerField() {
	m := &C.mixed{i: 1, p: new(C.int)}
	C.takeIntPP(&m.p) // want `cgoptr: &m.p passed to C.takeIntPP points to Go memory that holds the Go pointer new\(C.int\)`
}

func pointerFreeField() {
	m := &C.mixed{i: 1, p: new(C.int)}
	C.takeInt(&m.i) // only the field's memory counts
}

func sliceElements() {
	i := 0
	s := []unsafe.Pointer{nil, unsafe.Pointer(&i)}
	C.takePP(&s[0]) // want `cgoptr: &s\[0\] passed to C.takePP points to Go memory that holds the Go pointer &i \(at \[1\]`
}

func sliceElementsNil() {
	s := []unsafe.Pointer{nil, nil}
	C.takePP(&s[0])
}

func arrayElements() {
	i := 0
	var a [2]unsafe.Pointer
	a[1] = unsafe.Pointer(&i)
	C.takePP(&a[0]) // want `cgoptr: &a\[0\] passed to C.takePP points to Go memory that holds the Go pointer &i \(at \[1\]`
}

func pointerToArray() {
	i := 0
	a := &[2]unsafe.Pointer{nil, unsafe.Pointer(&i)}
	C.takePP(&a[0]) // want `cgoptr: &a\[0\] passed to C.takePP points to Go memory that holds the Go pointer &i`
}

func pointerToArrayCMemory() {
	a := &[2]unsafe.Pointer{nil, C.malloc(8)}
	C.takePP(&a[0])
}

func sliceData() {
	s := []*C.int{nil, new(C.int)}
	C.take(unsafe.Pointer(unsafe.SliceData(s))) // want `cgoptr: unsafe.SliceData\(s\) passed to C.take points to Go memory that holds the Go pointer new\(C.int\) \(at \[1\]`
}

func sliceDataOfBytes() {
	s := struct {
		a [4]byte
		p *int
	}{p: new(int)}
	C.take(unsafe.Pointer(unsafe.SliceData(s.a[:])))
}

func stringElement(n int) {
	var names [2]string
	names[0] = strings.Repeat("a", n) // a string built at run time is Go memory
	C.take(unsafe.Pointer(&names[0])) // want `cgoptr: &names\[0\] passed to C.take points to Go memory that holds the Go pointer strings.Repeat\("a", n\) \(at \[0\]`
}

func stringElementConstant() {
	names := []string{"a", "b"} // constants live in read-only data
	C.take(unsafe.Pointer(&names[0]))
}

func stringData() {
	s := struct {
		a [4]byte
		p *int
	}{p: new(int)}
	str := unsafe.String(&s.a[0], 4)
	C.take(unsafe.Pointer(unsafe.StringData(str)))
}

func unionWithPointers() {
	var b C.char
	p := &b
	C.takePtrUnion((*C.ptrunion)(unsafe.Pointer(&p))) // want `cgoptr: &p passed to C.takePtrUnion points to Go memory that holds the Go pointer &b`
}

func unionWithoutPointers() {
	var b C.char
	p := &b
	C.takeIntUnion((*C.intunion)(unsafe.Pointer(&p))) // C reads an integer
}

func throughUnsafePointer() {
	x := new(int)
	p := unsafe.Pointer(&x)
	q := p
	C.take(q) // want `cgoptr: q passed to C.take points to Go memory that holds the Go pointer new\(int\)`
}

func uintptrField() {
	type rec struct {
		n int
		u uintptr
	}
	i := 0
	r := &rec{u: uintptr(unsafe.Pointer(&i))} // an integer, not a pointer
	C.take(unsafe.Pointer(r))
}

func integerArgument() {
	x := new(int)
	C.takeUintptr(C.uintptr_t(uintptr(unsafe.Pointer(&x)))) // C gets an integer
}

func charArgument() {
	x := new(int)
	C.takeChar((*C.char)(unsafe.Pointer(&x))) // char*: C sees bytes, cgo checks nothing
}

func byteArrayField() {
	type frame struct {
		next *frame
		buf  [64]byte
	}
	f := &frame{next: &frame{}}
	C.take(unsafe.Pointer(&f.buf))
}

func cBytes() {
	b := C.CBytes([]byte("abc"))
	s := C.CString("abc")
	C.take(b)
	C.takeChar(s)
	C.free(b)
	C.free(unsafe.Pointer(s))
}

func pinnedElement() {
	var pinner runtime.Pinner
	defer pinner.Unpin()
	x := new(C.int)
	pinner.Pin(x)
	C.takeHolder(&C.holder{p: x})
}

func unpinnedAgain() {
	var pinner runtime.Pinner
	x := new(C.int)
	pinner.Pin(x)
	pinner.Unpin()
	C.takeHolder(&C.holder{p: x}) // want `cgoptr: &C.holder\{.*\} passed to C.takeHolder points to Go memory that holds the Go pointer new\(C.int\)`
}

func viaHelper(h *C.holder) { C.takeHolder(h) }

func throughWrapper() {
	h := &C.holder{p: new(C.int)}
	viaHelper(h) // want `cgoptr: &C.holder\{.*\} passed to C.takeHolder via parameter h of viaHelper\(\) points to Go memory that holds the Go pointer new\(C.int\)`
}

func newInt() *C.int { return new(C.int) }

func fromConstructor() {
	h := &C.holder{p: newInt()} // newInt always returns Go memory
	C.takeHolder(h)             // want `cgoptr: h passed to C.takeHolder points to Go memory that holds the Go pointer newInt\(\)`
}

func unknownOrigin(p *C.int) {
	C.takeHolder(&C.holder{p: p}) // the caller decides: silent
}

func inLoop() {
	h := &C.holder{}
	for i := 0; i < 2; i++ {
		C.takeHolder(h) // want `cgoptr: h passed to C.takeHolder points to Go memory that holds the Go pointer new\(C.int\) \(at .p\)`
		h.p = new(C.int)
	}
}

func changedByCall() {
	h := &C.holder{p: new(C.int)}
	reset(h) // may clear h.p: the analysis cannot tell
	C.takeHolder(h)
}

func reset(h *C.holder) { h.p = nil }

func mapInVariable() {
	m := map[string]int{"a": 1}
	C.take(unsafe.Pointer(&m)) // want `cgoptr: &m passed to C.take points to Go memory that holds the Go pointer map\[string\]int\{.*\}: Go memory passed to C must not contain unpinned Go pointers; a map cannot be pinned; copy the entries into C memory, or pass a cgo.Handle`
}

func interfaceInVariable() {
	var v any = new(int)
	C.take(unsafe.Pointer(&v)) // want `cgoptr: &v passed to C.take points to Go memory that holds the Go pointer new\(int\).*an interface value cannot be pinned`
}

func interfaceHoldingConstant() {
	var v any = 42
	C.take(unsafe.Pointer(&v))
}

func stringSliceElement(n int) {
	names := []string{"a", strings.Repeat("b", n)}
	C.take(unsafe.Pointer(&names[0])) // want `cgoptr: &names\[0\] passed to C.take points to Go memory that holds the Go pointer strings.Repeat\("b", n\) \(at \[1\]\): .*a string cannot be pinned`
}
