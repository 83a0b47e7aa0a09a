// Package lintplugin is the cgoguard golangci-lint module plugin: it
// registers the linter "cgoguard", whose settings choose among the checks
// listed by Checks. The checks themselves live in one package each and do
// not depend on golangci-lint.
package lintplugin

import (
	"fmt"
	"strings"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"
)

// Name is the linter name in .golangci.yml.
const Name = "cgoguard"

func init() { register.Plugin(Name, New) }

// Settings is linters.settings.custom.cgoguard.settings in .golangci.yml.
type Settings struct {
	// Disable lists checks to turn off, by name (see Checks).
	Disable []string `json:"disable"`
}

// New builds the plugin from golangci-lint's raw settings.
func New(raw any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](raw)
	if err != nil {
		return nil, fmt.Errorf("%s: linters.settings.custom.%s.settings: %w", Name, Name, err)
	}
	analyzers, err := Select(s)
	if err != nil {
		return nil, err
	}
	for i, a := range analyzers {
		analyzers[i] = withoutNamePrefix(a)
	}
	return plugin{analyzers}, nil
}

// withoutNamePrefix adapts a check to golangci-lint, which prefixes each
// message of a multi-analyzer plugin with the analyzer's name: our messages
// already begin with it (for go vet and the standalone tool, which do not).
// golangci-lint also turns each related position into an issue of its own
// ("cgofree(related information): ..."), which //nolint on the finding's
// line does not reach; the messages name the other events in words, so
// the positions are dropped here.
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
