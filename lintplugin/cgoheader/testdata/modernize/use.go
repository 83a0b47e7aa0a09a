package modernize

/*
#include <stdlib.h>
static char *buffer2(void) { return malloc(16); }
*/
import "C"

import "unsafe"

func UseView() []byte { return view(unsafe.Pointer(C.buffer2()), 16) }

func UseGoView(b []byte) []byte { return goView(unsafe.Pointer(&b[0]), len(b)) }
