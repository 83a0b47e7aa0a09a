package csummary

import (
	"errors"
	"fmt"
	"go/build"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// modes summarises in prelude mode and in full every function the Go side
// calls and every function a unit defines, and fails the test on any
// difference. It returns the package read in prelude mode.
func modes(t *testing.T, in Input) *Package {
	t.Helper()
	answers := map[bool]map[string]string{}
	var pre *Package
	for _, prelude := range []bool{true, false} {
		preludeEnabled = prelude
		p := newPackage(in)
		names := p.Uses()
		for _, u := range p.units {
			for n := range definedNames(u.text) {
				names = append(names, n)
			}
		}
		slices.Sort(names)
		answers[prelude] = map[string]string{}
		for _, n := range slices.Compact(names) {
			f, err := p.Func(n)
			answers[prelude][n] = fmt.Sprintf("%#v %v", f, err)
		}
		if prelude {
			pre = p
		}
	}
	preludeEnabled = true
	for n, a := range answers[true] {
		if b := answers[false][n]; a != b {
			t.Errorf("%s differs:\nprelude: %.600s\n   full: %.600s", n, a, b)
		}
	}
	return pre
}

// unitModes describes how each unit was read: "name: prelude" or
// "name: full (why)".
func unitModes(p *Package) map[string]string {
	out := map[string]string{}
	for _, u := range p.units {
		switch u.mode {
		case readPrelude:
			out[filepath.Base(u.name)] = "prelude"
		case readFull:
			out[filepath.Base(u.name)] = "full: " + u.full
		}
	}
	return out
}

func goFilesIn(dir string, names ...string) (out []string) {
	for _, n := range names {
		out = append(out, filepath.Join(dir, n))
	}
	return out
}

// The C a cgo package commonly writes, read through the index, gives the
// summaries the full translation gives: macros of the headers (errno,
// assert, stdin, va_start, offsetof, PTHREAD_MUTEX_INITIALIZER, INT64_C),
// a static inline function of a header (bswap_32), allocators declared with
// a malloc attribute (canonicalize_file_name under _GNU_SOURCE), threads
// and exports, -D and -pthread flags.
func TestPreludeMatchesFull(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "p.go", `package p

// #cgo CFLAGS: -pthread -DPKG_LEVEL=2
// #include <stdlib.h>
// #include <string.h>
// #include "p.h"
// static void *kept;
// static void keep(void *p) { kept = p; }
// static char *dupstr(const char *s) { return strdup(s); }
// static int level(void) { return PKG_LEVEL + (int)sizeof(struct pair); }
import "C"

import "unsafe"

func F(p unsafe.Pointer) { C.keep(p); C.dupstr(nil); C.level(); C.start(p); C.canon(nil); C.swap(1); C.logit(nil, 0) }

//export goDone
func goDone(p unsafe.Pointer) {}
`)
	write(t, dir, "p.h", `#ifndef P_H
#define P_H
#include <stdint.h>
#include <stddef.h>
struct pair { void *a; int64_t b; };
#define PAIR_OFF offsetof(struct pair, b)
#endif
`)
	write(t, dir, "c.c", `#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <errno.h>
#include <assert.h>
#include <pthread.h>
#include <byteswap.h>
#include <signal.h>
#include "_cgo_export.h"
#include "p.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static void *slot;

static void *worker(void *arg) { goDone(arg); return NULL; }

int start(void *p) {
	pthread_t t;
	assert(p != NULL);
	pthread_mutex_lock(&mu);
	slot = p;
	pthread_mutex_unlock(&mu);
	if (pthread_create(&t, NULL, worker, p) != 0) { return errno; }
	return 0;
}

char *canon(const char *path) {
	char *r = canonicalize_file_name(path);
	if (r == NULL && errno == ENOENT) { return NULL; }
	return r;
}

uint32_t swap(uint32_t x) { return bswap_32(x) + (uint32_t)INT64_C(1) + (uint32_t)PAIR_OFF; }

bool logit(const char *fmt, int n, ...) {
	va_list ap;
	va_start(ap, n);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stdout);
	return n > 0 && SIZE_MAX > 0;
}

void handler(int sig) { (void)sig; }
void install(void) { struct sigaction sa; sa.sa_handler = handler; sigaction(SIGINT, &sa, NULL); }
`)
	p := modes(t, Input{Dir: dir, GoFiles: goFilesIn(dir, "p.go"), OtherFiles: goFilesIn(dir, "c.c", "p.h")})
	for u, m := range unitModes(p) {
		if m != "prelude" {
			t.Errorf("%s read %s, want prelude", u, m)
		}
	}
	for name, want := range map[string]string{
		"keep":  "keep(p: retained in static kept)",
		"start": "start(p: retained in static slot) calls goDone on a thread may call Go: calls __errno_location, which has no summary",
		// fresh(free): glibc declares it with __attr_dealloc_free.
		"canon": "canon(path: unknown: passed to canonicalize_file_name: declared without a body; its malloc attribute says nothing about its parameters) fresh(free) may call Go: calls __errno_location, which has no summary",
	} {
		if got := sum(t, p, name); got != want {
			t.Errorf("%s:\n got: %s\nwant: %s", name, got, want)
		}
	}
}

