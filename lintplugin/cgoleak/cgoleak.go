// Package cgoleak defines an Analyzer that reports C memory a function
// allocates and neither frees nor hands on before it returns.
package cgoleak

import (
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/cgoguard/cgoguard/lintplugin/internal/engine"
	"github.com/cgoguard/cgoguard/lintplugin/internal/report"
	"github.com/cgoguard/cgoguard/lintplugin/internal/resource"
)

const Doc = `report C memory allocated and never freed on some path

C memory is not garbage collected: memory from C.CString, C.CBytes,
C.malloc or C.calloc (or cguard's allocators, or a C function whose body
returns freshly allocated memory) that a function neither frees, nor hands
on, before it returns leaks on that path, most often an early error
return. Handing on counts returning it, storing it in a field, a global,
a map, a slice or C memory, capturing it in a closure, and passing it to
Go code or to C code that keeps or frees it; the check reads the package's
C side to know which C functions only use their argument (those and the
libc functions that only read or write through a pointer, such as strlen,
memcpy and printf, keep the caller owning the memory), and the summaries
of Go functions to know which only borrow it (in this package or another). A path on which the
allocation is known to have failed (p == nil) owns nothing. When the
analysis cannot tell what code does with the memory it stays silent. Free
the memory on every path, typically with a defer right after the
allocation.`

var Analyzer = New(engine.Default)

// New returns the check running on the engine analyzer eng (see
// engine.New).
func New(eng *analysis.Analyzer) *analysis.Analyzer { return engine.Check(eng, "cgoleak", Doc, run) }

func run(pass *analysis.Pass, e *engine.Result) (any, error) {
	sum := e.Summary
	if sum.Events() == nil {
		return nil, nil
	}
	r := report.New(pass, "cgoleak", e.Config)
	for _, fn := range sum.SrcFuncs() {
		lr, ok := sum.Lifetime(fn, resource.Ownership)
		if !ok {
			continue
		}
		for _, l := range lr.Leaks {
			var related []analysis.RelatedInformation
			for _, ret := range l.Returns {
				related = append(related, analysis.RelatedInformation{Pos: ret, Message: "returns here without freeing it"})
			}
			r.Report(analysis.Diagnostic{Pos: l.Acquire.Pos, Related: related,
				Message: fmt.Sprintf("memory %s is not freed on some path to a return: C memory is not garbage collected, so it leaks; "+
					"free it with %s on every path (defer it right after the allocation) or hand it to code that does",
					l.Acquire.What, l.Acquire.Cause)})
		}
	}
	return nil, nil
}
