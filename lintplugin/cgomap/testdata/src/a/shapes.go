package a

/*
static void keep(void *p) {}
typedef struct { void *p; int n; } mbox;
static void takeBox(mbox b) {}
static void *gslot;
*/
import "C"

import (
	"reflect"
	"sync"
	"unsafe"
)

// A map reached through reflect.Value.
func reflectMap() {
	m := map[string]int{"a": 1}
	C.keep(reflect.ValueOf(m).UnsafePointer()) // want `cgomap: a map \(map\[string\]int, which is a map\) passed to C.keep`
}

func reflectSlice() {
	s := []byte("x")
	C.keep(reflect.ValueOf(s).UnsafePointer())
}

// sync.Map holds its entries in runtime-managed memory as a map does.
func syncMapPointer() {
	var m sync.Map
	m.Store("a", 1)
	C.keep(unsafe.Pointer(&m)) // want `cgomap: &m \(\*sync.Map, which points to a sync.Map\) passed to C.keep`
}

type counter struct {
	mu sync.Mutex
	n  int
}

func mutexHolder() {
	var r counter
	C.keep(unsafe.Pointer(&r.n))
}

// A map stored into a C global.
func storeMapInCGlobal() {
	m := map[int]int{}
	C.gslot = unsafe.Pointer(&m) // want `cgomap: &m .* stored in C memory`
}

func storeCMemoryInCGlobal() {
	C.gslot = C.malloc(8)
}

// A C struct passed by value that holds a map's address.
func mapInStructByValue() {
	m := map[int]int{}
	C.takeBox(C.mbox{p: unsafe.Pointer(&m), n: 1}) // want `cgomap: &m .* passed to C.takeBox`
}

func cMemoryInStructByValue() {
	C.takeBox(C.mbox{p: C.malloc(8), n: 1})
}

// Method values that hand a parameter to C.
type mapSender struct{}

func (mapSender) send(p unsafe.Pointer) { C.keep(p) }

func methodValue() {
	m := map[int]int{}
	f := mapSender{}.send
	f(unsafe.Pointer(&m)) // want `cgomap: &m .* passed to C.keep via parameter p of`
}
