// Package wrap forwards pointers to C; its wrappers carry reachesC facts.
package wrap

/*
#include <stdint.h>
static void take(void *p) {}
static void takeInt(uintptr_t p) {}
*/
import "C"

import "unsafe"

func Pass(p unsafe.Pointer) { C.take(p) }

func PassInt(p uintptr) { C.takeInt(C.uintptr_t(p)) }

type Client struct{ n int }

func (c *Client) Send(tag int, p unsafe.Pointer) { C.take(p) }

func Store[T any](v T) { C.take(unsafe.Pointer(&v)) }

func PassAll(ps ...unsafe.Pointer) {
	for _, p := range ps {
		C.take(p)
	}
}

// Len takes a pointer but only reads it in Go: no fact.
func Len(p unsafe.Pointer) int { return int(*(*int)(p)) }
