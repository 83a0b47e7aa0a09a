// Package badcaller is ill-typed code calling a wrapper with facts.
package badcaller

import (
	"unsafe"

	"badtypes"
)

func f() {
	m := map[string]int{}
	badtypes.Pass(unsafe.Pointer(&m), 3)
	badtypes.Nope()
}
