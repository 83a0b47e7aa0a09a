// Guard pages and the fault handler of debug builds.
#ifndef CGUARD_FAULTS_H
#define CGUARD_FAULTS_H

#include <stddef.h>
#include <stdint.h>

// A report rendered ahead of time, for the fault handler to write as is.
typedef struct cguard_text {
	size_t len;
	char text[];
} cguard_text;

cguard_text *cguard_text_new(const char *p, size_t n);
void cguard_text_free(cguard_text *t);

int cguard_install(int fd, int json, size_t nslots);
void *cguard_map(size_t data_len, size_t page);
int cguard_protect(void *p, size_t len);
int cguard_unmap(void *p, size_t len);

void cguard_slot_publish(size_t i, void *lo, size_t span, void *user, size_t size, cguard_text *t);
cguard_text *cguard_slot_freed(size_t i, cguard_text *t);
cguard_text *cguard_slot_clear(size_t i);

#endif
