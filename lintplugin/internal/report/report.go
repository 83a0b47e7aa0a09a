// Package report prefixes diagnostics with the check name and keeps one
// finding per line, so that a value seen by two rules is reported once.
package report

import (
	"fmt"
	"go/token"

	"golang.org/x/tools/go/analysis"
)

// Reporter reports a check's diagnostics.
type Reporter struct {
	pass  *analysis.Pass
	check string
	lines map[string]bool
}

// New returns a Reporter for the named check.
func New(pass *analysis.Pass, check string) *Reporter {
	return &Reporter{pass: pass, check: check, lines: make(map[string]bool)}
}

// Reportf reports at pos, unless pos is invalid or the line already has a
// finding of this check.
func (r *Reporter) Reportf(pos token.Pos, format string, args ...any) {
	r.Report(analysis.Diagnostic{Pos: pos, Message: fmt.Sprintf(format, args...)})
}

// Report is Reportf for a prepared diagnostic (suggested fixes included);
// the message gets the check-name prefix.
func (r *Reporter) Report(d analysis.Diagnostic) {
	if !d.Pos.IsValid() {
		return
	}
	p := r.pass.Fset.Position(d.Pos)
	key := fmt.Sprintf("%s:%d", p.Filename, p.Line)
	if r.lines[key] {
		return
	}
	r.lines[key] = true
	d.Message = r.check + ": " + d.Message
	d.Category = r.check
	r.pass.Report(d)
}
