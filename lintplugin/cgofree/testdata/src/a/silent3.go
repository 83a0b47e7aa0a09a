package a

/*
#include <stdlib.h>
static int set_opt(char *s, int n) { return 0; }
static int set_other(char *s, int n) { return 0; }
*/
import "C"

import "unsafe"

// Near misses from real code.

// s is declared inside the loop body: each iteration starts with a nil s
// and allocates afresh only on some paths; the previous iteration's freed
// string is never seen again (godror's setTraceTag).
func perIteration(opts [][2]string) int {
	for _, f := range opts {
		var s *C.char
		if f[1] != "" {
			s = C.CString(f[1])
		}
		var res C.int
		switch f[0] {
		case "a":
			res = C.set_opt(s, C.int(len(f[1])))
		case "b":
			res = C.set_other(s, C.int(len(f[1])))
		}
		if s != nil {
			C.free(unsafe.Pointer(s))
		}
		if res != 0 {
			return int(res)
		}
	}
	return 0
}
