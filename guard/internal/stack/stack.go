// Package stack captures call stacks cheaply and resolves them later.
//
// Capture stores program counters only; symbolizing costs far more and is
// done when a report or the HTTP view needs the frames.
package stack

import (
	"runtime"
	"strconv"
	"strings"
)

// Depth is the number of frames kept. Deeper frames rarely help locate a
// cgo lifetime bug and each frame costs time at every capture.
const Depth = 24

// Stack holds the program counters of one call stack. It is a value type so
// that records can embed it without a separate allocation.
type Stack struct {
	pcs [Depth]uintptr
	n   int
}

// Frame is one resolved frame of a stack.
type Frame struct {
	Function string `json:"function"`
	File     string `json:"file"`
	Line     int    `json:"line"`
}

// Capture records the stack of its caller. Frames of the guard's own
// packages are trimmed when the stack is resolved, so callers need not count
// how many of them (inlined or not) sit above the user's code.
//
//go:noinline
func (s *Stack) Capture() {
	if haveFramePointers && s.walk(framePointer()) {
		return
	}
	// 0 is runtime.Callers, 1 is Capture, 2 is its caller.
	s.n = runtime.Callers(2, s.pcs[:])
}

// Empty reports whether nothing was captured.
func (s *Stack) Empty() bool { return s.n == 0 }

// guardPrefixes name the guard's own packages, whose frames at the top of
// a stack are left out: reports start at the user's call.
var guardPrefixes = []string{
	"github.com/cgoguard/cgoguard/guard.",
	"github.com/cgoguard/cgoguard/guard/cguard.",
	"github.com/cgoguard/cgoguard/guard/guardzap.",
	"github.com/cgoguard/cgoguard/guard/internal/",
}

func isGuardFrame(function string) bool {
	// cgo's wrappers of cguard's exported functions carry no package path:
	// _cgoexp_<hash>_cguardGoFree.
	if strings.HasPrefix(function, "_cgoexp_") && strings.Contains(function, "_cguardGo") {
		return true
	}
	for _, p := range guardPrefixes {
		if strings.HasPrefix(function, p) {
			return true
		}
	}
	return false
}

// callbackFrames are the runtime's frames between C code that called back
// into Go and the cgo stub of that C function (pkg._Cfunc_name). They sit
// under the guard's frames when C calls cguard_free; the report starts at
// the stub, which names the C function that freed.
var callbackFrames = []string{
	"runtime.cgocallbackg", "runtime.cgocallbackg1", "runtime.cgocallback",
	"runtime.systemstack_switch", "runtime.cgocall", "runtime.asmcgocall",
}

func isCallbackFrame(function string) bool {
	for _, c := range callbackFrames {
		if function == c {
			return true
		}
	}
	return false
}

// Frames resolves the stack into frames, innermost first, leaving out the
// guard's own frames at the top (and, below them, the runtime's frames of a
// C-to-Go callback) and the runtime's goroutine entry frame. Each distinct
// stack is resolved once; the result is shared and must not be modified.
func (s *Stack) Frames() []Frame {
	if s.n == 0 {
		return nil
	}
	return cache.frames(s)
}

func (s *Stack) trimmed() []Frame {
	fs := s.resolve()
	guard := false
	for len(fs) > 0 && isGuardFrame(fs[0].Function) {
		fs, guard = fs[1:], true
	}
	for guard && len(fs) > 0 && isCallbackFrame(fs[0].Function) {
		fs = fs[1:]
	}
	return fs
}

// PCs returns the captured program counters, innermost first.
func (s *Stack) PCs() []uintptr { return s.pcs[:s.n] }

// Hash identifies the stack; equal stacks have equal hashes.
func (s *Stack) Hash() uint64 { return hashPCs(s.pcs[:s.n]) }

// SiteHash identifies the allocation site: the innermost frames only, so
// that a site is one line of the caller's code reached through a few
// frames, whatever called it from further out.
func (s *Stack) SiteHash(frames int) uint64 { return hashPCs(s.pcs[:min(frames, s.n)]) }

func hashPCs(pcs []uintptr) uint64 {
	h := uint64(len(pcs)) + 0x9E3779B97F4A7C15
	for _, pc := range pcs {
		h ^= uint64(pc)
		h *= 0xBF58476D1CE4E5B9
		h ^= h >> 31
	}
	return h
}

func (s *Stack) resolve() []Frame {
	if s.n == 0 {
		return nil
	}
	out := make([]Frame, 0, s.n)
	frames := runtime.CallersFrames(s.pcs[:s.n])
	for {
		f, more := frames.Next()
		if f.Function != "runtime.goexit" && !isGoWrapper(f.Function) {
			out = append(out, Frame{Function: f.Function, File: f.File, Line: f.Line})
		}
		if !more {
			return out
		}
	}
}

// isGoWrapper reports whether function is the compiler's wrapper for a go
// statement, such as "pkg.f.gowrap1". runtime.Callers leaves these out, and
// so does the frame-pointer walk's resolution, for identical stacks.
func isGoWrapper(function string) bool {
	i := strings.LastIndex(function, ".gowrap")
	if i < 0 {
		return false
	}
	_, err := strconv.Atoi(function[i+len(".gowrap"):])
	return err == nil
}

// Text renders frames the way Go tracebacks do: the function on one line,
// file:line indented below it.
func Text(frames []Frame, indent string) string {
	var b strings.Builder
	for _, f := range frames {
		b.WriteString(indent)
		b.WriteString(f.Function)
		b.WriteString("\n")
		b.WriteString(indent)
		b.WriteString("\t")
		b.WriteString(f.File)
		b.WriteString(":")
		b.WriteString(strconv.Itoa(f.Line))
		b.WriteString("\n")
	}
	return b.String()
}
