package a

/*
#include <stdlib.h>
static void use3(void *p) {}
static void *next3(void *p) { return 0; }
static int fill(void *p) { return 0; }
*/
import "C"

import "unsafe"

// More near misses.

func refill(p *unsafe.Pointer) { *p = C.malloc(16) }

func addressTaken() {
	p := C.malloc(16)
	C.free(p)
	refill(&p)
	C.use3(p)
	C.free(p)
}

func closureAssigns() {
	p := C.malloc(16)
	C.free(p)
	func() { p = C.malloc(16) }()
	C.use3(p)
	C.free(p)
}

func switchCases(k int) {
	p := C.malloc(16)
	switch k {
	case 0:
		C.free(p)
	case 1:
		C.use3(p)
		C.free(p)
	default:
		C.free(p)
	}
}

func continueAfterFree(n int) {
	for i := 0; i < n; i++ {
		p := C.malloc(16)
		if i%2 == 0 {
			C.free(p)
			continue
		}
		C.use3(p)
		C.free(p)
	}
}

func walkC(p unsafe.Pointer) {
	for p != nil {
		next := C.next3(p)
		C.free(p)
		p = next
	}
}

var global unsafe.Pointer

func resetGlobal() { global = C.malloc(16) }

func globalReset() {
	C.free(global)
	resetGlobal()
	C.use3(global)
}

func globalAssigned() {
	C.free(global)
	global = C.malloc(16)
	C.use3(global)
}

func freeInGoroutine(done chan bool) {
	p := C.malloc(16)
	go func() {
		C.use3(p)
		C.free(p)
		done <- true
	}()
}

func reallocated(n int) {
	p := C.malloc(16)
	q := C.realloc(p, C.size_t(n))
	if q == nil {
		C.free(p)
		return
	}
	C.use3(q)
	C.free(q)
}

type cbuf struct{ p, q unsafe.Pointer }

func twoFields(b *cbuf) {
	C.free(b.p)
	C.use3(b.q)
	C.free(b.q)
}

func elements(ptrs []unsafe.Pointer) {
	C.free(ptrs[0])
	C.free(ptrs[1])
}

func labelled(n int) {
	p := C.malloc(16)
	i := 0
again:
	C.use3(p)
	if i < n {
		i++
		goto again
	}
	C.free(p)
}

func correlated(n int) {
	p := C.malloc(16)
	ok := C.fill(p) == 0
	if !ok {
		C.free(p)
	}
	if n > 0 {
		n--
	}
	if ok {
		C.use3(p)
		C.free(p)
	}
}

func correlatedSwitchedOff(n int) {
	p := C.malloc(16)
	failed := C.fill(p) != 0
	if failed {
		C.free(p)
	}
	if !failed {
		C.use3(p)
		C.free(p)
	}
}

func withError() (unsafe.Pointer, error) {
	p := C.malloc(16)
	if C.fill(p) != 0 {
		C.free(p)
		return p, errFill
	}
	return p, nil
}

// copyOut returns a Go copy of the C bytes: appending view... copies the
// elements, the C memory itself does not escape.
func copyOut(n int) []byte {
	p := C.malloc(C.size_t(n))
	defer C.free(p)
	C.fill(p)
	view := unsafe.Slice((*byte)(p), n)
	return append([]byte(nil), view...)
}

// keepViews returns pointers into memory the defer frees.
func keepViews(n int) []unsafe.Pointer {
	p := C.malloc(C.size_t(n))
	defer C.free(p) // want `cgofree: p freed by the deferred C\.free when the function returns, but it is returned`
	var out []unsafe.Pointer
	return append(out, p)
}
