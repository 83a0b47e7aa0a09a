//go:build cgoguard

// The fault handler runs inside a SIGSEGV/SIGBUS handler, so it does only
// async-signal-safe work: it scans a table of guard-page slots kept by the
// Go side, formats numbers and the time into stack buffers, write()s stack
// text rendered once per distinct stack, and chains to the handler that was
// installed before (the Go runtime's), which prints the faulting goroutine
// and exits.

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "faults.h"

enum { SLOT_EMPTY, SLOT_LIVE, SLOT_FREED };

typedef struct {
	_Atomic uintptr_t lo, hi; // the slot's region, half of each guard gap included; hi == 0: unused
	_Atomic uintptr_t user, size;
	_Atomic int state;
	_Atomic(cguard_stack *) alloc, freed;
} cguard_slot;

static cguard_slot *slots;
static size_t nslots;
static _Atomic size_t slots_used; // 1 + the highest slot ever given a region
static int report_fd = 2;
static int report_json;
static struct sigaction prev_segv, prev_bus;

// Symbols of the executable, sorted by address, for naming the function
// that faulted. Published once, from a goroutine started at init.
static const uintptr_t *sym_addrs, *sym_ends;
static const char *const *sym_names;
static _Atomic size_t sym_n;
static uintptr_t go_text_lo, go_text_hi;

cguard_stack *cguard_stack_new(const char *console, size_t clen, const char *json, size_t jlen) {
	cguard_stack *s = malloc(sizeof *s + clen + jlen);
	if (s == NULL) {
		return NULL;
	}
	char *text = (char *)(s + 1);
	memcpy(text, console, clen);
	memcpy(text + clen, json, jlen);
	s->console = text;
	s->console_len = clen;
	s->json = text + clen;
	s->json_len = jlen;
	return s;
}

void *cguard_reserve(size_t len) {
	void *m = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	return m == MAP_FAILED ? NULL : m;
}

// cguard_separate marks a guard gap so that the kernel never merges it
// with the data pages beside it: each slot's data pages then stay one
// memory area of their own, and flipping their protection changes that
// area's flags in place instead of splitting and merging areas, which
// costs three times as much.
int cguard_separate(void *gap, size_t len) {
#ifdef MADV_DONTDUMP
	return madvise(gap, len, MADV_DONTDUMP);
#else
	(void)gap;
	(void)len;
	return 0;
#endif
}

int cguard_protect(void *p, size_t len, int writable) {
	return mprotect(p, len, writable ? PROT_READ | PROT_WRITE : PROT_NONE);
}

int cguard_unmap(void *p, size_t len) { return munmap(p, len); }

void cguard_slot_region(size_t i, uintptr_t lo, uintptr_t hi) {
	cguard_slot *s = &slots[i];
	atomic_store(&s->state, SLOT_EMPTY);
	atomic_store(&s->hi, 0);
	atomic_store(&s->lo, lo);
	atomic_store(&s->hi, hi);
	size_t used = atomic_load(&slots_used);
	while (used < i + 1 && !atomic_compare_exchange_weak(&slots_used, &used, i + 1)) {
	}
}

void cguard_slot_live(size_t i, uintptr_t user, size_t size, cguard_stack *alloc) {
	cguard_slot *s = &slots[i];
	atomic_store(&s->state, SLOT_EMPTY);
	atomic_store(&s->user, user);
	atomic_store(&s->size, size);
	atomic_store(&s->alloc, alloc);
	atomic_store(&s->freed, NULL);
	atomic_store(&s->state, SLOT_LIVE);
}

void cguard_slot_freed(size_t i, cguard_stack *freed) {
	atomic_store(&slots[i].freed, freed);
	atomic_store(&slots[i].state, SLOT_FREED);
}

void cguard_slot_empty(size_t i) { atomic_store(&slots[i].state, SLOT_EMPTY); }

