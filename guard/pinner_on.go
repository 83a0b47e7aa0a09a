//go:build cgoguard

package guard

import (
	"fmt"
	"reflect"
	"sync"

	"github.com/cgoguard/cgoguard/guard/internal/report"
	"github.com/cgoguard/cgoguard/guard/internal/stack"
)

type pinnerDebug struct {
	pins []pinRecord // guarded by pinners.mu: Check reads it from any goroutine
}

type pinRecord struct {
	addr uintptr
	typ  string
	at   stack.Stack
}

// pinners holds every Pinner with pins. Holding it also keeps the wrapped
// runtime.Pinner reachable, so a forgotten Unpin is reported by Check with
// its stack rather than by the runtime's finalizer without one.
var pinners struct {
	mu   sync.Mutex
	live map[*Pinner]struct{}
}

func init() {
	pinners.live = make(map[*Pinner]struct{})
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
	rec := pinRecord{addr: reflect.ValueOf(ptr).Pointer(), typ: reflect.TypeOf(ptr).String()}
	rec.at.Capture()
	pinners.mu.Lock()
	defer pinners.mu.Unlock()
	p.pins = append(p.pins, rec)
	pinners.live[p] = struct{}{}
}

func unpin(p *Pinner) {
	p.rt.Unpin()
	pinners.mu.Lock()
	defer pinners.mu.Unlock()
	p.pins = nil
	delete(pinners.live, p)
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
	for p := range pinners.live {
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
