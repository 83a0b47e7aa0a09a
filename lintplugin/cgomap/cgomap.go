// Package cgomap defines an Analyzer that reports Go maps reaching C.
package cgomap

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/api"
	"github.com/cgoguard/cgoguard/lintplugin/internal/bridge"
	"github.com/cgoguard/cgoguard/lintplugin/internal/cgoshape"
	"github.com/cgoguard/cgoguard/lintplugin/internal/engine"
	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
	"github.com/cgoguard/cgoguard/lintplugin/internal/report"
)

const Doc = `report Go maps that reach C

A Go map is a pointer to a header the runtime owns; its buckets move when
the map grows and are freed by the garbage collector. When a map, a pointer
to one, or a value that holds one crosses into C (as an argument, through
wrapper functions, in an //export signature or result, or stored into C
memory), C holds memory Go may move or free. Reinterpreting a map header as
another type depends on runtime internals. Copy the entries into C memory,
or pass a cgo.Handle.`

var Analyzer = New(engine.Default)

// New returns the check running on the engine analyzer eng (see
// engine.New).
func New(eng *analysis.Analyzer) *analysis.Analyzer { return engine.Check(eng, "cgomap", Doc, run) }

const fix = "copy the entries into C memory or pass a cgo.Handle"

func run(pass *analysis.Pass, e *engine.Result) (any, error) {
	res := e.Bridge
	r := report.New(pass, "cgomap", e.Config)
	checkExportSignatures(pass, r)
	if res == nil || res.Pkg == nil {
		return nil, nil
	}
	for _, fn := range res.SrcFuncs {
		for _, c := range res.Crossings(fn) {
			checkCrossing(pass, r, res, c)
		}
	}
	for _, fn := range res.SrcFuncs {
		for _, b := range fn.Blocks {
			for _, ins := range b.Instrs {
				if conv, ok := ins.(*ssa.Convert); ok {
					checkReinterpret(pass, r, conv)
				}
			}
		}
	}
	return nil, nil
}

// checkExportSignatures reports maps in the parameters and results of
// //export functions: C can only hold them as opaque pointers into memory
// the Go runtime manages.
func checkExportSignatures(pass *analysis.Pass, r *report.Reporter) {
	exports := cgoshape.Exports(pass.Files, pass.TypesInfo)
	if len(exports) == 0 {
		return
	}
	for _, f := range pass.Files {
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok {
				continue
			}
			obj, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func)
			name, ok := exports[obj]
			if !ok {
				continue
			}
			check := func(list *ast.FieldList, what string) {
				if list == nil {
					return
				}
				for _, field := range list.List {
					t := pass.TypesInfo.TypeOf(field.Type)
					path, ok := mapPath(t)
					if !ok {
						continue
					}
					label := what
					if len(field.Names) > 0 {
						label += " " + field.Names[0].Name
					}
					r.Reportf(field.Pos(), "%s of exported %s has type %s, which %s: C cannot keep a Go map, "+
						"the runtime moves and frees its memory; pass C data or a cgo.Handle (C.uintptr_t) instead",
						label, name, cgoshape.TypeString(t, pass.Pkg), path)
				}
			}
			check(fd.Type.Params, "parameter")
			check(fd.Type.Results, "result")
		}
	}
}

