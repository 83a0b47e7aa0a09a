//go:build cgo && cgoguard

package cguard

import (
	"unsafe"
)

func malloc(n uintptr) unsafe.Pointer { return allocate(n).user }

func calloc(n, size uintptr) unsafe.Pointer {
	if size != 0 && n > ^uintptr(0)/size {
		return nil
	}
	b := allocate(n * size)
	clear(b.bytes())
	return b.user
}

func cstring(s string) unsafe.Pointer {
	b := allocate(uintptr(len(s)) + 1)
	buf := b.bytes()
	copy(buf, s)
	buf[len(s)] = 0
	return b.user
}

func cbytes(p []byte) unsafe.Pointer {
	b := allocate(uintptr(len(p)))
	copy(b.bytes(), p)
	return b.user
}

func free(p unsafe.Pointer) { release(p) }
