package report

import (
	"strings"
	"sync"
)

// Live is an object still held: a pin, a handle or a C allocation. The
// packages that own those objects register a Source for Check and the HTTP
// view, so guard can list C allocations without importing cgo.
type Live struct {
	Kind     Kind
	Message  string
	Address  uintptr
	Size     uintptr
	HasSize  bool
	HandleID uintptr
	Stacks   []NamedStack
}

// Violation turns a live object into a leak report.
func (l Live) Violation() *Violation {
	return &Violation{Kind: l.Kind, Message: l.Message, Address: l.Address, Size: l.Size, HasSize: l.HasSize, HandleID: l.HandleID, Stacks: l.Stacks}
}

// Record describes the live object as held, not leaked: its kind is
// live-pin, live-handle or live-allocation. The HTTP view lists objects a
// running program holds, most of them rightly.
func (l Live) Record() *Record {
	r := l.Violation().Resolve()
	r.Kind = Kind(strings.Replace(string(l.Kind), "leaked-", "live-", 1))
	return r
}

// Source lists live objects of one sort.
type Source struct {
	Name  string // "pins", "handles", "allocations"
	Live  func() []Live
	Stats func() any // optional figures, such as the quarantine's
	// Verify, optional, checks what the source holds for damage done
	// since it was released (a write into a quarantined buffer) and
	// returns the violations found, each reported once.
	Verify func() []*Violation
}

var sources struct {
	mu  sync.Mutex
	all []Source
}

// Register adds a source. Packages call it from init.
func Register(s Source) {
	sources.mu.Lock()
	defer sources.mu.Unlock()
	sources.all = append(sources.all, s)
}

// Sources returns the registered sources in registration order.
func Sources() []Source {
	sources.mu.Lock()
	defer sources.mu.Unlock()
	return append([]Source(nil), sources.all...)
}
