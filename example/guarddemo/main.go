// Command guarddemo shows the runtime guard catching a use-after-free that
// no static check can see, because the stale pointer is kept in C.
//
// A small C status reporter, written in the style of many C libraries,
// keeps the pointer it is given instead of copying the string, and reads it
// again when asked to flush. The Go side frees its copy as soon as the call
// returns, which looks right from Go. Built with -tags cgoguard and run at
// default settings (the buffer is the first allocated at its site, so it
// goes on guard pages), the flush faults on the freed buffer and the guard
// prints where it was allocated and freed. Run it through run.sh; the
// release build's behaviour is undefined.
package main

/*
#include <stdio.h>
#include <string.h>

// status_set records the current status line. It keeps msg, not a copy.
static const char *last_status;

static void status_set(const char *msg) { last_status = msg; }

// status_flush writes the last status line and returns its length.
static size_t status_flush(void) {
	if (last_status == NULL) {
		return 0;
	}
	size_t n = strlen(last_status);
	fprintf(stderr, "status: %s\n", last_status);
	return n;
}
*/
import "C"

import (
	"fmt"

	"github.com/cgoguard/cgoguard/guard/cguard"
)

// reportStatus hands a status line to the C reporter.
func reportStatus(msg string) {
	cmsg := cguard.CString(msg)
	defer cguard.Free(cmsg)
	C.status_set((*C.char)(cmsg))
}

func main() {
	reportStatus("connected to upstream 10.0.0.7:5432")
	n := C.status_flush()
	fmt.Println("flushed a status line of", n, "bytes")
}
