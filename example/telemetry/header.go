package telemetry

/*
#include <stdlib.h>
#include <string.h>

// tm_snapshot returns the agent's status text in memory the caller frees.
static char *tm_snapshot(size_t *n) {
	static const char s[] = "sent 0\n";
	char *p = malloc(sizeof s - 1);
	memcpy(p, s, sizeof s - 1);
	*n = sizeof s - 1;
	return p;
}
*/
import "C"

import (
	"reflect"
	"unsafe"
)

// SnapshotUnsafe returns the agent's status text as a byte slice over the
// C memory, built with a hand-made slice header. The caller releases it
// with FreeSnapshot.
func SnapshotUnsafe() []byte {
	var n C.size_t
	p := C.tm_snapshot(&n)
	var view []byte
	hdr := (*reflect.SliceHeader)(unsafe.Pointer(&view))
	hdr.Data = uintptr(unsafe.Pointer(p))
	hdr.Len = int(n)
	hdr.Cap = int(n)
	return view
}

// Snapshot builds the same slice with unsafe.Slice.
func Snapshot() []byte {
	var n C.size_t
	p := C.tm_snapshot(&n)
	return unsafe.Slice((*byte)(unsafe.Pointer(p)), int(n))
}

// FreeSnapshot releases the C memory behind a snapshot.
func FreeSnapshot(b []byte) {
	C.free(unsafe.Pointer(unsafe.SliceData(b)))
}
