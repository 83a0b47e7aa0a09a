package guard

import "runtime"

// A Pinner pins Go objects so that C may keep pointers to them, like
// runtime.Pinner, which it wraps. The zero value is ready to use.
//
// In debug builds each Pin records its stack, pins still held are leaks
// that Check reports, and pinning a value the runtime refuses (a map, a
// slice, a string) is a violation whose message says what to pass instead.
type Pinner struct {
	// pinnerDebug comes first: it is empty in release builds, and an empty
	// last field would pad the struct.
	pinnerDebug //nolint:unused // read by the cgoguard build
	rt          runtime.Pinner
}

// Pin pins the Go object that p points to until Unpin, like
// runtime.Pinner.Pin.
func (p *Pinner) Pin(ptr any) { pin(p, ptr) }

// Unpin unpins every object pinned by p, like runtime.Pinner.Unpin.
func (p *Pinner) Unpin() { unpin(p) }
