#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "real.h"
#include "_cgo_export.h"

struct registry { void *cb; int n; };
static struct registry reg;

void register_cb(void *p) { reg.cb = p; reg.n++; }

static void *worker(void *arg) { goNotify(arg); return NULL; }

void start_worker(void *p) {
	pthread_t t;
	pthread_create(&t, NULL, worker, p);
	pthread_detach(t);
}

int checksum(const void *p, int n) {
	const unsigned char *b = p;
	int s = 0;
	for (int i = 0; i < n; i++) s += b[i];
	return s;
}

char *make_name(int n) {
	char *s = malloc(n + 1);
	if (s == NULL) return NULL;
	memset(s, 'x', n);
	s[n] = 0;
	return s;
}
