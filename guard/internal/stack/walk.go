package stack

import (
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Frame-pointer unwinding costs a few nanoseconds a frame where
// runtime.Callers costs tens, which is what keeps debug builds within the
// overhead budget (see BENCHMARKS.md). It is only safe through ordinary Go
// frames: the saved frame pointer of a frame that switched stacks (a cgo
// callback, a signal, the scheduler) may point into C frames. So the walk
// follows a saved frame pointer only after the return address into that
// frame's function has been classified as an ordinary Go function, and
// leaves everything else to runtime.Callers. The Go execution tracer makes
// the same choice.

type pcClass uint32

const (
	unknown pcClass = iota
	ordinary
	goroutineEnd // runtime.goexit: the walk is complete
	boundary     // anything else: let runtime.Callers take over
)

const (
	classBits  = 12
	classSlots = 1 << classBits
	probes     = 4
)

// classes caches the class of return addresses. Readers are lock-free: the
// class is stored before the address that makes the entry visible.
var classes struct {
	mu      sync.Mutex // serializes writers
	entries [classSlots]struct {
		pc    atomic.Uintptr
		class atomic.Uint32
	}
}

func slotOf(pc uintptr) uintptr { return uintptr(uint64(pc) * 0x9E3779B97F4A7C15 >> (64 - classBits)) }

func lookup(pc uintptr) pcClass {
	h := slotOf(pc)
	for i := uintptr(0); i < probes; i++ {
		e := &classes.entries[(h+i)%classSlots]
		if e.pc.Load() == pc {
			return pcClass(e.class.Load())
		}
	}
	return unknown
}

func learn(pc uintptr) {
	c := classify(pc)
	classes.mu.Lock()
	defer classes.mu.Unlock()
	h := slotOf(pc)
	for i := uintptr(0); i < probes; i++ {
		e := &classes.entries[(h+i)%classSlots]
		switch e.pc.Load() {
		case pc:
			return
		case 0:
			e.class.Store(uint32(c))
			e.pc.Store(pc)
			return
		}
	}
	// Full: this address keeps taking the slow path, which is still correct.
}

// switchers are runtime functions that change stacks or were entered
// without a call; their saved frame pointers cannot be trusted.
var switchers = []string{
	"runtime.cgocallback", "runtime.asmcgocall", "runtime.sigpanic", "runtime.systemstack",
	"runtime.mcall", "runtime.morestack", "runtime.mstart", "runtime.rt0_go", "runtime.gogo",
}

// classify decides by the function that owns pc's frame: the outermost of
// the functions inlined at pc (runtime.FuncForPC would name the innermost).
func classify(pc uintptr) pcClass {
	name := ""
	frames := runtime.CallersFrames([]uintptr{pc})
	for {
		f, more := frames.Next()
		name = f.Function
		if !more {
			break
		}
	}
	if name == "" {
		return boundary
	}
	if name == "runtime.goexit" {
		return goroutineEnd
	}
	for _, s := range switchers {
		if strings.HasPrefix(name, s) {
			return boundary
		}
	}
	return ordinary
}

// walk records return addresses from fp upwards. fp is the frame pointer of
// an ordinary Go function. It returns false when it met a frame it may not
// cross, leaving the capture to runtime.Callers.
func (s *Stack) walk(fp unsafe.Pointer) bool {
	n := 0
	for n < Depth {
		pc := *(*uintptr)(unsafe.Add(fp, unsafe.Sizeof(uintptr(0))))
		switch lookup(pc) {
		case ordinary:
		case goroutineEnd:
			s.n = n
			return true
		case unknown:
			learn(pc)
			return false
		default:
			return false
		}
		s.pcs[n] = pc
		n++
		next := *(*unsafe.Pointer)(fp)
		// Callers' frames sit above their callees on one stack.
		if uintptr(next) <= uintptr(fp) {
			return false
		}
		fp = next
	}
	s.n = n
	return true
}
