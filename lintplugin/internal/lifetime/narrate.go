package lifetime

import (
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Narration is a finding's two events in words, for the checks' messages.
// Messages name the other event by what it is, never by a line number (a
// comment added above would change every message); its position goes in
// Related, which go vet -json, golangci-lint and SARIF consumers show.
type Narration struct {
	// Subject names the resource at the second event: "p", or
	// "q (an alias of p)".
	Subject string
	// Release says how it was first released: "freed by C.free",
	// "freed by the deferred C.free", "freed by (*buf).Close (C.free)".
	Release string
	// Then is the second event: "passed to C.use", "read".
	Then string
	// When places the second event: ", in a call deferred until the
	// function returns", ", on a later iteration of the loop", or "".
	When    string
	Related []analysis.RelatedInformation
}

// Narrate words f for a resource called name (the first event's name,
// or a fallback such as "the memory").
func Narrate(f Finding, name string) Narration {
	first, then := f.Release, f.Then
	n := Narration{Subject: name, Release: first.What, Then: then.What}
	if then.Name != "" && then.Name != name {
		n.Subject = then.Name + " (an alias of " + name + ")"
	}
	if first.Deferred {
		n.Release = deferredWhat(first.What)
	}
	if then.Deferred {
		n.Then = deferredWhat(then.What)
	}
	switch {
	case then.Deferred && !first.Deferred:
		n.When = ", when the function returns"
	case f.Loop:
		n.When = ", on a later iteration of the loop"
	}
	n.Related = append(n.Related, analysis.RelatedInformation{Pos: first.Pos, Message: name + " " + first.What + " here"})
	if first.Deferred && first.Defer.IsValid() && first.Defer != first.Pos {
		n.Related = append(n.Related, analysis.RelatedInformation{Pos: first.Defer, Message: "deferred here"})
	}
	if then.Deferred && then.Defer.IsValid() && then.Defer != then.Pos {
		n.Related = append(n.Related, analysis.RelatedInformation{Pos: then.Defer, Message: "the second call is deferred here"})
	}
	return n
}

// deferredWhat marks the caller of an event as deferred: "freed by C.free"
// becomes "freed by the deferred C.free".
func deferredWhat(what string) string {
	for _, by := range []string{" by ", " to "} {
		if i := strings.Index(what, by); i >= 0 {
			return what[:i+len(by)] + "the deferred " + what[i+len(by):]
		}
	}
	return what + " in a deferred call"
}
