//go:build windows

package nocgo

// #include <stdlib.h>
import "C"

func windowsOnly() { C.free(nil) }
