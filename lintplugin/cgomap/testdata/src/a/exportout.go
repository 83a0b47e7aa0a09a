package a

// #include <stdlib.h>
import "C"

import "unsafe"

var cache = map[string]int{}

//export lookupTable
func lookupTable(out *unsafe.Pointer) {
	*out = unsafe.Pointer(&cache) // want `cgomap: &cache .* stored in C memory, through the out-parameter out of exported lookupTable`
}

//export lookupCount
func lookupCount(out *C.int) {
	*out = C.int(len(cache))
}
