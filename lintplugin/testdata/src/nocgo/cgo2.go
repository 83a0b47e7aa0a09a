package nocgo

// #include <stdlib.h>
import "C"

func alloc() { C.free(C.malloc(1)) }
