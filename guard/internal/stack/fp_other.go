//go:build !amd64 && !arm64

package stack

import "unsafe"

func framePointer() unsafe.Pointer { return nil }

const haveFramePointers = false
