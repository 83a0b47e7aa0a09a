package guard

import "net/http"

// Handler returns an HTTP handler that shows the guard's state: live pins,
// handles and C allocations with their stacks, quarantine figures, and the
// violations so far. It serves text, or JSON when the request has
// ?format=json or accepts application/json. Nothing listens unless the
// program mounts it, for example on a debug-only mux:
//
//	mux.Handle("/debug/cgoguard", guard.Handler())
//
// In release builds it answers that the checks are off.
func Handler() http.Handler { return handler() }
