// Package explain writes the explain mode's account of a run: for each
// finding, the path the engine followed (where the value comes from, each
// step, the events that make it a finding), and for each candidate a
// check dropped, why. It is off unless the settings turn it on (the vet
// tool's -explain flag, the plugin's explain setting); it writes to
// standard error, never into findings, so it changes no result.
package explain

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/config"
	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
)

// A Writer explains one check's decisions on one package. A nil Writer
// explains nothing, so checks call it unconditionally.
type Writer struct {
	w     io.Writer
	fset  *token.FileSet
	check string
}

// mu keeps the lines of one explanation together: checks run in parallel.
var mu sync.Mutex

// For returns the Writer of check on pass, or nil when explain mode is off.
func For(pass *analysis.Pass, check string, cfg *config.Config) *Writer {
	if cfg == nil || !cfg.Explain {
		return nil
	}
	w := cfg.ExplainTo
	if w == nil {
		w = os.Stderr
	}
	return &Writer{w: w, fset: pass.Fset, check: check}
}

func (x *Writer) where(pos token.Pos) string {
	if !pos.IsValid() {
		return "-"
	}
	p := x.fset.Position(pos)
	return fmt.Sprintf("%s:%d:%d", filepath.Base(p.Filename), p.Line, p.Column)
}

func (x *Writer) write(lines []string) {
	mu.Lock()
	defer mu.Unlock()
	// Explanations are best effort: a failed write loses nothing the
	// findings carry.
	_, _ = fmt.Fprint(x.w, strings.Join(lines, "\n")+"\n")
}

// Finding explains a reported diagnostic: its events (the related
// positions) and the paths given.
func (x *Writer) Finding(d analysis.Diagnostic, path []string) {
	if x == nil {
		return
	}
	lines := []string{fmt.Sprintf("explain: %s: %s: finding: %s", x.where(d.Pos), x.check, d.Message)}
	for _, r := range d.Related {
		lines = append(lines, fmt.Sprintf("    event: %s: %s", x.where(r.Pos), r.Message))
	}
	for _, p := range path {
		lines = append(lines, "    "+p)
	}
	x.write(lines)
}

// Dropped explains a candidate the check did not report.
func (x *Writer) Dropped(pos token.Pos, what, why string) {
	if x == nil {
		return
	}
	x.write([]string{fmt.Sprintf("explain: %s: %s: dropped %s: %s", x.where(pos), x.check, what, why)})
}

// Origins renders where v comes from, one line per step, root first:
// "origin: new(int) at a.go:10:7", "then: read from variable x at ...".
func (x *Writer) Origins(v ssa.Value) []string {
	if x == nil || v == nil {
		return nil
	}
	var out []string
	for _, o := range flow.Trace(v) {
		for i, st := range o.Steps {
			kind := "then"
			if i == 0 {
				kind = "origin"
			}
			out = append(out, fmt.Sprintf("%s: %s at %s", kind, st.How, x.where(st.Pos)))
		}
	}
	return out
}
