//go:build cgoguard

package guard

import (
	"fmt"
	"reflect"
	"sync"
	"weak"

	"github.com/cgoguard/cgoguard/guard/internal/report"
	"github.com/cgoguard/cgoguard/guard/internal/stack"
)

type pinnerDebug struct {
	pins []pinRecord // guarded by pinners.mu: Check reads it from any goroutine
	// self is the weak pointer pinners holds, made once: weak.Make costs
	// more than the rest of Pin.
	self weak.Pointer[Pinner]
}

type pinRecord struct {
	addr uintptr
	typ  reflect.Type
	at   stack.Stack
}

// pinners holds every Pinner with pins, weakly: a Pinner that becomes
// unreachable with pins held must still end the program in the runtime's
// "found leaking pinned pointer" report, as it would in a release build.
// Check reports the pins of Pinners still reachable, with their stacks.
var pinners struct {
	mu   sync.Mutex
	live map[weak.Pointer[Pinner]]struct{}
}

func init() {
	pinners.live = make(map[weak.Pointer[Pinner]]struct{})
	report.Register(report.Source{Name: "pins", Live: livePins})
}

func pin(p *Pinner, ptr any) {
	if msg := unpinnable(ptr); msg != "" {
		var at stack.Stack
		at.Capture()
		report.Violate(&report.Violation{Kind: report.InvalidPin, Message: msg, Op: "Pin",
			Stacks: []report.NamedStack{{Name: report.PinStack, Stack: &at}}})
		return // only reached with CGOGUARD_ON_VIOLATION=log; the runtime would panic
	}
	p.rt.Pin(ptr)
	rec := pinRecord{addr: reflect.ValueOf(ptr).Pointer(), typ: reflect.TypeOf(ptr)}
	rec.at.Capture()
	pinners.mu.Lock()
	defer pinners.mu.Unlock()
	if p.self == (weak.Pointer[Pinner]{}) {
		p.self = weak.Make(p)
	}
	p.pins = append(p.pins, rec)
	pinners.live[p.self] = struct{}{}
}

func unpin(p *Pinner) {
	p.rt.Unpin()
	pinners.mu.Lock()
	defer pinners.mu.Unlock()
	clear(p.pins)       // drop the stacks
	p.pins = p.pins[:0] // keep the capacity: a Pinner is usually pinned again
	delete(pinners.live, p.self)
}

// unpinnable explains why the runtime would refuse ptr, or returns "".
func unpinnable(ptr any) string {
	t := reflect.TypeOf(ptr)
	if t == nil {
		return "cannot pin nil: Pin takes a pointer to a Go object"
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.UnsafePointer:
		return ""
	case reflect.Map:
		return fmt.Sprintf("cannot pin a map (%s): the runtime pins pointers only and a map's storage moves as it grows; "+
			"give C a guard.NewHandle(m) instead and get the map back with Handle.Value", t)
	case reflect.Slice:
		return fmt.Sprintf("cannot pin a slice (%s): pin &s[0] to pin its backing array", t)
	case reflect.String:
		return "cannot pin a string: pin unsafe.StringData(s), or copy it to C with cguard.CString"
	}
	return fmt.Sprintf("cannot pin a %s value: Pin takes a pointer to a Go object", t)
}

func livePins() []report.Live {
	pinners.mu.Lock()
	defer pinners.mu.Unlock()
	var out []report.Live
	for w := range pinners.live {
		p := w.Value()
		if p == nil {
			delete(pinners.live, w) // collected: the runtime reports its pins
			continue
		}
		for i := range p.pins {
			rec := &p.pins[i]
			at := rec.at // copied: the Pinner may be unpinned after the lock is released
			out = append(out, report.Live{Kind: report.LeakedPin, Address: rec.addr,
				Message: fmt.Sprintf("%s %s still pinned", rec.typ, report.Hex(rec.addr)),
				Stacks:  []report.NamedStack{{Name: report.PinStack, Stack: &at}}})
		}
	}
	return out
}
