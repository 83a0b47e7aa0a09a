package csummary

import (
	"reflect"
	"slices"

	"modernc.org/cc/v4"
)

// attrFunc returns the summary GCC's malloc attribute gives a declared
// function: __attribute__((malloc(dealloc, N))) on f says that f returns
// fresh memory released by passing it as argument N (default 1) of dealloc;
// dealloc therefore frees its argument N. glibc declares strdup and
// friends so with GCC 11 and later; libraries declare their constructors
// and destructors so.
func (u *unit) attrFunc(name string) (*Func, bool) {
	if u.mallocs == nil {
		u.indexMallocs()
	}
	m, ok := u.mallocs[name]
	if !ok {
		return nil, false
	}
	if m.alloc {
		return &Func{Name: name, Origin: FromAttr, Pos: position(m.decl), Params: declParams(m.decl, name),
			Result: Result{Fresh: Yes, Dealloc: m.dealloc, DeallocParam: m.n}}, true
	}
	f := &Func{Name: name, Origin: FromAttr, Pos: position(m.decl), Params: declParams(firstDecl(u, name), name)}
	for len(f.Params) < m.n {
		f.Params = append(f.Params, Param{Tracked: true})
	}
	f.Params[m.n-1].Tracked = true
	f.Params[m.n-1].Effects = Effects{Free: Yes, By: name}
	return f, true
}

// mallocInfo is what the malloc attributes of a translation unit say about
// one function: it allocates (alloc) memory released by argument n of
// dealloc, or it is that deallocator.
type mallocInfo struct {
	decl    *cc.Declaration
	alloc   bool
	dealloc string
	n       int
}

// indexMallocs finds the malloc(dealloc, N) attributes of the unit's
// file-scope declarations, once.
func (u *unit) indexMallocs() {
	u.mallocs = map[string]mallocInfo{}
	names := make([]string, 0, len(u.decls))
	for name := range u.decls {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, d := range u.decls[name] {
			if !returnsPointer(d, name) {
				continue // only allocators carry the attribute: skip the reflective walk
			}
			dealloc, n, ok := mallocAttr(d)
			if !ok {
				continue
			}
			if _, seen := u.mallocs[name]; !seen || !u.mallocs[name].alloc {
				u.mallocs[name] = mallocInfo{decl: d, alloc: true, dealloc: dealloc, n: n}
			}
			if _, seen := u.mallocs[dealloc]; !seen {
				u.mallocs[dealloc] = mallocInfo{decl: d, dealloc: dealloc, n: n}
			}
		}
	}
}

func returnsPointer(d *cc.Declaration, name string) bool {
	for l := d.InitDeclaratorList; l != nil; l = l.InitDeclaratorList {
		if dr := l.InitDeclarator.Declarator; dr != nil && dr.Name() == name {
			ft, ok := dr.Type().(*cc.FunctionType)
			return ok && ft.Result() != nil && ft.Result().Kind() == cc.Ptr
		}
	}
	return false
}

func firstDecl(u *unit, name string) *cc.Declaration {
	if ds := u.decls[name]; len(ds) > 0 {
		return ds[0]
	}
	return nil
}

// declParams lists the parameters of name's declaration, with their
// effects unknown (the attribute says nothing about them).
func declParams(d *cc.Declaration, name string) []Param {
	if d == nil {
		return nil
	}
	for l := d.InitDeclaratorList; l != nil; l = l.InitDeclaratorList {
		dr := l.InitDeclarator.Declarator
		if dr == nil || dr.Name() != name {
			continue
		}
		ft, ok := dr.Type().(*cc.FunctionType)
		if !ok {
			return nil
		}
		var ps []Param
		for _, p := range ft.Parameters() {
			ps = append(ps, Param{Name: p.Name(), Tracked: true,
				Effects: Effects{Retain: Unknown, Free: Unknown, Why: "declared without a body; its malloc attribute says nothing about its parameters"}})
		}
		return ps
	}
	return nil
}

// mallocAttr finds malloc(dealloc[, N]) among d's attributes.
func mallocAttr(d *cc.Declaration) (dealloc string, n int, ok bool) {
	var visit func(v reflect.Value)
	visit = func(v reflect.Value) {
		if ok || !v.IsValid() {
			return
		}
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if v.IsNil() {
				return
			}
			if av, isAttr := v.Interface().(*cc.AttributeValue); isAttr {
				if nm := av.Token.SrcStr(); (nm == "malloc" || nm == "__malloc__") && av.ArgumentExpressionList != nil {
					dealloc, n, ok = mallocArgs(av.ArgumentExpressionList)
				}
				return
			}
			visit(v.Elem())
		case reflect.Struct:
			t := v.Type()
			for i := range v.NumField() {
				if t.Field(i).IsExported() {
					visit(v.Field(i))
				}
			}
		}
	}
	visit(reflect.ValueOf(d))
	return dealloc, n, ok
}

func mallocArgs(l *cc.ArgumentExpressionList) (string, int, bool) {
	name := cc.NodeSource(l.AssignmentExpression)
	if name == "" || !isCIdent(name) {
		return "", 0, false
	}
	name = libcName(name)
	n := 1
	if next := l.ArgumentExpressionList; next != nil {
		switch v := next.AssignmentExpression.Value().(type) {
		case cc.Int64Value:
			n = int(v)
		case cc.UInt64Value:
			n = int(v)
		default:
			if s := cc.NodeSource(next.AssignmentExpression); len(s) == 1 && s[0] >= '1' && s[0] <= '9' {
				n = int(s[0] - '0')
			} else {
				return "", 0, false
			}
		}
	}
	return name, n, n >= 1
}
