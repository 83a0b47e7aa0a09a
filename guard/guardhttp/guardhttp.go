// Package guardhttp serves the runtime guard's state over HTTP: live pins,
// handles and C allocations with their stacks, quarantine and guard-page
// figures, the violations so far, and (at .../heap) the live C allocations,
// handles and pins as a pprof heap profile.
//
// It is a package of its own so that package guard never imports net/http:
// a release build of a program that uses guard and cguard stays the size
// of the raw program. Only programs that mount this handler link it.
package guardhttp

import "net/http"

// Handler returns an HTTP handler for the guard's state. Mount it on a
// debug-only listener, with a trailing slash so that the profile is served
// too:
//
//	mux.Handle("/debug/cgoguard/", guardhttp.Handler())
//
// A request whose path ends in /heap gets the pprof profile of what is
// live (go tool pprof http://host/debug/cgoguard/heap); any other path gets
// the state as text, or as JSON with ?format=json or Accept:
// application/json. In release builds it answers that the checks are off.
func Handler() http.Handler { return handler() }
