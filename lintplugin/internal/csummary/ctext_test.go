package csummary

import (
	"slices"
	"testing"
)

func TestScanC(t *testing.T) {
	src := "#include <stdio.h>\n/* c */ #include \"a.h\" // x\n#define X(a) a ## b \\\n  y\nint f(void) { return \"#include <no.h>\"[0] + 'q'; }\n#include <b.h>\n#if defined(Y) && Z\n#include <c.h>\n#endif\n"
	f := scanC([]byte(src))
	var got []string
	for _, inc := range f.includes {
		got = append(got, src[inc.start:inc.end])
		if inc.name != src[inc.start+1:inc.end-1] {
			t.Errorf("include %q at %d:%d reads %q", inc.name, inc.start, inc.end, src[inc.start:inc.end])
		}
	}
	if want := []string{"<stdio.h>", `"a.h"`, "<b.h>", "<c.h>"}; !slices.Equal(got, want) {
		t.Errorf("includes = %q, want %q", got, want)
	}
	if adj := []bool{f.includes[0].adjacent, f.includes[1].adjacent, f.includes[2].adjacent, f.includes[3].adjacent}; !slices.Equal(adj, []bool{false, true, false, false}) {
		t.Errorf("adjacent = %v", adj)
	}
	if len(f.macros) != 1 || f.macros[0].name != "X" || !f.macros[0].paste || !slices.Contains(f.macros[0].body, "y") {
		t.Errorf("macros = %+v", f.macros)
	}
	for _, id := range []string{"f", "X", "Y", "Z", "y"} {
		if !f.idents[id] {
			t.Errorf("identifier %s not seen", id)
		}
	}
	for _, id := range []string{"no", "q", "c", "x"} {
		if f.idents[id] {
			t.Errorf("identifier %s seen in a literal or comment", id)
		}
	}
	if !slices.Equal(f.ifIdents, []string{"defined", "Y", "Z"}) {
		t.Errorf("ifIdents = %q", f.ifIdents)
	}
	if g := includeGuard([]byte("// c\n#ifndef G_H\n#define G_H\n#if A\n#endif\nint x;\n#endif\n")); g != "G_H" {
		t.Errorf("includeGuard = %q, want G_H", g)
	}
	if g := includeGuard([]byte("#ifndef G_H\n#define G_H\n#endif\nint x;\n")); g != "" {
		t.Errorf("includeGuard of a file with text after the guard = %q", g)
	}
	// Offsets survive line splices.
	src2 := "#define A 1 \\\n 2\n#include <d.h>\n"
	f2 := scanC([]byte(src2))
	if inc := f2.includes[0]; src2[inc.start:inc.end] != "<d.h>" {
		t.Errorf("after a splice: %q", src2[inc.start:inc.end])
	}
}

// definedNames agrees with definesText, name by name.
func TestDefinedNames(t *testing.T) {
	src := []byte("static int f(int a) { return a; }\nint g(void);\nvoid h (void (*cb)(int))\n{ }\n#define m(x) x\nint k(int) \\\n{}\n/* q(1) { */ int r[2] = {1};\nint f2(")
	got := definedNames(src)
	for _, name := range []string{"f", "g", "h", "m", "k", "q", "r", "f2", "int", "a", "cb"} {
		if got[name] != definesText(src, name) {
			t.Errorf("%s: definedNames says %v, definesText %v", name, got[name], definesText(src, name))
		}
	}
	if !got["f"] || !got["h"] || !got["k"] || got["g"] || got["r"] {
		t.Errorf("definedNames = %v", got)
	}
}
