package lifetime

import (
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/api"
	"github.com/cgoguard/cgoguard/lintplugin/internal/cgoshape"
	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
)

// tokKind is what a token names.
type tokKind uint8

const (
	// tokVal: the value v (an instruction, parameter ...). Forgotten when
	// v's instruction runs again: it then names another resource.
	tokVal tokKind = iota
	// tokVar: what the tracked local variable v (an *ssa.Alloc of the
	// analysed function; path: field indices) holds. Forgotten when the
	// variable is assigned, or made afresh.
	tokVar
	// tokGlobal: what the package variable v (at path) holds.
	tokGlobal
	// tokPath: a part of the value v, or of memory reached from it, along
	// path (see steps).
	tokPath
)

// Paths are strings of steps: "N." selects field N of a struct value,
// "*" follows a pointer. "*1." is field 1 of what a pointer points to,
// "0.*1." field 1 of what field 0 of a struct value points to. The paths
// of tokVar and tokGlobal start inside the variable: "0." is its field 0.
// A token whose path has a "*" names memory, which stores through other
// pointers and calls may change; one without names a value or variable.

// maxSteps bounds the steps of a path: deeper parts are not tracked (the
// engine stays silent on them), which keeps recursive types finite.
const maxSteps = 6

func fieldStep(i int) string { return strconv.Itoa(i) + "." }

// ext returns the tokens naming the part steps of what toks name.
func ext(toks []tok, steps string) []tok {
	if steps == "" {
		return toks
	}
	var out []tok
	for _, t := range toks {
		p := t.path + steps
		if strings.Count(p, ".")+strings.Count(p, "*") > maxSteps {
			continue
		}
		if t.kind == tokVal {
			out = append(out, tok{tokPath, t.v, p})
		} else {
			out = append(out, tok{t.kind, t.v, p})
		}
	}
	return out
}

// inMemory reports whether t names memory reached through a pointer
// (which a store through another pointer, or a call, may change).
func (t tok) inMemory() bool {
	return t.kind == tokGlobal || strings.Contains(t.path, "*")
}

// mayBeField reports whether t may name field f of some object in memory:
// a step "f." after a pointer was followed.
func (t tok) mayBeField(f int) bool {
	i := strings.Index(t.path, "*")
	if t.kind == tokGlobal {
		i = 0
	}
	if i < 0 {
		return false
	}
	want := fieldStep(f)
	for _, st := range strings.FieldsFunc(t.path[i:], func(r rune) bool { return r == '*' }) {
		for _, part := range strings.SplitAfter(st, ".") {
			if part == want {
				return true
			}
		}
	}
	return false
}

// A tok names a resource; a state records which tokens name released ones.
type tok struct {
	kind tokKind
	v    ssa.Value
	path string
}

// A cellRef is a variable (or a field path inside one) read or written by
// a frame: a local variable of some frame's function, or a package
// variable.
type cellRef struct {
	// base is the variable: an *ssa.Alloc, or an *ssa.Phi of variables
	// (Go 1.22 gives each iteration of a three-clause loop its own copy
	// of the loop variable; the phi is the current iteration's).
	base   ssa.Value
	global *ssa.Global
	path   []int
	fr     *frame          // the frame whose function declares alloc
	site   ssa.Instruction // where in fr.fn the access happens (nil: at the access itself)
}

// resolveCell reports the variable addr is the address of, following
// closures' free variables to the variables they are bound to.
func (e *engine) resolveCell(addr ssa.Value, fr *frame) (cellRef, bool) {
	switch a := addr.(type) {
	case *ssa.Alloc:
		if a.Parent() != fr.fn {
			return cellRef{}, false
		}
		return cellRef{base: a, fr: fr}, true
	case *ssa.Phi:
		if a.Parent() != fr.fn || !e.tameness(a).tracked {
			return cellRef{}, false
		}
		return cellRef{base: a, fr: fr}, true
	case *ssa.Global:
		return cellRef{global: a}, true
	case *ssa.FreeVar:
		b, pf, ok := fr.bind(a)
		if !ok {
			return cellRef{}, false
		}
		c, ok := e.resolveCell(b, pf)
		if ok && c.base != nil && c.site == nil {
			c.site = fr.site
		}
		return c, ok
	case *ssa.FieldAddr:
		c, ok := e.resolveCell(a.X, fr)
		if !ok {
			return cellRef{}, false
		}
		c.path = append(slices.Clone(c.path), a.Field)
		return c, true
	}
	return cellRef{}, false
}

