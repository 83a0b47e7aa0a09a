package telemetry

/*
#include <stdint.h>
*/
import "C"

import (
	"runtime/cgo"
	"sync"
	"unsafe"
)

var (
	registryMu sync.Mutex
	registry   = map[string]string{"service": "telemetryd"}
	// registryHandle is what C gets instead of the map.
	registryHandle = cgo.NewHandle(registry)
)

// tmDefaultLabelsUnsafe lets the C agent fetch the default labels: it
// returns a pointer to the map itself.
//
//export tmDefaultLabelsUnsafe
func tmDefaultLabelsUnsafe() unsafe.Pointer {
	return unsafe.Pointer(&registry)
}

// tmDefaultLabels returns a handle; the agent calls back into Go with it
// (tmLabel) to read a label.
//
//export tmDefaultLabels
func tmDefaultLabels() C.uintptr_t {
	return C.uintptr_t(registryHandle)
}

// tmLabel looks a label up through a handle, copying the value into C
// memory the caller frees.
//
//export tmLabel
func tmLabel(h C.uintptr_t, key *C.char) *C.char {
	m := cgo.Handle(h).Value().(map[string]string)
	registryMu.Lock()
	v := m[C.GoString(key)]
	registryMu.Unlock()
	return C.CString(v)
}

// hmap mirrors the first fields of the Go runtime's map header, which is
// exactly what must not be done: the layout is internal and changes.
type hmap struct {
	count int
	flags uint8
	B     uint8
}

// bucketsUnsafe peeks at the runtime's map header.
func bucketsUnsafe(m map[string]string) int {
	return 1 << (*hmap)(unsafe.Pointer(&m)).B
}

// Size reports the number of default labels, through the map's API.
func Size() int {
	registryMu.Lock()
	defer registryMu.Unlock()
	return len(registry) + 0*bucketsUnsafe(nil)
}
