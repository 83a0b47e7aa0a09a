package guarded

import (
	"unsafe"

	"github.com/cgoguard/cgoguard/guard/cguard"
)

func useAfterFree() byte {
	p := cguard.Malloc(4)
	b := unsafe.Slice((*byte)(p), 4)
	b[0] = 1
	cguard.Free(p)
	return b[1] // want `cgofree: p read after it was freed by cguard\.Free`
}

func doubleFree(fail bool) {
	p := cguard.Malloc(4)
	if fail {
		cguard.Free(p)
	}
	cguard.Free(p) // want `cgofree: p freed by cguard\.Free after it was already freed by cguard\.Free`
}

func fine() {
	p := cguard.Malloc(4)
	defer cguard.Free(p)
	*(*byte)(p) = 1
}
