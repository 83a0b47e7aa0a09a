package rawsrc

import (
	"go/parser"
	"go/token"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

func parse(t *testing.T, src string) *File {
	t.Helper()
	fset := token.NewFileSet()
	af, err := parser.ParseFile(fset, "x.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	return &File{AST: af, Tok: fset.File(af.FileStart), Src: []byte(src)}
}

func apply(f *File, edits []analysis.TextEdit) string {
	slices.SortFunc(edits, func(a, b analysis.TextEdit) int { return int(b.Pos - a.Pos) })
	out := string(f.Src)
	for _, e := range edits {
		start, end := f.Tok.Offset(e.Pos), f.Tok.Offset(e.End)
		out = out[:start] + string(e.NewText) + out[end:]
	}
	return out
}

func TestImportName(t *testing.T) {
	for _, tc := range []struct{ src, name, want string }{
		{"package p\n\nimport \"runtime\"\n", "runtime", "package p\n\nimport \"runtime\"\n"},
		{"package p\n\nimport rt \"runtime\"\n", "rt", "package p\n\nimport rt \"runtime\"\n"},
		{"package p\n\nimport \"unsafe\"\n", "runtime", "package p\n\nimport (\n\t\"runtime\"\n\t\"unsafe\"\n)\n"},
		{"package p\n\nimport \"os\"\n", "runtime", "package p\n\nimport (\n\t\"os\"\n\t\"runtime\"\n)\n"},
		{"package p\n\nimport (\n\t\"unsafe\"\n)\n", "runtime", "package p\n\nimport (\n\t\"runtime\"\n\t\"unsafe\"\n)\n"},
		{"package p\n\n// #include <x.h>\nimport \"C\"\n", "runtime", "package p\n\n// #include <x.h>\nimport \"C\"\n\nimport \"runtime\"\n"},
		{"package p\n", "runtime", "package p\n\nimport \"runtime\"\n"},
		{"package p\n\nimport _ \"runtime\"\n", "runtime", "package p\n\nimport (\n\t\"runtime\"\n\t_ \"runtime\"\n)\n"},
	} {
		f := parse(t, tc.src)
		name, edits := f.ImportName("runtime")
		if got := apply(f, edits); name != tc.name || got != tc.want {
			t.Errorf("ImportName on %q = %q, %q; want %q, %q", tc.src, name, got, tc.name, tc.want)
		}
	}
}

func TestDropImportIfUnused(t *testing.T) {
	src := "package p\n\nimport (\n\t\"reflect\"\n\t\"unsafe\"\n)\n\nvar _ = reflect.TypeOf(0)\nvar _ unsafe.Pointer\n"
	f := parse(t, src)
	use := strings.Index(src, "reflect.TypeOf")
	if got := f.DropImportIfUnused("reflect", "reflect", nil); got != nil {
		t.Errorf("reflect is used, but DropImportIfUnused = %v", got)
	}
	replaced := []analysis.TextEdit{{Pos: f.Tok.Pos(use), End: f.Tok.Pos(use + len("reflect.TypeOf(0)")), NewText: []byte("0")}}
	drop := f.DropImportIfUnused("reflect", "reflect", replaced)
	want := "package p\n\nimport (\n\t\"unsafe\"\n)\n\nvar _ = 0\nvar _ unsafe.Pointer\n"
	if got := apply(f, append(drop, replaced...)); got != want {
		t.Errorf("after dropping reflect:\n%s\nwant:\n%s", got, want)
	}
}

func TestAfterLine(t *testing.T) {
	src := "package p\n\nfunc f() {\n\tg() // note\n\tg(); g()\n}\n\nfunc g() {}\n"
	f := parse(t, src)
	first := strings.Index(src, "g() // note") + len("g()")
	if got, want := f.Tok.Offset(f.AfterLine(f.Tok.Pos(first))), strings.Index(src, "// note")+len("// note"); got != want {
		t.Errorf("AfterLine before a comment = %d, want %d (end of line)", got, want)
	}
	second := strings.Index(src, "g(); g()") + len("g()")
	if got := f.Tok.Offset(f.AfterLine(f.Tok.Pos(second))); got != second {
		t.Errorf("AfterLine before more code = %d, want %d (the statement's end)", got, second)
	}
}
