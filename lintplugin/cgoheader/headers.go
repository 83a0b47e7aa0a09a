package cgoheader

import (
	"go/token"
	"go/types"

	"github.com/cgoguard/cgoguard/lintplugin/internal/api"
	"golang.org/x/tools/go/ssa"
)

// A header is one reflect.SliceHeader or StringHeader that a function
// writes fields of: every store through the same header pointer.
type header struct {
	fn   *ssa.Function
	base ssa.Value // the *reflect.XHeader the fields are written through
	// value is the variable the header value ends in: base, or the
	// variable a composite literal built in a temporary is copied to.
	value ssa.Value
	kind  string // "SliceHeader" or "StringHeader"
	data  []*ssa.Store
	len   []*ssa.Store
	cap   []*ssa.Store
	form  form
	built types.Type // the []T or string the header makes, when known

	// real: the variable whose header this is (or that a whole header
	// value is stored into); plain: the conversions of &h to *[]T or
	// *string.
	over  ssa.Value
	convs []*ssa.Convert
}

type form int

const (
	unknown form = iota // a header pointer of unknown origin, or a value used otherwise
	real                // the header of a real slice or string
	plain               // a header value converted to a slice or string
)

// collectHeaders finds every header whose fields the functions write.
func collectHeaders(funcs []*ssa.Function) []*header {
	var out []*header
	for _, fn := range funcs {
		byBase := make(map[ssa.Value]*header)
		for _, b := range fn.Blocks {
			for _, ins := range b.Instrs {
				st, ok := ins.(*ssa.Store)
				if !ok {
					continue
				}
				fa, ok := st.Addr.(*ssa.FieldAddr)
				if !ok {
					continue
				}
				kind := headerType(fa.X.Type())
				if kind == "" {
					continue
				}
				h := byBase[fa.X]
				if h == nil {
					h = &header{fn: fn, base: fa.X, kind: kind}
					byBase[fa.X] = h
					out = append(out, h)
				}
				switch fa.Field {
				case 0:
					h.data = append(h.data, st)
				case 1:
					h.len = append(h.len, st)
				case 2:
					h.cap = append(h.cap, st)
				}
			}
		}
	}
	// h := reflect.SliceHeader{...} builds the literal in a temporary and
	// copies it whole into h, whose later field writes are then the same
	// header's.
	merged := make(map[*header]bool)
	for _, h := range out {
		h.value = h.base
		a, ok := h.base.(*ssa.Alloc)
		if !ok {
			continue
		}
		if to := copiedTo(a); to != nil {
			h.value = to
			if g := byBase(out, to); g != nil {
				h.data = append(h.data, g.data...)
				h.len = append(h.len, g.len...)
				h.cap = append(h.cap, g.cap...)
				merged[g] = true
			}
		}
	}
	var kept []*header
	for _, h := range out {
		if !merged[h] {
			h.classify()
			kept = append(kept, h)
		}
	}
	return kept
}

func byBase(hs []*header, base ssa.Value) *header {
	for _, h := range hs {
		if h.base == base {
			return h
		}
	}
	return nil
}

// copiedTo returns the header variable the value in a is copied to whole
// (*to = *a), if it is.
func copiedTo(a *ssa.Alloc) *ssa.Alloc {
	for _, r := range *a.Referrers() {
		load, ok := r.(*ssa.UnOp)
		if !ok || load.Op != token.MUL || len(*load.Referrers()) != 1 {
			continue
		}
		st, ok := (*load.Referrers())[0].(*ssa.Store)
		if !ok || st.Val != load {
			continue
		}
		if to, ok := st.Addr.(*ssa.Alloc); ok && to != a && headerType(to.Type()) != "" {
			return to
		}
	}
	return nil
}

// headerType reports "SliceHeader" or "StringHeader" for a pointer to one.
func headerType(t types.Type) string {
	p, ok := t.Underlying().(*types.Pointer)
	if !ok {
		return ""
	}
	kind, _ := api.ReflectHeader(p.Elem())
	return kind
}

