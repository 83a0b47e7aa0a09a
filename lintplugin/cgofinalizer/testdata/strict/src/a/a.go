package a

/*
#include <stdlib.h>
typedef struct { int x; } obj;
static obj *obj_new(void) { return calloc(1, sizeof(obj)); }
static void obj_free(obj *o) { free(o); }
static int obj_use(obj *o) { return o ? o->x : 0; }
static void buf_use(void *p) {}
static int buf_len(char *p) { return 0; }
static obj *obj_first(obj *o) { return o; }
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// Conn owns C memory that its finalizer frees.
type Conn struct {
	buf  *C.char
	o    *C.obj
	note *C.char // never freed by the finalizer
	n    int
}

func NewConn() *Conn {
	c := &Conn{buf: (*C.char)(C.malloc(64)), o: C.obj_new(), note: (*C.char)(C.malloc(8))}
	runtime.SetFinalizer(c, func(c *Conn) {
		C.free(unsafe.Pointer(c.buf))
		C.obj_free(c.o)
	})
	return c
}

// Flagged.

func (c *Conn) Write() {
	C.buf_use(unsafe.Pointer(c.buf)) // want `cgofinalizer: the finalizer set in NewConn frees c\.buf; \(\*Conn\)\.Write passes c\.buf to C\.buf_use and does not use c after the call, so the finalizer can run while C still uses the memory; add runtime\.KeepAlive\(c\) after the call`
}

func (c *Conn) Len() int {
	return int(C.obj_use(c.o)) // want `cgofinalizer: the finalizer set in NewConn releases c\.o with C\.obj_free; \(\*Conn\)\.Len passes c\.o to C\.obj_use and does not use c after the call, so the finalizer can run while C still uses the memory; add runtime\.KeepAlive\(c\) after the call`
}

func (c *Conn) Check() bool {
	if C.buf_len(c.buf) != 0 { // want `cgofinalizer: .*passes c.buf to C.buf_len`
		return true
	}
	return false
}

// use is a Go wrapper that hands its argument to C.
func use(o *C.obj) int { return int(C.obj_use(o)) }

func (c *Conn) ViaWrapper() int {
	n := use(c.o) // want `cgofinalizer: the finalizer set in NewConn releases c\.o with C\.obj_free; \(\*Conn\)\.ViaWrapper passes c\.o to C\.obj_use via parameter o of use\(\) and does not use c after the call, so the finalizer can run while C still uses the memory; add runtime\.KeepAlive\(c\) after the call`
	return n
}

// An early return: the call's only continuation does not use c.
func (c *Conn) EarlyReturn(quick bool) {
	if quick {
		C.buf_use(unsafe.Pointer(c.buf)) // want `cgofinalizer: .*EarlyReturn passes c.buf`
		return
	}
	c.n++
}

// A local object, not a parameter: same problem.
func Local() int {
	c := NewConn()
	v := C.obj_use(c.o) // want `cgofinalizer: .*Local passes c.o to C.obj_use .*add runtime.KeepAlive\(c\) after the call`
	return int(v)
}

// Silent near-misses.

func (c *Conn) WriteKeepAlive() {
	C.buf_use(unsafe.Pointer(c.buf))
	runtime.KeepAlive(c)
}

func (c *Conn) WriteDeferred() {
	defer runtime.KeepAlive(c)
	C.buf_use(unsafe.Pointer(c.buf))
}

// c is used after the call: it stays reachable through it.
func (c *Conn) WriteCount() {
	C.buf_use(unsafe.Pointer(c.buf))
	c.n++
}

// A field the finalizer does not free.
func (c *Conn) Note() {
	C.buf_use(unsafe.Pointer(c.note))
}

// Used after the call on one path: the variable is live across the call
// (liveness is per program point, not per path), so the object is too.
func (c *Conn) ErrorPath() int {
	if C.obj_use(c.o) < 0 {
		return -1
	}
	runtime.KeepAlive(c)
	return 0
}

// A loop: the next iteration uses c, and the value after it too.
func (c *Conn) Loop(k int) {
	for range k {
		C.buf_use(unsafe.Pointer(c.buf))
	}
	c.n = k
}

// Branch join: both branches continue to a use.
func (c *Conn) Join(b bool) {
	if b {
		C.buf_use(unsafe.Pointer(c.buf))
	} else {
		c.n = 0
	}
	c.n++
}

// Close clears the finalizer first: nothing races with it.
func (c *Conn) Close() {
	runtime.SetFinalizer(c, nil)
	C.free(unsafe.Pointer(c.buf))
	C.obj_free(c.o)
}

// Returning the object keeps it alive past the call.
func (c *Conn) Chain() *Conn {
	C.buf_use(unsafe.Pointer(c.buf))
	return c
}

var global = NewConn()

// A global is reachable from the package.
func Global() {
	C.buf_use(unsafe.Pointer(global.buf))
}

// Plain owns C memory but has no finalizer.
type Plain struct{ buf *C.char }

func (p *Plain) Write() { C.buf_use(unsafe.Pointer(p.buf)) }

// GoOnly's finalizer frees nothing in C.
type GoOnly struct {
	buf *C.char
	log []string
}

func NewGoOnly() *GoOnly {
	g := &GoOnly{}
	runtime.SetFinalizer(g, func(g *GoOnly) { g.log = nil })
	return g
}

func (g *GoOnly) Write() { C.buf_use(unsafe.Pointer(g.buf)) }

var open = map[*Conn]bool{}

// Registered in a package map first: reachable from there during the call.
func (c *Conn) Register() { // want Register:"keeps\\[0\\]"
	open[c] = true
	C.buf_use(unsafe.Pointer(c.buf))
}

var last *Conn

// Stored in a global first.
func (c *Conn) Remember() { // want Remember:"keeps\\[0\\]"
	last = c
	C.buf_use(unsafe.Pointer(c.buf))
}

// A goroutine holds c while it runs.
func (c *Conn) Background(done chan bool) {
	go func() { done <- c.n > 0 }()
	C.buf_use(unsafe.Pointer(c.buf))
}

// A Conn made here, without the constructor: no finalizer is set on it.
func Scratch() {
	c := &Conn{buf: (*C.char)(C.malloc(8))}
	C.buf_use(unsafe.Pointer(c.buf))
	C.free(unsafe.Pointer(c.buf))
}

// makeConn sets no finalizer either.
func makeConn() *Conn { return &Conn{} }

func FromMake() {
	c := makeConn()
	C.buf_use(unsafe.Pointer(c.buf))
}

// Set up and used here: the finalizer is registered on this very object.
func Inline() {
	c := &Conn{buf: (*C.char)(C.malloc(8))}
	runtime.SetFinalizer(c, func(c *Conn) { C.free(unsafe.Pointer(c.buf)) })
	C.buf_use(unsafe.Pointer(c.buf)) // want `cgofinalizer: the finalizer set in Inline frees c\.buf; Inline passes c\.buf to C\.buf_use and does not use c after the call, so the finalizer can run while C still uses the memory; add runtime\.KeepAlive\(c\) after the call`
}

// Aliases of the object: the message and the fix name the variable that
// holds the object whose finalizer frees the memory.

func (c *Conn) Alias() {
	d := c
	C.buf_use(unsafe.Pointer(d.buf)) // want `cgofinalizer: .*Alias passes c.buf to C.buf_use .*add runtime.KeepAlive\(c\) after the call`
}

func (c *Conn) AliasKept() {
	d := c
	C.buf_use(unsafe.Pointer(c.buf))
	runtime.KeepAlive(d)
}

// The field copied to a local first.
func (c *Conn) Copied() {
	p := c.buf
	C.buf_use(unsafe.Pointer(p)) // want `cgofinalizer: .*Copied passes c.buf to C.buf_use`
}

// The constructor gives the memory back on its error path before it sets
// the finalizer: no finalizer is registered on c when C gets c.buf there.
func NewOrFail(fail bool) *Conn {
	c := &Conn{buf: (*C.char)(C.malloc(8))}
	if fail {
		C.free(unsafe.Pointer(c.buf))
		return nil
	}
	runtime.SetFinalizer(c, func(c *Conn) { C.free(unsafe.Pointer(c.buf)) })
	return c
}

// A deferred function literal that uses c keeps it alive until the return.
func (c *Conn) DeferredLiteral() {
	defer func() { c.n++ }()
	C.buf_use(unsafe.Pointer(c.buf))
}

// Silent: the finalizer's own release, made by hand (a double release if
// the finalizer runs later, which is not this check's finding).
func (c *Conn) ReleaseO() { C.obj_free(c.o) }

// Flagged: a pointer C returned for the object is used after the object's
// last use (a KeepAlive right after the first call would not protect it).
func (c *Conn) Derived() int {
	p := C.obj_first(c.o) // want `cgofinalizer: .*\(\*Conn\)\.Derived passes c\.o to C\.obj_first and uses what it returns after its last use of c`
	return int(C.obj_use(p))
}
