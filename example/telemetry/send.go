package telemetry

/*
#include <stdint.h>
#include <stdlib.h>

typedef struct {
	char **keys;
	char **values;
	int n;
} tm_labels;

void tm_send(void *batch);
void tm_send_labels(tm_labels *l);
void tm_send_handle(uintptr_t h);
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"
)

// SendUnsafe passes the map itself to C.
func SendUnsafe(labels map[string]string) {
	C.tm_send(unsafe.Pointer(&labels))
}

// Send copies every label into C memory, which C may keep.
func Send(labels map[string]string) {
	n := len(labels)
	if n == 0 {
		return
	}
	var l C.tm_labels
	ptrSize := C.size_t(unsafe.Sizeof(uintptr(0)))
	l.keys = (**C.char)(C.malloc(C.size_t(n) * ptrSize))
	l.values = (**C.char)(C.malloc(C.size_t(n) * ptrSize))
	keys := unsafe.Slice(l.keys, n)
	values := unsafe.Slice(l.values, n)
	i := 0
	for k, v := range labels {
		keys[i] = C.CString(k)
		values[i] = C.CString(v)
		i++
	}
	l.n = C.int(n)
	C.tm_send_labels(&l)
	for i := range n {
		C.free(unsafe.Pointer(keys[i]))
		C.free(unsafe.Pointer(values[i]))
	}
	C.free(unsafe.Pointer(l.keys))
	C.free(unsafe.Pointer(l.values))
}

// Event is a named set of labels.
type Event struct {
	Name   string
	Labels map[string]string
}

// EmitUnsafe passes a pointer to a struct that holds a map.
func EmitUnsafe(ev *Event) {
	C.tm_send(unsafe.Pointer(ev))
}

// Emit sends the event's labels, copied into C memory.
func Emit(ev *Event) {
	labels := map[string]string{"event": ev.Name}
	for k, v := range ev.Labels {
		labels[k] = v
	}
	Send(labels)
}

// TagUnsafe smuggles a pointer to the map through an integer.
func TagUnsafe(tags map[string]string) {
	C.tm_send_handle(C.uintptr_t(uintptr(unsafe.Pointer(&tags))))
}

// Tag passes a cgo.Handle: an integer C can hold, for a map Go keeps.
func Tag(tags map[string]string) {
	h := cgo.NewHandle(tags)
	C.tm_send_handle(C.uintptr_t(h))
	h.Delete()
}

// QueueUnsafe stores a pointer to the map in C memory.
func QueueUnsafe(labels map[string]string) unsafe.Pointer {
	slot := (*unsafe.Pointer)(C.malloc(C.size_t(unsafe.Sizeof(uintptr(0)))))
	*slot = unsafe.Pointer(&labels)
	return unsafe.Pointer(slot)
}

// Queue stores a handle in C memory; the caller deletes it once C is done.
func Queue(labels map[string]string) (unsafe.Pointer, cgo.Handle) {
	h := cgo.NewHandle(labels)
	slot := (*C.uintptr_t)(C.malloc(C.size_t(unsafe.Sizeof(C.uintptr_t(0)))))
	*slot = C.uintptr_t(h)
	return unsafe.Pointer(slot), h
}