// Declarations served from the index have the positions and types the
// headers give them.
func TestPreludeDeclarations(t *testing.T) {
	dir := t.TempDir()
	src := "#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include <pthread.h>\n#include <unistd.h>\n" +
		"void use(void) { FILE *f = fopen(\"x\", \"r\"); char *s = strdup(\"a\"); pthread_t t; (void)t; " +
		"fclose(f); free(s); write(1, \"\", 0); (void)getenv(\"A\"); (void)qsort; (void)pthread_join; }\n"
	write(t, dir, "c.c", src)
	in := Input{Dir: dir, OtherFiles: goFilesIn(dir, "c.c")}
	var decls [2]map[string]string
	for i, prelude := range []bool{true, false} {
		preludeEnabled = prelude
		p := newPackage(in)
		if _, err := p.Func("use"); err != nil {
			t.Fatal(err)
		}
		u := p.units[0]
		if want := map[bool]readMode{true: readPrelude, false: readFull}[prelude]; u.mode != want {
			t.Fatalf("prelude=%v: unit read in mode %d (%s)", prelude, u.mode, u.full)
		}
		decls[i] = map[string]string{}
		for name, ds := range u.decls {
			for _, d := range ds {
				for l := d.InitDeclaratorList; l != nil; l = l.InitDeclaratorList {
					if dr := l.InitDeclarator.Declarator; dr != nil && dr.Name() == name {
						decls[i][name] += fmt.Sprintf("%v %v %s;", d.Position(), dr.Position(), dr.Type())
					}
				}
			}
		}
	}
	preludeEnabled = true
	if len(decls[0]) == 0 {
		t.Fatal("no declarations in prelude mode")
	}
	for name, pre := range decls[0] {
		if full := decls[1][name]; pre != full {
			t.Errorf("%s:\nprelude: %s\n   full: %s", name, pre, full)
		}
	}
	for _, name := range []string{"fopen", "strdup", "write", "getenv", "qsort", "pthread_join", "FILE"} {
		if decls[0][name] == "" && name != "FILE" {
			t.Errorf("%s not declared in prelude mode", name)
		}
	}
}

