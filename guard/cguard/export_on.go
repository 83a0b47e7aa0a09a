//go:build cgo && cgoguard

package cguard

import "C"

import "unsafe"

// cguardGoFree is cguard_free's way into the books, from any C thread.
//
//export cguardGoFree
func cguardGoFree(p unsafe.Pointer) { release(p) }
