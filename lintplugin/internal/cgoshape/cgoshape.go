// Package cgoshape recognises what cmd/cgo makes of a user's cgo code.
//
// Analyzers never see `C.f(x)`: golangci-lint, go vet and analysistest all
// hand them the cgo-processed ("cooked") files, where a call to C.f is a call
// to the generated Go function _Cfunc_f (often inside an immediately invoked
// closure that calls _cgoCheckPointer first), C.int is the type _Ctype_int,
// C.malloc is _CMalloc, and //export wrappers live in _cgo_gotypes.go.
// Positions map back to the user's file through //line directives. This
// package is the one place that knows those shapes.
package cgoshape

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// CFuncName reports the C name of a cgo-generated function: "f" for
// _Cfunc_f, "malloc" for _CMalloc / _Cfunc__CMalloc.
func CFuncName(fn *ssa.Function) (string, bool) {
	if fn == nil || fn.Parent() != nil {
		return "", false
	}
	return cName(fn.Name())
}

func cName(name string) (string, bool) {
	switch name {
	case "_CMalloc", "_Cfunc__CMalloc":
		return "malloc", true
	}
	if c, ok := strings.CutPrefix(name, "_Cfunc_"); ok && c != "" {
		return c, true
	}
	return "", false
}

// CCall reports the C function called by call, if it is a call to C.
func CCall(call *ssa.CallCommon) (string, bool) {
	if call == nil || call.IsInvoke() {
		return "", false
	}
	return CFuncName(call.StaticCallee())
}

// IsGenerated reports whether fn is code cmd/cgo wrote (the _Cfunc_ stubs,
// _cgoexp_ export wrappers, _cgoCheckPointer and friends) rather than the
// user, so analyzers should neither report in it nor summarise it.
func IsGenerated(fn *ssa.Function) bool {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	if fn.Synthetic != "" && fn.Object() == nil {
		return false // wrappers the SSA builder made for user code
	}
	name := fn.Name()
	return strings.HasPrefix(name, "_C") || strings.HasPrefix(name, "_cgo")
}

// IsCType reports whether t is a C type as cgo spells it (_Ctype_int,
// _Ctype_struct_foo, ...).
func IsCType(t types.Type) bool {
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return strings.HasPrefix(n.Obj().Name(), "_Ctype_")
	}
	return false
}

// CTypeName returns the user's spelling of a cgo type: "C.int" for _Ctype_int.
func CTypeName(name string) string {
	if c, ok := strings.CutPrefix(name, "_Ctype_"); ok {
		return "C." + c
	}
	return name
}

// TypeString prints t as the user wrote it: C types as C.x, package-local
// types unqualified.
func TypeString(t types.Type, pkg *types.Package) string {
	s := types.TypeString(t, types.RelativeTo(pkg))
	if !strings.Contains(s, "_Ctype_") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "_Ctype_")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString("C.")
		s = s[i+len("_Ctype_"):]
	}
}

// UsesCgo reports whether pkg imports runtime/cgo, as every cooked cgo
// package does.
func UsesCgo(pkg *types.Package) bool {
	for _, imp := range pkg.Imports() {
		if imp.Path() == "runtime/cgo" {
			return true
		}
	}
	return false
}

// Exports returns the functions marked //export in files, with the C name.
func Exports(files []*ast.File, info *types.Info) map[*types.Func]string {
	var out map[*types.Func]string
	for _, f := range files {
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Doc == nil || fd.Recv != nil {
				continue
			}
			for _, c := range fd.Doc.List {
				name, ok := strings.CutPrefix(c.Text, "//export ")
				if !ok {
					continue
				}
				if fn, ok := info.Defs[fd.Name].(*types.Func); ok {
					if out == nil {
						out = make(map[*types.Func]string)
					}
					out[fn] = strings.TrimSpace(name)
				}
			}
		}
	}
	return out
}

// InGeneratedFile reports whether pos lies in a file cmd/cgo generated
// outright (_cgo_gotypes.go), where no user code is.
func InGeneratedFile(fset *token.FileSet, pos token.Pos) bool {
	if !pos.IsValid() {
		return true
	}
	name := fset.File(pos).Name()
	return strings.HasSuffix(name, "_cgo_gotypes.go") || strings.HasSuffix(name, "_cgo_import.go")
}

// IsCVarAddr reports whether v is the address of a C global variable: cgo
// turns C.g into *_Cvar_g, where the package variable _Cvar_g holds the
// address of the C variable g.
func IsCVarAddr(v ssa.Value) bool {
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return false
	}
	g, ok := load.X.(*ssa.Global)
	return ok && strings.HasPrefix(g.Name(), "_Cvar_")
}
