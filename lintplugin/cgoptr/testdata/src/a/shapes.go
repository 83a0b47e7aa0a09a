package a

/*
typedef struct { void *p; int n; } spair;
static void takeSpair(spair p) {}
static void takeVoid(void *p) {}
static spair gpair;
static int *gptr;
*/
import "C"

import (
	"reflect"
	"runtime"
	"unsafe"
)

// A slice converted to an array pointer is the slice's memory, as &s[0] is.
func sliceToArrayPointer() {
	i := 0
	s := []*int{&i}
	C.takeVoid(unsafe.Pointer((*[1]*int)(s))) // want `cgoptr: .*points to Go memory that holds the Go pointer &i`
}

func sliceToArrayPointerNil() {
	s := []*int{nil}
	C.takeVoid(unsafe.Pointer((*[1]*int)(s)))
}

// A pointer out of reflect.Value is the value's memory.
func reflectUnsafePointer() {
	i := 0
	s := []*int{&i}
	C.takeVoid(reflect.ValueOf(s).UnsafePointer()) // want `cgoptr: .*points to Go memory that holds the Go pointer &i`
}

func reflectUnsafePointerNil() {
	s := []*int{nil}
	C.takeVoid(reflect.ValueOf(s).UnsafePointer())
}

// Stores into C globals are stores into C memory.
func storeIntoCGlobal() {
	i := C.int(0)
	C.gptr = &i // want `cgoptr: Go pointer &i .*stored in C memory`
}

func storeIntoCGlobalField() {
	i := C.int(0)
	C.gpair.p = unsafe.Pointer(&i) // want `cgoptr: Go pointer &i .*stored in C memory`
}

func storeIntoCGlobalPinned() {
	var pin runtime.Pinner
	i := C.int(0)
	pin.Pin(&i)
	C.gpair.p = unsafe.Pointer(&i)
	C.gpair.p = nil
	pin.Unpin()
}

func storeIntoCGlobalCMemory() {
	C.gptr = (*C.int)(C.malloc(4))
}

// A C struct passed by value: each pointer field is passed to C, and the
// Go memory it points to must hold no Go pointers.
func structByValue() {
	x := &goHolder{p: new(int)}
	C.takeSpair(C.spair{p: unsafe.Pointer(x), n: 1}) // want `cgoptr: .*Go memory that holds the Go pointer new\(int\)`
}

type goHolder struct{ p *int }

func structByValueGoPointer() {
	i := C.int(0)
	C.takeSpair(C.spair{p: unsafe.Pointer(&i), n: 1}) // a Go pointer to memory without Go pointers is allowed
}

func structByValueCMemory() {
	C.takeSpair(C.spair{p: C.malloc(4), n: 1})
}
