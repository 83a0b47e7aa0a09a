package calls

/*
#include <stdlib.h>
static void use(void *p) {}
*/
import "C"

import (
	"maps"
	"reflect"
	"runtime"
	"runtime/cgo"
	"sync"
	"unsafe"
)

func cAPI() {
	p := C.malloc(8)          // want `CAlloc C.malloc`
	s := C.CString("x")       // want `CAlloc C.CString`
	_ = C.GoString(s)         // want `CCopyOut C.GoString`
	C.use(p)                  // want `CCall C.use`
	C.free(p)                 // want `CFree C.free`
	C.free(unsafe.Pointer(s)) // want `CFree C.free`
}

func handles(v any) {
	h := cgo.NewHandle(v) // want `HandleNew cgo.NewHandle`
	_ = h.Value()         // want `HandleValue Value`
	h.Delete()            // want `HandleDelete Delete`
}

type obj struct{ b []byte }

func liveness(o *obj) {
	var pin runtime.Pinner
	pin.Pin(o)                               // want `PinnerPin Pin`
	pin.Unpin()                              // want `PinnerUnpin Unpin`
	runtime.KeepAlive(o)                     // want `KeepAlive runtime.KeepAlive`
	runtime.SetFinalizer(o, func(*obj) {})   // want `SetFinalizer runtime.SetFinalizer`
	runtime.AddCleanup(o, func(int) {}, 0)   // want `AddCleanup runtime.AddCleanup`
	_ = reflect.ValueOf(o.b).UnsafePointer() // want `ReflectValueOf reflect.ValueOf` `ReflectPointer reflect.Value.UnsafePointer`
	d := unsafe.SliceData(o.b)               // want `View unsafe.SliceData`
	_ = unsafe.Slice(d, 1)                   // want `View unsafe.Slice`
}

func locks(mu *sync.Mutex, rw *sync.RWMutex, m *sync.Map, a, b map[int]int) {
	mu.Lock()       // want `Lock Lock`
	mu.Unlock()     // want `Unlock Unlock`
	rw.RLock()      // want `RLock RLock`
	rw.RUnlock()    // want `RUnlock RUnlock`
	m.Store(1, 2)   // want `SyncMap sync.Map.Store`
	maps.Copy(a, b) // want `MapsWrite maps.Copy`
}
