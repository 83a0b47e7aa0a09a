package cgoptr_test

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/cgoguard/cgoguard/lintplugin/cgoptr"
)

// reached lists the toolchain's violations cgoptr flags. The conformance
// test fails when one of them, present in the installed toolchain's table,
// is no longer flagged: recall may only grow.
var reached = []string{
	"ptr1", "ptr2", "ptrfield", "sliceptr1", "sliceptr2", "var1",
	"barrier", "barrierstruct", "barrierslice", "barriergcprogarray", "barriergcprogarrayheap",
	"barriergcprogstruct", "barriergcprogstructheap", "export1", "passstringslice", "retstring",
	"defer1", "union1", "slicedata", "arraypointer2", "argmap", "retmap",
}

// ptrTest is one entry of the toolchain's ptrTests table
// ($GOROOT/src/cmd/cgo/internal/testerrors/ptr_test.go).
type ptrTest struct {
	name, c, c1, support, body string
	imports                    []string
	extra                      []extra
	fail, expensive            bool
}

type extra struct{ name, contents string }

// TestConformance materialises the toolchain's own pointer-passing cases
// as one package, the way its TestPointerChecks does, runs cgoptr over it,
// and compares the findings with each case's label: every case labelled
// fail must be flagged (recall, pinned in reached), and no other case may
// be (no false positive). Findings are attributed to a case by the lines
// its support code and function occupy.
func TestConformance(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the toolchain's pointer-passing cases with cgo")
	}
	if out, err := exec.Command("go", "env", "CGO_ENABLED").Output(); err != nil || strings.TrimSpace(string(out)) != "1" {
		t.Skip("cgo is not enabled: the cases cannot be built")
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	table := filepath.Join(strings.TrimSpace(string(goroot)), "src", "cmd", "cgo", "internal", "testerrors", "ptr_test.go")
	tests, err := parsePtrTests(table)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	spans, err := materialise(dir, tests)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &packages.Config{
		Mode: packages.LoadAllSyntax,
		Dir:  dir,
		Env:  append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "CGO_ENABLED=1"),
	}
	pkgs, err := packages.Load(cfg, ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pkgs {
		for _, e := range p.Errors {
			t.Fatalf("materialised cases do not build: %v", e)
		}
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{cgoptr.Analyzer}, pkgs, &checker.Options{})
	if err != nil {
		t.Fatal(err)
	}
	findings := make(map[string][]string) // case name -> messages
	for act := range graph.All() {
		if act.Err != nil {
			t.Fatalf("%s: %v", act, act.Err)
		}
		if act.Analyzer != cgoptr.Analyzer || !act.IsRoot {
			continue
		}
		for _, d := range act.Diagnostics {
			pos := act.Package.Fset.Position(d.Pos)
			name := spans.at(filepath.Base(pos.Filename), pos.Line)
			if name == "" {
				t.Errorf("finding outside every case: %s: %s", pos, d.Message)
				continue
			}
			findings[name] = append(findings[name], fmt.Sprintf("%d: %s", pos.Line, d.Message))
		}
	}

	var violations, legal, flagged []string
	var missed, falsePos []string
	for _, pt := range tests {
		got := findings[pt.name]
		if pt.fail {
			violations = append(violations, pt.name)
			if len(got) > 0 {
				flagged = append(flagged, pt.name)
			} else {
				missed = append(missed, pt.name)
			}
		} else {
			legal = append(legal, pt.name)
			if len(got) > 0 {
				falsePos = append(falsePos, pt.name)
			}
		}
		for _, f := range got {
			t.Logf("%s (fail=%v): %s", pt.name, pt.fail, f)
		}
	}
	t.Logf("conformance: flagged %d/%d violations, %d false positives on %d legal cases",
		len(flagged), len(violations), len(falsePos), len(legal))
	if len(missed) > 0 {
		t.Logf("missed: %s", strings.Join(missed, ", "))
	}
	for _, name := range falsePos {
		t.Errorf("false positive on legal case %s: %s", name, strings.Join(findings[name], "; "))
	}
	for _, name := range reached {
		if slices.Contains(missed, name) {
			t.Errorf("recall regressed: violation %s is no longer flagged", name)
		}
	}
}

// parsePtrTests reads the ptrTests table from the toolchain's test file
// with go/parser: the file is a test of another module's internal
// package, so it cannot be imported.
func parsePtrTests(path string) ([]ptrTest, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		return nil, err
	}
	var lit *ast.CompositeLit
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if ok && len(vs.Names) == 1 && vs.Names[0].Name == "ptrTests" && len(vs.Values) == 1 {
			lit, _ = vs.Values[0].(*ast.CompositeLit)
		}
		return lit == nil
	})
	if lit == nil {
		return nil, fmt.Errorf("%s: no ptrTests table", path)
	}
	var out []ptrTest
	for _, elt := range lit.Elts {
		cl, ok := elt.(*ast.CompositeLit)
		if !ok {
			return nil, fmt.Errorf("%s: unexpected entry %T", fset.Position(elt.Pos()), elt)
		}
		var pt ptrTest
		for _, e := range cl.Elts {
			kv, ok := e.(*ast.KeyValueExpr)
			if !ok {
				return nil, fmt.Errorf("%s: entry without field names", fset.Position(e.Pos()))
			}
			key := kv.Key.(*ast.Ident).Name
			var err error
			switch key {
			case "name":
				pt.name, err = str(kv.Value)
			case "c":
				pt.c, err = str(kv.Value)
			case "c1":
				pt.c1, err = str(kv.Value)
			case "support":
				pt.support, err = str(kv.Value)
			case "body":
				pt.body, err = str(kv.Value)
			case "imports":
				pt.imports, err = strs(kv.Value)
			case "fail":
				pt.fail, err = boolean(kv.Value)
			case "expensive":
				pt.expensive, err = boolean(kv.Value)
			case "extra":
				pt.extra, err = extras(kv.Value)
			default:
				// errTextRegexp (the runtime's message) and whatever a
				// later toolchain adds say nothing about static findings.
			}
			if err != nil {
				return nil, fmt.Errorf("%s: %v", fset.Position(kv.Pos()), err)
			}
		}
		if pt.name == "" || pt.body == "" {
			return nil, fmt.Errorf("%s: entry without name or body", fset.Position(cl.Pos()))
		}
		out = append(out, pt)
	}
	return out, nil
}

