package a

/*
#include <stdlib.h>
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// An exported Close that frees what the finalizer frees again.
type Image struct{ pix unsafe.Pointer }

func NewImage(n int) *Image {
	img := &Image{pix: C.malloc(C.size_t(n))}
	runtime.SetFinalizer(img, (*Image).free)
	return img
}

func (img *Image) free() { C.free(img.pix) }

func (img *Image) Close() {
	C.free(img.pix) // want `cgofree: img\.pix freed by Close, and freed again by the finalizer set in NewImage when the object is collected: double free`
}

// Close clears the finalizer: fine.
type Frame struct{ buf unsafe.Pointer }

func NewFrame(n int) *Frame {
	f := &Frame{buf: C.malloc(C.size_t(n))}
	runtime.SetFinalizer(f, (*Frame).free)
	return f
}

func (f *Frame) free() { C.free(f.buf) }

func (f *Frame) Close() {
	runtime.SetFinalizer(f, nil)
	C.free(f.buf)
}

// Close clears the field: the finalizer frees nil.
type Sound struct{ samples unsafe.Pointer }

func NewSound(n int) *Sound {
	s := &Sound{samples: C.malloc(C.size_t(n))}
	runtime.SetFinalizer(s, func(s *Sound) { C.free(s.samples) })
	return s
}

func (s *Sound) Close() {
	C.free(s.samples)
	s.samples = nil
}

// The finalizer frees only what Close has not.
type Track struct {
	data   unsafe.Pointer
	closed bool
}

func NewTrack(n int) *Track {
	t := &Track{data: C.malloc(C.size_t(n))}
	runtime.SetFinalizer(t, func(t *Track) {
		if !t.closed {
			C.free(t.data)
		}
	})
	return t
}

func (t *Track) Close() {
	C.free(t.data)
	t.closed = true
}
