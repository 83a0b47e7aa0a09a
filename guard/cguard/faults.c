//go:build cgoguard

// The fault handler runs inside a SIGSEGV/SIGBUS handler, so it does only
// async-signal-safe work: it scans a table prepared ahead of time, formats
// numbers into a stack buffer, write()s text rendered when the block was
// allocated or freed, and chains to the handler that was installed before
// (the Go runtime's), which prints the faulting goroutine and exits.

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "faults.h"

typedef struct {
	_Atomic uintptr_t lo, hi; // the mapping, guard pages included; hi == 0: unused
	_Atomic uintptr_t user, size;
	_Atomic int freed;
	_Atomic(cguard_text *) text;
} cguard_slot;

static cguard_slot *slots;
static _Atomic size_t slots_used; // 1 + the highest slot ever published
static int report_fd = 2;
static int report_json;
static struct sigaction prev_segv, prev_bus;

cguard_text *cguard_text_new(const char *p, size_t n) {
	cguard_text *t = malloc(sizeof *t + n);
	if (t != NULL) {
		t->len = n;
		memcpy(t->text, p, n);
	}
	return t;
}

void cguard_text_free(cguard_text *t) { free(t); }

void *cguard_map(size_t data_len, size_t page) {
	size_t total = data_len + 2 * page;
	void *m = mmap(NULL, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		return NULL;
	}
	if (mprotect((char *)m + page, data_len, PROT_READ | PROT_WRITE) != 0) {
		munmap(m, total);
		return NULL;
	}
	return m;
}

int cguard_protect(void *p, size_t len) { return mprotect(p, len, PROT_NONE); }

int cguard_unmap(void *p, size_t len) { return munmap(p, len); }

void cguard_slot_publish(size_t i, void *lo, size_t span, void *user, size_t size, cguard_text *t) {
	cguard_slot *s = &slots[i];
	atomic_store(&s->hi, 0);
	atomic_store(&s->lo, (uintptr_t)lo);
	atomic_store(&s->user, (uintptr_t)user);
	atomic_store(&s->size, size);
	atomic_store(&s->freed, 0);
	cguard_text *old = atomic_exchange(&s->text, t);
	atomic_store(&s->hi, (uintptr_t)lo + span);
	size_t used = atomic_load(&slots_used);
	while (used < i + 1 && !atomic_compare_exchange_weak(&slots_used, &used, i + 1)) {
	}
	free(old);
}

cguard_text *cguard_slot_freed(size_t i, cguard_text *t) {
	cguard_text *old = atomic_exchange(&slots[i].text, t);
	atomic_store(&slots[i].freed, 1);
	return old;
}

cguard_text *cguard_slot_clear(size_t i) {
	atomic_store(&slots[i].hi, 0);
	return atomic_exchange(&slots[i].text, NULL);
}

// --- inside the signal handler: async-signal-safe only ---

static void put(const char *p, size_t n) {
	while (n > 0) {
		ssize_t w = write(report_fd, p, n);
		if (w < 0 && errno == EINTR) {
			continue;
		}
		if (w <= 0) {
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

static void puts_safe(const char *s) {
	size_t n = 0;
	while (s[n] != '\0') {
		n++;
	}
	put(s, n);
}

static void put_hex(uintptr_t v) {
	char buf[2 + 2 * sizeof v];
	char *p = buf + sizeof buf;
	do {
		*--p = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v != 0);
	*--p = 'x';
	*--p = '0';
	put(p, (size_t)(buf + sizeof buf - p));
}

static void put_dec(intptr_t v) {
	char buf[24];
	char *p = buf + sizeof buf;
	uintptr_t u = v < 0 ? -(uintptr_t)v : (uintptr_t)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0) {
		*--p = '-';
	}
	put(p, (size_t)(buf + sizeof buf - p));
}

static void report_fault(cguard_slot *s, uintptr_t addr) {
	uintptr_t user = atomic_load(&s->user), size = atomic_load(&s->size);
	const char *kind = "use-after-free";
	if (!atomic_load(&s->freed)) {
		kind = addr < user ? "buffer-underflow" : "buffer-overflow";
	}
	intptr_t offset = (intptr_t)(addr - user);
	cguard_text *t = atomic_load(&s->text);
	if (report_json) {
		// The text is a JSON object without its closing brace.
		if (t != NULL) {
			put(t->text, t->len);
		} else {
			puts_safe("{\"msg\":\"cgoguard: fault on a guarded C buffer\"");
		}
		puts_safe(",\"kind\":\"");
		puts_safe(kind);
		puts_safe("\",\"fault_address\":\"");
		put_hex(addr);
		puts_safe("\",\"offset\":");
		put_dec(offset);
		puts_safe("}\n");
		return;
	}
	puts_safe("cgoguard: ");
	puts_safe(kind);
	puts_safe(" at ");
	put_hex(addr);
	puts_safe(": offset ");
	put_dec(offset);
	puts_safe(" of the ");
	put_dec((intptr_t)size);
	puts_safe("-byte C buffer at ");
	put_hex(user);
	puts_safe("\n");
	if (t != NULL) {
		put(t->text, t->len);
	}
}

static void chain(int sig, siginfo_t *info, void *ctx) {
	struct sigaction *prev = sig == SIGBUS ? &prev_bus : &prev_segv;
	if (prev->sa_flags & SA_SIGINFO) {
		prev->sa_sigaction(sig, info, ctx);
		return;
	}
	if (prev->sa_handler != SIG_DFL && prev->sa_handler != SIG_IGN) {
		prev->sa_handler(sig);
		return;
	}
	// No handler before ours: restore the default action; the faulting
	// instruction runs again on return and the process dies of the signal.
	struct sigaction dfl;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigaction(sig, &dfl, NULL);
}

static void on_fault(int sig, siginfo_t *info, void *ctx) {
	int saved = errno;
	uintptr_t addr = (uintptr_t)info->si_addr;
	size_t n = atomic_load(&slots_used);
	for (size_t i = 0; i < n; i++) {
		cguard_slot *s = &slots[i];
		uintptr_t hi = atomic_load(&s->hi);
		if (hi != 0 && addr < hi && addr >= atomic_load(&s->lo)) {
			report_fault(s, addr);
			break;
		}
	}
	errno = saved;
	chain(sig, info, ctx);
}

int cguard_install(int fd, int json, size_t nslots) {
	slots = calloc(nslots, sizeof *slots);
	if (slots == NULL) {
		return -1;
	}
	report_fd = fd;
	report_json = json;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigfillset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, &prev_segv) != 0 || sigaction(SIGBUS, &sa, &prev_bus) != 0) {
		return -1;
	}
	return 0;
}
