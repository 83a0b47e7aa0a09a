package a

/*
static void buf_put(void *p) {}
static void buf_put2(void *p, void *q) {}
*/
import "C"

import (
	"runtime"
	"sync"
	"unsafe"
)

// Unexported helpers whose every caller keeps the object alive past the
// call: the object is live in the caller's frame for the whole helper, so
// no finalizer can run during its C call.

func (c *Conn) put() { C.buf_put(unsafe.Pointer(c.buf)) }

func (c *Conn) PutCount() {
	c.put()
	c.n++
}

func (c *Conn) PutKept() {
	defer runtime.KeepAlive(c)
	c.put()
}

// A chain: putVia does not use c after put2, but its only caller does.
func put2(c *Conn) { C.buf_put(unsafe.Pointer(c.buf)) }

func putVia(c *Conn) { put2(c) }

var mu sync.Mutex

func PutLocked(c *Conn) {
	mu.Lock()
	defer func() { c.n++; mu.Unlock() }()
	putVia(c)
}

// Flagged: one caller of the helper lets c go at the call.

func (c *Conn) send() {
	C.buf_put(unsafe.Pointer(c.buf)) // want `cgofinalizer: the finalizer set in NewConn frees c\.buf; \(\*Conn\)\.send passes c\.buf to C\.buf_put and does not use c after the call, so the finalizer can run while C still uses the memory; add runtime\.KeepAlive\(c\) after the call`
}

func (c *Conn) SendCount() {
	c.send()
	c.n++
}

func (c *Conn) Send() { c.send() }

// Flagged: the helper is also a func value, whose callers are unknown.

func (c *Conn) flush() {
	C.buf_put(unsafe.Pointer(c.buf)) // want `cgofinalizer: .*\(\*Conn\).flush passes c.buf to C.buf_put`
}

func (c *Conn) FlushCount() {
	c.flush()
	c.n++
}

var flushers = []func(*Conn){(*Conn).flush}

type entry struct{ c *Conn }

var registry sync.Map

func remember(c *Conn) unsafe.Pointer {
	registry.Store(len(c.log()), entry{c: c})
	return nil
}

func (c *Conn) log() string { return "" }

// A helper stores c in a package-level map before the call: c is reachable
// from there during it.
func (c *Conn) PutRemembered() {
	C.buf_put2(unsafe.Pointer(c.buf), remember(c))
}

// Flagged: c is stored away only on the other branch.
func (c *Conn) PutMaybeRemembered(keep bool) {
	if keep {
		C.buf_put2(unsafe.Pointer(c.buf), remember(c))
	} else {
		C.buf_put(unsafe.Pointer(c.buf)) // want `cgofinalizer: .*\(\*Conn\).PutMaybeRemembered passes c.buf to C.buf_put`
	}
}

// Flagged: push stores c away only when it runs in the background, and
// PushNow's call takes the other path.
func (c *Conn) push(background bool) {
	if background {
		go func() { c.n++ }()
		return
	}
	C.buf_put(unsafe.Pointer(c.buf)) // want `cgofinalizer: .*\(\*Conn\).push passes c.buf to C.buf_put`
}

func (c *Conn) PushNow() { c.push(false) }