// What the package does that could change what the headers declare sends
// the unit to the full translation, with the reason; what cannot, does not.
func TestPreludeFallbacks(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
		hdr             string // p.h
	}{
		{"macro defined under a false condition", "#ifdef NEVER_DEFINED\n#define double long\n#endif\n#include <stdlib.h>\nvoid f(void *p) { free(p); }\n", "prelude", ""},
		{"macro of a package header before a system header", "#include \"p.h\"\n#include <stdlib.h>\nvoid f(void *p) { free(p); }\n", "full: cgoguard prelude: _GNU_SOURCE is defined",
			"#define _GNU_SOURCE 1\n"},
		{"macro of a package header after the system headers", "#include <stdlib.h>\n#include \"p.h\"\nvoid f(void *p) { free(p); }\n", "prelude",
			"#define _GNU_SOURCE 1\n"},
		{"early define that headers test", "#define _GNU_SOURCE 1\n#include <stdlib.h>\nvoid f(void *p) { free(p); }\n", "prelude", ""},
		// A literal name is looked up as the compiler would, and the answer
		// written into the text.
		{"__has_include", "#if __has_include(<stdlib.h>) && !__has_include(\"surely-missing.h\")\n#include <stdlib.h>\n#endif\nvoid f(void *p) { free(p); }\n", "prelude", ""},
		{"__has_include of a macro", "#define H <stdlib.h>\n#if __has_include(H)\n#include <stdlib.h>\n#endif\nvoid f(void *p) { free(p); }\n", "full: the text uses #include_next, __has_include_next or __has_include of a macro", ""},
		{"#pragma push_macro", "#pragma push_macro(\"NULL\")\n#include <stdlib.h>\n#pragma pop_macro(\"NULL\")\nvoid f(void *p) { free(p); }\n", "full: the text uses #pragma push_macro", ""},
		// Read with assert enabled, p would be NULL after the assert and
		// not retained: the second <assert.h> is read after #define NDEBUG.
		{"header included again after NDEBUG", "#include <assert.h>\n#include <stddef.h>\nstatic void *g;\n#define NDEBUG\n#include <assert.h>\nvoid f(void *p) { assert(p == NULL); g = p; }\n", "prelude", ""},
		// The same through a package header without include guard: its
		// chunk is read again, which includes <assert.h> again under a new
		// name; NDEBUG is defined there, which the probe sends to full.
		{"chunk read again after NDEBUG", "#include \"p.h\"\n#include <stddef.h>\nstatic void *g;\n#define NDEBUG\n#include \"p.h\"\nvoid f(void *p) { assert(p == NULL); g = p; }\n", "full: it does not translate in prelude mode", "#include <assert.h>\n"},
		{"chunk read again", "#include \"p.h\"\n#include \"p.h\"\nstatic void *g;\nvoid f(void *p) { assert(p == NULL); g = p; }\n", "prelude", "#include <assert.h>\n#include <stdlib.h>\n"},
		// Packing applies to the declarations the chunk replays as to the
		// header's.
		{"#pragma pack", "#pragma pack(push, 1)\n#include <stdlib.h>\n#pragma pack(pop)\nvoid f(void *p) { free(p); }\n", "prelude", ""},
		{"paste in #if", "#define CAT(a, b) a##b\n#if CAT(SIZE, _MAX)\n#endif\n#include <stdint.h>\nvoid f(void *p) {}\n", "full: a #if line reaches macro CAT", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, "c.c", tc.src)
			other := []string{filepath.Join(dir, "c.c")}
			if tc.hdr != "" {
				write(t, dir, "p.h", tc.hdr)
				other = append(other, filepath.Join(dir, "p.h"))
			}
			p := modes(t, Input{Dir: dir, OtherFiles: other})
			if strings.Contains(tc.name, "NDEBUG") || tc.name == "chunk read again" {
				want := "f(p: retained in static g)"
				if tc.name == "chunk read again" {
					want = "f(p: used only)" // assert enabled: p is NULL after it
				}
				if got := sum(t, p, "f"); got != want {
					t.Errorf("f: %s, want %s", got, want)
				}
			}
			if got := unitModes(p)["c.c"]; !strings.HasPrefix(strings.ReplaceAll(got, "\n", " "), tc.want) && !strings.Contains(got, strings.TrimPrefix(tc.want, "full: ")) {
				t.Errorf("c.c read %q, want %q", got, tc.want)
			}
		})
	}
}

// A package include directory that holds a header a system header
// includes shadows the system's: the unit's entries are then read with the
// package's directories, as the compiler reads it (here <stdlib.h> reads
// the package's alloca.h, which defines SHADOW_KEEP).
func TestPreludeShadowedHeader(t *testing.T) {
	// Through a -I directory (the entries are the package's from the
	// start), and in the package's directory (a shared entry is found
	// shadowed, and the block read again with the package's directories).
	for _, tc := range []struct{ hdr, flags string }{{"inc/alloca.h", "// #cgo CFLAGS: -I${SRCDIR}/inc\n"}, {"alloca.h", ""}} {
		dir := t.TempDir()
		write(t, dir, tc.hdr, "#ifndef SHADOW_H\n#define SHADOW_H\nstatic void *shadow_slot;\n#define SHADOW_KEEP(p) (shadow_slot = (p))\n#endif\n")
		write(t, dir, "p.go", "package p\n\n"+tc.flags+"// #include <stdlib.h>\n// static void f(void *p) { SHADOW_KEEP(p); }\nimport \"C\"\n\nfunc F() { C.f(nil) }\n")
		p := modes(t, Input{Dir: dir, GoFiles: goFilesIn(dir, "p.go")})
		if got := unitModes(p)["p.go"]; got != "prelude" {
			t.Errorf("%s: p.go read %q, want prelude", tc.hdr, got)
		}
		if got := sum(t, p, "f"); got != "f(p: retained in static shadow_slot)" {
			t.Errorf("%s: f: %s", tc.hdr, got)
		}
	}
}

