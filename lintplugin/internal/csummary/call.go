package csummary

import (
	"fmt"
	"strings"

	"modernc.org/cc/v4"
)

// call applies what the callee does to its arguments.
func (a *summarizer) call(s *state, x *cc.PostfixExpression) val {
	var args []val
	var exprs []cc.ExpressionNode
	for l := x.ArgumentExpressionList; l != nil; l = l.ArgumentExpressionList {
		exprs = append(exprs, l.AssignmentExpression)
		args = append(args, a.rv(s, l.AssignmentExpression))
	}
	name := libcName(a.rv(s, x.PostfixExpression).fn)
	if !s.live {
		return val{}
	}
	if name == "" {
		why := "passed to a function pointer at " + position(x)
		a.unknownCall(s, args, why, "calls a function pointer at "+position(x))
		return val{unknown: "the result of a call through a function pointer"}
	}
	if a.pkg.isExport(name) {
		// What Go does with the arguments is the Go side's business.
		a.exports[name] = a.exports[name] || false
		return val{unknown: "the result of Go function " + name}
	}
	switch name {
	case "pthread_create":
		if len(args) == 4 {
			a.pthreadCreate(s, exprs, args)
			return val{}
		}
	case "pthread_join":
		if len(exprs) >= 1 {
			delete(s.slots, threadKey(exprs[0]))
		}
		return val{}
	}
	f, err := a.pkg.callee(a.u, name)
	if err != nil {
		a.unknownCall(s, args, fmt.Sprintf("passed to %s, which has no summary (%v)", name, reasonOf(err)), "calls "+name+", which has no summary")
		return val{unknown: "the result of " + name}
	}
	res := a.apply(s, f, name, args)
	if e, ok := libc[name]; ok && f.Origin == FromLibc {
		switch {
		case e.noreturn:
			s.live = false
		case name == "memcpy" || name == "memmove":
			a.copyContents(s, exprs, args)
		}
		for i, c := range e.params {
			if c == 'x' && i < len(args) {
				a.syncCallback(args[i], name)
			}
		}
	}
	if res.empty() && !a.carries(x.Type()) {
		return val{}
	}
	return res
}

func reasonOf(err error) string {
	if ns, ok := err.(*NoSummary); ok {
		if ns.Detail != "" && ns.Reason != NotFound {
			return ns.Reason.String() + ": " + firstLines(ns.Detail, 1)
		}
		return ns.Reason.String()
	}
	return err.Error()
}

// libcName maps GCC's builtin and fortified spellings to the libc name.
func libcName(name string) string {
	if n, ok := strings.CutPrefix(name, "__builtin___"); ok {
		return strings.TrimSuffix(n, "_chk")
	}
	if n, ok := strings.CutPrefix(name, "__builtin_"); ok {
		if _, known := libc[n]; known {
			return n
		}
	}
	return name
}

// apply applies a callee's summary at a call site and returns the result.
func (a *summarizer) apply(s *state, f *Func, name string, args []val) val {
	var res val
	returned := false
	for i, v := range args {
		p, ok := f.Param(i + 1)
		if !ok {
			if e, isLibc := libc[name]; isLibc && e.variadic && f.Origin == FromLibc {
				continue
			}
			a.lose(s, v, "passed to "+name+" as a variadic argument")
			continue
		}
		if !p.Tracked {
			continue
		}
		a.applyEffects(s, name, v, p.Effects)
		inner := val{heap: v.heap, objs: v.objs}
		inner = s.reach(inner)
		inner.heap, inner.objs = 0, 0 // the objects themselves are v's business
		for j := range maxParams {
			if v.labels&selfLabel(j) != 0 {
				inner.labels |= contentsLabel(j)
			}
		}
		a.applyEffects(s, name, inner, p.Contents)
		if p.Returned {
			r := v
			r.path = ""
			res, returned = union(res, r), true
		}
	}
	for _, e := range f.Exports {
		a.exports[e.Name] = a.exports[e.Name] || e.Thread
	}
	if f.ExportsUnknown != "" && a.exportsUnknown == "" {
		a.exportsUnknown = f.ExportsUnknown + " (through " + name + ")"
	}
	switch {
	case f.Result.Fresh == Yes:
		res = union(res, a.newSite(site{dealloc: f.Result.Dealloc, deallocN: f.Result.DeallocParam, desc: name}))
	case !returned:
		res = val{unknown: "the result of " + name}
	}
	return res
}

func (a *summarizer) applyEffects(s *state, callee string, v val, e Effects) {
	switch e.Retain {
	case Yes:
		pl := e.Where
		if pl.Kind != PlaceCallee || pl.Callee != callee {
			pl = Place{Kind: PlaceCallee, Callee: callee, Desc: e.Where.Desc + ", kept by " + callee}
		}
		a.keep(s, v, pl)
	case Unknown:
		a.lose(s, v, "passed to "+callee+": "+e.Why)
	}
	labels := v.labels &^ s.null
	switch e.Free {
	case Yes:
		s.freed |= labels
		s.mayFr |= labels
		s.sfreed |= v.heap
		for m := labels; m != 0; m &= m - 1 {
			if l := trailing(m); a.freeBy[l] == "" {
				a.freeBy[l] = callee
			}
		}
	case Unknown:
		s.mayFr |= labels
	}
}

