package flow

import (
	"fmt"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/api"
	"github.com/cgoguard/cgoguard/lintplugin/internal/cgoshape"
)

// An Origin is a root of a value and the path from it to the value, for
// explanations: Steps[0] is the root, the last step is the value traced.
type Origin struct {
	Root  ssa.Value
	Steps []Step
}

// A Step is one value on the way, and how it follows from the previous
// one, in words ("converted to unsafe.Pointer", "read from variable p,
// assigned at ...").
type Step struct {
	Value ssa.Value
	How   string
	Pos   token.Pos
}

// Trace returns Roots(v) with the path the tracer took to each.
func Trace(v ssa.Value) []Origin {
	t := tracer{seen: make(map[ssa.Value]bool), from: make(map[ssa.Value]link)}
	t.walk(v)
	var out []Origin
	for _, r := range t.roots {
		var steps []Step
		cur, via := r, (*ssa.Store)(nil)
		for range maxDepth {
			steps = append(steps, describe(cur, via))
			l, ok := t.from[cur]
			if !ok {
				break
			}
			cur, via = l.v, l.store
		}
		out = append(out, Origin{Root: r, Steps: steps})
	}
	return out
}

// describe says what value v is, or how it follows from the step before
// (reached through store, if any).
func describe(v ssa.Value, store *ssa.Store) Step {
	st := Step{Value: v, Pos: v.Pos()}
	if store != nil {
		st.Pos = store.Pos()
	}
	switch x := v.(type) {
	case *ssa.Call:
		if a := api.Classify(&x.Call); a.Name != "" {
			st.How = "the result of " + a.Name
		} else if fn := x.Call.StaticCallee(); fn != nil {
			st.How = "the result of " + fn.Name()
		} else {
			st.How = "the result of a call"
		}
		if _, ok := PassThrough(&x.Call); ok {
			st.How = "a view through " + api.Classify(&x.Call).Name
		}
	case *ssa.Alloc:
		switch x.Comment {
		case "new":
			st.How = "new(" + cgoshape.TypeString(x.Type().Underlying().(*types.Pointer).Elem(), pkgOf(v)) + ")"
		case "complit":
			st.How = "a composite literal"
		case "slicelit", "makeslice", "varargs":
			st.How = "a Go slice's array"
		default:
			st.How = "the address of variable " + x.Comment
		}
	case *ssa.MakeSlice, *ssa.MakeMap, *ssa.MakeChan, *ssa.MakeClosure:
		st.How = "made by " + x.String()
	case *ssa.Parameter:
		st.How = "parameter " + x.Name()
	case *ssa.FreeVar:
		st.How = "captured variable " + x.Name()
	case *ssa.Global:
		st.How = "package variable " + x.Name()
	case *ssa.Const:
		st.How = "constant " + x.String()
	case *ssa.Phi:
		st.How = "joined from branches"
	case *ssa.UnOp:
		st.How = "loaded from memory"
		if x.Op == token.MUL {
			if c, ok := cellOf(stripPointerConversions(x.X)); ok {
				st.How = "read from variable " + c.name()
			}
		}
	case *ssa.Convert, *ssa.ChangeType, *ssa.MultiConvert:
		st.How = "converted to " + cgoshape.TypeString(v.Type(), pkgOf(v))
	case *ssa.MakeInterface, *ssa.ChangeInterface:
		st.How = "put in an interface"
	case *ssa.TypeAssert, *ssa.Extract:
		st.How = "taken out of an interface"
	case *ssa.Slice:
		st.How = "sliced"
	case *ssa.SliceToArrayPointer:
		st.How = "converted to " + cgoshape.TypeString(v.Type(), pkgOf(v))
	case *ssa.FieldAddr:
		st.How = fmt.Sprintf("the address of field %s", fieldName(x.X.Type(), x.Field))
	case *ssa.IndexAddr:
		st.How = "the address of an element"
	default:
		st.How = v.String()
	}
	if store != nil {
		st.How += ", assigned"
	}
	return st
}

func pkgOf(v ssa.Value) *types.Package {
	if fn := v.Parent(); fn != nil && fn.Pkg != nil {
		return fn.Pkg.Pkg
	}
	return nil
}

func fieldName(ptr types.Type, i int) string {
	t := ptr
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	if st, ok := t.Underlying().(*types.Struct); ok && i < st.NumFields() {
		return st.Field(i).Name()
	}
	return "?"
}

// name is how the source names the variable of a cell: "p", "o.buf".
func (c cell) name() string {
	var n string
	var t types.Type
	switch {
	case c.alloc != nil:
		n, t = c.alloc.Comment, c.alloc.Type()
	case c.fv != nil:
		n, t = c.fv.Name(), c.fv.Type()
	}
	for _, f := range slices.Clone(c.path) {
		n += "." + fieldName(t, f)
		if p, ok := t.Underlying().(*types.Pointer); ok {
			if st, ok := p.Elem().Underlying().(*types.Struct); ok && f < st.NumFields() {
				t = types.NewPointer(st.Field(f).Type())
			}
		}
	}
	return n
}
