/* Header shipped with github.com/cgoguard/cgoguard/guard/cguard. */
#ifndef CGUARD_H
#define CGUARD_H

#include <stddef.h>

/*
 * cguard_free releases memory allocated by cguard.Malloc, Calloc, CString or
 * CBytes. C code that takes ownership of such memory must release it with
 * cguard_free, never free(): in debug builds (-tags cgoguard) the pointer is
 * not the start of a malloc block, and the guard must see the free to check
 * and quarantine the buffer. Any thread may call it; free(NULL) semantics.
 */
void cguard_free(void *p);

/*
 * cguard_malloc and cguard_calloc allocate memory that Go code may release
 * with cguard.Free, and C code with cguard_free: in debug builds it is
 * checked like memory from cguard.Malloc, with the allocation stack of the
 * Go code that called into C. They behave like malloc and calloc
 * (cguard_malloc(0) returns a unique pointer; cguard_calloc returns NULL
 * if n * size overflows). Any thread may call them.
 */
void *cguard_malloc(size_t n);
void *cguard_calloc(size_t n, size_t size);

#endif
