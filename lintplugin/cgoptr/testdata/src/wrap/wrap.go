// Package wrap forwards pointers to C: its functions carry reachesC facts,
// including whether cgo pointer-checks the C argument they end in.
package wrap

/*
static void take(void *p) {}
static void takePP(void **p) {}
static void takeChar(char *p) {}
*/
import "C"

import "unsafe"

// Pass hands p to C, which may follow the pointers in what p points to.
func Pass(p unsafe.Pointer) { C.take(p) }

// PassBytes hands p to C as char*: C reads bytes, not pointers.
func PassBytes(p unsafe.Pointer) { C.takeChar((*C.char)(p)) }

// PassSlot hands C the address of a pointer.
func PassSlot(p *unsafe.Pointer) { C.takePP(p) }
