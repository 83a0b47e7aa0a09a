package report

import (
	"errors"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/cgoguard/cgoguard/guard/internal/stack"
)

// captureHere's own frames are trimmed as the guard's; the stack starts at
// testing.tRunner.
//
//go:noinline
func captureHere() *stack.Stack {
	var s stack.Stack
	s.Capture()
	return &s
}

func sample() *Violation {
	return &Violation{Kind: UseAfterFree, Message: "m", Address: 0x1000, Size: 24, HasSize: true,
		Stacks: []NamedStack{{Name: AllocStack, Stack: captureHere()}}}
}

// TestViolateLogsThenPanics checks the default policy through a logger set
// with SetLogger, asserting on structured fields.
func TestViolateLogsThenPanics(t *testing.T) {
	core, logs := observer.New(zapcore.ErrorLevel)
	SetLogger(zap.New(core))
	defer SetLogger(nil)
	before, _ := Violations()
	func() {
		defer func() {
			err, _ := recover().(error)
			var v *Violation
			if !errors.As(err, &v) || v.Kind != UseAfterFree {
				t.Errorf("panic value = %v, want the violation", err)
			}
		}()
		Violate(sample())
		t.Error("Violate returned under the panic policy")
	}()
	entries := logs.All()
	if len(entries) != 1 {
		t.Fatalf("logged %d entries, want 1", len(entries))
	}
	fields := entries[0].ContextMap()
	if fields["kind"] != "use-after-free" || fields["address"] != "0x1000" || fields["size"] != uint64(24) {
		t.Errorf("fields = %v", fields)
	}
	frames, _ := fields[AllocStack].([]any)
	if len(frames) == 0 {
		t.Errorf("alloc_stack not logged as an array: %v", fields[AllocStack])
	}
	after, recent := Violations()
	if after != before+1 || recent[len(recent)-1].Kind != UseAfterFree {
		t.Errorf("violation not remembered: %d -> %d", before, after)
	}
}
