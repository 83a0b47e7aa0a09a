// Command useguard uses every part of the guard API, for the test that
// checks what a release build links.
package main

import (
	"fmt"
	"net/http"
	"unsafe"

	"github.com/cgoguard/cgoguard/guard"
	"github.com/cgoguard/cgoguard/guard/cguard"
)

func main() {
	var p guard.Pinner
	x := new(int)
	p.Pin(x)
	p.Unpin()
	h := guard.NewHandle(x)
	_ = h.Value()
	h.Delete()
	buf := cguard.Malloc(16)
	cguard.Free(buf)
	cguard.Free(cguard.Calloc(2, 8))
	cguard.Free(cguard.CString("s"))
	cguard.Free(cguard.CBytes([]byte{1}))
	http.Handle("/debug/cgoguard", guard.Handler())
	fmt.Println(guard.Enabled(), guard.Check(), unsafe.Sizeof(p))
}
