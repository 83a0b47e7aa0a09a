package stack

import (
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// captureBoth records the same stack with Capture and with runtime.Callers.
//
//go:noinline
func captureBoth(depth int) (fast, ref Stack) {
	if depth > 0 {
		return captureBoth(depth - 1)
	}
	fast.Capture()
	ref.n = runtime.Callers(1, ref.pcs[:])
	return fast, ref
}

// inlined is small enough to be inlined into its caller; frames must still
// show it.
func inlined() (Stack, Stack) { return captureBoth(0) }

//go:noinline
func viaInlined() (Stack, Stack) { return inlined() }

// userFrames leaves out the runtime's own frames, which runtime.Callers
// elides in places (reflectcall's trampolines) where the walk keeps them.
func userFrames(fs []Frame) []Frame {
	var out []Frame
	for _, f := range fs {
		if !strings.HasPrefix(f.Function, "runtime.") {
			out = append(out, f)
		}
	}
	return out
}

func sameFrames(t *testing.T, fast, ref Stack) {
	t.Helper()
	a, b := userFrames(fast.resolve()), userFrames(ref.resolve())
	if len(a) != len(b) {
		t.Fatalf("Capture gave %d frames, runtime.Callers %d:\n%v\n%v", len(a), len(b), a, b)
	}
	for i := range a {
		// The first frame's line differs: the two calls are on different lines.
		if a[i].Function != b[i].Function || a[i].File != b[i].File || (i > 0 && a[i].Line != b[i].Line) {
			t.Errorf("frame %d: Capture %+v, runtime.Callers %+v", i, a[i], b[i])
		}
	}
}

// TestCaptureMatchesCallers checks frame-pointer unwinding against the
// runtime's unwinder, warm (walk) and cold (fallback while learning).
func TestCaptureMatchesCallers(t *testing.T) {
	for round := 0; round < Depth+2; round++ {
		fast, ref := captureBoth(3)
		sameFrames(t, fast, ref)
		fast, ref = viaInlined()
		sameFrames(t, fast, ref)
	}
	fast, _ := viaInlined()
	if fs := fast.resolve(); !strings.HasSuffix(fs[1].Function, ".inlined") {
		t.Errorf("the inlined frame is missing: %v", fs)
	}
}

//go:noinline
func walkHere(s *Stack) bool { return s.walk(framePointer()) }

// TestWalkIsUsed checks that once the return addresses are known, stacks
// come from the frame-pointer walk rather than the fallback.
func TestWalkIsUsed(t *testing.T) {
	if !haveFramePointers {
		t.Skip("no frame-pointer walk on " + runtime.GOARCH)
	}
	var s Stack
	for i := 0; i < Depth+2; i++ {
		if walkHere(&s) {
			if s.n == 0 {
				t.Fatal("the walk recorded no frames")
			}
			return
		}
	}
	t.Fatal("the frame-pointer walk never completed; every capture falls back to runtime.Callers")
}

//go:noinline
func deep(n int, s *Stack) {
	if n > 0 {
		deep(n-1, s)
		return
	}
	s.Capture()
}

func TestCaptureKeepsInnermostDepthFrames(t *testing.T) {
	var s Stack
	for i := 0; i < Depth+2; i++ {
		deep(2*Depth, &s)
	}
	fs := s.resolve()
	if len(fs) != Depth {
		t.Fatalf("got %d frames, want %d", len(fs), Depth)
	}
	for _, f := range fs {
		if !strings.HasSuffix(f.Function, ".deep") {
			t.Fatalf("expected only deep frames, got %v", f)
		}
	}
}

func TestFramesTrimsGuardFrames(t *testing.T) {
	var s Stack
	s.Capture()
	// This test is in a guard package, so every frame up to the testing
	// package's is trimmed.
	if fs := s.Frames(); len(fs) == 0 || !strings.HasPrefix(fs[0].Function, "testing.") {
		t.Errorf("Frames() = %v, want it to start in package testing", fs)
	}
}

func TestGoroutineStacksEndAtTheirStart(t *testing.T) {
	done := make(chan Stack)
	for i := 0; i < Depth+2; i++ {
		go func() {
			var s Stack
			s.Capture()
			done <- s
		}()
		s := <-done
		fs := s.resolve()
		if len(fs) != 1 || !strings.Contains(fs[0].Function, "TestGoroutineStacksEndAtTheirStart") {
			t.Fatalf("goroutine stack = %v", fs)
		}
	}
}

// captureDuringPanic records a stack from a deferred call run by a panic.
//
//go:noinline
func captureDuringPanic() (fast, ref Stack) {
	defer func() {
		_ = recover()
	}()
	defer func() {
		fast.Capture()
		ref.n = runtime.Callers(1, ref.pcs[:])
	}()
	panic("unwinding")
}

//go:noinline
func captureViaReflect() (fast, ref Stack) {
	out := reflect.ValueOf(captureBoth).Call([]reflect.Value{reflect.ValueOf(1)})
	return out[0].Interface().(Stack), out[1].Interface().(Stack)
}

// TestCaptureThroughPanicsAndReflect checks the walk through frames that
// the runtime, not user code, set up.
func TestCaptureThroughPanicsAndReflect(t *testing.T) {
	for round := 0; round < Depth+2; round++ {
		fast, ref := captureDuringPanic()
		sameFrames(t, fast, ref)
		fast, ref = captureViaReflect()
		sameFrames(t, fast, ref)
	}
}