void cguard_symbols(const uintptr_t *addrs, const uintptr_t *ends, const char *const *names, size_t n, uintptr_t go_lo, uintptr_t go_hi) {
	sym_addrs = addrs;
	sym_ends = ends;
	sym_names = names;
	go_text_lo = go_lo;
	go_text_hi = go_hi;
	atomic_store(&sym_n, n);
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

static void put_udec(uintptr_t u, int width) {
	char buf[24];
	char *p = buf + sizeof buf;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
		width--;
	} while (u != 0 || width > 0);
	put(p, (size_t)(buf + sizeof buf - p));
}

static void put_dec(intptr_t v) {
	if (v < 0) {
		put("-", 1);
		put_udec(-(uintptr_t)v, 0);
		return;
	}
	put_udec((uintptr_t)v, 0);
}

// put_time writes the time as zap's ISO 8601 encoder does, in UTC.
static void put_time(void) {
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0) {
		return;
	}
	int64_t days = ts.tv_sec / 86400, secs = ts.tv_sec % 86400;
	// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
	int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9, y = yoe + era * 400 + (m <= 2);
	put_udec((uintptr_t)y, 4);
	put("-", 1);
	put_udec((uintptr_t)m, 2);
	put("-", 1);
	put_udec((uintptr_t)d, 2);
	put("T", 1);
	put_udec((uintptr_t)(secs / 3600), 2);
	put(":", 1);
	put_udec((uintptr_t)(secs / 60 % 60), 2);
	put(":", 1);
	put_udec((uintptr_t)(secs % 60), 2);
	put(".", 1);
	put_udec((uintptr_t)(ts.tv_nsec / 1000000), 3);
	put("Z", 1);
}

// symbol names the function holding pc, or returns NULL.
static const char *symbol(uintptr_t pc) {
	size_t n = atomic_load(&sym_n);
	if (n == 0 || pc < sym_addrs[0]) {
		return NULL;
	}
	size_t lo = 0, hi = n; // the answer is in [lo, hi)
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (sym_addrs[mid] <= pc) {
			lo = mid;
		} else {
			hi = mid;
		}
	}
	return pc < sym_ends[lo] ? sym_names[lo] : NULL;
}

// put_mapping writes the path of the file mapped at pc, as /proc/self/maps
// lists it, and pc's offset in that mapping: a fault in a shared library
// (libc's string routines) has no symbol in the executable's table.
// open, read and close are async-signal-safe.
static void put_json_chars(const char *s);

static int put_mapping(uintptr_t pc, int json) {
	int fd = open("/proc/self/maps", O_RDONLY);
	if (fd < 0) {
		return 0;
	}
	char buf[4096];
	char line[512];
	size_t len = 0;
	int found = 0;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			break;
		}
		for (ssize_t i = 0; i < n && !found; i++) {
			if (buf[i] != '\n') {
				if (len < sizeof line - 1) {
					line[len++] = buf[i];
				}
				continue;
			}
			line[len] = '\0';
			len = 0;
			// "lo-hi perms offset dev inode   path"
			uintptr_t lo = 0, hi = 0;
			char *p = line;
			while (*p != '-' && *p != '\0') {
				lo = lo * 16 + (uintptr_t)(*p <= '9' ? *p - '0' : *p - 'a' + 10);
				p++;
			}
			if (*p == '-') {
				p++;
			}
			while (*p != ' ' && *p != '\0') {
				hi = hi * 16 + (uintptr_t)(*p <= '9' ? *p - '0' : *p - 'a' + 10);
				p++;
			}
			if (pc < lo || pc >= hi) {
				continue;
			}
			char *path = line;
			for (char *q = line; *q != '\0'; q++) {
				if (*q == '/' || *q == '[') {
					path = q;
					break;
				}
			}
			if (path != line) {
				if (json) {
					put_json_chars(path);
				} else {
					puts_safe(path);
				}
				found = 1;
			}
		}
		if (found) {
			break;
		}
	}
	close(fd);
	return found;
}

