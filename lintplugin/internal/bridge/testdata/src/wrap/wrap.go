// Package wrap forwards pointers to C; its wrappers carry reachesC facts.
package wrap

/*
#include <stdint.h>
static void take(void *p) {}
static void takeInt(uintptr_t p) {}
*/
import "C"

import "unsafe"

func Pass(p unsafe.Pointer) { C.take(p) } // want Pass:`reachesC\(p:value->C.take\)` Pass:`summary borrows\[0\]`

func PassInt(p uintptr) { C.takeInt(C.uintptr_t(p)) } // want PassInt:`reachesC\(p:value->C.takeInt\)`

type Client struct{ n int }

func (c *Client) Send(tag int, p unsafe.Pointer) { C.take(p) } // want Send:`reachesC\(p:value->C.take\)` Send:`summary borrows\[2\]`

func Store[T any](v T) { C.take(unsafe.Pointer(&v)) } // want Store:`reachesC\(v:memory->C.take\)`

func PassAll(ps ...unsafe.Pointer) { // want PassAll:`reachesC\(ps:value elems->C.take\)` PassAll:`summary uses\(0\)`
	for _, p := range ps {
		C.take(p)
	}
}

// Len takes a pointer but only reads it in Go: it does not reach C, but it
// uses the memory (a use after free if the memory was freed).
func Len(p unsafe.Pointer) int { return int(*(*int)(p)) } // want Len:`summary borrows\[0\] uses\(0\)`