func checkCrossing(pass *analysis.Pass, r *report.Reporter, res *bridge.Result, c bridge.Crossing) {
	if ret, ok := c.Instr.(*ssa.Return); ok && declaredResultHasMap(ret.Parent()) {
		return // reported at the signature
	}
	if c.ParamType != nil {
		if _, ok := mapPath(c.ParamType); ok {
			return // the wrapper's own parameter type holds a map: reported inside it
		}
	}
	how := describeSink(c)
	if c.Elems {
		if s, ok := c.Value.Type().Underlying().(*types.Slice); ok {
			if path, ok := mapPath(s.Elem()); ok {
				r.ReportPathf(c.Pos, r.Explain.Origins(c.Value), "elements of %s (each of type %s, which %s) %s: "+
					"the runtime moves and frees a map's memory while C holds it; %s",
					expr(c.Value), cgoshape.TypeString(s.Elem(), pass.Pkg), path, how, fix)
			}
		}
		return
	}
	if bridge.IsAggregate(c.Value.Type()) && c.Mode == bridge.ByValue {
		// A C struct passed by value: what its fields hold crosses.
		for _, h := range res.Inside(c.Value) {
			inner := c
			inner.Value = h.Value
			checkCrossing(pass, r, res, inner)
		}
		return
	}
	for _, root := range flow.Roots(c.Value) {
		if path, ok := mapPath(root.Type()); ok {
			r.ReportPathf(c.Pos, r.Explain.Origins(c.Value), "%s (%s, which %s) %s: the runtime moves and frees a map's memory while C holds it; %s",
				expr(root), cgoshape.TypeString(root.Type(), pass.Pkg), path, how, fix)
			return
		}
		if c.Mode != bridge.ByValue || !opaqueCell(root) {
			continue
		}
		// The address of a variable that holds an untyped pointer: C
		// reads the pointer and can follow it.
		contents, _ := flow.Contents(root, c.Instr)
		for _, v := range contents {
			if path, ok := mapPath(v.Type()); ok {
				r.ReportPathf(c.Pos, r.Explain.Origins(c.Value), "%s holds %s (%s, which %s) and %s: the runtime moves and frees a map's memory while C holds it; %s",
					expr(root), expr(v), cgoshape.TypeString(v.Type(), pass.Pkg), path, how, fix)
				return
			}
		}
	}
}

// checkReinterpret reports an unsafe.Pointer to a map (or the map header
// itself) converted to a pointer to another type, such as a hand-written
// copy of the runtime's hmap.
func checkReinterpret(pass *analysis.Pass, r *report.Reporter, conv *ssa.Convert) {
	to, ok := conv.Type().Underlying().(*types.Pointer)
	if !ok || !isUnsafePointer(conv.X.Type()) {
		return
	}
	for _, root := range flow.Roots(conv.X) {
		t := root.Type()
		if isMap(t) {
			r.Reportf(conv.Pos(), "the header of %s (%s) reinterpreted as %s: its layout is internal to the Go runtime and changes between releases; %s",
				expr(root), cgoshape.TypeString(t, pass.Pkg), cgoshape.TypeString(conv.Type(), pass.Pkg), "use the map through Go, or copy the entries")
			return
		}
		// Reading the variable as one pointer word (*unsafe.Pointer, as
		// reflect's tests do) only takes the map's identity; a struct or
		// array view is a copy of the runtime's layout.
		if p, ok := t.Underlying().(*types.Pointer); ok && isMap(p.Elem()) && hasLayout(to.Elem()) {
			r.Reportf(conv.Pos(), "%s (%s) reinterpreted as %s: a map variable holds a pointer to a runtime-internal header "+
				"whose layout changes between releases; use the map through Go, or copy the entries",
				expr(root), cgoshape.TypeString(t, pass.Pkg), cgoshape.TypeString(conv.Type(), pass.Pkg))
			return
		}
	}
}

// hasLayout reports whether t is a struct or array type: viewing a map
// through it assumes the runtime's memory layout.
func hasLayout(t types.Type) bool {
	switch t.Underlying().(type) {
	case *types.Struct, *types.Array:
		return true
	}
	return false
}

func declaredResultHasMap(fn *ssa.Function) bool {
	res := fn.Signature.Results()
	for i := range res.Len() {
		if _, ok := mapPath(res.At(i).Type()); ok {
			return true
		}
	}
	return false
}

func describeSink(c bridge.Crossing) string {
	verb := "passed to "
	switch {
	case c.Sink.InMemory():
		verb = "stored in "
	case c.Sink.Kind == bridge.ExportResult:
		return "returned to " + c.Sink.String()
	case c.Mode == bridge.InMemory:
		verb = "placed in memory read by "
	}
	s := verb + c.Sink.String()
	if len(c.Via) > 0 {
		s += " via " + strings.Join(c.Via, ", then ")
	}
	return s
}

