package a

/*
#include <stdlib.h>
static void use(void *p) {}
static void show(char *s) {}
static int fill(void *p) { return 0; }
typedef struct node { struct node *next; int v; } node;
*/
import "C"

import (
	"errors"
	"unsafe"
)

var errFill = errors.New("fill")

// Use after free.

func straight() {
	p := C.malloc(16)
	C.free(p)
	C.use(p) // want `cgofree: p passed to C\.use after it was freed by C\.free`
}

func branchJoin(b bool) {
	p := C.malloc(16)
	if b {
		C.free(p)
	}
	C.use(p) // want `cgofree: p passed to C\.use after it was freed by C\.free`
}

func errorPathNoReturn() error {
	p := C.malloc(16)
	var err error
	if C.fill(p) != 0 {
		C.free(p)
		err = errFill
	}
	C.use(p) // want `cgofree: p passed to C\.use after it was freed by C\.free`
	return err
}

func alias() {
	p := C.malloc(16)
	q := p
	C.free(p)
	C.use(q) // want `cgofree: q \(an alias of p\) passed to C\.use after it was freed by C\.free`
}

func conversion(name string) {
	cs := C.CString(name)
	C.free(unsafe.Pointer(cs))
	C.show(cs) // want `cgofree: cs passed to C\.show after it was freed by C\.free`
}

func deref() byte {
	p := C.malloc(4)
	buf := unsafe.Slice((*byte)(p), 4)
	C.free(p)
	return buf[0] // want `cgofree: p read after it was freed by C\.free`
}

func write() {
	n := (*C.node)(C.malloc(C.sizeof_node))
	C.free(unsafe.Pointer(n))
	n.v = 1 // want `cgofree: n written after it was freed by C\.free`
}

func loopUse(n int) {
	p := C.malloc(16)
	for i := 0; i < n; i++ {
		C.use(p)  // want `cgofree: p passed to C\.use after it was freed by C\.free, on a later iteration of the loop`
		C.free(p) // want `cgofree: p freed by C\.free after it was already freed by C\.free, on a later iteration of the loop`
	}
}

func freeList(head *C.node) {
	for n := head; n != nil; n = n.next { // want `cgofree: n read after it was freed by C\.free, on a later iteration of the loop`
		C.free(unsafe.Pointer(n))
	}
}

type buffer struct{ data unsafe.Pointer }

func (b *buffer) field() {
	C.free(b.data)
	C.use(b.data) // want `cgofree: b\.data passed to C\.use after it was freed by C\.free`
}

func send(p unsafe.Pointer) { C.use(p) }

func wrapper() {
	p := C.malloc(16)
	C.free(p)
	send(p) // want `cgofree: p passed to send, which hands it to C\.use after it was freed by C\.free`
}

func deferredUse() {
	p := C.malloc(16)
	defer func() {
		C.use(p) // want `cgofree: p passed to the deferred C\.use after it was freed by C\.free, when the function returns`
	}()
	C.free(p)
}

// Double free.

func double() {
	p := C.malloc(16)
	C.free(p)
	C.free(p) // want `cgofree: p freed by C\.free after it was already freed by C\.free`
}

func doubleJoin(b bool) {
	p := C.malloc(16)
	if b {
		C.free(p)
	}
	C.free(p) // want `cgofree: p freed by C\.free after it was already freed by C\.free`
}

func doubleDefer(name string) error {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	if C.fill(unsafe.Pointer(cs)) != 0 {
		C.free(unsafe.Pointer(cs)) // want `cgofree: cs freed by C\.free, then freed by the deferred C\.free when the function returns`
		return errFill
	}
	return nil
}

// A deferred free of memory that escapes.

func helper(name string) *C.char {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs)) // want `cgofree: cs freed by the deferred C\.free when the function returns, but it is returned`
	return cs
}

type request struct{ name *C.char }

func build(name string) *request {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs)) // want `cgofree: cs freed by the deferred C\.free when the function returns, but it is returned`
	return &request{name: cs}
}

type registry struct{ names []*C.char }

func (r *registry) add(names []string) {
	for _, n := range names {
		cs := C.CString(n)
		defer C.free(unsafe.Pointer(cs)) // want `cgofree: cs freed by the deferred C\.free when the function returns, but it is stored where it outlives the call`
		r.names = append(r.names, cs)
	}
}

// Go memory.

func goVar() {
	var x C.int
	C.free(unsafe.Pointer(&x)) // want `cgofree: C\.free of Go memory \(the variable x\)`
}

func goSlice(n int) {
	b := make([]byte, n)
	C.free(unsafe.Pointer(&b[0])) // want `cgofree: C\.free of Go memory \(a slice from make\)`
}

func goLit() {
	r := &request{}
	C.free(unsafe.Pointer(r)) // want `cgofree: C\.free of Go memory \(a composite literal\)`
}

var names = map[string]*C.char{}

func remember(name string) {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs)) // want `cgofree: cs freed by the deferred C\.free when the function returns, but it is stored in a map that outlives the call`
	names[name] = cs
}

func dangle(p unsafe.Pointer) unsafe.Pointer {
	C.free(p)
	return p // want `cgofree: p returned after it was freed by C\.free`
}

func doubleAlias() {
	p := C.malloc(16)
	q := p
	C.free(p)
	C.free(q) // want `cgofree: q \(an alias of p\) freed by C\.free after it was already freed by C\.free`
}

func literalDefer() {
	p := C.malloc(16)
	func() {
		defer C.free(p)
		C.use(p)
	}()
	C.use(p) // want `cgofree: p passed to C\.use after it was freed by the deferred C\.free`
}

func notCorrelated(n int) {
	p := C.malloc(16)
	ok := C.fill(p) == 0
	if !ok {
		C.free(p)
	}
	ok = n > 0
	if ok {
		C.use(p) // want `cgofree: p passed to C\.use after it was freed by C\.free`
	}
}