// A header that is not there gives the same parse error in both modes; a
// package header over the unit budget is over budget in both.
func TestPreludeMissingAndOverBudget(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "c.c", "#include <surely/not/a/header.h>\nvoid f(void *p) {}\n")
	write(t, dir, "d.c", "#include \"big.h\"\nvoid g(void *p) {}\n")
	write(t, dir, "big.h", strings.Repeat("/* padding padding padding */\n", maxUnitBytes/30+1))
	p := modes(t, Input{Dir: dir, OtherFiles: goFilesIn(dir, "c.c", "d.c", "big.h")})
	var ns *NoSummary
	if _, err := p.Func("f"); !errors.As(err, &ns) || ns.Reason != ParseError || !strings.Contains(ns.Detail, "surely/not/a/header.h") {
		t.Errorf("f: %v, want a parse error naming the header", err)
	}
	if _, err := p.Func("g"); !errors.As(err, &ns) || ns.Reason != OverBudget || !strings.Contains(ns.Detail, "maxUnitBytes") {
		t.Errorf("g: %v, want over budget (maxUnitBytes)", err)
	}
}

// The index persists: a new process loads what an earlier one built,
// and an entry whose files changed is built again.
func TestIndexPersists(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "c.c", "#include <stdio.h>\n#include <ctype.h>\nint f(FILE *p) { return isdigit(fgetc(p)); }\n")
	in := Input{Dir: dir, OtherFiles: goFilesIn(dir, "c.c")}
	run := func() (string, int) {
		sysIdx.mu.Lock()
		sysIdx.entries, sysIdx.stamps = nil, nil // a new process
		sysIdx.mu.Unlock()
		b := sysIdx.builds
		p := newPackage(in)
		got := sum(t, p, "f")
		if m := unitModes(p)["c.c"]; m != "prelude" {
			t.Fatalf("c.c read %s", m)
		}
		return got, sysIdx.builds - b
	}
	first, _ := run()
	again, builds := run()
	if builds != 0 || again != first {
		t.Errorf("second run: %d builds, %q (first %q); want none and the same", builds, again, first)
	}
	// Make every entry on disk look stale: they are built again.
	files, _ := filepath.Glob(filepath.Join(sysIdx.dir, "*.gob"))
	for _, f := range files {
		h := readEntryFile(t, f)
		if len(h.Files) > 0 {
			h.Files[0].ModTime++
			writeEntry(sysIdx.dir, f, h)
		}
	}
	stale, builds := run()
	if builds == 0 || stale != first {
		t.Errorf("stale entries: %d builds, %q; want them rebuilt and the same answer", builds, stale)
	}
}