// isVariable reports whether addr is the address of a variable (or of a
// field or element inside one) rather than a pointer value.
func (e *engine) isVariable(addr ssa.Value, fr *frame) bool {
	for {
		switch a := addr.(type) {
		case *ssa.Alloc, *ssa.Global:
			return true
		case *ssa.FreeVar:
			b, pf, ok := fr.bind(a)
			if !ok {
				return true // a closure's free variable is a variable
			}
			addr, fr = b, pf
		case *ssa.FieldAddr:
			addr = a.X
		case *ssa.IndexAddr:
			if _, ok := a.X.Type().Underlying().(*types.Pointer); !ok {
				return false // an element of a slice: memory the slice points to
			}
			addr = a.X // an element of an array variable
		default:
			return false
		}
	}
}

func pathString(p []int) string {
	var b strings.Builder
	for _, i := range p {
		b.WriteString(strconv.Itoa(i))
		b.WriteByte('.')
	}
	return b.String()
}

const maxTrace = 16

// tokens returns the tokens naming the resource v is (or points into),
// as seen in frame fr.
func (e *engine) tokens(v ssa.Value, fr *frame) []tok {
	return e.tokensDepth(v, fr, 0)
}

func (e *engine) tokensDepth(v ssa.Value, fr *frame, depth int) []tok {
	if depth > maxTrace || v == nil {
		return nil
	}
	v = flow.StripConversions(v)
	switch x := v.(type) {
	case *ssa.UnOp:
		if x.Op != token.MUL {
			break
		}
		if c, ok := e.resolveCell(x.X, fr); ok {
			if c.global != nil {
				return []tok{{tokGlobal, c.global, pathString(c.path)}}
			}
			if !e.tameness(c.base).tracked {
				// A slice or string variable whose header was pointed at
				// other memory (sh := (*reflect.SliceHeader)(unsafe.Pointer(&b));
				// sh.Data = uintptr(p)) holds p's memory.
				if data := headerData(c); data != nil {
					return e.tokensDepth(data, c.fr, depth+1)
				}
				return nil
			}
			var out []tok
			if c.fr == e.root {
				out = append(out, tok{tokVar, c.base, pathString(c.path)})
			}
			out = append(out, e.content(c, x, depth+1)...)
			return out
		}
		// A value loaded from memory: that load names it, and so does
		// the path to the field it was loaded from, when the object is
		// one the analysis can name.
		return append([]tok{{tokVal, x, ""}}, e.addrTokens(x.X, fr, depth+1)...)
	case *ssa.Field:
		// A field of a struct value (a value receiver's field).
		return append([]tok{{tokVal, x, ""}}, ext(e.tokensDepth(x.X, fr, depth+1), fieldStep(x.Field))...)
	case *ssa.FreeVar:
		if b, pf, ok := fr.bind(x); ok {
			return e.tokensDepth(b, pf, depth+1)
		}
		return nil
	case *ssa.Phi:
		var root ssa.Value
		for _, ed := range x.Edges {
			r := e.valueRoot(ed, fr, depth+1)
			if r == nil || (root != nil && r != root) {
				return []tok{{tokVal, x, ""}}
			}
			root = r
		}
		if root == nil {
			return []tok{{tokVal, x, ""}}
		}
		return []tok{{tokVal, root, ""}}
	case *ssa.Const, *ssa.Function, *ssa.Builtin, *ssa.Global:
		return nil
	}
	return []tok{{tokVal, v, ""}}
}

// addrTokens returns the tokens naming the memory at the address a: a
// field of an object a pointer points to, or a field inside such a field.
// A variable's address is not memory here (resolveCell names variables).
func (e *engine) addrTokens(a ssa.Value, fr *frame, depth int) []tok {
	if depth > maxTrace {
		return nil
	}
	fa, ok := a.(*ssa.FieldAddr)
	if !ok {
		return nil
	}
	if inner, ok := fa.X.(*ssa.FieldAddr); ok {
		if _, isCell := e.resolveCell(inner, fr); isCell {
			return nil
		}
		return ext(e.addrTokens(inner, fr, depth+1), fieldStep(fa.Field))
	}
	switch fa.X.(type) {
	case *ssa.Alloc, *ssa.Global, *ssa.FreeVar:
		return nil // a variable the engine does not track
	}
	return ext(e.tokensDepth(fa.X, fr, depth+1), "*"+fieldStep(fa.Field))
}

