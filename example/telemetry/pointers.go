package telemetry

/*
#include <stddef.h>

typedef struct {
	const char *data;
	size_t len;
} tm_point;

// tm_write stands for the agent reading a batch of points during the call.
static size_t tm_write(tm_point *pts, size_t n) {
	size_t total = 0;
	for (size_t i = 0; i < n; i++) total += pts[i].len;
	return total;
}
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// WritePointsUnsafe hands the agent Go memory (the points) holding Go
// pointers (each point's bytes): C follows them while the garbage
// collector is free to move or free the bytes.
func WritePointsUnsafe(lines []string) int {
	if len(lines) == 0 {
		return 0
	}
	pts := make([]C.tm_point, len(lines))
	for i, l := range lines {
		b := []byte(l + "\n")
		pts[i].data = (*C.char)(unsafe.Pointer(&b[0]))
		pts[i].len = C.size_t(len(b))
	}
	return int(C.tm_write(&pts[0], C.size_t(len(pts))))
}

// WritePoints pins each point's bytes until the call returns: the agent
// may follow the pointers, and the garbage collector leaves the bytes be.
func WritePoints(lines []string) int {
	if len(lines) == 0 {
		return 0
	}
	var pinner runtime.Pinner
	defer pinner.Unpin()
	pts := make([]C.tm_point, len(lines))
	for i, l := range lines {
		b := []byte(l + "\n")
		pinner.Pin(&b[0])
		pts[i].data = (*C.char)(unsafe.Pointer(&b[0]))
		pts[i].len = C.size_t(len(b))
	}
	return int(C.tm_write(&pts[0], C.size_t(len(pts))))
}
