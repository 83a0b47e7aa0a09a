package lifetime

import (
	"fmt"
	"go/token"
)

// Narration is a finding's two events in words, for the checks' messages.
type Narration struct {
	// First is the release: "p freed at line 12", or "p freed when the
	// function returns, by the C.free deferred at line 9".
	First string
	// Through names the second event's alias: " through q" when the code
	// reaches the resource under another name there, else "".
	Through string
	// When places the second event: ", in the call deferred at line 20,
	// when the function returns", " on a later iteration of the loop", or "".
	When string
}

// Narrate words f for a resource called name, released by releaser
// ("C.free", "Delete") with the verb released ("freed", "deleted").
func Narrate(fset *token.FileSet, f Finding, name, released, releaser string) Narration {
	line := func(pos token.Pos) int { return fset.Position(pos).Line }
	first, then := f.Release, f.Then
	n := Narration{First: fmt.Sprintf("%s %s at line %d", name, released, line(first.Pos))}
	if first.Deferred {
		n.First = fmt.Sprintf("%s %s when the function returns, by the %s deferred at line %d",
			name, released, releaser, line(first.Defer))
	}
	if then.Name != "" && then.Name != name {
		n.Through = " through " + then.Name
	}
	switch {
	case then.Deferred:
		n.When = fmt.Sprintf(", in the call deferred at line %d, when the function returns", line(then.Defer))
	case f.Loop:
		n.When = " on a later iteration of the loop"
	}
	return n
}