func readEntryFile(t *testing.T, file string) *sysHeader {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	h, err := decodeEntry(data)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// Without a cache directory there is no index: units are read in full.
func TestNoIndexWithoutCacheDir(t *testing.T) {
	sysIdx.mu.Lock()
	saved := sysIdx.dir
	sysIdx.dir = ""
	sysIdx.mu.Unlock()
	defer func() { sysIdx.mu.Lock(); sysIdx.dir = saved; sysIdx.mu.Unlock() }()
	p := load(t, "#include <stdlib.h>\nvoid f(void *p) { free(p); }\n", Settings{})
	if got := sum(t, p, "f"); got != "f(p: freed by free)" {
		t.Errorf("f: %s", got)
	}
	if m := unitModes(p)["c.c"]; !strings.Contains(m, "no system header index") {
		t.Errorf("c.c read %q, want full for want of an index", m)
	}
}

// The standard library's cgo packages (and, unless -short, the cgo test
// package and go-sqlite3 when it is in the module cache, whose 680 KB
// header the index serves) summarise identically in both modes.
func TestPreludeMatchesFullGoroot(t *testing.T) {
	pkgs := []string{"os/user", "net"}
	if !testing.Short() {
		pkgs = append(pkgs, "cmd/cgo/internal/test", "go-sqlite3")
	}
	for _, pkg := range pkgs {
		t.Run(pkg, func(t *testing.T) {
			dir := filepath.Join(goRoot(t), "src", pkg)
			if pkg == "go-sqlite3" {
				out, err := exec.Command("go", "env", "GOMODCACHE").Output()
				if err != nil {
					t.Skip(err)
				}
				dir = filepath.Join(strings.TrimSpace(string(out)), "github.com/mattn/go-sqlite3@v1.14.53")
			}
			ctx := build.Default
			ctx.CgoEnabled = true
			bp, err := ctx.ImportDir(dir, 0)
			if err != nil {
				t.Skip(err)
			}
			in := Input{Dir: dir, GoFiles: goFilesIn(dir, append(bp.GoFiles, bp.CgoFiles...)...),
				OtherFiles: goFilesIn(dir, append(bp.CFiles, bp.HFiles...)...)}
			p := modes(t, in)
			// Every unit that translates at all translates in prelude mode.
			for _, u := range p.units {
				if u.mode == readFull && u.err == nil {
					t.Errorf("%s read in full: %s", filepath.Base(u.name), u.full)
				}
			}
		})
	}
}

// A large package header of declarations (a vendored library's API) is
// served from the index too, with the same summaries.
func TestPreludePackageHeader(t *testing.T) {
	dir := t.TempDir()
	var h strings.Builder
	h.WriteString("#ifndef LIB_H\n#define LIB_H\n#include <stddef.h>\n#include <stdint.h>\n")
	h.WriteString("typedef struct lib_obj lib_obj;\nlib_obj *lib_open(const char *name);\nvoid lib_close(lib_obj *o);\n")
	h.WriteString("void lib_release(void *p);\nvoid *lib_alloc(size_t n) __attribute__((malloc(lib_release, 1)));\n#define LIB_OK 0\n")
	for i := 0; h.Len() < minIndexedHeader+1024; i++ {
		fmt.Fprintf(&h, "/* lib_fn%d does something. */\nint lib_fn%d(lib_obj *o, int64_t x, const void *data, size_t n);\n", i, i)
	}
	h.WriteString("#endif\n")
	write(t, dir, "lib.h", h.String())
	write(t, dir, "p.go", `package p

// #include "lib.h"
// #include <stdlib.h>
// static void *grab(size_t n) { return lib_alloc(n); }
// static int call(lib_obj *o, void *d) { return lib_fn7(o, 1, d, 2) == LIB_OK; }
// static void drop(void *p) { lib_release(p); }
import "C"

func F() { C.grab(1); C.call(nil, nil); C.drop(nil) }
`)
	in := Input{Dir: dir, GoFiles: goFilesIn(dir, "p.go"), OtherFiles: goFilesIn(dir, "lib.h")}
	p := modes(t, in)
	if m := unitModes(p)["p.go"]; m != "prelude" {
		t.Errorf("p.go read %s, want prelude", m)
	}
	if !p.indexable[filepath.Join(dir, "lib.h")] {
		t.Errorf("lib.h was not served from the index")
	}
	for name, want := range map[string]string{
		"grab": "grab(n: unknown: passed to lib_alloc: declared without a body; its malloc attribute says nothing about its parameters) fresh(lib_release)",
		"drop": "drop(p: freed by lib_release)",
	} {
		if got := sum(t, p, name); got != want {
			t.Errorf("%s:\n got: %s\nwant: %s", name, got, want)
		}
	}
}

// A preamble's #defines before its includes (_GNU_SOURCE) are read after
// cgo's prolog (which includes <stddef.h>) and before the preamble's
// headers, as cgo compiles it: strchrnul is declared only under it.
func TestPreludeEarlyDefineInPreamble(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "p.go", "package p\n\n// #define _GNU_SOURCE\n// #include <string.h>\n// static char *end(char *s) { return strchrnul(s, 0); }\nimport \"C\"\n\nfunc F() { C.end(nil) }\n")
	p := modes(t, Input{Dir: dir, GoFiles: goFilesIn(dir, "p.go")})
	if m := unitModes(p)["p.go"]; m != "prelude" {
		t.Errorf("p.go read %s, want prelude", m)
	}
	if got := sum(t, p, "end"); !strings.HasPrefix(got, "end(s: unknown: passed to strchrnul") {
		t.Errorf("end: %s", got)
	}
}

