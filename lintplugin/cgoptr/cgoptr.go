// Package cgoptr defines an Analyzer that checks cgo's pointer-passing
// rules: Go memory passed to C must hold no unpinned Go pointers, C memory
// must not receive them, and //export functions must not return them.
package cgoptr

import (
	"fmt"
	"go/ast"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/bridge"
	"github.com/cgoguard/cgoguard/lintplugin/internal/cgoshape"
	"github.com/cgoguard/cgoguard/lintplugin/internal/engine"
	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
	"github.com/cgoguard/cgoguard/lintplugin/internal/rawsrc"
	"github.com/cgoguard/cgoguard/lintplugin/internal/report"
)

const Doc = `report Go pointers that break cgo's pointer-passing rules

C may follow or keep what Go hands it, but the garbage collector moves
and frees Go memory it believes unreachable. cgo therefore allows passing
a Go pointer to C only if the Go memory it points to holds no unpinned Go
pointers (for a pointer to a field, only the field counts; for a pointer
to an element, the whole array), forbids storing unpinned Go pointers in
C memory, and forbids //export functions to return them (and so strings,
slices, maps, channels and funcs). The check follows what is stored in
Go memory before it crosses, through local aliases and copies, deferred
calls included; nil, C memory, integers that came from pointers, and
memory pinned with runtime.Pinner are fine. It stays silent where it
cannot tell. Pin the pointer with runtime.Pinner, copy the data into C
memory, or pass a cgo.Handle.`

var Analyzer = New(engine.Default)

// New returns the check running on the engine analyzer eng (see
// engine.New).
func New(eng *analysis.Analyzer) *analysis.Analyzer { return engine.Check(eng, "cgoptr", Doc, run) }

type checker struct {
	pass *analysis.Pass
	res  *bridge.Result
	r    *report.Reporter
	rets map[*ssa.Function]int // returnsGo: 0 unknown, 1 in progress or no, 2 yes
	// related holds the positions noted for the finding being built,
	// path the explain mode's origins of the crossing value.
	related []analysis.RelatedInformation
	path    []string
	src     srcIndex
	raw     *rawsrc.Files
	rawIdx  map[*ast.File]srcIndex
}

func run(pass *analysis.Pass, e *engine.Result) (any, error) {
	res := e.Bridge
	if res == nil || res.Pkg == nil {
		return nil, nil
	}
	c := &checker{pass: pass, res: res, r: report.New(pass, "cgoptr", e.Config), rets: make(map[*ssa.Function]int)}
	for _, fn := range res.SrcFuncs {
		for _, x := range res.Crossings(fn) {
			c.crossing(x)
		}
	}
	return nil, nil
}

func (c *checker) crossing(x bridge.Crossing) {
	c.related = nil
	if x.Unchecked {
		// C sees the memory as integers (see bridge.Crossing).
		c.r.Explain.Dropped(x.Pos, "the value passed to "+x.Sink.String(),
			"cgo does not pointer-check this argument: the C parameter type cannot point to pointers")
		return
	}
	c.path = c.r.Explain.Origins(x.Value)
	x.Pos = c.reportPos(x)
	switch {
	case isReturn(x.Instr):
		c.exportResult(x)
	case x.Elems && x.Mode == bridge.InMemory:
		c.elemsInMemory(x)
	case x.Mode == bridge.InMemory:
		c.inMemory(x)
	case x.Elems:
		// Each element of a slice is passed on as an argument: where
		// the elements are known, the bridge has split them already.
	default:
		c.argument(x)
	}
}

// reportPos is where to report a crossing: the value's position when it
// is on the line of the call, store or return, the instruction's
// otherwise (a variable defined lines earlier and passed to a wrapper).
func (c *checker) reportPos(x bridge.Crossing) token.Pos {
	ip := x.Instr.Pos()
	if !x.Pos.IsValid() || !ip.IsValid() || cgoshape.InGeneratedFile(c.pass.Fset, ip) {
		return x.Pos
	}
	a, b := c.pass.Fset.Position(x.Pos), c.pass.Fset.Position(ip)
	if a.Filename != b.Filename || a.Line == b.Line {
		return x.Pos
	}
	return ip
}

func isReturn(ins ssa.Instruction) bool {
	_, ok := ins.(*ssa.Return)
	return ok
}

// A finding is a Go pointer found in memory C gets.
type finding struct {
	held  bridge.Held
	root  ssa.Value // the held value's root that is Go memory
	where string    // "at .p", "at [1]"
}

