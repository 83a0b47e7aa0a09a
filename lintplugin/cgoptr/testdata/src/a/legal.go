package a

/*
#include <stdlib.h>
struct opts { char *name; char **argv; int n; };
static void run(struct opts *o) {}
static void execArgs(char **argv) {}
static void get(char **out) { *out = 0; }
static void fill(void *buf, int n) {}
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// Legal code the check must stay silent on: common cgo idioms.

func argvOfCStrings(args []string) {
	argv := make([]*C.char, len(args)+1)
	for i, a := range args {
		argv[i] = C.CString(a)
	}
	C.execArgs(&argv[0])
	for _, p := range argv {
		C.free(unsafe.Pointer(p))
	}
}

func argvAppended(args []string) {
	var argv []*C.char
	for _, a := range args {
		argv = append(argv, C.CString(a))
	}
	argv = append(argv, nil)
	C.execArgs(&argv[0])
}

func optionsInCMemory(name string) {
	var o C.struct_opts
	o.name = C.CString(name)
	o.argv = (**C.char)(C.malloc(8))
	C.run(&o)
	C.free(unsafe.Pointer(o.name))
	C.free(unsafe.Pointer(o.argv))
}

func outParameter() *C.char {
	var out *C.char
	C.get(&out)
	return out
}

func byteBuffer(n int) []byte {
	buf := make([]byte, n)
	C.fill(unsafe.Pointer(&buf[0]), C.int(n))
	return buf
}

func cSliceInGoStruct(n int) {
	type view struct {
		elems []C.int
		count int
	}
	v := &view{elems: unsafe.Slice((*C.int)(C.malloc(C.size_t(n)*4)), n), count: n}
	C.fill(unsafe.Pointer(v), C.int(n)) // v.elems points to C memory
}

func pointerFreeGlobal() {
	var argv [2]*C.char
	argv[0] = &scratch[0] // a package-level array without pointers
	C.execArgs(&argv[0])
}

var scratch [64]C.char

// Flagged by contrast: a local array is Go memory the collector manages.
func localCharArray() {
	var local [64]C.char
	var argv [2]*C.char
	argv[0] = &local[0]
	C.execArgs(&argv[0]) // want `cgoptr: &argv\[0\] passed to C.execArgs points to Go memory that holds the Go pointer &local\[0\] \(at \[0\]\)`
}

// On some path a Go pointer is stored: flagged, for that path.
func onSomePath(debug bool) {
	var o C.struct_opts
	if debug {
		o.name = (*C.char)(unsafe.Pointer(&[]byte(fmt.Sprint(debug))[0]))
	} else {
		o.name = C.CString("release")
	}
	C.run(&o) // want `cgoptr: &o passed to C.run points to Go memory that holds the Go pointer &\[\]byte\(fmt.Sprint\(debug\)\)\[0\] \(at .name\)`
}

func zeroSized() {
	type empty struct{}
	var slots [1]unsafe.Pointer
	slots[0] = unsafe.Pointer(&empty{}) // zero-sized: no Go memory behind it
	C.execArgs((**C.char)(unsafe.Pointer(&slots[0])))
}