// A package header that uses #pragma pack is not served from the index
// (replayed declarations would lose the packing).
func TestPreludePragmaPackHeader(t *testing.T) {
	dir := t.TempDir()
	var h strings.Builder
	h.WriteString("#pragma pack(push, 1)\nstruct rec { char c; void *p; };\n#pragma pack(pop)\n")
	for i := 0; h.Len() < minIndexedHeader+1024; i++ {
		fmt.Fprintf(&h, "int lib_fn%d(struct rec *r);\n", i)
	}
	write(t, dir, "lib.h", h.String())
	write(t, dir, "c.c", "#include \"lib.h\"\nstatic void *g;\nvoid keep(struct rec *r) { g = r->p; }\n")
	p := modes(t, Input{Dir: dir, OtherFiles: goFilesIn(dir, "c.c", "lib.h")})
	if m := unitModes(p)["c.c"]; !strings.Contains(m, "#pragma pack") {
		t.Errorf("c.c read %q, want full because lib.h packs", m)
	}
}

// An entry records the directories searched: a file added to one of them
// (here the package's, which holds a served header) makes it stale.
func TestIndexNoticesNewFiles(t *testing.T) {
	dir := t.TempDir()
	var h strings.Builder
	for i := 0; h.Len() < minIndexedHeader+1024; i++ {
		fmt.Fprintf(&h, "int lib_fn%d(void *p);\n", i)
	}
	write(t, dir, "inc/lib.h", h.String())
	write(t, dir, "p.go", "package p\n\n// #cgo CFLAGS: -I${SRCDIR}/inc\n// #include <lib.h>\n// static int f(void *p) { return lib_fn3(p); }\nimport \"C\"\n\nfunc F() { C.f(nil) }\n")
	in := Input{Dir: dir, GoFiles: goFilesIn(dir, "p.go")}
	run := func() int {
		sysIdx.mu.Lock()
		sysIdx.entries, sysIdx.stamps = nil, nil // a new process
		sysIdx.mu.Unlock()
		b := sysIdx.builds
		p := newPackage(in)
		sum(t, p, "f")
		if m := unitModes(p)["p.go"]; m != "prelude" {
			t.Fatalf("p.go read %s", m)
		}
		return sysIdx.builds - b
	}
	run()
	if n := run(); n != 0 {
		t.Fatalf("second run built %d entries", n)
	}
	write(t, dir, "inc/stdlib.h", "/* would shadow <stdlib.h> */\n")
	if n := run(); n == 0 {
		t.Errorf("a file added to a searched directory did not invalidate the entries")
	}
}

// After a #line, "..." is looked up beside the file it names, as cc does;
// the text scan follows it.
func TestPreludeLineDirective(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "h.h", "static void *g;\nstatic void pick(void *p) { g = p; }\n")
	write(t, dir, "other/h.h", "static void pick(void *p) { (void)p; }\n")
	write(t, dir, "c.c", "#include <stdlib.h>\n#line 1 \""+filepath.Join(dir, "other", "c.c")+"\"\n#include \"h.h\"\nvoid f(void *p) { pick(p); free(p); }\n")
	p := modes(t, Input{Dir: dir, OtherFiles: goFilesIn(dir, "c.c", "h.h")})
	if m := unitModes(p)["c.c"]; m != "prelude" {
		t.Errorf("c.c read %s, want prelude", m)
	}
	if got := sum(t, p, "f"); got != "f(p: freed by free)" {
		t.Errorf("f: %s (other/h.h's pick keeps nothing)", got)
	}
}

