package guard

// Handle lets C hold a reference to a Go value, like runtime/cgo.Handle: an
// integer that converts to C's uintptr_t and back.
//
// In debug builds every handle records where it was created and deleted;
// Value or Delete after Delete, or on a number never returned by NewHandle,
// is a violation that names the handle and both stacks, and handles never
// deleted are leaks that Check reports.
type Handle uintptr

// NewHandle returns a handle for v, like cgo.NewHandle.
func NewHandle(v any) Handle { return newHandle(v) }

// Value returns the value h was created for, like cgo.Handle.Value.
func (h Handle) Value() any { return handleValue(h) }

// Delete releases h, like cgo.Handle.Delete. h must not be used afterwards.
func (h Handle) Delete() { handleDelete(h) }
