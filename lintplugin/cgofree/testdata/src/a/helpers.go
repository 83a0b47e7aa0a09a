package a

/*
#include <stdlib.h>
static void consume(void *p) {}
static int fillbuf(void *p) { return 0; }
*/
import "C"

import (
	"reflect"
	"unsafe"

	"lib"
)

// Frees and uses through helpers and methods: the summary of the callee
// counts at the call.

func freeBuf(p unsafe.Pointer) { C.free(p) }

func useAfterHelperFree() {
	p := C.malloc(8)
	freeBuf(p)
	C.consume(p) // want `cgofree: p passed to C\.consume after it was freed by freeBuf \(C\.free\)`
}

func helperFreeAfterLastUse() {
	p := C.malloc(8)
	C.consume(p)
	freeBuf(p)
}

func doubleFreeThroughHelper() {
	p := C.malloc(8)
	C.free(p)
	freeBuf(p) // want `cgofree: p freed by freeBuf \(C\.free\) after it was already freed by C\.free`
}

type buf struct {
	data unsafe.Pointer
	n    int
}

func newBuf(n int) *buf { return &buf{data: C.malloc(C.size_t(n)), n: n} }

func (b *buf) Close() { C.free(b.data) }

func (b *buf) Fill() { C.fillbuf(b.data) }

func closeThenFill() {
	b := newBuf(8)
	b.Close()
	b.Fill() // want `cgofree: b\.data used by b\.Fill \(C\.fillbuf\) after it was freed by b\.Close \(C\.free\)`
}

func closeThenUseField() {
	b := newBuf(8)
	b.Close()
	C.consume(b.data) // want `cgofree: b\.data passed to C\.consume after it was freed by b\.Close \(C\.free\)`
}

func closeTwice(b *buf) {
	b.Close()
	b.Close() // want `cgofree: b\.data freed by b\.Close \(C\.free\) after it was already freed by b\.Close \(C\.free\)`
}

func fillThenClose() {
	b := newBuf(8)
	b.Fill()
	b.Close()
}

// A Close that clears the pointer after freeing it leaves nothing freed
// behind.
type safeBuf struct{ data unsafe.Pointer }

func (b *safeBuf) Close() {
	C.free(b.data)
	b.data = nil
}

func (b *safeBuf) Fill() {
	if b.data != nil {
		C.fillbuf(b.data)
	}
}

func safeCloseTwice(b *safeBuf) {
	b.Close()
	b.Close()
	b.Fill()
}

// A helper that frees several fields of one object.
type pair struct{ a, b unsafe.Pointer }

func (p *pair) destroy() {
	C.free(p.a)
	C.free(p.b)
}

func pairUseAfterDestroy(p *pair) {
	p.destroy()
	C.consume(p.b) // want `cgofree: p\.b passed to C\.consume after it was freed by p\.destroy \(C\.free\)`
}

func pairReassigned(p *pair) {
	p.destroy()
	p.b = C.malloc(1)
	C.consume(p.b)
}

// Value copies of a struct that frees in a value method: both copies hold
// the same C pointer.
type cstr struct{ p *C.char }

func (s cstr) Free() { C.free(unsafe.Pointer(s.p)) }

func copiesFreeTwice() {
	s := cstr{C.CString("x")}
	t := s
	s.Free()
	t.Free() // want `cgofree: t\.p \(an alias of s\.p\) freed by t\.Free \(C\.free\) after it was already freed by s\.Free \(C\.free\)`
}

func copiesOfDifferent() {
	s := cstr{C.CString("x")}
	t := cstr{C.CString("y")}
	s.Free()
	t.Free()
}

// A helper that frees only when the caller says so cannot be judged.
func maybeFree(p unsafe.Pointer, owned bool) {
	if owned {
		C.free(p)
	}
}

func maybeFreed() {
	p := C.malloc(8)
	maybeFree(p, false)
	C.consume(p)
	C.free(p)
}

// A nil check on the pointer itself does not make the free conditional.
func freeIfSet(p unsafe.Pointer) {
	if p != nil {
		C.free(p)
	}
}

func useAfterFreeIfSet() {
	p := C.malloc(8)
	freeIfSet(p)
	C.consume(p) // want `cgofree: p passed to C\.consume after it was freed by freeIfSet \(C\.free\)`
}

