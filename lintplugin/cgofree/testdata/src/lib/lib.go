// Package lib frees C memory in exported helpers and methods: callers in
// other packages see it through the summaries' facts.
package lib

/*
#include <stdlib.h>
*/
import "C"

import "unsafe"

// Free frees p.
func Free(p unsafe.Pointer) { C.free(p) }

// Buffer owns C memory until Close.
type Buffer struct {
	Data unsafe.Pointer
	N    int
}

// NewBuffer allocates n bytes.
func NewBuffer(n int) *Buffer { return &Buffer{Data: C.malloc(C.size_t(n)), N: n} }

// Close frees the memory and leaves Data dangling.
func (b *Buffer) Close() { C.free(b.Data) }

// Reset frees the memory and clears Data.
func (b *Buffer) Reset() {
	C.free(b.Data)
	b.Data = nil
}
