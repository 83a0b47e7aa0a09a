//go:build !cgoguard && cgo

package guard

// runtime/cgo cannot be linked without cgo; handle_nocgo.go stands in.

import "runtime/cgo"

func newHandle(v any) Handle { return Handle(cgo.NewHandle(v)) }

func handleValue(h Handle) any { return cgo.Handle(h).Value() }

func handleDelete(h Handle) { cgo.Handle(h).Delete() }
