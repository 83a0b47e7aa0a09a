//go:build cgo && cgoguard

package cguard

// #include <stdlib.h>
// #include "faults.h"
import "C"

import (
	"encoding/json"
	"slices"
	"sync"
	"unsafe"

	"github.com/cgoguard/cgoguard/guard/internal/stack"
)

// stackTexts holds each distinct stack rendered once for the fault handler,
// in both encodings, in C memory that is never freed: the handler may
// write a stack at any moment, and programs have few distinct stacks.
var stackTexts = struct {
	mu sync.RWMutex
	m  map[uint64][]renderedStack
	n  int
}{m: make(map[uint64][]renderedStack)}

type renderedStack struct {
	pcs  []uintptr
	text *C.cguard_stack
}

// maxRendered bounds the stacks kept in C memory (a few KiB each). Beyond
// it a fault report names the buffer and the access but not its stacks.
const maxRendered = 1 << 14

// noGoFrames stands for a stack without Go frames: a free by C code on a
// thread that C created.
const noGoFrames = "\t(no Go frames: C code on a thread C created)\n"

// textOf returns s rendered for the fault handler, or nil past maxRendered.
func textOf(s *stack.Stack) *C.cguard_stack {
	h, pcs := s.Hash(), s.PCs()
	stackTexts.mu.RLock()
	for _, r := range stackTexts.m[h] {
		if slices.Equal(r.pcs, pcs) {
			stackTexts.mu.RUnlock()
			return r.text
		}
	}
	stackTexts.mu.RUnlock()
	frames := s.Frames()
	console := stack.Text(frames, "\t")
	if len(frames) == 0 {
		console = noGoFrames
	}
	js, err := json.Marshal(frames)
	if err != nil || len(frames) == 0 {
		js = []byte("[]")
	}
	stackTexts.mu.Lock()
	defer stackTexts.mu.Unlock()
	for _, r := range stackTexts.m[h] {
		if slices.Equal(r.pcs, pcs) {
			return r.text
		}
	}
	if stackTexts.n >= maxRendered {
		return nil
	}
	cs := C.CString(console)
	defer C.free(unsafe.Pointer(cs))
	t := C.cguard_stack_new(cs, C.size_t(len(console)), (*C.char)(unsafe.Pointer(&js[0])), C.size_t(len(js)))
	stackTexts.m[h] = append(stackTexts.m[h], renderedStack{slices.Clone(pcs), t})
	stackTexts.n++
	return t
}
