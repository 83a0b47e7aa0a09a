package cgofinalizer

import (
	"cmp"
	"fmt"
	"go/token"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/bridge"
	"github.com/cgoguard/cgoguard/lintplugin/internal/rawsrc"
	"github.com/cgoguard/cgoguard/lintplugin/internal/report"
)

// report groups the candidates into findings, one per defect: the events
// of one function on one object (several C calls, the uses of what C
// returned) are one finding, reported at the first, whose fix keeps the
// object alive past the last.
func (a *analyzer) report(r *report.Reporter, files *rawsrc.Files, cands []*candidate) {
	type key struct {
		outer *ssa.Function
		kind  kind
		obj   string
	}
	groups := make(map[key][]*candidate)
	var order []key
	for _, c := range cands {
		k := key{c.outer, c.kind, fmt.Sprint(c.roots)}
		if c.kind == resultKind {
			k.obj += fmt.Sprint(c.pos) // each returned value is its own defect
		}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], c)
	}
	for _, k := range order {
		g := groups[k]
		slices.SortStableFunc(g, func(x, y *candidate) int { return cmp.Compare(x.pos, y.pos) })
		a.reportGroup(r, files, g)
	}
}

func (a *analyzer) reportGroup(r *report.Reporter, files *rawsrc.Files, g []*candidate) {
	first := g[0]
	name := objectName(first.roots)
	field := fieldName(first.named, first.path)
	shown := name
	if shown == "" {
		shown = "the " + first.named.Obj().Name()
	}
	how := "frees " + shown + "." + field
	if first.rel.sink != "C.free" {
		how = "releases " + shown + "." + field + " with " + first.rel.sink
	}
	set := "finalizer set"
	if first.reg.kind == "cleanup" {
		set = "cleanup added"
	}
	regFn, _ := lift(first.reg.call)
	prefix := fmt.Sprintf("the %s in %s %s; ", set, bridge.FuncLabel(regFn.Parent()), how)
	related := []analysis.RelatedInformation{{Pos: first.reg.call.Pos(), Message: "the " + set + " here"}}
	// The events whose end the object must outlive, in order.
	var ends []token.Pos
	for _, c := range g {
		ends = append(ends, c.pos)
	}
	for _, c := range g[1:] {
		related = append(related, analysis.RelatedInformation{Pos: c.pos, Message: "also passes " + shown + "." + field + " to " + c.sink})
	}
	var lastUse ssa.Instruction
	for _, c := range g {
		for _, u := range c.uses {
			if lastUse == nil || usePos(u) > usePos(lastUse) {
				lastUse = u
			}
		}
	}
	if lastUse != nil {
		ends = append(ends, usePos(lastUse))
		related = append(related, analysis.RelatedInformation{Pos: usePos(lastUse),
			Message: "the last use of what " + first.c.Sink.String() + " returned"})
	}
	d := analysis.Diagnostic{Pos: first.pos}
	switch first.kind {
	case resultKind:
		ret := first.returned[0]
		related = append(related, analysis.RelatedInformation{Pos: ret.Pos(), Message: "returned here"})
		what := "the pointer " + first.c.Sink.String() + " returned for " + shown + "." + field + " (memory the object may own)"
		if first.view {
			what = "a view of " + shown + "." + field
		}
		d.Message = prefix + fmt.Sprintf("%s returns %s, and nothing in the result keeps %s alive, "+
			"so the %s can free that memory while the caller still uses it; keep %s reachable from the result, or copy the memory",
			bridge.FuncLabel(first.outer), what, shown, first.reg.kind, shown)
	case goKind:
		msg := prefix + fmt.Sprintf("a goroutine %s starts passes %s.%s to %s and does not keep %s alive "+
			"(%s does not wait for it), so the %s can run while C still uses the memory",
			bridge.FuncLabel(first.outer.Parent()), shown, field, first.sink, shown, bridge.FuncLabel(first.outer.Parent()), first.reg.kind)
		a.finish(&d, files, msg, name, ends, "after the call in the goroutine")
	default:
		msg := prefix + fmt.Sprintf("%s passes %s.%s to %s and does not use %s after the call, "+
			"so the %s can run while C still uses the memory", bridge.FuncLabel(first.outer), shown, field, first.sink, shown, first.reg.kind)
		where := "after the call"
		if lastUse != nil {
			msg = prefix + fmt.Sprintf("%s passes %s.%s to %s and uses what it returns after its last use of %s, "+
				"so the %s can free the memory that pointer points into while it is in use",
				bridge.FuncLabel(first.outer), shown, field, first.sink, shown, first.reg.kind)
			where = "after the last use of what " + first.c.Sink.String() + " returned"
		}
		a.finish(&d, files, msg, name, ends, where)
	}
	d.Related = related
	r.ReportPath(d, r.Explain.Origins(first.base))
}

// finish completes a KeepAlive finding: the fix, when one can be built,
// and the advice.
func (a *analyzer) finish(d *analysis.Diagnostic, files *rawsrc.Files, msg, name string, ends []token.Pos, where string) {
	if name == "" {
		d.Message = msg + "; keep the object in a variable and add runtime.KeepAlive on it " + where
		return
	}
	d.Message = msg + fmt.Sprintf("; add runtime.KeepAlive(%s) %s", name, where)
	if fix, ok := keepAliveFix(files, name, ends); ok {
		d.SuggestedFixes = []analysis.SuggestedFix{fix}
		// Report in the file the edits are in (the user's, not cgo's
		// rewrite of it): drivers apply a fix to the file.
		if _, raw, ok := files.At(d.Pos); ok {
			d.Pos = raw
		}
	}
}

// usePos is where a use of a derived pointer happens.
func usePos(ins ssa.Instruction) token.Pos {
	if call, ok := ins.(*ssa.Call); ok {
		return call.Pos()
	}
	return ins.Pos()
}
