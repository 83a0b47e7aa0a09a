package main

import (
	"fmt"
	"os"
	"unsafe"

	"github.com/cgoguard/cgoguard/guard/cguard"
	"github.com/cgoguard/cgoguard/guard/cguard/internal/ctest"
)

//go:noinline
func alloc() unsafe.Pointer { return cguard.Malloc(13) }

//go:noinline
func release(p unsafe.Pointer) { cguard.Free(p) }

func main() {
	p := alloc()
	ctest.WriteByte(p, 12, 1)
	release(p)
	switch os.Args[1] {
	case "go":
		fmt.Println(*(*byte)(p))
	case "c":
		fmt.Println(ctest.ReadByte(p, 0))
	case "over":
		q := alloc()
		ctest.WriteByte(q, 13, 1)
	case "dbl":
		release(p)
	}
}