// argument checks a pointer passed to C: the Go memory it points to (the
// field, or the whole array for an element) must hold no unpinned Go
// pointers when the call runs.
func (c *checker) argument(x bridge.Crossing) {
	if bridge.IsAggregate(x.Value.Type()) {
		// A C struct passed by value: each pointer in it is passed to
		// C as an argument would be.
		for _, h := range c.res.Inside(x.Value) {
			if flow.IsPointer(h.Value.Type()) {
				y := x
				y.Value = h.Value
				c.argument(y)
			}
		}
		return
	}
	for _, site := range flow.Sites(x.Instr) {
		f, pl, ok := c.pointsToGoPointer(x.Value, site)
		if !ok {
			continue
		}
		what := c.name(x.Value)
		if what == "a Go pointer" || strings.Contains(what, "(...)") {
			what = c.name(pl.Obj) + pathSuffix(pl)
		}
		when := ""
		if isDeferred(x.Instr) {
			when = " by the time the deferred call runs"
		}
		fix := fmt.Sprintf("pin %s with a runtime.Pinner for as long as C uses it, "+
			"allocate the memory with C.malloc, or pass a cgo.Handle", c.name(f.root))
		if t := f.held.Value.Type(); !pinnable(t) {
			fix = kindFix(t)
		}
		c.reportf(x.Pos, "%s %s points to Go memory that holds the Go pointer %s%s%s: "+
			"Go memory passed to C must not contain unpinned Go pointers; %s",
			what, passedTo(x), c.name(f.root), when, detail(f.where, c.at(x.Pos, f.held)), fix)
		return
	}
}

// pointsToGoPointer reports the first unpinned Go pointer held, at site,
// in the Go memory the pointer v points to (the field, or the whole array
// for an element), and the place v points to.
func (c *checker) pointsToGoPointer(v ssa.Value, site ssa.Instruction) (finding, bridge.Place, bool) {
	for _, pl := range c.res.Places(v) {
		region := pl
		if n := len(pl.Path); n > 0 && pl.Path[n-1].Field < 0 {
			region.Path = pl.Path[:n-1]
		}
		if f, ok := c.firstGoPointer(c.res.Holds(region, site), region, site); ok {
			return f, pl, true
		}
	}
	return finding{}, bridge.Place{}, false
}

// inMemory checks a value stored in C memory, or placed (by a wrapper)
// in memory C reads: it must not be, or hold, an unpinned Go pointer.
func (c *checker) inMemory(x bridge.Crossing) {
	site := x.Instr
	held := c.res.Inside(x.Value)
	for _, h := range held {
		gp := c.goPointer(h.Value, 0)
		if gp == nil || c.res.Pinned(h.Value, site) {
			continue
		}
		fix := fmt.Sprintf("pin %s with a runtime.Pinner first (and unpin it only once C no longer holds it), "+
			"copy the data into C memory, or store a cgo.Handle", c.name(gp))
		if !pinnable(h.Value.Type()) {
			fix = kindFix(h.Value.Type())
		}
		if len(h.Path) == 0 && h.At == nil {
			c.reportf(x.Pos, "Go pointer %s%s %s: the garbage collector does not see pointers in C memory "+
				"and may move or free what it points to; %s",
				c.name(gp), detail(c.taken(x.Pos, gp)), storedIn(x), fix)
		} else {
			c.reportf(x.Pos, "value %s holds the Go pointer %s%s: the garbage collector does not see "+
				"pointers in C memory and may move or free what it points to; %s",
				storedIn(x), c.name(gp),
				detail(where(x.Value.Type(), h.Path, c.pass.Pkg), c.at(x.Pos, h)), fix)
		}
		return
	}
}

// elemsInMemory checks the elements of a slice copied into C memory.
func (c *checker) elemsInMemory(x bridge.Crossing) {
	for _, pl := range c.res.Places(x.Value) {
		if f, ok := c.firstGoPointer(c.res.Holds(pl, x.Instr), pl, x.Instr); ok {
			c.reportf(x.Pos, "copy into C memory copies the Go pointer %s%s: the garbage collector "+
				"does not see pointers in C memory and may move or free what it points to; pin it with a "+
				"runtime.Pinner first, copy the data itself into C memory, or store a cgo.Handle",
				c.name(f.root), detail(f.where+" of "+c.name(pl.Obj), c.at(x.Pos, f.held)))
			return
		}
	}
}

