//go:build cgo && cgoguard

package cguard

import (
	"unsafe"
)

// Each exported function calls its body, which calls allocate or release:
// callerSkip frames separate allocate from the user's call.
const callerSkip = 2

func malloc(n uintptr) unsafe.Pointer { return allocate(n, callerSkip).user }

func calloc(n, size uintptr) unsafe.Pointer {
	if size != 0 && n > ^uintptr(0)/size {
		return nil
	}
	b := allocate(n*size, callerSkip)
	clear(b.bytes())
	return b.user
}

func cstring(s string) unsafe.Pointer {
	b := allocate(uintptr(len(s))+1, callerSkip)
	buf := b.bytes()
	copy(buf, s)
	buf[len(s)] = 0
	return b.user
}

func cbytes(p []byte) unsafe.Pointer {
	b := allocate(uintptr(len(p)), callerSkip)
	copy(b.bytes(), p)
	return b.user
}

func free(p unsafe.Pointer) { release(p, callerSkip) }
