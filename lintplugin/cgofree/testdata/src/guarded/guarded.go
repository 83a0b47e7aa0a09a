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
	return b[1] // want `cgofree: p freed at line 13, used at line 14 \(read\)`
}

func doubleFree(fail bool) {
	p := cguard.Malloc(4)
	if fail {
		cguard.Free(p)
	}
	cguard.Free(p) // want `cgofree: p freed at line 20, freed again at line 22`
}

func fine() {
	p := cguard.Malloc(4)
	defer cguard.Free(p)
	*(*byte)(p) = 1
}
