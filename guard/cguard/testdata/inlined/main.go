// Command inlined pairs each guard call with the raw call it stands for,
// for the test that compares their machine code in a release build.
package main

import (
	"runtime"
	"runtime/cgo"
	"unsafe"

	"github.com/cgoguard/cgoguard/guard"
	"github.com/cgoguard/cgoguard/guard/cguard"
	"github.com/cgoguard/cgoguard/guard/cguard/internal/rawc"
)

//go:noinline
func mallocGuard(n uintptr) unsafe.Pointer { return cguard.Malloc(n) }

//go:noinline
func mallocRaw(n uintptr) unsafe.Pointer { return rawc.Malloc(n) }

//go:noinline
func callocGuard(n uintptr) unsafe.Pointer { return cguard.Calloc(n, 8) }

//go:noinline
func callocRaw(n uintptr) unsafe.Pointer { return rawc.Calloc(n, 8) }

//go:noinline
func cbytesGuard(b []byte) unsafe.Pointer { return cguard.CBytes(b) }

//go:noinline
func cbytesRaw(b []byte) unsafe.Pointer { return rawc.CBytes(b) }

//go:noinline
func freeGuard(p unsafe.Pointer) { cguard.Free(p) }

//go:noinline
func freeRaw(p unsafe.Pointer) { rawc.Free(p) }

//go:noinline
func cstringGuard(s string) unsafe.Pointer { return cguard.CString(s) }

//go:noinline
func cstringRaw(s string) unsafe.Pointer { return rawc.CString(s) }

//go:noinline
func handleGuard(v any) any {
	h := guard.NewHandle(v)
	defer h.Delete()
	return h.Value()
}

//go:noinline
func handleRaw(v any) any {
	h := cgo.NewHandle(v)
	defer h.Delete()
	return h.Value()
}

//go:noinline
func pinGuard(x *int) {
	var p guard.Pinner
	p.Pin(x)
	p.Unpin()
}

//go:noinline
func pinRaw(x *int) {
	var p runtime.Pinner
	p.Pin(x)
	p.Unpin()
}

func main() {
	freeGuard(mallocGuard(1))
	freeRaw(mallocRaw(1))
	freeGuard(callocGuard(1))
	freeRaw(callocRaw(1))
	freeGuard(cbytesGuard([]byte{1}))
	freeRaw(cbytesRaw([]byte{1}))
	freeGuard(cstringGuard("s"))
	freeRaw(cstringRaw("s"))
	handleGuard(1)
	handleRaw(1)
	pinGuard(new(int))
	pinRaw(new(int))
}
