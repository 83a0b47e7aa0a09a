package csummary

import (
	"strings"
	"testing"
)

// Each case is a small C file, the function asked about and its summary
// (Func.String). Cases come in pairs: a flagged shape and its near-miss.
var summaryCases = []struct {
	name, src, fn, want string
}{
	// Retained via a static, and the near-misses: cleared before every
	// return; cleared on one path only (still retained).
	{"static", `static void *g_cb; void f(void *p) { g_cb = p; }`,
		"f", "f(p: retained in static g_cb)"},
	{"static cleared", `static void *g_cb; void use(void); void use(void) {}
		void f(void *p) { g_cb = p; use(); g_cb = 0; }`,
		"f", "f(p: used only)"},
	{"static cleared on one path", `#include <stddef.h>
		static void *g_cb; void f(void *p, int x) { g_cb = p; if (x) { g_cb = NULL; } }`,
		"f", "f(p: retained in static g_cb, x)"},
	{"static overwritten before return", `static char *g; static char buf[4];
		void f(char *p) { g = p; g = buf; }`,
		"f", "f(p: used only)"},
	{"field of global", `struct reg { void *cb; int n; } registry;
		void f(void *p) { registry.cb = p; registry.n++; }`,
		"f", "f(p: retained in field cb of global registry)"},
	{"through a local alias of a global", `struct reg { void *cb; }; static struct reg *g_reg;
		void f(void *p) { struct reg *r = g_reg; r->cb = p; }`,
		"f", "f(p: retained in g_reg->cb (reachable from static g_reg))"},
	{"static local", `void f(void *p) { static void *saved; saved = p; }`,
		"f", "f(p: retained in static saved in f)"},
	{"handle in a static", `#include <stdint.h>
		static uintptr_t g_h; void f(uintptr_t h) { g_h = h; }`,
		"f", "f(h: retained in static g_h)"},
	{"int is not tracked", `static long long g; void f(int n) { g = n; }`,
		"f", "f(n)"},

	// Into a local struct that does not escape (used only) and one that is
	// stored (retained).
	{"local struct", `struct box { void *p; };
		static int peek(struct box *b) { return b->p != 0; }
		int f(void *p) { struct box b; b.p = p; return peek(&b); }`,
		"f", "f(p: used only)"},
	{"local struct copied to a global", `struct box { void *p; }; struct box g_box;
		void f(void *p) { struct box b = { p }; g_box = b; }`,
		"f", "f(p: retained in global g_box)"},

	// Into a heap object that is returned (retained, fresh result) or
	// freed (used only).
	{"heap object returned", `#include <stdlib.h>
		struct box { void *p; };
		struct box *wrap(void *p) { struct box *b = malloc(sizeof *b); if (!b) return NULL; b->p = p; return b; }`,
		"wrap", "wrap(p: retained in a heap object wrap returns) fresh(free)"},
	{"heap object freed", `#include <stdlib.h>
		struct box { void *p; };
		void f(void *p) { struct box *b = malloc(sizeof *b); b->p = p; free(b); }`,
		"f", "f(p: used only)"},
	{"heap object stored", `#include <stdlib.h>
		struct box { void *p; }; static struct box *g_last;
		void f(void *p) { struct box *b = calloc(1, sizeof *b); b->p = p; g_last = b; }`,
		"f", "f(p: retained in static g_last)"},

	// Into memory another parameter points to.
	{"param memory", `struct ctx { void *data; };
		void set(struct ctx *c, void *p) { c->data = p; }`,
		"set", "set(c: used only, p: retained in field data of *c (parameter 1))"},

	// Callback registration through another function; memcpy from the
	// parameter is a use.
	{"registry via callee", `static void *g_cb; static void reg(void *p) { g_cb = p; }
		void f(void *p) { reg(p); }`,
		"f", "f(p: retained in static g_cb, kept by reg)"},
	{"memcpy from param", `#include <string.h>
		static char g_buf[64]; void f(const char *p, int n) { memcpy(g_buf, p, n); }`,
		"f", "f(p: used only, n)"},
	{"strcpy from param", `#include <string.h>
		static char g_buf[64]; void f(const char *p) { strcpy(g_buf, p); }`,
		"f", "f(p: used only)"},
	{"libc registration", `#include <stdlib.h>
		void f(char *s) { putenv(s); }`,
		"f", "f(s: retained in the environment (putenv keeps the string itself))"},
	{"setvbuf buffer", `#include <stdio.h>
		void f(FILE *fp, char *buf) { setvbuf(fp, buf, _IOFBF, 512); }`,
		"f", "f(fp: used only, buf: retained in the stream's buffer (setvbuf keeps it until the stream is closed))"},

	// Freed, and the near-miss: only a copy is freed.
	{"freed", `#include <stdlib.h>
		void f(void *p) { free(p); }`,
		"f", "f(p: freed by free)"},
	{"freed copy", `#include <stdlib.h>
		#include <string.h>
		void f(char *s) { char *c = strdup(s); free(c); }`,
		"f", "f(s: used only)"},
	{"freed if not NULL", `#include <stdlib.h>
		void f(void *p) { if (p != NULL) free(p); }`,
		"f", "f(p: freed by free)"},
	{"freed on early return", `#include <stdlib.h>
		void f(void *p) { if (!p) return; free(p); }`,
		"f", "f(p: freed by free)"},
	{"freed on some paths", `#include <stdlib.h>
		void f(void *p, int last) { if (last) free(p); }`,
		"f", "f(p: unknown: freed on some paths only, last)"},
	{"freed through a helper", `#include <stdlib.h>
		struct obj { char *name; };
		static void obj_free(struct obj *o) { free(o->name); free(o); }
		void destroy(struct obj *o) { obj_free(o); }`,
		"destroy", "destroy(o: freed by obj_free (contents freed by obj_free))"},
	{"realloc", `#include <stdlib.h>
		void *grow(void *p, int n) { return realloc(p, n); }`,
		"grow", "grow(p: freed by realloc, n) fresh(free)"},

	// Results.
	{"returns its argument", `char *id(char *s) { return s; }`,
		"id", "id(s: used only (returned))"},
	{"not fresh: static buffer", `static char buf[8]; char *f(void) { return buf; }`,
		"f", "f()"},

	// Unknown: never a guess.
	{"unknown callee", `void ext(void *); void f(void *p) { ext(p); }`,
		"f", "f(p: unknown: passed to ext, which has no summary (no body: declared at c.c:1:1, defined in no file of the package)) may call Go: calls ext, which has no summary"},
	{"function pointer", `void f(void (*cb)(void *), void *p) { cb(p); }`,
		"f", "f(cb: used only, p: unknown: passed to a function pointer at c.c:1:39) may call Go: calls a function pointer at c.c:1:39"},
	{"store through unknown pointer", `struct ctx { void *d; }; struct ctx *lookup(int);
		void f(void *p) { lookup(1)->d = p; }`,
		"f", "f(p: unknown: stored through the result of lookup) may call Go: calls lookup, which has no summary"},
	{"backward goto", `static void *g; void f(void *p) { int i = 0; again: if (i++ < 3) goto again; g = p; }`,
		"f", "error: C.f: no summary: unsupported: backward goto again at c.c:1:66"},
	{"recursion", `static void *g; void f(void *p, int n) { if (n) f(p, n - 1); else g = p; }`,
		"f", "f(p: retained in static g, n) may call Go: calls f, which has no summary"},

	// Loops settle.
	{"loop stores", `static void *g[4]; void f(void *p) { for (int i = 0; i < 4; i++) g[i] = p; }`,
		"f", "f(p: retained in an element of static g)"},
	{"loop clears", `static void *g; void f(void **ps, int n) { for (int i = 0; i < n; i++) { g = ps[i]; } g = 0; }`,
		"f", "f(ps: used only, n)"},
	{"switch", `static void *g; void f(void *p, int k) { switch (k) { case 1: g = p; break; default: g = 0; } }`,
		"f", "f(p: retained in static g, k)"},
}