func (h *header) classify() {
	if over, built := realHeader(h.base, h.kind); over != nil {
		h.form, h.over, h.built = real, over, built
		return
	}
	alloc, ok := h.value.(*ssa.Alloc)
	if !ok {
		return
	}
	for _, r := range *alloc.Referrers() {
		switch r := r.(type) {
		case *ssa.Convert:
			// unsafe.Pointer(&h), then (*[]T) or (*string) of it.
			for _, rr := range *r.Referrers() {
				if conv, ok := rr.(*ssa.Convert); ok && builds(conv.Type(), h.kind) != nil {
					h.convs = append(h.convs, conv)
					h.built = builds(conv.Type(), h.kind)
				}
			}
		case *ssa.UnOp:
			// *(*reflect.SliceHeader)(unsafe.Pointer(&b)) = h: the value
			// becomes the header of a real slice.
			if r.Op != token.MUL || len(*r.Referrers()) != 1 {
				continue
			}
			st, ok := (*r.Referrers())[0].(*ssa.Store)
			if !ok || st.Val != r {
				continue
			}
			if over, built := realHeader(st.Addr, h.kind); over != nil && len(h.convs) == 0 {
				h.form, h.over, h.built = real, over, built
			}
		}
	}
	if len(h.convs) > 0 {
		h.form, h.over = plain, nil
	}
}

// realHeader reports the variable whose header ptr points at, when ptr is
// (*reflect.XHeader)(unsafe.Pointer(&v)) for a slice or string v, and the
// type v holds.
func realHeader(ptr ssa.Value, kind string) (ssa.Value, types.Type) {
	v := ptr
	for {
		switch c := v.(type) {
		case *ssa.Convert:
			v = c.X
			continue
		case *ssa.ChangeType:
			v = c.X
			continue
		}
		break
	}
	p, ok := v.Type().Underlying().(*types.Pointer)
	if !ok || v == ptr {
		return nil, nil
	}
	if built := builds(p, kind); built != nil {
		return v, built
	}
	return nil, nil
}

// builds returns the []T or string a pointer type t points to, if a header
// of the given kind describes it.
func builds(t types.Type, kind string) types.Type {
	p, ok := t.Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	switch u := p.Elem().Underlying().(type) {
	case *types.Slice:
		if kind == "SliceHeader" {
			return p.Elem()
		}
	case *types.Basic:
		if kind == "StringHeader" && u.Kind() == types.String {
			return p.Elem()
		}
	}
	return nil
}

// elem returns the element type of the slice the header builds (byte for a
// string), or nil.
func (h *header) elem() types.Type {
	if h.built == nil {
		return nil
	}
	if s, ok := h.built.Underlying().(*types.Slice); ok {
		return s.Elem()
	}
	return byteType
}

// name names the header for a message: b for the header of a real slice
// b, h for a header variable h, "" for a literal or when unknown.
func (h *header) name() string {
	if h.over != nil {
		if a, ok := h.over.(*ssa.Alloc); ok && a.Comment != "" {
			return a.Comment
		}
		if fa, ok := h.over.(*ssa.FieldAddr); ok {
			return fieldName(fa)
		}
		return ""
	}
	if a, ok := h.value.(*ssa.Alloc); ok && a.Comment != "" && a.Comment != "complit" {
		return a.Comment
	}
	return ""
}

// fieldName spells x.f for the address of field f of a variable x.
func fieldName(fa *ssa.FieldAddr) string {
	st, ok := fa.X.Type().Underlying().(*types.Pointer)
	if !ok {
		return ""
	}
	s, ok := st.Elem().Underlying().(*types.Struct)
	if !ok || fa.Field >= s.NumFields() {
		return ""
	}
	x := ""
	switch b := fa.X.(type) {
	case *ssa.Alloc:
		x = b.Comment
	case *ssa.Parameter:
		x = b.Name()
	case *ssa.UnOp:
		if a, ok := b.X.(*ssa.Alloc); ok && b.Op == token.MUL {
			x = a.Comment
		}
	}
	if x == "" {
		return ""
	}
	return x + "." + s.Field(fa.Field).Name()
}

// byteType is byte, which prints as "byte" (types.Typ[types.Byte] prints
// as uint8).
var byteType = types.Universe.Lookup("byte").Type()
