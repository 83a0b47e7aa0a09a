//go:build !cgoguard && !cgo

package guard

import (
	"sync"
	"sync/atomic"
)

// Without cgo, importing runtime/cgo breaks the link, and there is no C
// code to hold a handle anyway. This is cgo.Handle's own implementation,
// with its panics, so that programs keep building and behaving alike.

var (
	nocgoHandles   sync.Map
	nocgoHandleIdx atomic.Uintptr
)

func newHandle(v any) Handle {
	h := nocgoHandleIdx.Add(1)
	if h == 0 {
		panic("runtime/cgo: ran out of handle space")
	}
	nocgoHandles.Store(h, v)
	return Handle(h)
}

func handleValue(h Handle) any {
	v, ok := nocgoHandles.Load(uintptr(h))
	if !ok {
		panic("runtime/cgo: misuse of an invalid Handle")
	}
	return v
}

func handleDelete(h Handle) {
	if _, ok := nocgoHandles.LoadAndDelete(uintptr(h)); !ok {
		panic("runtime/cgo: misuse of an invalid Handle")
	}
}