// opaqueCell reports whether root is the address of a variable whose type
// says nothing about what it points to (unsafe.Pointer, an interface, a
// type parameter).
func opaqueCell(root ssa.Value) bool {
	switch root.(type) {
	case *ssa.Alloc, *ssa.FreeVar:
	default:
		return false
	}
	p, ok := root.Type().Underlying().(*types.Pointer)
	if !ok {
		return false
	}
	switch u := p.Elem().Underlying().(type) {
	case *types.Basic:
		return u.Kind() == types.UnsafePointer
	case *types.Interface:
		return true
	}
	return false
}

func isMap(t types.Type) bool {
	_, ok := t.Underlying().(*types.Map)
	return ok
}

func isUnsafePointer(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Kind() == types.UnsafePointer
}

// mapPath reports whether a value of type t gives C a map: t is a map, or
// points to (or is a slice of) memory that holds a map inline, in its
// fields or array elements, and says where. Maps further away, behind
// another pointer, are reachable only if that pointer is non-nil, which
// the type does not tell (cgoptr tracks such values).
func mapPath(t types.Type) (string, bool) {
	if t == nil {
		return "", false
	}
	if isMap(t) {
		return "is a map", true
	}
	if p, ok := t.Underlying().(*types.Pointer); ok && api.IsSyncMap(p.Elem()) {
		return "points to a sync.Map", true
	}
	var elem types.Type
	var prefix string
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		elem = u.Elem()
	case *types.Slice:
		elem, prefix = u.Elem(), "[i]"
	default:
		return "", false
	}
	p, ok := inlineMap(elem, make(map[types.Type]bool))
	switch {
	case !ok:
		return "", false
	case p == "" && prefix == "":
		return "points to a map", true
	}
	return "holds a map at " + prefix + p, true
}

// inlineMap reports whether memory of type t holds a map in place (t is a
// map, or a struct or array holding one), with the path to it.
func inlineMap(t types.Type, seen map[types.Type]bool) (string, bool) {
	if cgoshape.IsCType(t) {
		return "", false
	}
	if _, ok := types.Unalias(t).(*types.TypeParam); ok {
		return "", false
	}
	if seen[t] {
		return "", false
	}
	seen[t] = true
	if api.IsSyncMap(t) {
		return "", true
	}
	switch u := t.Underlying().(type) {
	case *types.Map:
		return "", true
	case *types.Array:
		if p, ok := inlineMap(u.Elem(), seen); ok {
			return "[i]" + p, true
		}
	case *types.Struct:
		for i := range u.NumFields() {
			f := u.Field(i)
			if p, ok := inlineMap(f.Type(), seen); ok {
				return "." + f.Name() + p, true
			}
		}
	}
	return "", false
}

// expr renders an SSA value roughly as the user wrote it.
func expr(v ssa.Value) string {
	switch v := v.(type) {
	case *ssa.Alloc:
		switch v.Comment {
		case "", "new", "complit", "varargs", "slicelit", "makeslice":
			return fmt.Sprintf("new(%s)", types.TypeString(deref(v.Type()), shortQ))
		}
		return "&" + v.Comment
	case *ssa.FreeVar:
		return "&" + v.Name()
	case *ssa.Global:
		return "&" + v.Name()
	case *ssa.FieldAddr:
		return "&" + strings.TrimPrefix(expr(v.X), "&") + "." + fieldName(v.X.Type(), v.Field)
	case *ssa.IndexAddr:
		return "&" + strings.TrimPrefix(expr(v.X), "&") + "[i]"
	case *ssa.Parameter:
		return v.Name()
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return strings.TrimPrefix(expr(v.X), "&")
		}
	case *ssa.MakeMap:
		return "a map"
	}
	return "a value"
}

func fieldName(ptr types.Type, i int) string {
	if st, ok := deref(ptr).Underlying().(*types.Struct); ok && i < st.NumFields() {
		return st.Field(i).Name()
	}
	return "?"
}

func deref(t types.Type) types.Type {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

func shortQ(p *types.Package) string { return p.Name() }
