package nocgo

/*
#include <stdlib.h>
static void use(void *p) {}
*/
import "C"

func useAfterFree() {
	p := C.malloc(16)
	C.free(p)
	C.use(p)
}
