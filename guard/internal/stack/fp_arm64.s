#include "textflag.h"

// func framePointer() unsafe.Pointer
// Frameless, so R29 still holds the caller's frame pointer.
TEXT ·framePointer(SB),NOSPLIT|NOFRAME,$0-8
	MOVD R29, ret+0(FP)
	RET
