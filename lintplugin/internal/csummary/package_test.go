package csummary

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// A file that does not parse gives no summary, no panic, and a reason.
func TestParseError(t *testing.T) {
	p := load(t, `void f(void *p) { this is not C; }`, Settings{})
	_, err := p.Func("f")
	var ns *NoSummary
	if !errors.As(err, &ns) || ns.Reason != ParseError || !strings.Contains(ns.Detail, "c.c") {
		t.Fatalf("Func(f) error = %v, want a ParseError naming c.c", err)
	}
}

// A file over the budget is not parsed; the reason says so.
func TestOverBudget(t *testing.T) {
	src := "void big(void *p) {}\n" + strings.Repeat("/* padding */\n", MaxFileBytes/14+1)
	p := load(t, src, Settings{})
	_, err := p.Func("big")
	var ns *NoSummary
	if !errors.As(err, &ns) || ns.Reason != OverBudget || !strings.Contains(ns.Detail, "MaxFileBytes") {
		t.Fatalf("Func(big) error = %v, want OverBudget", err)
	}
	// Functions defined elsewhere are still answered.
	if f, err := p.Func("free"); err != nil || f.Origin != FromLibc {
		t.Errorf("Func(free) = %v, %v; want the libc entry", f, err)
	}
}

func TestNotFound(t *testing.T) {
	p := load(t, `void f(void) {}`, Settings{})
	_, err := p.Func("nosuch")
	var ns *NoSummary
	if !errors.As(err, &ns) || ns.Reason != NotFound {
		t.Fatalf("Func(nosuch) error = %v, want NotFound", err)
	}
}

func TestLibcTable(t *testing.T) {
	p := load(t, `void f(void) {}`, Settings{})
	for name, want := range map[string]string{
		"free":           "free(#1: freed by free)",
		"malloc":         "malloc(#1) fresh(free)",
		"strdup":         "strdup(#1: used only) fresh(free)",
		"realloc":        "realloc(#1: freed by realloc, #2) fresh(free)",
		"memcpy":         "memcpy(#1: used only (returned), #2: used only, #3)",
		"qsort":          "qsort(#1: used only, #2, #3, #4: used only)",
		"pthread_create": "pthread_create(#1: used only, #2: used only, #3: retained in the thread started by pthread_create, #4: retained in the thread started by pthread_create)",
		"atexit":         "atexit(#1: retained in the atexit handler list)",
		"putenv":         "putenv(#1: retained in the environment (putenv keeps the string itself))",
		"setvbuf":        "setvbuf(#1: used only, #2: retained in the stream's buffer (setvbuf keeps it until the stream is closed), #3, #4)",
		"printf":         "printf(#1: used only)",
	} {
		if got := sum(t, p, name); got != want {
			t.Errorf("%s:\n got: %s\nwant: %s", name, got, want)
		}
	}
}

// GCC's malloc(dealloc, N) attribute on a library's declarations.
func TestMallocAttribute(t *testing.T) {
	p := load(t, `
void obj_free(int flags, void *o);
void *obj_new(int n) __attribute__((malloc(obj_free, 2)));
void *obj_dup(void *o) __attribute__((__malloc__, __malloc__(obj_free, 2)));
static void *g;
void *make(void) { return obj_new(1); }
void drop(void *o) { obj_free(0, o); }
`, Settings{})
	for name, want := range map[string]string{
		"obj_new":  "obj_new(n: unknown: declared without a body; its malloc attribute says nothing about its parameters) fresh(obj_free)",
		"obj_free": "obj_free(flags: unknown: declared without a body; its malloc attribute says nothing about its parameters, o: freed by obj_free)",
		"make":     "make() fresh(obj_free)",
		"drop":     "drop(o: freed by obj_free)",
	} {
		if got := sum(t, p, name); got != want {
			t.Errorf("%s:\n got: %s\nwant: %s", name, got, want)
		}
	}
	if f, _ := p.Func("make"); f.Result.DeallocParam != 2 {
		t.Errorf("make: DeallocParam = %d, want 2", f.Result.DeallocParam)
	}
}

