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

import "unsafe"

// SnapshotLine returns the agent's status text and a newline as a byte
// slice over the C memory. The array cast leaves the slice the capacity of
// the array, not of the C buffer, so append writes the newline in place,
// one byte past the end of the allocation.
func SnapshotLine() []byte {
	var n C.size_t
	p := C.tm_snapshot(&n)
	line := (*[1 << 30]byte)(unsafe.Pointer(p))[:n]
	return append(line, '\n')
}

// Snapshot returns the status text as a slice over exactly the C buffer:
// unsafe.Slice sets cap to len, so appending to it copies to Go memory.
func Snapshot() []byte {
	var n C.size_t
	p := C.tm_snapshot(&n)
	return unsafe.Slice((*byte)(unsafe.Pointer(p)), int(n))
}

// FreeSnapshot releases the C memory behind a snapshot.
func FreeSnapshot(b []byte) {
	C.free(unsafe.Pointer(unsafe.SliceData(b)))
}
