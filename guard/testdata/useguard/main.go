// Command useguard uses every part of the guard API but the HTTP view, for
// the tests that check what a release build links and how large it is.
// testdata/useraw is the same program written with the raw calls.
package main

import (
	"fmt"
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
	fmt.Println(guard.Enabled(), guard.Check(), unsafe.Sizeof(p))
}
