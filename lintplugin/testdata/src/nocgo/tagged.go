//go:build notgiven

package nocgo

// #include <stdlib.h>
import "C"

func taggedOnly() { C.free(nil) }