typedef struct {
	uintptr_t pc, caller;
	const char *function, *caller_function;
} fault_access;

// faulting reads the faulting instruction's address from the signal
// context and names its function. The caller is named only for Go code,
// whose frame pointer chain is reliable, and only when the frame pointer
// lies just above the stack pointer, so that reading it cannot fault.
static fault_access faulting(void *ctx) {
	fault_access a = {0};
	ucontext_t *uc = ctx;
	uintptr_t sp = 0, fp = 0;
#if defined(__linux__) && defined(__x86_64__)
	a.pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
	sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
	fp = (uintptr_t)uc->uc_mcontext.gregs[REG_RBP];
#elif defined(__linux__) && defined(__aarch64__)
	a.pc = (uintptr_t)uc->uc_mcontext.pc;
	sp = (uintptr_t)uc->uc_mcontext.sp;
	fp = (uintptr_t)uc->uc_mcontext.regs[29];
#else
	(void)uc;
#endif
	a.function = symbol(a.pc);
	if (a.function != NULL && fp != 0 && a.pc >= go_text_lo && a.pc < go_text_hi && fp >= sp && fp - sp < 64 * 1024 && fp % sizeof(uintptr_t) == 0) {
		a.caller = ((uintptr_t *)fp)[1]; // the return address above the saved frame pointer
		a.caller_function = symbol(a.caller);
	}
	return a;
}

// put_json_chars writes s escaped for a JSON string; control characters
// are left out.
static void put_json_chars(const char *s) {
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\') {
			put("\\", 1);
		}
		if ((unsigned char)*s >= 0x20) {
			put(s, 1);
		}
	}
}

static void put_json_string(const char *s) {
	put("\"", 1);
	put_json_chars(s);
	put("\"", 1);
}

