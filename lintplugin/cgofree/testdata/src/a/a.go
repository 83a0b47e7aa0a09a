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
	C.use(p) // want `cgofree: p freed at line 23, used at line 24 \(passed to C\.use\): use after free; free it after its last use`
}

func branchJoin(b bool) {
	p := C.malloc(16)
	if b {
		C.free(p)
	}
	C.use(p) // want `cgofree: p freed at line 30, used at line 32 \(passed to C\.use\)`
}

func errorPathNoReturn() error {
	p := C.malloc(16)
	var err error
	if C.fill(p) != 0 {
		C.free(p)
		err = errFill
	}
	C.use(p) // want `cgofree: p freed at line 39, used at line 42 \(passed to C\.use\)`
	return err
}

func alias() {
	p := C.malloc(16)
	q := p
	C.free(p)
	C.use(q) // want `cgofree: p freed at line 49, used at line 50 through q \(passed to C\.use\)`
}

func conversion(name string) {
	cs := C.CString(name)
	C.free(unsafe.Pointer(cs))
	C.show(cs) // want `cgofree: cs freed at line 55, used at line 56 \(passed to C\.show\)`
}

func deref() byte {
	p := C.malloc(4)
	buf := unsafe.Slice((*byte)(p), 4)
	C.free(p)
	return buf[0] // want `cgofree: p freed at line 62, used at line 63 \(read\)`
}

func write() {
	n := (*C.node)(C.malloc(C.sizeof_node))
	C.free(unsafe.Pointer(n))
	n.v = 1 // want `cgofree: n freed at line 68, used at line 69 \(written\)`
}

func loopUse(n int) {
	p := C.malloc(16)
	for i := 0; i < n; i++ {
		C.use(p)  // want `cgofree: p freed at line 76, used at line 75 \(passed to C\.use\) on a later iteration of the loop`
		C.free(p) // want `cgofree: p freed at line 76, freed again at line 76 on a later iteration of the loop`
	}
}

func freeList(head *C.node) {
	for n := head; n != nil; n = n.next { // want `cgofree: n freed at line 82, used at line 81 \(read\) on a later iteration of the loop`
		C.free(unsafe.Pointer(n))
	}
}

type buffer struct{ data unsafe.Pointer }

func (b *buffer) field() {
	C.free(b.data)
	C.use(b.data) // want `cgofree: b\.data freed at line 89, used at line 90 \(passed to C\.use\)`
}

func send(p unsafe.Pointer) { C.use(p) }

func wrapper() {
	p := C.malloc(16)
	C.free(p)
	send(p) // want `cgofree: p freed at line 97, used at line 98 \(passed to send, which hands it to C\.use\)`
}

func deferredUse() {
	p := C.malloc(16)
	defer func() {
		C.use(p) // want `cgofree: p freed at line 106, used at line 104 \(passed to C\.use\), in the call deferred at line 103, when the function returns`
	}()
	C.free(p)
}

// Double free.

func double() {
	p := C.malloc(16)
	C.free(p)
	C.free(p) // want `cgofree: p freed at line 113, freed again at line 114: double free corrupts the C heap; free once on every path \(return after freeing, or set the pointer to nil after C\.free\)`
}

func doubleJoin(b bool) {
	p := C.malloc(16)
	if b {
		C.free(p)
	}
	C.free(p) // want `cgofree: p freed at line 120, freed again at line 122`
}

func doubleDefer(name string) error {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	if C.fill(unsafe.Pointer(cs)) != 0 {
		C.free(unsafe.Pointer(cs)) // want `cgofree: cs freed at line 129, freed again when the function returns, by the C\.free deferred at line 127: double free corrupts the C heap; drop this C\.free or the deferred one`
		return errFill
	}
	return nil
}

// A deferred free of memory that escapes.

func helper(name string) *C.char {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs)) // want `cgofree: cs freed when the function returns, by the C\.free deferred at line 139, escapes at line 140 \(returned\)`
	return cs
}

type request struct{ name *C.char }

func build(name string) *request {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs)) // want `cgofree: cs freed when the function returns, by the C\.free deferred at line 147, escapes at line 148 \(returned\)`
	return &request{name: cs}
}

type registry struct{ names []*C.char }

func (r *registry) add(names []string) {
	for _, n := range names {
		cs := C.CString(n)
		defer C.free(unsafe.Pointer(cs)) // want `cgofree: cs freed when the function returns, by the C\.free deferred at line 156, escapes at line 157 \(stored where it outlives the call\)`
		r.names = append(r.names, cs)
	}
}

// Go memory.

func goVar() {
	var x C.int
	C.free(unsafe.Pointer(&x)) // want `cgofree: C\.free at line 165 of Go memory \(the variable x allocated at line 164\): the C allocator does not own it and the heap gets corrupted; drop the C\.free \(the garbage collector frees Go memory\), or allocate with C\.malloc if C must own it`
}

func goSlice(n int) {
	b := make([]byte, n)
	C.free(unsafe.Pointer(&b[0])) // want `cgofree: C\.free at line 170 of Go memory \(a slice from make allocated at line 170\)`
}

func goLit() {
	r := &request{}
	C.free(unsafe.Pointer(r)) // want `cgofree: C\.free at line 175 of Go memory \(a composite literal allocated at line 174\)`
}

var names = map[string]*C.char{}

func remember(name string) {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs)) // want `cgofree: cs freed when the function returns, by the C\.free deferred at line 182, escapes at line 183 \(stored in a map that outlives the call\): whoever gets it holds freed memory; free it where it is last used \(the caller, or the end of each iteration\) instead of deferring here`
	names[name] = cs
}

func dangle(p unsafe.Pointer) unsafe.Pointer {
	C.free(p)
	return p // want `cgofree: p freed at line 187, used at line 188 \(returned\)`
}

func doubleAlias() {
	p := C.malloc(16)
	q := p
	C.free(p)
	C.free(q) // want `cgofree: p freed at line 194, freed again at line 195 through q`
}

func literalDefer() {
	p := C.malloc(16)
	func() {
		defer C.free(p)
		C.use(p)
	}()
	C.use(p) // want `cgofree: p freed when the function returns, by the C\.free deferred at line 201, used at line 204 \(passed to C\.use\)`
}

func notCorrelated(n int) {
	p := C.malloc(16)
	ok := C.fill(p) == 0
	if !ok {
		C.free(p)
	}
	ok = n > 0
	if ok {
		C.use(p) // want `cgofree: p freed at line 211, used at line 215 \(passed to C\.use\)`
	}
}
