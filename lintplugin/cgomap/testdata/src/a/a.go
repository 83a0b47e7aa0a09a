package a

/*
#include <stdint.h>
#include <stdlib.h>
static void take(void *p) {}
static void takeInt(uintptr_t p) {}
static void takeChar(char *p) {}
static void takeInts(int *p, int n) {}
typedef struct { int n; } point;
*/
import "C"

import (
	"runtime"
	"runtime/cgo"
	"unsafe"
)

type config struct {
	name string
	tags map[string]string
}

type outer struct {
	n     int
	inner config
}

var registry = map[string]int{}

// Flagged shapes.

func direct() {
	m := map[string]int{"a": 1}
	C.take(unsafe.Pointer(&m)) // want `cgomap: &m \(\*map\[string\]int, which points to a map\) passed to C.take: the runtime moves and frees a map's memory while C holds it; copy the entries into C memory or pass a cgo.Handle`
}

func fromNew() {
	p := new(map[int]int)
	C.take(unsafe.Pointer(p)) // want `cgomap: new\(map\[int\]int\) .* passed to C.take`
}

func inStruct() {
	cfg := config{tags: map[string]string{}}
	C.take(unsafe.Pointer(&cfg)) // want `cgomap: &cfg \(\*config, which holds a map at .tags\) passed to C.take`
}

func nested() {
	var o outer
	C.take(unsafe.Pointer(&o.inner)) // want `cgomap: &o.inner .*holds a map at .tags`
}

func inArray() {
	var arr [2]map[string]int
	C.take(unsafe.Pointer(&arr[0])) // want `cgomap: &arr\[i\] .*points to a map`
}

func inSlice(s []map[int]int) {
	C.take(unsafe.Pointer(&s[0])) // want `cgomap: .*points to a map.* passed to C.take`
}

func sliceData(s []config) {
	C.take(unsafe.Pointer(unsafe.SliceData(s))) // want `cgomap: s \(\[\]config, which holds a map at \[i\].tags\) passed to C.take`
}

func temporary() {
	m := map[string]int{}
	p := unsafe.Pointer(&m)
	q := p
	C.take(q) // want `cgomap: &m .* passed to C.take`
}

func charChain() {
	m := map[string]int{}
	C.takeChar((*C.char)(unsafe.Pointer(&m))) // want `cgomap: &m .* passed to C.takeChar`
}

func uintptrChain() {
	m := map[string]int{}
	C.takeInt(C.uintptr_t(uintptr(unsafe.Pointer(&m)))) // want `cgomap: &m .* passed to C.takeInt`
}

func viaInterface() {
	m := map[string]int{}
	var v any = unsafe.Pointer(&m)
	C.take(v.(unsafe.Pointer)) // want `cgomap: &m .* passed to C.take`
}

func viaClosure() {
	m := map[string]int{}
	func() {
		C.take(unsafe.Pointer(&m)) // want `cgomap: &m .* passed to C.take`
	}()
}

func global() {
	C.take(unsafe.Pointer(&registry)) // want `cgomap: &registry .* passed to C.take`
}

func deferred() {
	m := map[string]int{}
	defer C.take(unsafe.Pointer(&m)) // want `cgomap: &m .* passed to C.take`
}

func pointerVar() {
	m := map[string]int{}
	p := unsafe.Pointer(&m)
	C.take(unsafe.Pointer(&p)) // want `cgomap: &p holds &m .* passed to C.take`
}

func header() {
	m := map[string]int{}
	C.take(*(*unsafe.Pointer)(unsafe.Pointer(&m))) // want `cgomap: .*is a map.* passed to C.take`
}

// Wrappers in this package.

func pass(p unsafe.Pointer) { C.take(p) }

func passTwice(p unsafe.Pointer) { pass(p) }

type sender struct{}

func (sender) send(p unsafe.Pointer) { C.take(p) }

func sendAll(ps ...unsafe.Pointer) {
	for _, p := range ps {
		C.take(p)
	}
}

func sendAny(v any) { C.take(v.(unsafe.Pointer)) }

func sendGeneric[T any](v T) { C.take(unsafe.Pointer(&v)) }

func wrappers() {
	m := map[string]int{}
	pass(unsafe.Pointer(&m))      // want `cgomap: &m .* passed to C.take via parameter p of pass\(\)`
	passTwice(unsafe.Pointer(&m)) // want `cgomap: &m .* passed to C.take via parameter p of passTwice\(\), then parameter p of pass\(\)`
	var s sender
	s.send(unsafe.Pointer(&m)) // want `via parameter p of \(sender\).send\(\)`
	fn := s.send
	fn(unsafe.Pointer(&m))           // want `cgomap: &m .* passed to C.take via parameter p of`
	sendAll(nil, unsafe.Pointer(&m)) // want `via parameter ps of sendAll\(\)`
	sendAny(unsafe.Pointer(&m))      // want `via parameter v of sendAny\(\)`
	sendGeneric(m)                   // want `cgomap: .*map\[string\]int, which is a map.* placed in memory read by C.take via parameter v of sendGeneric\(\)`
	call := func(p unsafe.Pointer) { C.take(p) }
	call(unsafe.Pointer(&m)) // want `via parameter p of the function literal in wrappers\(\)`
}