static void report_fault(cguard_slot *s, uintptr_t addr, void *ctx) {
	int state = atomic_load(&s->state);
	uintptr_t user = atomic_load(&s->user), size = atomic_load(&s->size);
	cguard_stack *alloc = atomic_load(&s->alloc), *freed = atomic_load(&s->freed);
	const char *kind;
	intptr_t offset = (intptr_t)(addr - user);
	int word = 0; // an aligned word read that starts before the buffer
	switch (state) {
	case SLOT_FREED:
		kind = "use-after-free";
		// String routines read in aligned words of up to 64 bytes: such a
		// read of a freed buffer faults on the word's start.
		if (addr < user && user - addr < 64 && (addr & 7) == 0) {
			word = 1;
		}
		break;
	case SLOT_LIVE:
		kind = addr < user ? "buffer-underflow" : "buffer-overflow";
		break;
	default:
		kind = "wild-access";
		alloc = freed = NULL;
	}
	fault_access a = faulting(ctx);
	if (report_json) {
		puts_safe("{\"level\":\"error\",\"ts\":\"");
		put_time();
		puts_safe("\",\"logger\":\"cgoguard\",\"msg\":\"cgoguard: ");
		puts_safe(kind);
		if (state == SLOT_EMPTY) {
			puts_safe(": access to guard-page memory that holds no buffer (far out of bounds, or long after free)\"");
		} else {
			puts_safe(": access at offset ");
			put_dec(word ? 0 : offset);
			puts_safe(state == SLOT_FREED ? " of the freed " : " of the ");
			put_udec(size, 0);
			puts_safe("-byte C buffer at ");
			put_hex(user);
			if (word) {
				puts_safe(" (read in an aligned word that starts ");
				put_dec(-offset);
				puts_safe(" bytes before it, as string routines do)");
			}
			puts_safe("\"");
			puts_safe(",\"address\":\"");
			put_hex(user);
			puts_safe("\",\"size\":");
			put_udec(size, 0);
			puts_safe(",\"offset\":");
			put_dec(word ? 0 : offset);
		}
		puts_safe(",\"kind\":\"");
		puts_safe(kind);
		puts_safe("\",\"fault_address\":\"");
		put_hex(addr);
		puts_safe("\"");
		if (a.pc != 0) {
			puts_safe(",\"fault_pc\":\"");
			put_hex(a.pc);
			puts_safe("\"");
		}
		if (a.function != NULL) {
			puts_safe(",\"fault_function\":");
			put_json_string(a.function);
		} else if (a.pc != 0) {
			puts_safe(",\"fault_object\":\"");
			put_mapping(a.pc, 1);
			puts_safe("\"");
		}
		if (a.caller_function != NULL) {
			puts_safe(",\"fault_caller\":");
			put_json_string(a.caller_function);
		}
		if (alloc != NULL) {
			puts_safe(",\"alloc_stack\":");
			put(alloc->json, alloc->json_len);
		}
		if (freed != NULL) {
			puts_safe(",\"free_stack\":");
			put(freed->json, freed->json_len);
		}
		puts_safe("}\n");
		return;
	}
	puts_safe("cgoguard: ");
	puts_safe(kind);
	puts_safe(" at ");
	put_hex(addr);
	if (state == SLOT_EMPTY) {
		puts_safe(": guard-page memory that holds no buffer (far out of bounds, or long after free)\n");
	} else {
		puts_safe(": offset ");
		put_dec(word ? 0 : offset);
		puts_safe(state == SLOT_FREED ? " of the freed " : " of the ");
		put_udec(size, 0);
		puts_safe("-byte C buffer at ");
		put_hex(user);
		if (word) {
			puts_safe(" (read in an aligned word that starts ");
			put_dec(-offset);
			puts_safe(" bytes before it, as string routines do)");
		}
		puts_safe("\n");
	}
	if (a.function != NULL) {
		puts_safe("faulting access in ");
		puts_safe(a.function);
		if (a.caller_function != NULL) {
			puts_safe(", called from ");
			puts_safe(a.caller_function);
		}
		puts_safe(" (pc ");
		put_hex(a.pc);
		puts_safe(")\n");
	} else if (a.pc != 0) {
		puts_safe("faulting access at pc ");
		put_hex(a.pc);
		puts_safe(" in ");
		if (!put_mapping(a.pc, 0)) {
			puts_safe("unknown code");
		}
		puts_safe("\n");
	}
	if (alloc != NULL) {
		puts_safe("allocated at (alloc_stack):\n");
		put(alloc->console, alloc->console_len);
	}
	if (freed != NULL) {
		puts_safe("freed at (free_stack):\n");
		put(freed->console, freed->console_len);
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

static cguard_slot *find(uintptr_t addr) {
	size_t n = atomic_load(&slots_used);
	for (size_t i = 0; i < n; i++) {
		cguard_slot *s = &slots[i];
		uintptr_t hi = atomic_load(&s->hi);
		if (hi != 0 && addr < hi && addr >= atomic_load(&s->lo)) {
			return s;
		}
	}
	return NULL;
}

static void on_fault(int sig, siginfo_t *info, void *ctx) {
	int saved = errno;
	uintptr_t addr = (uintptr_t)info->si_addr;
	cguard_slot *s = find(addr);
	if (s != NULL && atomic_load(&s->state) == SLOT_EMPTY) {
		// A far overflow runs past the guard gap into the next slot: if
		// that slot holds nothing, the access belongs to the buffer below.
		cguard_slot *below = find(atomic_load(&s->lo) - 1);
		if (below != NULL && atomic_load(&below->state) != SLOT_EMPTY) {
			s = below;
		}
	}
	if (s != NULL) {
		report_fault(s, addr, ctx);
	}
	errno = saved;
	chain(sig, info, ctx);
}

int cguard_install(int fd, int json, size_t n) {
	slots = calloc(n, sizeof *slots);
	if (slots == NULL) {
		return -1;
	}
	nslots = n;
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
