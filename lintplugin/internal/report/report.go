// Package report prefixes diagnostics with the check name and keeps one
// finding per line, so that a value seen by two rules is reported once.
package report

import (
	"fmt"
	"go/token"

	"github.com/cgoguard/cgoguard/lintplugin/internal/config"
	"github.com/cgoguard/cgoguard/lintplugin/internal/explain"
	"golang.org/x/tools/go/analysis"
)

// Reporter reports a check's diagnostics.
type Reporter struct {
	pass  *analysis.Pass
	check string
	lines map[string]bool
	// Explain explains findings and dropped candidates (nil: off).
	Explain *explain.Writer
}

// New returns a Reporter for the named check, explaining its findings
// when the settings ask for it.
func New(pass *analysis.Pass, check string, cfg *config.Config) *Reporter {
	return &Reporter{pass: pass, check: check, lines: make(map[string]bool), Explain: explain.For(pass, check, cfg)}
}

// Reportf reports at pos, unless pos is invalid or the line already has a
// finding of this check.
func (r *Reporter) Reportf(pos token.Pos, format string, args ...any) {
	r.Report(analysis.Diagnostic{Pos: pos, Message: fmt.Sprintf(format, args...)})
}

// ReportPathf is Reportf with the path that led to the finding, for the
// explain mode.
func (r *Reporter) ReportPathf(pos token.Pos, path []string, format string, args ...any) {
	r.ReportPath(analysis.Diagnostic{Pos: pos, Message: fmt.Sprintf(format, args...)}, path)
}

// Report is Reportf for a prepared diagnostic (suggested fixes included);
// the message gets the check-name prefix.
func (r *Reporter) Report(d analysis.Diagnostic) {
	r.ReportPath(d, nil)
}

// ReportPath reports d and, in explain mode, the path that led to it
// (see explain.Writer.Origins).
func (r *Reporter) ReportPath(d analysis.Diagnostic, path []string) {
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
	r.Explain.Finding(d, path)
}
