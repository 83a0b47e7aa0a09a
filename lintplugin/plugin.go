// Package lintplugin is the cgoguard golangci-lint module plugin: it
// registers the linter "cgoguard", whose settings choose among the checks
// listed by Checks. The checks themselves live in one package each and do
// not depend on golangci-lint.
package lintplugin

import (
	"fmt"
	"os"
	"strings"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"
)

// Name is the linter name in .golangci.yml.
const Name = "cgoguard"

func init() { register.Plugin(Name, newOrExit) }

// New builds the plugin from golangci-lint's raw settings
// (linters.settings.custom.cgoguard.settings).
func New(raw any) (register.LinterPlugin, error) {
	s, err := DecodeSettings(raw)
	if err != nil {
		return nil, err
	}
	analyzers := Select(s)
	for i, a := range analyzers {
		analyzers[i] = withoutNamePrefix(a)
	}
	return plugin{analyzers}, nil
}

// failureExit is golangci-lint's exit code for a failed run
// (exitcodes.Failure).
const failureExit = 3

// newOrExit is New for golangci-lint, which prints an error of a plugin's
// constructor twice ("Error: ..." from its command library, then "The
// command is terminated due to an error: ...") behind its own wrapping; a
// settings error is printed once, as cgoguard's, and ends the run the way
// golangci-lint's own errors do.
func newOrExit(raw any) (register.LinterPlugin, error) {
	p, err := New(raw)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(failureExit)
	}
	return p, nil
}

// withoutNamePrefix adapts a check to golangci-lint, which prefixes each
// message of a multi-analyzer plugin with the analyzer's name (unless it
// is the linter's): our messages already begin with it (for go vet and the
// standalone tool, which do not). golangci-lint also turns each related
// position into an issue of its own ("cgofree(related information): ..."),
// which //nolint on the finding's line does not reach; the messages name
// the other events in words, so the positions are dropped here.
func withoutNamePrefix(a *analysis.Analyzer) *analysis.Analyzer {
	wrapped := *a
	prefix := a.Name + ": "
	wrapped.Run = func(pass *analysis.Pass) (any, error) {
		p := *pass
		p.Report = func(d analysis.Diagnostic) {
			d.Message = strings.TrimPrefix(d.Message, prefix)
			d.Related = nil
			pass.Report(d)
		}
		return a.Run(&p)
	}
	return &wrapped
}

type plugin struct{ analyzers []*analysis.Analyzer }

func (p plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) { return p.analyzers, nil }

// GetLoadMode asks for type information: the checks build SSA.
func (plugin) GetLoadMode() string { return register.LoadModeTypesInfo }