// exportResult checks what an //export function returns to C.
func (c *checker) exportResult(x bridge.Crossing) {
	name := x.Sink.Export
	for _, h := range c.res.Inside(x.Value) {
		gp := c.goPointer(h.Value, 0)
		if gp == nil {
			continue
		}
		t := h.Value.Type()
		if pinnable(t) && c.res.Pinned(h.Value, x.Instr) {
			// A pinned pointer may be returned, but what it points to
			// must hold no unpinned Go pointers either.
			if f, pl, ok := c.pointsToGoPointer(h.Value, x.Instr); ok {
				fix := fmt.Sprintf("pin %s too, or keep the data in C memory", c.name(f.root))
				if ft := f.held.Value.Type(); !pinnable(ft) {
					fix = kindFix(ft)
				}
				c.reportf(x.Pos, "exported %s returns the pinned pointer %s to Go memory that holds the unpinned "+
					"Go pointer %s%s: C may follow it while the garbage collector moves or frees it; %s",
					name, c.name(pl.Obj)+pathSuffix(pl), c.name(f.root),
					detail(f.where, c.at(x.Pos, f.held)), fix)
				return
			}
			continue
		}
		in := detail(c.taken(x.Pos, gp))
		if len(h.Path) > 0 || h.At != nil {
			in = " inside its result" + detail(where(x.Value.Type(), h.Path, c.pass.Pkg), c.at(x.Pos, h))
		}
		if !pinnable(t) {
			c.reportf(x.Pos, "exported %s returns %s %s%s to C: C must not keep Go memory; %s",
				name, kindName(t), c.name(gp), in, kindFix(t))
		} else {
			c.reportf(x.Pos, "exported %s returns the unpinned Go pointer %s%s to C: C must not keep Go "+
				"pointers the garbage collector may move or free; return C memory (C.malloc), pin it with a "+
				"runtime.Pinner, or return a cgo.Handle", name, c.name(gp), in)
		}
		return
	}
}

// firstGoPointer returns the first value held in the region that is a
// Go pointer not pinned at site.
func (c *checker) firstGoPointer(held []bridge.Held, region bridge.Place, site ssa.Instruction) (finding, bool) {
	for _, h := range held {
		root := c.goPointer(h.Value, 0)
		if root == nil || c.res.Pinned(h.Value, site) {
			continue
		}
		return finding{held: h, root: root, where: where(typeOfObj(region.Obj), h.Path, c.pass.Pkg)}, true
	}
	return finding{}, false
}

func isDeferred(ins ssa.Instruction) bool { return flow.Deferred(ins) }

func passedTo(x bridge.Crossing) string {
	s := "passed to " + x.Sink.String()
	if isDeferred(x.Instr) {
		s = "passed to the deferred " + x.Sink.String()
	}
	if len(x.Via) > 0 {
		s += " via " + strings.Join(x.Via, ", then ")
	}
	return s
}

func storedIn(x bridge.Crossing) string {
	if x.Sink.InMemory() {
		return "stored in " + x.Sink.String()
	}
	s := "placed in memory read by " + x.Sink.String()
	if len(x.Via) > 0 {
		s += " via " + strings.Join(x.Via, ", then ")
	}
	return s
}

// detail renders " (at .p, stored at line 12)" from its non-empty parts.
func detail(parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p != "" && !strings.HasPrefix(p, " of ") {
			keep = append(keep, p)
		}
	}
	if len(keep) == 0 {
		return ""
	}
	return " (" + strings.Join(keep, ", ") + ")"
}

// taken notes where the memory a Go pointer leads to was allocated, when
// not on the line reported, as a related position of the finding.
func (c *checker) taken(report token.Pos, root ssa.Value) string {
	pos := root.Pos()
	if !pos.IsValid() || cgoshape.InGeneratedFile(c.pass.Fset, pos) {
		return ""
	}
	p, r := c.pass.Fset.Position(pos), c.pass.Fset.Position(report)
	if p.Filename != r.Filename || p.Line != r.Line {
		c.note(pos, c.name(root)+" allocated here")
	}
	return ""
}

// at notes where a held value was stored, as a related position.
func (c *checker) at(report token.Pos, h bridge.Held) string {
	if h.At == nil {
		return ""
	}
	pos := h.At.Pos()
	if !pos.IsValid() {
		pos = h.Value.Pos()
	}
	if pos.IsValid() && pos != report {
		c.note(pos, c.name(h.Value)+" stored here")
	}
	return ""
}

// note adds a related position to the next finding: messages name other
// events in words, never by line number.
func (c *checker) note(pos token.Pos, msg string) {
	c.related = append(c.related, analysis.RelatedInformation{Pos: pos, Message: msg})
}

// reportf reports a finding with the positions noted since the last one.
func (c *checker) reportf(pos token.Pos, format string, args ...any) {
	c.r.ReportPath(analysis.Diagnostic{Pos: pos, Message: fmt.Sprintf(format, args...), Related: c.related}, c.path)
	c.related = nil
}