// Entries no process used for maxEntryAge are removed when a process next
// builds one; used ones are kept.
func TestIndexTrim(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-maxEntryAge - time.Hour)
	for _, n := range []string{"stale.gob", "entry-123", "fresh.gob"} {
		write(t, dir, n, "x")
	}
	for _, n := range []string{"stale.gob", "entry-123"} {
		if err := os.Chtimes(filepath.Join(dir, n), old, old); err != nil {
			t.Fatal(err)
		}
	}
	trimIndex(dir)
	for n, want := range map[string]bool{"stale.gob": false, "entry-123": false, "fresh.gob": true, "trimmed": true} {
		if _, err := os.Stat(filepath.Join(dir, n)); (err == nil) != want {
			t.Errorf("%s exists = %v, want %v", n, err == nil, want)
		}
	}
}

func TestSetIndexDir(t *testing.T) {
	sysIdx.mu.Lock()
	saved := sysIdx.dir
	sysIdx.mu.Unlock()
	t.Cleanup(func() {
		if err := SetIndexDir(saved); err != nil {
			t.Error(err)
		}
	})
	if err := SetIndexDir("relative/dir"); err == nil || !strings.Contains(err.Error(), "absolute path") {
		t.Errorf("SetIndexDir(relative) = %v, want an error asking for an absolute path", err)
	}
	dir := filepath.Join(t.TempDir(), "index")
	if err := SetIndexDir(dir); err != nil {
		t.Fatal(err)
	}
	p := load(t, "#include <stdlib.h>\nvoid f(void *p) { free(p); }\n", Settings{})
	if got := sum(t, p, "f"); got != "f(p: freed by free)" || unitModes(p)["c.c"] != "prelude" {
		t.Errorf("f: %s, read %s", got, unitModes(p)["c.c"])
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*.gob")); len(files) == 0 {
		t.Errorf("no entry written in %s", dir)
	}
}

// A header that pastes tokens may test a name formed from identifiers of
// its text (glibc's __GLIBC_USE (LIB_EXT2) is __GLIBC_USE_LIB_EXT2); a
// package include guard such as _FTS5_H is not formable so.
func TestHeaderMentions(t *testing.T) {
	h := &sysHeader{Idents: strings.Join([]string{"LIB_EXT2", "X", "__GLIBC_USE", "__GLIBC_USE_", "stdin"}, "\n")}
	h.derive()
	for name, want := range map[string]bool{"stdin": true, "__GLIBC_USE_LIB_EXT2": false, "_FTS5_H": false} {
		if got := h.mentions(name); got != want {
			t.Errorf("without pasting: mentions(%s) = %v, want %v", name, got, want)
		}
	}
	h.Pastes = true
	for name, want := range map[string]bool{"stdin": true, "__GLIBC_USE_LIB_EXT2": true, "__GLIBC_USE_X2": true, "_FTS5_H": false, "FOO_H": false} {
		if got := h.mentions(name); got != want {
			t.Errorf("with pasting: mentions(%s) = %v, want %v", name, got, want)
		}
	}
}

