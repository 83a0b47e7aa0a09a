// Package usewrap has no cgo of its own: its maps reach C through wrap.
package usewrap

import (
	"unsafe"

	"wrap"
)

type state struct {
	counts map[string]int
	total  int
}

func Forward(p unsafe.Pointer) { wrap.Pass(p) }

func bad() {
	m := map[string]int{}
	wrap.Pass(unsafe.Pointer(&m))             // want `cgomap: &m \(\*map\[string\]int, which points to a map\) passed to C.take via parameter p of Pass\(\)`
	wrap.PassInt(uintptr(unsafe.Pointer(&m))) // want `cgomap: &m .* passed to C.takeInt via parameter p of PassInt\(\)`
	var c wrap.Client
	c.Send(1, unsafe.Pointer(&m))         // want `via parameter p of \(\*Client\).Send\(\)`
	wrap.Store(m)                         // want `cgomap: .*is a map.* placed in memory read by C.take via parameter v of Store\(\)`
	wrap.PassAll(nil, unsafe.Pointer(&m)) // want `via parameter ps of PassAll\(\)`
	var s state
	Forward(unsafe.Pointer(&s)) // want `cgomap: &s \(\*state, which holds a map at .counts\) passed to C.take via parameter p of Forward\(\), then parameter p of Pass\(\)`
}

func good() {
	m := map[string]int{"a": 1}
	n := len(m)
	wrap.Pass(unsafe.Pointer(&n))
	var s state
	wrap.Pass(unsafe.Pointer(&s.total))
	_ = wrap.Len(unsafe.Pointer(&m))
	wrap.Store(n)
	var c wrap.Client
	c.Send(len(m), nil)
}