// Reinterpreting the map header.

type hmap struct {
	count int
	flags uint8
}

func reinterpret() int {
	m := map[string]int{}
	h := (*hmap)(unsafe.Pointer(&m)) // want `cgomap: &m \(\*map\[string\]int\) reinterpreted as \*hmap`
	return h.count
}

// Stored into C memory.

func storeIntoC() {
	m := map[string]int{}
	slots := (*[4]unsafe.Pointer)(C.malloc(4 * C.size_t(unsafe.Sizeof(uintptr(0)))))
	slots[0] = unsafe.Pointer(&m) // want `cgomap: &m .* stored in C memory`
	cell := (*map[string]int)(C.malloc(8))
	*cell = m // want `cgomap: .*is a map.* stored in C memory`
}

// //export signatures and results.

//export GetRegistry
func GetRegistry() unsafe.Pointer {
	return unsafe.Pointer(&registry) // want `cgomap: &registry .* returned to C, as the result of exported GetRegistry`
}

//export TakeMap
func TakeMap(m map[string]int) {} // want `cgomap: parameter m of exported TakeMap has type map\[string\]int, which is a map`

//export MakeConfig
func MakeConfig() *map[string]int { return nil } // want `cgomap: result of exported MakeConfig has type \*map\[string\]int, which points to a map`

// Legal code next to the shapes above: silent.

func length() {
	m := map[string]int{}
	C.takeInt(C.uintptr_t(len(m)))
}

func copied() {
	m := map[string]int{"a": 1, "b": 2}
	vals := (*[1 << 20]C.int)(C.malloc(C.size_t(len(m)) * C.size_t(unsafe.Sizeof(C.int(0)))))[:len(m):len(m)]
	keys := (*[1 << 20]*C.char)(C.malloc(C.size_t(len(m)) * C.size_t(unsafe.Sizeof(uintptr(0)))))[:len(m):len(m)]
	i := 0
	for k, v := range m {
		keys[i] = C.CString(k)
		vals[i] = C.int(v)
		i++
	}
	C.takeInts(&vals[0], C.int(len(vals)))
	C.take(unsafe.Pointer(&keys[0]))
}

func cValues() {
	m := map[string]*C.char{"a": C.CString("x")}
	C.takeChar(m["a"])
	pts := map[int]C.point{1: {n: 3}}
	p := pts[1]
	C.take(unsafe.Pointer(&p))
}

func handle() {
	m := map[string]int{}
	h := cgo.NewHandle(m)
	C.takeInt(C.uintptr_t(h))
	h.Delete()
}

func intField() {
	var o outer
	C.take(unsafe.Pointer(&o.n))
	cfg := config{}
	C.take(unsafe.Pointer(&cfg.inner().n))
}

func (c *config) inner() *C.point { return &C.point{} }

type node struct {
	val  C.int
	next *node
	cfg  *config // nil in legal uses; cgoptr tracks the values
	tags []map[string]int
}

func behindPointer() {
	n := node{val: 1}
	C.take(unsafe.Pointer(&n))
}

func pinned() {
	var pin runtime.Pinner
	defer pin.Unpin()
	x := new(C.int)
	pin.Pin(x)
	C.take(unsafe.Pointer(x))
}

func headerIdentity() bool {
	m := map[string]int{}
	p := *(*unsafe.Pointer)(unsafe.Pointer(&m)) // the map's identity, as reflect's tests take it
	return p != nil
}

func headerFields() uint8 {
	m := map[string]int{}
	p := *(*unsafe.Pointer)(unsafe.Pointer(&m))
	return (*hmap)(p).flags // want `cgomap: the header of a map \(map\[string\]int\) reinterpreted as \*hmap`
}

func arrayView() uintptr {
	m := map[string]int{}
	return (*[2]uintptr)(unsafe.Pointer(&m))[0] // want `cgomap: &m \(\*map\[string\]int\) reinterpreted as \*\[2\]uintptr`
}

func sameType() {
	m := map[string]int{}
	p := (*map[string]int)(unsafe.Pointer(&m))
	(*p)["a"] = 1
}

func reassigned() {
	m := map[string]int{}
	var x C.int
	p := unsafe.Pointer(&m)
	p = unsafe.Pointer(&x)
	C.take(p)
	_ = m
}

func resetPtr(p *unsafe.Pointer) { *p = nil }

// resetThroughAddress: after resetPtr(&p), p may hold anything; silent.
func resetThroughAddress() {
	m := map[string]int{}
	p := unsafe.Pointer(&m)
	resetPtr(&p)
	C.take(p)
	_ = m
}

// otherAddress: passing another variable's address changes nothing for p.
func otherAddress() {
	m := map[string]int{}
	var q unsafe.Pointer
	p := unsafe.Pointer(&m)
	resetPtr(&q)
	C.take(p) // want `cgomap: &m .* passed to C.take`
}

func wrapperOK() {
	var x C.int
	pass(unsafe.Pointer(&x))
	sendAll(unsafe.Pointer(&x))
}

//export Count
func Count(n C.int) C.int { return C.int(len(registry)) + n }
