package guard_test

import (
	"fmt"
	"os"

	"github.com/cgoguard/cgoguard/guard"
)

// The scenarios run in a child process; crash_test.go checks how it ended.
// Each step is its own non-inlined function so that reports can be checked
// for the frames that created, deleted and misused.

func init() {
	for name, f := range map[string]func(){
		//cgoguard:ignore cgohandle the misuse the guard must report
		"handle-value-after-delete": func() { h := createHandle(); deleteHandle(h); valueOf(h) },
		//cgoguard:ignore cgohandle the misuse the guard must report
		"handle-delete-after-delete": func() { h := createHandle(); deleteHandle(h); deleteAgain(h) },
		"handle-never-created":       func() { valueOf(guard.Handle(987654)) },
		"pin-map":                    pinMap,
		"leaked-pin":                 func() { pinAndForget(); exitIfLeaks() },
		"leaked-handle":              func() { createHandle(); exitIfLeaks() },
		"start-up":                   func() { fmt.Println("started") },
	} {
		scenarios[name] = f
	}
}

//go:noinline
func createHandle() guard.Handle { return guard.NewHandle(map[string]int{"shared with C": 1}) }

//go:noinline
func deleteHandle(h guard.Handle) { h.Delete() }

//go:noinline
func deleteAgain(h guard.Handle) { h.Delete() }

//go:noinline
func valueOf(h guard.Handle) { fmt.Println(h.Value()) }

//go:noinline
func pinMap() {
	var p guard.Pinner
	p.Pin(map[string]int{})
	p.Unpin()
}

var forgotten guard.Pinner

//go:noinline
func pinAndForget() { forgotten.Pin(new(int)) }

func exitIfLeaks() {
	if err := guard.Check(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
}
