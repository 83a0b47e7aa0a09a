//cgoguard:file-ignore cgofree the C stubs of this file ignore their arguments

package directives

/*
#include <stdlib.h>
static void use2(void *p) {}
*/
import "C"

func fileWide() {
	p := C.malloc(16)
	C.free(p)
	C.use2(p)
}

func fileWideToo() {
	p := C.malloc(16)
	C.free(p)
	C.use2(p)
}