func str(e ast.Expr) (string, error) {
	bl, ok := e.(*ast.BasicLit)
	if !ok || bl.Kind != token.STRING {
		return "", fmt.Errorf("not a string literal")
	}
	return strconv.Unquote(bl.Value)
}

func strs(e ast.Expr) ([]string, error) {
	cl, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil, fmt.Errorf("not a []string literal")
	}
	var out []string
	for _, x := range cl.Elts {
		s, err := str(x)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func boolean(e ast.Expr) (bool, error) {
	id, ok := e.(*ast.Ident)
	if !ok || id.Name != "true" && id.Name != "false" {
		return false, fmt.Errorf("not a bool literal")
	}
	return id.Name == "true", nil
}

func extras(e ast.Expr) ([]extra, error) {
	cl, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil, fmt.Errorf("not an []extra literal")
	}
	var out []extra
	for _, x := range cl.Elts {
		xl, ok := x.(*ast.CompositeLit)
		if !ok {
			return nil, fmt.Errorf("not an extra literal")
		}
		var ex extra
		for i, f := range xl.Elts {
			key := []string{"name", "contents"}[min(i, 1)]
			if kv, ok := f.(*ast.KeyValueExpr); ok {
				key, f = kv.Key.(*ast.Ident).Name, kv.Value
			}
			s, err := str(f)
			if err != nil {
				return nil, err
			}
			if key == "name" {
				ex.name = s
			} else {
				ex.contents = s
			}
		}
		out = append(out, ex)
	}
	return out, nil
}

// spans maps the lines of the materialised files to the cases they hold.
type spans map[string][]span

type span struct {
	from, to int // lines, inclusive
	name     string
}

func (s spans) at(file string, line int) string {
	for _, sp := range s[file] {
		if sp.from <= line && line <= sp.to {
			return sp.name
		}
	}
	return ""
}

// materialise writes the cases as package main in dir, as the toolchain's
// buildPtrTests does: cgo1.go holds every C preamble but those of cases
// with //export functions (a file with //export may only declare C
// functions), which go to cgo2.go, with the c1 preambles in cgo1.go; then
// imports, then each case's support code and a function named after it
// holding its body, and the main that dispatches on os.Args.
func materialise(dir string, tests []ptrTest) (spans, error) {
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module ptrtest\ngo 1.20\n"), 0o666); err != nil {
		return nil, err
	}
	var cgo1, cgo2 bytes.Buffer
	isExport := func(pt ptrTest) bool { return strings.Contains(pt.support, "//export") }
	file := func(pt ptrTest) *bytes.Buffer {
		if isExport(pt) {
			return &cgo2
		}
		return &cgo1
	}
	fmt.Fprintf(&cgo1, "package main\n\n/*\n")
	fmt.Fprintf(&cgo2, "package main\n\n/*\n")
	for _, pt := range tests {
		fmt.Fprintf(file(pt), "%s\n", pt.c)
		fmt.Fprintf(&cgo1, "%s\n", pt.c1)
	}
	fmt.Fprintf(&cgo1, "*/\nimport \"C\"\n\n")
	fmt.Fprintf(&cgo2, "*/\nimport \"C\"\n\n")
	did1 := map[string]bool{"os": true}
	did2 := map[string]bool{}
	fmt.Fprintf(&cgo1, "import \"os\"\n")
	for _, pt := range tests {
		did := did1
		if isExport(pt) {
			did = did2
		}
		for _, imp := range pt.imports {
			if !did[imp] {
				did[imp] = true
				fmt.Fprintf(file(pt), "import %q\n", imp)
			}
		}
	}
	out := make(spans)
	for _, pt := range tests {
		b := file(pt)
		name := "cgo1.go"
		if b == &cgo2 {
			name = "cgo2.go"
		}
		from := bytes.Count(b.Bytes(), []byte("\n")) + 1
		fmt.Fprintf(b, "%s\nfunc %s() {\n%s\n}\n", pt.support, pt.name, pt.body)
		to := bytes.Count(b.Bytes(), []byte("\n"))
		out[name] = append(out[name], span{from, to, pt.name})
		for _, ex := range pt.extra {
			if err := os.WriteFile(filepath.Join(dir, ex.name), []byte(ex.contents), 0o666); err != nil {
				return nil, err
			}
			out[ex.name] = append(out[ex.name], span{1, 1 << 30, pt.name})
		}
	}
	fmt.Fprintf(&cgo1, "var funcs = map[string]func() {\n")
	for _, pt := range tests {
		fmt.Fprintf(&cgo1, "\t%q: %s,\n", pt.name, pt.name)
	}
	fmt.Fprintf(&cgo1, "}\n\n%s\n", ptrTestMain)
	if err := os.WriteFile(filepath.Join(dir, "cgo1.go"), cgo1.Bytes(), 0o666); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "cgo2.go"), cgo2.Bytes(), 0o666); err != nil {
		return nil, err
	}
	return out, nil
}

const ptrTestMain = `
func main() {
	for _, arg := range os.Args[1:] {
		f := funcs[arg]
		if f == nil {
			panic("missing func "+arg)
		}
		f()
	}
}
`