func TestParseFuncParams(t *testing.T) {
	got, err := ParseFuncParams("retain-functions", []string{"sqlite3_bind_blob/5", " cb_register/2 "})
	if err != nil || len(got) != 2 || got[0] != (FuncParam{"sqlite3_bind_blob", 5}) || got[1] != (FuncParam{"cb_register", 2}) {
		t.Fatalf("ParseFuncParams = %v, %v", got, err)
	}
	for _, bad := range []string{"sqlite3_bind_blob", "f/0", "f/x", "1f/2", "/2", "f/2/3"} {
		_, err := ParseFuncParams("free-functions", []string{"ok/1", bad})
		if err == nil {
			t.Errorf("ParseFuncParams(%q) succeeded", bad)
			continue
		}
		for _, want := range []string{"free-functions", `"` + bad + `"`, "NAME/N"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("ParseFuncParams(%q) error %q does not mention %s", bad, err, want)
			}
		}
	}
}

// Settings describe library functions the analysis cannot read, and
// callers see them.
func TestSettings(t *testing.T) {
	s := Settings{RetainFunctions: []FuncParam{{"lib_bind", 2}}, FreeFunctions: []FuncParam{{"lib_release", 1}}}
	p := load(t, `
void lib_bind(void *stmt, void *data);
void lib_release(void *data);
void bind(void *st, void *d) { lib_bind(st, d); }
void release(void *d) { lib_release(d); }
`, s)
	for name, want := range map[string]string{
		"lib_bind": "lib_bind(#1: unknown: not named in the settings (contents unknown: not named in the settings), #2: retained in lib_bind, which keeps argument 2 (retain-functions setting) (contents unknown: not named in the settings)) fresh?(lib_bind has no body the analysis read) may call Go: lib_bind has no body the analysis read",
		"bind":     "bind(st: unknown: passed to lib_bind: not named in the settings (contents unknown: passed to lib_bind: not named in the settings), d: retained in lib_bind, which keeps argument 2 (retain-functions setting) (contents unknown: passed to lib_bind: not named in the settings)) may call Go: lib_bind has no body the analysis read (through lib_bind)",
		"release":  "release(d: freed by lib_release (contents unknown: passed to lib_release: not named in the settings)) may call Go: lib_release has no body the analysis read (through lib_release)",
	} {
		if got := sum(t, p, name); got != want {
			t.Errorf("%s:\n got: %s\nwant: %s", name, got, want)
		}
	}
}

// Preambles are translation units of their own, with the package's #cgo
// flags; a .c file includes the synthesised _cgo_export.h.
func TestPreambleAndFlags(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "inc/lib.h", "")
	write(t, dir, "a.go", `package p

// #cgo CFLAGS: -I${SRCDIR}/inc -DKEEP=1 -UNOPE
// #cgo windows CFLAGS: -DKEEP=0
// #cgo pkg-config: surely-not-a-package-name
// #include "lib.h"
// static void *g;
// static void hold(void *p) {
// #if KEEP
//	g = p;
// #endif
// }
import "C"

func F() { C.hold(nil) }

//export goDone
func goDone(p unsafe.Pointer, n C.int) C.int { return 0 }
`)
	write(t, dir, "b.c", `#include "_cgo_export.h"
int done(void *p) { return goDone(p, 1); }
`)
	p := Load(Input{Dir: dir, GoFiles: []string{filepath.Join(dir, "a.go")}, OtherFiles: []string{filepath.Join(dir, "b.c")}})
	if got, want := sum(t, p, "hold"), "hold(p: retained in static g)"; got != want {
		t.Errorf("hold:\n got: %s\nwant: %s", got, want)
	}
	if got, want := sum(t, p, "done"), "done(p: used only) calls goDone"; got != want {
		t.Errorf("done:\n got: %s\nwant: %s", got, want)
	}
	if got := strings.Join(p.Uses(), ","); got != "hold" {
		t.Errorf("Uses() = %s", got)
	}
	notes := strings.Join(p.Notes(), "\n")
	if !strings.Contains(notes, "surely-not-a-package-name: ignored") {
		t.Errorf("Notes() = %q, want the pkg-config line reported", notes)
	}
}

// Load never panics and caches per package.
func TestLoadCaches(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a.go", "package p\n\n// static int f(void *p) { return p != 0; }\nimport \"C\"\n")
	in := Input{Dir: dir, GoFiles: []string{filepath.Join(dir, "a.go"), filepath.Join(dir, "missing.go")}}
	p1, p2 := Load(in), Load(in)
	if p1 != p2 {
		t.Error("Load did not cache the package")
	}
	if got := sum(t, p1, "f"); got != "f(p: used only)" {
		t.Errorf("f: %s", got)
	}
	if notes := strings.Join(p1.Notes(), "\n"); !strings.Contains(notes, "missing.go: not read") {
		t.Errorf("Notes() = %q", notes)
	}
}