// A library's header found through a -I directory outside the package
// (pkg-config's) is served from the index by path, with its static inline
// functions; one that uses __INCLUDE_LEVEL__ only where the unit includes
// it from its own text, at the level the index read it. (cc does not
// define __INCLUDE_LEVEL__, so #if sees 0 in both modes; the check guards
// against a front end that does.)
func TestPreludeLibraryHeaders(t *testing.T) {
	root := t.TempDir()
	write(t, root, "lib/include/mylib.h", `#ifndef MYLIB_H
#define MYLIB_H
#include <stdlib.h>
typedef struct my_obj my_obj;
static void *my_last;
static inline void my_keep(void *p) { my_last = p; }
static inline void my_drop(void *p) { free(p); }
#define MY_KEEP(p) my_keep(p)
#endif
`)
	write(t, root, "lib/include/leveled.h", "#if __INCLUDE_LEVEL__ == 1\nstatic void *at_top;\n#define LEVEL_KEEP(p) (at_top = (p))\n#else\n#define LEVEL_KEEP(p) ((void)(p))\n#endif\n")
	dir := filepath.Join(root, "pkg")
	write(t, dir, "p.go", `package p

// #cgo CFLAGS: -I${SRCDIR}/../lib/include
// #include <mylib.h>
// static void hold(void *p) { MY_KEEP(p); }
// static void drop(void *p) { my_drop(p); }
import "C"

func F() { C.hold(nil); C.drop(nil) }
`)
	write(t, dir, "top.c", "#include <leveled.h>\nvoid top(void *p) { LEVEL_KEEP(p); }\n")
	write(t, dir, "inner.h", "#include <leveled.h>\n")
	// A library header that tests a macro a package header defines is read
	// as package text (the index could not know the macro's value).
	write(t, root, "lib/include/cfg.h", "#include <stdlib.h>\n#ifdef LIB_WANT_KEEP\nstatic void *cfg_slot;\n#define CFG_USE(p) (cfg_slot = (p))\n#else\n#define CFG_USE(p) free(p)\n#endif\n")
	write(t, dir, "opts.h", "#define LIB_WANT_KEEP 1\n")
	write(t, dir, "cfg.c", "#include \"opts.h\"\n#include <cfg.h>\nvoid use(void *p) { CFG_USE(p); }\n")
	write(t, dir, "nested.c", "#include \"inner.h\"\nvoid nested(void *p) { LEVEL_KEEP(p); }\n")
	p := modes(t, Input{Dir: dir, GoFiles: goFilesIn(dir, "p.go"), OtherFiles: goFilesIn(dir, "top.c", "nested.c", "inner.h", "cfg.c", "opts.h")})
	modes := unitModes(p)
	for u, want := range map[string]string{"p.go": "prelude", "top.c": "prelude", "nested.c": "full: <", "cfg.c": "prelude"} {
		if !strings.HasPrefix(modes[u], want) {
			t.Errorf("%s read %q, want %q", u, modes[u], want)
		}
	}
	if !strings.Contains(modes["nested.c"], "__INCLUDE_LEVEL__") {
		t.Errorf("nested.c read %q, want full because of __INCLUDE_LEVEL__", modes["nested.c"])
	}
	for name, want := range map[string]string{
		"hold":   "hold(p: retained in static my_last, kept by my_keep)",
		"drop":   "drop(p: freed by my_drop)",
		"top":    "top(p: used only)",
		"nested": "nested(p: used only)",
		"use":    "use(p: retained in static cfg_slot)",
	} {
		if got := sum(t, p, name); got != want {
			t.Errorf("%s:\n got: %s\nwant: %s", name, got, want)
		}
	}
}

// A header that expands __COUNTER__ is served when the package's text does
// not expand it (the counts in its declarations are then the unit's), and
// read in full otherwise.
func TestPreludeCounter(t *testing.T) {
	root := t.TempDir()
	write(t, root, "lib/include/cnt.h", "#ifndef CNT_H\n#define CNT_H\n#include <stdlib.h>\n#define CNT_CAT2(a, b) a##b\n#define CNT_CAT(a, b) CNT_CAT2(a, b)\n#define CNT_ASSERT(e) typedef char CNT_CAT(cnt_assert_, __COUNTER__)[(e) ? 1 : -1]\nCNT_ASSERT(sizeof(int) == 4);\nCNT_ASSERT(sizeof(char) == 1);\nstatic void *cnt_slot;\n#endif\n")
	dir := filepath.Join(root, "pkg")
	for _, tc := range []struct{ name, src, want string }{
		{"header only", "#include <cnt.h>\nvoid f(void *p) { cnt_slot = p; }\n", "prelude"},
		{"package expands it", "#include <cnt.h>\ntypedef int own_counter_type[__COUNTER__ + 1];\nvoid f(void *p) { cnt_slot = p; }\n", "full: <"},
		{"package uses the header's macro", "#include <cnt.h>\nCNT_ASSERT(1);\nvoid f(void *p) { cnt_slot = p; }\n", "full: the package's text may expand CNT_ASSERT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			write(t, dir, "c.c", tc.src)
			write(t, dir, "p.go", "package p\n\n// #cgo CFLAGS: -I${SRCDIR}/../lib/include\nimport \"C\"\n")
			p := modes(t, Input{Dir: dir, GoFiles: goFilesIn(dir, "p.go"), OtherFiles: goFilesIn(dir, "c.c")})
			if got := unitModes(p)["c.c"]; !strings.HasPrefix(got, tc.want) {
				t.Errorf("c.c read %q, want %q", got, tc.want)
			}
			if got := sum(t, p, "f"); got != "f(p: retained in static cnt_slot)" {
				t.Errorf("f: %s", got)
			}
		})
	}
}