// valueRoot returns the value v is known to be, or nil.
func (e *engine) valueRoot(v ssa.Value, fr *frame, depth int) ssa.Value {
	for _, t := range e.tokensDepth(v, fr, depth) {
		if t.kind == tokVal {
			return t.v
		}
	}
	return nil
}

// content returns the tokens naming the value the variable c holds at
// load (or at c.site), when every assignment that reaches there assigns
// a value they name: a value (tokVal), or a part of a value assigned
// whole (t := s copies s.p into t.p: tokPath s "0."). Tokens of other
// variables or of memory are left out: they may change after the copy.
func (e *engine) content(c cellRef, load ssa.Instruction, depth int) []tok {
	alloc, ok := c.base.(*ssa.Alloc)
	if !ok || !e.tameness(alloc).plain {
		return nil
	}
	site := c.site
	if site == nil {
		site = load
	}
	stores, zero, ok := reachingStores(alloc, c.path, site)
	if !ok || zero || len(stores) == 0 {
		return nil
	}
	var common []tok
	for i, st := range stores {
		var toks []tok
		for _, t := range ext(e.tokensDepth(st.store.Val, c.fr, depth), Steps(false, st.rest...)) {
			if (t.kind == tokVal || t.kind == tokPath) && !strings.Contains(t.path, "*") {
				toks = append(toks, t)
			}
		}
		if i == 0 {
			common = toks
			continue
		}
		common = slices.DeleteFunc(common, func(t tok) bool { return !slices.Contains(toks, t) })
	}
	return common
}

// A reachingStore is a store that provides the value of a cell: the whole
// value stored, or, when the store wrote a struct around the cell, the
// part rest (field indices) of it.
type reachingStore struct {
	store *ssa.Store
	rest  []int
}

// reachingStores walks back from site to the stores into the variable
// alloc (at path) that reach it on some path. zero reports that some path
// reaches the allocation itself, which zeroes the variable (each time it
// runs: a variable declared in a loop body starts every iteration at its
// zero value), with no store in between. ok is false when a store writes
// part of the cell: the analysis does not merge those.
func reachingStores(alloc *ssa.Alloc, path []int, site ssa.Instruction) (out []reachingStore, zero, ok bool) {
	if site == nil || site.Block() == nil || site.Parent() != alloc.Parent() {
		return nil, false, false
	}
	ok = true
	visited := make(map[*ssa.BasicBlock]bool)
	var visit func(b *ssa.BasicBlock, from int)
	visit = func(b *ssa.BasicBlock, from int) {
		for i := from - 1; i >= 0 && ok; i-- {
			ins := b.Instrs[i]
			if ins == alloc {
				zero = true
				return
			}
			st, isStore := ins.(*ssa.Store)
			if !isStore {
				continue
			}
			sp, mine := storePath(st.Addr, alloc)
			if !mine {
				continue
			}
			n := min(len(sp), len(path))
			if !slices.Equal(sp[:n], path[:n]) {
				continue // another field
			}
			if len(sp) > len(path) {
				ok = false
				return
			}
			out = append(out, reachingStore{st, path[len(sp):]})
			return
		}
		for _, p := range b.Preds {
			if !visited[p] && ok {
				visited[p] = true
				visit(p, len(p.Instrs))
			}
		}
	}
	b := site.Block()
	visit(b, slices.Index(b.Instrs, site))
	return out, zero, ok
}

// storePath reports whether addr is (a field path inside) the variable
// alloc, addressed directly.
func storePath(addr ssa.Value, alloc *ssa.Alloc) ([]int, bool) {
	var path []int
	for {
		switch a := addr.(type) {
		case *ssa.Alloc:
			if a != alloc {
				return nil, false
			}
			slices.Reverse(path)
			return path, true
		case *ssa.FieldAddr:
			path = append(path, a.Field)
			addr = a.X
		default:
			return nil, false
		}
	}
}

// name renders the resource v as the user's code names it: "p", "s.buf",
// "an element of keys"; "" when it has no simple name.
func (e *engine) name(v ssa.Value, fr *frame) string {
	return e.nameDepth(v, fr, 0)
}

