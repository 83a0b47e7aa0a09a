package a

import "C"

import "sync"

// Writes through methods of package-level values.

type nameTable struct {
	mu    sync.Mutex
	names map[string]int
}

func (r *nameTable) add(name string) { r.names[name]++ } // want `cgocallback: exported onName .* writes package-level map table.names via \(\*nameTable\).add without holding a write lock`

func (r *nameTable) addLocked(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.names[name]++
}

var table = &nameTable{names: map[string]int{}}

//export onName
func onName(n C.int) {
	table.add("x") // the write is in add, reported there
}

//export onNameLocked
func onNameLocked(n C.int) {
	table.addLocked("x")
}

func (r *nameTable) addVia(name string) { r.add(name) }

//export onNameVia
func onNameVia(n C.int) {
	table.addVia("y") // the same write in add: one finding for its line
}

//export onLocal
func onLocal(n C.int) {
	local := &nameTable{names: map[string]int{}}
	local.add("z") // a map only this call sees
}
