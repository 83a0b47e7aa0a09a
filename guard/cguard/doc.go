// Package cguard allocates C memory that debug builds check.
//
// Its functions mirror cgo's: Malloc, Calloc, CString, CBytes and Free.
// Adopting it is a rename: C.CString(s) becomes
// (*C.char)(cguard.CString(s)) and C.free(unsafe.Pointer(p)) becomes
// cguard.Free(unsafe.Pointer(p)). C code that takes ownership of a buffer
// frees it with cguard_free, declared in the cguard.h header shipped in this
// directory (or declare void cguard_free(void *); yourself); C code that
// allocates memory Go will free uses cguard_malloc or cguard_calloc.
//
// Release builds (no build tag) call malloc, calloc and free directly: no
// bookkeeping, no extra allocation, no zap. Free hands C the pointer as an
// integer, which skips cgo's check for Go pointers (C.free(p) runs it; it
// guards Go memory, which must never reach free anyway) and lets Free
// inline to a single cgo call.
//
// Debug builds (-tags cgoguard) put the first allocations at every
// allocation site, and then a decaying share of them down to 1 in
// CGOGUARD_SAMPLE, in slots of a pre-mapped pool, flush against a PROT_NONE
// guard gap; Free makes the slot PROT_NONE too, so the first access after
// free, or past the end, from Go or C, faults, and a signal handler prints
// the report, with stacks rendered once per distinct stack, before the Go
// runtime prints the faulting stack. Every other buffer is surrounded by
// canaries checked at Free, filled with a poison byte when freed and held
// in a quarantine bounded by bytes, whose poison is checked when it leaves
// and by guard.Check. Double frees and frees of pointers cguard never
// returned are reported without touching the memory. See the guard package
// and its README for the reports and the CGOGUARD_* variables.
//
// Guarded blocks end exactly at the guard gap, so their start is aligned
// only to the largest power of two (up to 16) dividing the size: enough for
// any C object of that size, but less than malloc's 16 bytes for odd sizes.
// Every other buffer keeps malloc's alignment.
//
// Memory from cguard must not be passed to free() or realloc() in debug
// builds. cguard needs cgo: with CGO_ENABLED=0 the package is empty, so a
// program that uses it fails to compile rather than at run time.
package cguard
