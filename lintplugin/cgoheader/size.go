package cgoheader

import (
	"fmt"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/cgoshape"
	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
)

// A count is k*v + c, an integer the analysis can compare with another
// when both are constants (v nil) or multiples of the same SSA value.
type count struct {
	k, c int64
	v    ssa.Value
}

// maxCoef bounds the coefficients so that their products cannot overflow;
// larger counts are left undecided.
const maxCoef = 1 << 40

// linear writes v as a count: constants, widening integer conversions,
// +, -, * and << by constants. Anything else is a variable of its own.
func (c *checker) linear(v ssa.Value) (count, bool) {
	return c.linearDepth(v, 0)
}

// maxLinearDepth bounds the walk through nested arithmetic; sizes are
// short expressions.
const maxLinearDepth = 8

func (c *checker) linearDepth(v ssa.Value, depth int) (count, bool) {
	if depth > maxLinearDepth {
		return count{}, false
	}
	switch x := v.(type) {
	case *ssa.Const:
		if x.Value == nil || x.Value.Kind() != constant.Int {
			return count{}, false
		}
		n, exact := constant.Int64Val(x.Value)
		if !exact || n > maxCoef || n < -maxCoef {
			return count{}, false
		}
		return count{c: n}, true
	case *ssa.Convert:
		if c.widens(x.X.Type(), x.Type()) {
			return c.linearDepth(x.X, depth+1)
		}
	case *ssa.ChangeType:
		return c.linearDepth(x.X, depth+1)
	case *ssa.BinOp:
		a, ok1 := c.linearDepth(x.X, depth+1)
		b, ok2 := c.linearDepth(x.Y, depth+1)
		if !ok1 || !ok2 {
			return count{}, false
		}
		switch x.Op {
		case token.ADD:
			return a.add(b, 1)
		case token.SUB:
			return a.add(b, -1)
		case token.MUL:
			if a.v == nil {
				a, b = b, a
			}
			if b.v != nil {
				return count{}, false
			}
			return a.scale(b.c)
		case token.SHL:
			if b.v != nil || b.c < 0 || b.c > 40 {
				return count{}, false
			}
			return a.scale(1 << b.c)
		}
		return count{}, false
	}
	return count{k: 1, v: v}, true
}

func (a count) add(b count, sign int64) (count, bool) {
	if a.v != nil && b.v != nil && a.v != b.v {
		return count{}, false
	}
	v := a.v
	if v == nil {
		v = b.v
	}
	return count{k: a.k + sign*b.k, c: a.c + sign*b.c, v: v}.checked()
}

func (a count) scale(n int64) (count, bool) {
	if n > maxCoef || n < -maxCoef {
		return count{}, false
	}
	return count{k: a.k * n, c: a.c * n, v: a.v}.checked()
}

func (a count) checked() (count, bool) {
	ok := a.k <= maxCoef && a.k >= -maxCoef && a.c <= maxCoef && a.c >= -maxCoef
	if a.k == 0 {
		a.v = nil
	}
	return a, ok
}

// exceeds reports whether need is larger than have for every positive
// value of their common variable (a zero count allocates and needs
// nothing), or, for constants, whether it is larger.
func exceeds(need, have count) bool {
	if need.v == nil && have.v == nil {
		return need.c > have.c
	}
	if need.v != have.v && need.v != nil && have.v != nil {
		return false
	}
	if need.v == nil || have.v == nil {
		return false // one grows with a value the other does not see
	}
	dk, dc := need.k-have.k, need.c-have.c
	return dk >= 0 && dk+dc > 0 && need.k > 0
}

// widens reports whether converting from to to keeps every count: both
// integers, to at least as wide (int to C.size_t included: a negative
// count is no size).
func (c *checker) widens(from, to types.Type) bool {
	f, ok1 := from.Underlying().(*types.Basic)
	t, ok2 := to.Underlying().(*types.Basic)
	if !ok1 || !ok2 || f.Info()&types.IsInteger == 0 || t.Info()&types.IsInteger == 0 {
		return false
	}
	fs, ts := c.pass.TypesSizes.Sizeof(f), c.pass.TypesSizes.Sizeof(t)
	return ts >= fs
}

// An allocation is a C.malloc or C.calloc call and the bytes it asks for.
type allocation struct {
	call  *ssa.Call
	name  string
	bytes count
}

// allocOf returns the allocation a pointer comes from, when its only
// origin is C.malloc or C.calloc with a size the analysis can read.
func (c *checker) allocOf(ptr ssa.Value) (allocation, bool) {
	roots := flow.Roots(ptr)
	if len(roots) != 1 {
		return allocation{}, false
	}
	call, ok := roots[0].(*ssa.Call)
	if !ok {
		return allocation{}, false
	}
	name, ok := cgoshape.CCall(call.Common())
	args := call.Common().Args
	switch {
	case ok && name == "malloc" && len(args) == 1:
		n, ok := c.linear(args[0])
		return allocation{call, name, n}, ok
	case ok && name == "calloc" && len(args) == 2:
		n, ok1 := c.linear(args[0])
		size, ok2 := c.linear(args[1])
		if !ok1 || !ok2 {
			return allocation{}, false
		}
		if n.v == nil {
			n, size = size, n
		}
		if size.v != nil {
			return allocation{}, false
		}
		bytes, ok := n.scale(size.c)
		return allocation{call, name, bytes}, ok
	}
	return allocation{}, false
}

// checkOversizeHeader reports a header whose Cap (or Len) covers more
// than the C allocation its Data points at.
func (c *checker) checkOversizeHeader(h *header) {
	if h.form == unknown || len(h.data) != 1 || h.elem() == nil {
		return
	}
	a, ok := c.allocOf(h.data[0].Val)
	if !ok {
		return
	}
	size := c.pass.TypesSizes.Sizeof(h.elem())
	for _, f := range []struct {
		name   string
		stores []*ssa.Store
	}{{"Cap", h.cap}, {"Len", h.len}} {
		if len(f.stores) != 1 {
			continue
		}
		st := f.stores[0]
		n, ok := c.linear(st.Val)
		if !ok {
			continue
		}
		need, ok := n.scale(size)
		if !ok || !exceeds(need, a.bytes) {
			continue
		}
		of := ""
		if name := h.name(); name != "" {
			of = " of " + name
		}
		culprit := fmt.Sprintf("%s%s is %s", f.name, of, c.elements(c.sourceAt(st.Pos(), st.Val), h.elem()))
		c.reportOversize(st.Pos(), culprit, f.name, a, size)
		return
	}
}

// reportOversize reports a slice longer than its C allocation.
func (c *checker) reportOversize(pos token.Pos, culprit, field string, a allocation, size int64) {
	d := analysis.Diagnostic{
		Pos:     pos,
		Related: []analysis.RelatedInformation{related(a.call, "C."+a.name+" allocates the memory here")},
	}
	d.Message = fmt.Sprintf("%s, but %s allocates %s: the slice reaches past the end of the C allocation, "+
		"so accesses through it read or overwrite other memory; allocate %s × %d bytes, or lower %s to what was allocated",
		culprit, c.allocText(a), c.allocBytesText(a), field, size, field)
	c.add(kindOversize, d, nil)
}

// elements spells "n elements of 4 bytes (C.int)" for a count n of elem.
func (c *checker) elements(n string, elem types.Type) string {
	size := c.pass.TypesSizes.Sizeof(elem)
	if size == 1 {
		return n + " bytes"
	}
	return fmt.Sprintf("%s elements of %d bytes (%s)", n, size, cgoshape.TypeString(elem, c.pass.Pkg))
}
