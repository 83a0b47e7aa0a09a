//go:build amd64 || arm64

package stack

import "unsafe"

// framePointer returns its caller's frame pointer.
func framePointer() unsafe.Pointer

const haveFramePointers = true