// unknownCall handles a call to a function the analysis knows nothing
// about: everything reachable from its arguments may be kept or freed.
func (a *summarizer) unknownCall(s *state, args []val, why, exportsWhy string) {
	for _, v := range args {
		a.lose(s, v, why)
		s.mayFr |= v.labels &^ s.null
	}
	if a.exportsUnknown == "" {
		a.exportsUnknown = exportsWhy
	}
}

func (a *summarizer) newSite(st site) val {
	if len(a.sites) >= maxSites {
		return val{unknown: "memory from an allocation the analysis stopped counting"}
	}
	a.sites = append(a.sites, st)
	return val{heap: 1 << uint(len(a.sites)-1)}
}

// pthreadCreate models pthread_create(thread, attr, start, arg): the new
// thread keeps arg until pthread_join(thread) (a joined thread holds
// nothing after the call returns), and start's calls to //export'ed
// functions happen on that thread.
func (a *summarizer) pthreadCreate(s *state, exprs []cc.ExpressionNode, args []val) {
	start := args[2].fn
	desc := "the thread started by pthread_create"
	if start != "" {
		desc += " running " + start
	}
	key := threadKey(exprs[0])
	old := s.slots[key]
	s.slots[key] = slot{place: Place{Kind: PlaceThread, Desc: desc}, v: union(old.v, args[3])}
	if start == "" {
		a.lose(s, args[3], "passed to a thread whose start routine is a function pointer")
		if a.exportsUnknown == "" {
			a.exportsUnknown = "starts a thread running a function pointer"
		}
		return
	}
	sf, err := a.pkg.callee(a.u, start)
	if err != nil {
		a.lose(s, args[3], fmt.Sprintf("passed to thread start routine %s, which has no summary (%s)", start, reasonOf(err)))
		if a.exportsUnknown == "" {
			a.exportsUnknown = "starts a thread running " + start + ", which has no summary"
		}
		return
	}
	for _, e := range sf.Exports {
		a.exports[e.Name] = true
	}
	if sf.ExportsUnknown != "" && a.exportsUnknown == "" {
		a.exportsUnknown = sf.ExportsUnknown + " (on the thread running " + start + ")"
	}
	if p, ok := sf.Param(1); ok && p.Tracked {
		e := p.Effects
		if e.Free == Yes {
			e.Free = Unknown // freed by the thread, at a time the caller does not know
			e.Why = "freed by the thread running " + start
		}
		a.applyEffects(s, start, args[3], e)
	}
}

// threadKey names a pthread_t by the text of its lvalue: pthread_create(&t,
// ...) and pthread_join(t, ...) give the same key.
func threadKey(e cc.ExpressionNode) string {
	t := strings.Join(strings.Fields(cc.NodeSource(e)), "")
	for strings.HasPrefix(t, "(") && strings.HasSuffix(t, ")") {
		t = t[1 : len(t)-1]
	}
	return "thread|" + strings.TrimPrefix(t, "&")
}

// copyContents models memcpy(dst, src, n) when src points to memory that
// may hold pointers (a struct, a pointer array): they are now also in dst.
// Copying bytes (char, void) moves no tracked pointer.
func (a *summarizer) copyContents(s *state, exprs []cc.ExpressionNode, args []val) {
	if len(exprs) < 2 {
		return
	}
	src := exprs[1]
	for {
		c, ok := src.(*cc.CastExpression)
		if !ok || c.Case != cc.CastExpressionCast {
			break
		}
		src = c.CastExpression
	}
	pt, ok := src.Type().(*cc.PointerType)
	if !ok {
		return
	}
	switch pt.Elem().Kind() {
	case cc.Ptr, cc.Struct, cc.Union:
		a.store(s, a.destOf(args[0]), a.load(s, a.destOf(args[1]), pt.Elem()))
	}
}

// syncCallback records the exports a callback called during the call
// (qsort's comparator) reaches.
func (a *summarizer) syncCallback(v val, by string) {
	if v.fn == "" {
		if a.exportsUnknown == "" {
			a.exportsUnknown = by + " calls a function pointer"
		}
		return
	}
	f, err := a.pkg.callee(a.u, v.fn)
	if err != nil {
		if a.exportsUnknown == "" {
			a.exportsUnknown = by + " calls " + v.fn + ", which has no summary"
		}
		return
	}
	for _, e := range f.Exports {
		a.exports[e.Name] = a.exports[e.Name] || e.Thread
	}
}
