package a

/*
#include <stdlib.h>
static void use2(void *p) {}
static void show(char *s) {}
static int fill(void *p) { return 0; }
typedef struct node { struct node *next; int v; } node;
*/
import "C"

import "unsafe"

// Near misses: the check is silent on all of these.

func eachIteration(n int) {
	for i := 0; i < n; i++ {
		p := C.malloc(16)
		C.use2(p)
		C.free(p)
	}
}

func eachIterationOuterVar(n int) {
	var p unsafe.Pointer
	for i := 0; i < n; i++ {
		p = C.malloc(16)
		C.use2(p)
		C.free(p)
	}
}

func reassignedInLoop(n int) {
	p := C.malloc(16)
	for i := 0; i < n; i++ {
		C.use2(p)
		C.free(p)
		p = C.malloc(16)
	}
	C.free(p)
}

func afterLastUse() {
	p := C.malloc(16)
	C.use2(p)
	C.free(p)
}

func reassigned() {
	p := C.malloc(16)
	C.free(p)
	p = C.malloc(16)
	C.use2(p)
	C.free(p)
}

func setNil(b bool) {
	p := C.malloc(16)
	if b {
		C.free(p)
		p = nil
	}
	C.free(p)
}

func errorPathReturns() error {
	p := C.malloc(16)
	if C.fill(p) != 0 {
		C.free(p)
		return errFill
	}
	C.use2(p)
	C.free(p)
	return nil
}

func freeListRight(head *C.node) {
	for n := head; n != nil; {
		next := n.next
		C.free(unsafe.Pointer(n))
		n = next
	}
}

func deferInLoopNoEscape(names []string) {
	for _, n := range names {
		cs := C.CString(n)
		defer C.free(unsafe.Pointer(cs))
		C.show(cs)
	}
}

func deferCopyOut(name string) string {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	return C.GoString(cs)
}

func deferOnce(name string) {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	C.show(cs)
}

func identityOnly(live map[uintptr]bool) {
	p := C.malloc(16)
	C.free(p)
	delete(live, uintptr(p))
	if p != nil {
		println("freed")
	}
}

func (b *buffer) reset() { b.data = nil }

func fieldReset(b *buffer) {
	C.free(b.data)
	b.reset()
	C.use2(b.data)
}

func fieldReassigned(b *buffer) {
	C.free(b.data)
	b.data = C.malloc(16)
	C.use2(b.data)
}

func closureFree() {
	p := C.malloc(16)
	cleanup := func() { C.free(p) }
	C.use2(p)
	cleanup()
}

func twoPointers() {
	p := C.malloc(16)
	q := C.malloc(16)
	C.free(p)
	C.use2(q)
	C.free(q)
}

func freeParamOnce(p unsafe.Pointer) {
	C.use2(p)
	C.free(p)
}

func cMemoryInGoSlice(n int) {
	ptrs := make([]unsafe.Pointer, n)
	for i := range ptrs {
		ptrs[i] = C.malloc(8)
	}
	for i := range ptrs {
		C.free(ptrs[i])
	}
}
