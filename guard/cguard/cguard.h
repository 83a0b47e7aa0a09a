/* Header shipped with github.com/cgoguard/cgoguard/guard/cguard. */
#ifndef CGUARD_H
#define CGUARD_H

/*
 * cguard_free releases memory allocated by cguard.Malloc, Calloc, CString or
 * CBytes. C code that takes ownership of such memory must release it with
 * cguard_free, never free(): in debug builds (-tags cgoguard) the pointer is
 * not the start of a malloc block, and the guard must see the free to check
 * and quarantine the buffer. Any thread may call it; free(NULL) semantics.
 */
void cguard_free(void *p);

#endif