func TestSummaries(t *testing.T) {
	for _, c := range summaryCases {
		t.Run(c.name, func(t *testing.T) {
			p := load(t, c.src, Settings{})
			if got := sum(t, p, c.fn); got != c.want {
				t.Errorf("%s\n got: %s\nwant: %s", c.src, got, c.want)
			}
		})
	}
}

// Threads: a thread that is not joined keeps its argument; a joined one
// does not (it ended before the call returned). An export reached from
// the start routine is called on a thread; one called directly is not.
func TestThreadsAndExports(t *testing.T) {
	p := load(t, `#include <pthread.h>
#include <stddef.h>
#include "_cgo_export.h"
static void *worker(void *a) { goCallback(a); return NULL; }
void start(void *p) { pthread_t t; pthread_create(&t, NULL, worker, p); }
void startJoin(void *p) { pthread_t t; pthread_create(&t, NULL, worker, p); pthread_join(t, NULL); }
void sync(void *p) { goCallback(p); }
static void *loner(void *a) { return a; }
void startQuiet(void *p) { pthread_t t; pthread_create(&t, NULL, loner, p); pthread_join(t, NULL); }
`, Settings{}, "goCallback")
	for fn, want := range map[string]string{
		"start":      "start(p: retained in the thread started by pthread_create running worker) calls goCallback on a thread",
		"startJoin":  "startJoin(p: used only) calls goCallback on a thread",
		"sync":       "sync(p: used only) calls goCallback",
		"startQuiet": "startQuiet(p: used only)",
	} {
		if got := sum(t, p, fn); got != want {
			t.Errorf("%s:\n got: %s\nwant: %s", fn, got, want)
		}
	}
	if got := p.Exports(); strings.Join(got, ",") != "goCallback" {
		t.Errorf("Exports() = %v", got)
	}
}
