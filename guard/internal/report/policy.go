package report

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/cgoguard/cgoguard/guard/internal/config"
)

// historySize bounds the violations kept for the HTTP view.
const historySize = 64

var history struct {
	mu     sync.Mutex
	recent []*Record
	total  atomic.Uint64
}

// Violate reports v: it logs it, keeps it for the HTTP view, and panics
// unless CGOGUARD_ON_VIOLATION=log. Callers must hold no lock.
func Violate(v *Violation) {
	r := v.Resolve()
	now := time.Now()
	r.Time = &now
	Remember(r)
	write(r)
	if config.Current.Panic {
		panic(v)
	}
}

// Found logs v and keeps it for the HTTP view without applying the panic
// policy: Check reports what it finds through its error.
func Found(v *Violation) *Record {
	r := v.Resolve()
	now := time.Now()
	r.Time = &now
	Remember(r)
	write(r)
	return r
}

// Remember counts r and keeps it for the HTTP view. The fault handler's
// reports never get here: the process is dying.
func Remember(r *Record) {
	history.total.Add(1)
	history.mu.Lock()
	defer history.mu.Unlock()
	if len(history.recent) == historySize {
		copy(history.recent, history.recent[1:])
		history.recent = history.recent[:historySize-1]
	}
	history.recent = append(history.recent, r)
}

// Leak logs a leak found by Check. Leaks never panic: Check returns them.
func Leak(v *Violation) *Record {
	r := v.Resolve()
	write(r)
	return r
}

// Violations returns the number of violations so far and the most recent.
func Violations() (uint64, []*Record) {
	history.mu.Lock()
	defer history.mu.Unlock()
	return history.total.Load(), append([]*Record(nil), history.recent...)
}