// A helper that reads the memory in Go.
func peek(p unsafe.Pointer) byte { return *(*byte)(p) }

func peekAfterFree() byte {
	p := C.malloc(8)
	C.free(p)
	return peek(p) // want `cgofree: p used by peek after it was freed by C\.free`
}

// Another package's helpers and methods, through facts.
func libFreeThenUse() {
	p := C.malloc(8)
	lib.Free(p)
	C.consume(p) // want `cgofree: p passed to C\.consume after it was freed by lib\.Free \(C\.free\)`
}

func libCloseThenUse() {
	b := lib.NewBuffer(8)
	b.Close()
	C.consume(b.Data) // want `cgofree: b\.Data passed to C\.consume after it was freed by b\.Close \(C\.free\)`
}

func libResetThenUse() {
	b := lib.NewBuffer(8)
	b.Reset()
	C.consume(b.Data)
}

// An unrelated call between the free and the use does not hide it.
func unrelatedCallBetween(b *buf, name string) {
	b.Close()
	_ = len(name)
	println(name)
	b.Fill() // want `cgofree: b\.data used by b\.Fill \(C\.fillbuf\) after it was freed by b\.Close \(C\.free\)`
}

// A call that is handed the object may reassign the field.
func reopen(b *buf) { b.data = C.malloc(8) }

func closeReopenFill(b *buf) {
	b.Close()
	reopen(b)
	b.Fill()
}

// A deferred Free of an object whose memory the function returns.
func viewAfterDeferredClose() []byte {
	b := newBuf(8)
	defer b.Close() // want `cgofree: b\.data freed by the deferred b\.Close \(C\.free\) when the function returns, but it is returned`
	return unsafe.Slice((*byte)(b.data), b.n)
}

func copyBeforeDeferredClose() []byte {
	b := newBuf(8)
	defer b.Close()
	return C.GoBytes(b.data, C.int(b.n))
}

// A field loaded before the method that frees it: the load holds the
// freed pointer.
func loadThenClose() {
	b := newBuf(8)
	d := b.data
	b.Close()
	C.consume(d) // want `cgofree: d \(an alias of b\.data\) passed to C\.consume after it was freed by b\.Close \(C\.free\)`
}

func loadAfterReopen() {
	b := newBuf(8)
	b.Close()
	reopen(b)
	d := b.data
	C.consume(d)
}

// C.realloc frees the old pointer when it returns a new one.
func useAfterRealloc(n int) {
	p := C.malloc(8)
	q := C.realloc(p, C.size_t(n))
	if q == nil {
		C.free(p)
		return
	}
	C.consume(p) // want `cgofree: p passed to C\.consume after it was freed by C\.realloc`
	C.free(q)
}

func reallocInPlace(n int) {
	p := C.malloc(8)
	p = C.realloc(p, C.size_t(n))
	C.consume(p)
	C.free(p)
}

// A slice laid over C memory through reflect.SliceHeader is that memory.
func headerAliasAfterFree(n int) byte {
	p := C.malloc(C.size_t(n))
	var b []byte
	sh := (*reflect.SliceHeader)(unsafe.Pointer(&b))
	sh.Data = uintptr(p)
	sh.Len, sh.Cap = n, n
	C.free(p)
	return b[0] // want `cgofree: b \(an alias of p\) read after it was freed by C\.free`
}

func headerAliasBeforeFree(n int) byte {
	p := C.malloc(C.size_t(n))
	var b []byte
	sh := (*reflect.SliceHeader)(unsafe.Pointer(&b))
	sh.Data = uintptr(p)
	sh.Len, sh.Cap = n, n
	v := b[0]
	C.free(p)
	return v
}

// An interface call whose receiver has one concrete type.
type closer interface{ Close() }

func closeThroughInterface() {
	b := newBuf(8)
	var c closer = b
	c.Close()
	b.Fill() // want `cgofree: b\.data used by b\.Fill \(C\.fillbuf\) after it was freed by \(\*buf\)\.Close \(C\.free\)`
}

func closeThroughUnknownInterface(c closer, b *buf) {
	c.Close()
	b.Fill()
}
