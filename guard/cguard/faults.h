// Guard pages and the fault handler of debug builds.
#ifndef CGUARD_FAULTS_H
#define CGUARD_FAULTS_H

#include <stddef.h>
#include <stdint.h>

// A stack rendered once, in both encodings, for the fault handler to write
// as is. Stacks are cached by the Go side and never freed.
typedef struct cguard_stack {
	size_t console_len, json_len;
	const char *console, *json;
} cguard_stack;

cguard_stack *cguard_stack_new(const char *console, size_t clen, const char *json, size_t jlen);

int cguard_install(int fd, int json, size_t nslots);
void *cguard_reserve(size_t len);
int cguard_separate(void *gap, size_t len);
int cguard_protect(void *p, size_t len, int writable);
int cguard_unmap(void *p, size_t len);

void cguard_slot_region(size_t i, uintptr_t lo, uintptr_t hi);
void cguard_slot_live(size_t i, uintptr_t user, size_t size, cguard_stack *alloc);
void cguard_slot_freed(size_t i, cguard_stack *freed);
void cguard_slot_empty(size_t i);

void cguard_symbols(const uintptr_t *addrs, const uintptr_t *ends, const char *const *names, size_t n, uintptr_t go_lo, uintptr_t go_hi);

#endif
