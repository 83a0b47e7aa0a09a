// Package report turns violations and leaks found by debug builds into zap
// entries, keeps the recent ones for the HTTP view, and applies the
// CGOGUARD_ON_VIOLATION policy. Only debug builds import it, so release
// builds never link zap.
package report

import (
	"fmt"
	"time"

	"github.com/cgoguard/cgoguard/guard/internal/stack"
)

// Kind names a class of violation. The strings are part of the report
// format: log pipelines match on them.
type Kind string

// Violation kinds.
const (
	UseAfterFree      Kind = "use-after-free"
	WriteAfterFree    Kind = "write-after-free"
	DoubleFree        Kind = "double-free"
	InvalidFree       Kind = "invalid-free"
	BufferOverflow    Kind = "buffer-overflow"
	BufferUnderflow   Kind = "buffer-underflow"
	HandleAfterDelete Kind = "handle-use-after-delete"
	HandleInvalid     Kind = "handle-invalid"
	InvalidPin        Kind = "invalid-pin"
	LeakedPin         Kind = "leaked-pin"
	LeakedHandle      Kind = "leaked-handle"
	LeakedAllocation  Kind = "leaked-allocation"
)

// Stack names used as report fields.
const (
	AllocStack  = "alloc_stack"
	FreeStack   = "free_stack"
	CreateStack = "create_stack"
	DeleteStack = "delete_stack"
	PinStack    = "pin_stack"
	// ReportStack is where the violation was detected: the second Free,
	// the Value after Delete.
	ReportStack = "report_stack"
)

// NamedStack is a stack with its field name.
type NamedStack struct {
	Name  string
	Stack *stack.Stack
}

// Violation describes one misuse. Zero fields are left out of the report.
type Violation struct {
	Kind     Kind
	Message  string
	Address  uintptr
	Size     uintptr
	HasSize  bool
	HandleID uintptr
	Op       string
	Offset   int64
	// HasOffset says Offset is meaningful (it may be zero).
	HasOffset bool
	Stacks    []NamedStack
}

// Error makes a violation the panic value of the "panic" policy.
func (v *Violation) Error() string {
	return fmt.Sprintf("cgoguard: %s: %s (see the report logged above)", v.Kind, v.Message)
}

// Record is a violation with its stacks resolved, as kept for the HTTP view
// and encoded in reports.
type Record struct {
	Time      *time.Time               `json:"time,omitempty"` // when reported; nil for live objects
	Kind      Kind                     `json:"kind"`
	Message   string                   `json:"message"`
	Address   string                   `json:"address,omitempty"`
	Size      *uint64                  `json:"size,omitempty"`
	HandleID  uint64                   `json:"handle_id,omitempty"`
	Op        string                   `json:"op,omitempty"`
	Offset    *int64                   `json:"offset,omitempty"`
	Stacks    []ResolvedStack          `json:"-"`
	StacksMap map[string][]stack.Frame `json:"stacks,omitempty"`
}

// ResolvedStack is a named stack's frames.
type ResolvedStack struct {
	Name   string
	Frames []stack.Frame
}

// Resolve symbolizes the stacks of v.
func (v *Violation) Resolve() *Record {
	r := &Record{Kind: v.Kind, Message: v.Message, HandleID: uint64(v.HandleID), Op: v.Op}
	if v.Address != 0 {
		r.Address = Hex(v.Address)
	}
	if v.HasSize {
		s := uint64(v.Size)
		r.Size = &s
	}
	if v.HasOffset {
		o := v.Offset
		r.Offset = &o
	}
	for _, s := range v.Stacks {
		if s.Stack == nil || s.Stack.Empty() {
			continue
		}
		frames := s.Stack.Frames()
		r.Stacks = append(r.Stacks, ResolvedStack{s.Name, frames})
		if r.StacksMap == nil {
			r.StacksMap = make(map[string][]stack.Frame)
		}
		r.StacksMap[s.Name] = frames
	}
	return r
}

// Hex formats an address the way Go tracebacks do.
func Hex(p uintptr) string { return fmt.Sprintf("%#x", p) }
