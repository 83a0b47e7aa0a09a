package telemetry

/*
#include <stdint.h>
*/
import "C"

import "sync"

// The agent reports each metric it flushes through a callback, from its
// own worker threads, several at a time.
var (
	flushedUnsafe = map[string]uint64{}

	flushedMu sync.Mutex
	flushed   = map[string]uint64{}
)

// tmOnFlushUnsafe counts flushes in a package map with no lock: two agent
// threads calling it at once crash the program (concurrent map writes).
//
//export tmOnFlushUnsafe
func tmOnFlushUnsafe(name *C.char, n C.uint64_t) {
	flushedUnsafe[C.GoString(name)] += uint64(n)
}

// tmOnFlush holds the lock around the write.
//
//export tmOnFlush
func tmOnFlush(name *C.char, n C.uint64_t) {
	key := C.GoString(name)
	flushedMu.Lock()
	defer flushedMu.Unlock()
	flushed[key] += uint64(n)
}