func (e *engine) nameDepth(v ssa.Value, fr *frame, depth int) string {
	if depth > maxTrace || v == nil {
		return ""
	}
	v = flow.StripConversions(v)
	switch x := v.(type) {
	case *ssa.UnOp:
		if x.Op != token.MUL {
			return ""
		}
		if c, ok := e.resolveCell(x.X, fr); ok {
			return e.cellName(c, x, depth)
		}
		switch a := x.X.(type) {
		case *ssa.FieldAddr:
			if base := e.nameDepth(a.X, fr, depth+1); base != "" {
				return base + "." + fieldName(a.X.Type(), a.Field)
			}
		case *ssa.IndexAddr:
			if base := e.nameDepth(a.X, fr, depth+1); base != "" {
				return "an element of " + base
			}
		}
	case *ssa.Parameter:
		return x.Name()
	case *ssa.FreeVar:
		if b, pf, ok := fr.bind(x); ok {
			return e.nameDepth(b, pf, depth+1)
		}
		return x.Name()
	case *ssa.Alloc:
		if c, ok := e.resolveCell(x, fr); ok {
			if n := e.cellName(c, nil, depth); n != "" {
				return "&" + n
			}
		}
	case *ssa.Call:
		if fn := x.Call.StaticCallee(); fn != nil {
			if c, ok := cgoshape.CFuncName(fn); ok {
				return "the result of C." + c
			}
		}
	}
	return ""
}

// cellName names a variable; cgo's own temporaries (_cgo0) are named by
// what was assigned to them.
func (e *engine) cellName(c cellRef, load ssa.Instruction, depth int) string {
	var n string
	var t types.Type
	if c.global != nil {
		n, t = c.global.Name(), c.global.Type()
	} else {
		alloc, ok := c.base.(*ssa.Alloc)
		if !ok {
			phi := c.base.(*ssa.Phi)
			alloc, ok = phi.Edges[0].(*ssa.Alloc)
			if !ok {
				return ""
			}
		}
		n, t = alloc.Comment, alloc.Type()
		if strings.HasPrefix(n, "_cgo") && len(c.path) == 0 {
			site := c.site
			if site == nil {
				site = load
			}
			if site == nil {
				return ""
			}
			if stores, _, ok := reachingStores(alloc, nil, site); ok && len(stores) > 0 {
				return e.nameDepth(stores[0].store.Val, c.fr, depth+1)
			}
			return ""
		}
		if !token.IsIdentifier(n) {
			return ""
		}
	}
	for _, f := range c.path {
		n += "." + fieldName(t, f)
		t = fieldType(t, f)
	}
	return n
}

func fieldName(ptr types.Type, i int) string {
	if st, ok := deref(ptr).Underlying().(*types.Struct); ok && i < st.NumFields() {
		return st.Field(i).Name()
	}
	return "?"
}

func fieldType(ptr types.Type, i int) types.Type {
	if st, ok := deref(ptr).Underlying().(*types.Struct); ok && i < st.NumFields() {
		return types.NewPointer(st.Field(i).Type())
	}
	return ptr
}

func deref(t types.Type) types.Type {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// headerData returns the value a reflect.SliceHeader or StringHeader laid
// over the variable c sets its Data to, when c is a whole slice or string
// variable whose address is used only to load it and to write its header,
// and the function writes the header's Data exactly once: the variable's
// elements are then that memory.
func headerData(c cellRef) ssa.Value {
	alloc, ok := c.base.(*ssa.Alloc)
	if !ok || len(c.path) != 0 {
		return nil
	}
	var data ssa.Value
	for _, r := range *alloc.Referrers() {
		switch r := r.(type) {
		case *ssa.UnOp, *ssa.DebugRef:
		case *ssa.Store:
			if r.Addr != alloc {
				return nil
			}
		case *ssa.Convert:
			// unsafe.Pointer(&b), then (*reflect.SliceHeader)(...).
			for _, r2 := range *r.Referrers() {
				conv, ok := r2.(*ssa.Convert)
				if !ok || !isHeaderPtr(conv.Type()) {
					return nil
				}
				for _, r3 := range *conv.Referrers() {
					fa, ok := r3.(*ssa.FieldAddr)
					if !ok {
						return nil
					}
					for _, r4 := range *fa.Referrers() {
						st, ok := r4.(*ssa.Store)
						if !ok || st.Addr != fa {
							continue
						}
						if fa.Field == 0 { // Data
							if data != nil {
								return nil
							}
							data = st.Val
						}
					}
				}
			}
		default:
			return nil
		}
	}
	return data
}

func isHeaderPtr(t types.Type) bool {
	p, ok := t.Underlying().(*types.Pointer)
	if !ok {
		return false
	}
	_, ok = api.ReflectHeader(p.Elem())
	return ok
}
