package a

/*
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct obj { char *name; int n; } obj;
static obj *obj_new(void) { return calloc(1, sizeof(obj)); }
static void obj_destroy(obj *o) { if (o) { free(o->name); free(o); } }
static void obj_print(obj *o) { printf("%d\n", o->n); }

static void *kept;
static void keep(void *p) { kept = p; }
static void show(const char *s) { puts(s); }

void lib_take(void *p);
*/
import "C"

import (
	"errors"
	"unsafe"
)

var errEmpty = errors.New("empty")

func earlyReturn(name string) error {
	cs := C.CString(name) // want `cgoleak: memory allocated by C\.CString is not freed on some path to a return: C memory is not garbage collected, so it leaks; free it with C\.free`
	if name == "" {
		return errEmpty
	}
	C.show(cs)
	C.free(unsafe.Pointer(cs))
	return nil
}

func deferredFree(name string) error {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	if name == "" {
		return errEmpty
	}
	C.show(cs)
	return nil
}

func neverFreed() {
	p := C.malloc(8) // want `cgoleak: memory allocated by C\.malloc is not freed on some path to a return`
	C.memset(p, 0, 8)
}

func freedOnEveryPath(ok bool) {
	p := C.malloc(8)
	if ok {
		C.memset(p, 0, 8)
		C.free(p)
		return
	}
	C.free(p)
}

func loopLeak(names []string) {
	for _, n := range names {
		cs := C.CString(n) // want `cgoleak: memory allocated by C\.CString is not freed on some path to a return`
		C.show(cs)
	}
}

func loopFreed(names []string) {
	for _, n := range names {
		cs := C.CString(n)
		C.show(cs)
		C.free(unsafe.Pointer(cs))
	}
}

// Handed on: the function does not own it any more.

func returned() unsafe.Pointer { return C.malloc(8) }

type holder struct{ p unsafe.Pointer }

func storedInField(h *holder) { h.p = C.malloc(8) }

func storedInLiteral() holder { return holder{p: C.malloc(8)} }

func passedToGo(f func(unsafe.Pointer)) { f(C.malloc(8)) }

func passedToUnknownC() { C.lib_take(C.malloc(8)) }

func passedToRetainingC() { C.keep(C.malloc(8)) }

func capturedByGoroutine(done chan bool) {
	p := C.malloc(8)
	go func() {
		C.free(p)
		done <- true
	}()
}

func nilChecked() error {
	p := C.malloc(8)
	if p == nil {
		return errEmpty
	}
	C.memset(p, 0, 8)
	C.free(p)
	return nil
}

// C functions that return memory the caller owns.

func cFreshFreed() {
	o := C.obj_new()
	C.obj_print(o)
	C.obj_destroy(o)
}

func cFreshLeaked() {
	o := C.obj_new() // want `cgoleak: memory allocated by C\.obj_new is not freed on some path to a return`
	C.obj_print(o)
}

// Handed on through a variable that is nil on another path, or as a
// pointer into it (confluent-kafka-go's messageToC).
type cmsg struct{ payload, key unsafe.Pointer }

func storedThroughPhi(v, k int, m *cmsg) {
	var valp, keyp unsafe.Pointer
	var payload unsafe.Pointer
	if v+k > 0 {
		payload = C.malloc(C.size_t(v + k))
		if v > 0 {
			valp = payload
		}
		if k > 0 {
			keyp = unsafe.Pointer(&((*[1 << 30]byte)(payload)[v]))
		}
	}
	m.payload = valp
	m.key = keyp
}

// Kept in a local struct through a variable that holds one of several
// allocations, then handed on with the struct (the guard's stress test).
type buffer struct {
	p unsafe.Pointer
	n int
}

func keptInStruct(live []buffer, i, n int) []buffer {
	var p unsafe.Pointer
	switch i % 2 {
	case 0:
		p = C.malloc(C.size_t(n))
	default:
		p = C.calloc(C.size_t(n), 1)
	}
	b := buffer{p, n}
	return append(live, b)
}

// Go helpers: one that only uses its argument leaves the caller owning
// it; one that keeps it takes it over.
func showName(cs *C.char) { C.show(cs) }

var keptName *C.char

func keepName(cs *C.char) { keptName = cs }

func leakThroughHelper(name string) {
	cs := C.CString(name) // want `cgoleak: memory allocated by C\.CString is not freed on some path to a return`
	showName(cs)
}

func handedToKeeper(name string) {
	cs := C.CString(name)
	keepName(cs)
}

func freedAfterHelper(name string) {
	cs := C.CString(name)
	showName(cs)
	C.free(unsafe.Pointer(cs))
}
