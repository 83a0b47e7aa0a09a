package cgoretain

// Bad and Good are the README's snippets: code the check flags, and the
// corrected version it is silent on.
const (
	Bad = `/*
static char *last;
static void remember(char *s) { last = s; } // C keeps s after the call
*/
buf := []byte("hello\x00")
C.remember((*C.char)(unsafe.Pointer(&buf[0]))) // Go memory C keeps`

	Good = `cs := C.CString("hello") // C memory: C may keep it
C.remember(cs)                // free it once C lets go of it`
)
