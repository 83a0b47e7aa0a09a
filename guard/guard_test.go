package guard_test

import (
	"fmt"
	"testing"

	"github.com/cgoguard/cgoguard/guard"
)

// TestEnabledFollowsTag proves which build this is: with -tags cgoguard
// the checks are really on.
func TestEnabledFollowsTag(t *testing.T) {
	if guard.Enabled() != builtWithTag {
		t.Fatalf("Enabled() = %v in a build with cgoguard tag = %v", guard.Enabled(), builtWithTag)
	}
}

func TestHandleRoundTrip(t *testing.T) {
	type session struct{ id int }
	s := &session{42}
	h := guard.NewHandle(s)
	if h == 0 {
		t.Fatal("NewHandle returned 0")
	}
	h2 := guard.NewHandle("other")
	if h2 == h {
		t.Fatal("two live handles share a number")
	}
	if got := h.Value().(*session); got != s {
		t.Errorf("Value() = %v, want %v", got, s)
	}
	h.Delete()
	h2.Delete()
	guard.VerifyNone(t)
}

func TestPinnerPinsAndUnpins(t *testing.T) {
	var p guard.Pinner
	x, y := new(int), new([64]byte)
	p.Pin(x)
	p.Pin(y)
	p.Unpin()
	p.Pin(x) // usable again after Unpin
	p.Unpin()
	guard.VerifyNone(t)
}

// recorder is a TestingT that keeps what VerifyNone reports.
type recorder struct{ errors []string }

func (r *recorder) Helper()           {}
func (r *recorder) Error(args ...any) { r.errors = append(r.errors, fmt.Sprint(args...)) }

func TestVerifyNoneReportsLeaksOnlyInDebugBuilds(t *testing.T) {
	h := guard.NewHandle(1)
	var rec recorder
	guard.VerifyNone(&rec)
	if got := len(rec.errors) > 0; got != guard.Enabled() {
		t.Errorf("VerifyNone with a live handle reported %d errors; debug build: %v", len(rec.errors), guard.Enabled())
	}
	h.Delete()
	rec = recorder{}
	guard.VerifyNone(&rec)
	if len(rec.errors) != 0 {
		t.Errorf("VerifyNone after Delete reported %v", rec.errors)
	}
}
