// Package engine is the analysis every cgoguard check requires: it builds
// the package's SSA form and finds where values cross into C (bridge),
// reads the C side (csummary), and summarises what each function does to
// C memory and handles (summary), exporting both kinds of facts. One
// engine analyzer serves all the checks of a run; New makes one for a
// configuration, and Default is the one for the default settings.
package engine

import (
	"reflect"

	"golang.org/x/tools/go/analysis"

	"github.com/cgoguard/cgoguard/lintplugin/internal/bridge"
	"github.com/cgoguard/cgoguard/lintplugin/internal/config"
	"github.com/cgoguard/cgoguard/lintplugin/internal/csummary"
	"github.com/cgoguard/cgoguard/lintplugin/internal/failure"
	"github.com/cgoguard/cgoguard/lintplugin/internal/summary"
)

// Result is what the engine found in a package. Bridge.Pkg is nil when the
// package cannot be affected (no cgo, no wrappers, no guard) or does not
// type-check; the checks then have nothing to do.
type Result struct {
	Config  *config.Config
	Bridge  *bridge.Result
	Summary *summary.Result
}

// New returns an engine analyzer for the settings cfg (read when the
// analyzer runs, so a driver may fill cfg after building the analyzers,
// as the vet tool does from its flags).
func New(cfg *config.Config) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name: "cgoguard_engine",
		Doc: `find where Go values cross into C and summarise functions

Shared by the cgoguard checks; it reports nothing itself.`,
		Run: func(pass *analysis.Pass) (_ any, err error) {
			defer failure.Recover("the cgoguard engine", pass.Pkg.Path(), &err)
			if err := csummary.ConfigureFromEnv(); err != nil {
				return nil, err
			}
			b := bridge.Analyze(pass, cfg.C)
			return &Result{Config: cfg, Bridge: b, Summary: summary.Analyze(pass, b)}, nil
		},
		RunDespiteErrors: true,
		FactTypes:        []analysis.Fact{new(bridge.ReachesC), new(summary.Fact)},
		ResultType:       reflect.TypeFor[*Result](),
	}
}

// DefaultConfig is the settings of Default: the vet tool's flags write
// into it, and the checks' package-level analyzers read it.
var DefaultConfig = config.Default()

// Default is the engine with the default settings, which the checks'
// package-level analyzers require.
var Default = New(DefaultConfig)

// Of returns the engine's result for the pass of a check that requires
// the engine analyzer eng.
func Of(pass *analysis.Pass, eng *analysis.Analyzer) *Result {
	r, _ := pass.ResultOf[eng].(*Result)
	if r == nil {
		return &Result{Config: config.Default(), Bridge: &bridge.Result{}, Summary: &summary.Result{}}
	}
	return r
}

// Check builds a check's analyzer on the engine analyzer eng: it requires
// the engine, runs on ill-typed packages too (the engine stays silent on
// them), and turns a panic of run into an error that names the check.
func Check(eng *analysis.Analyzer, name, doc string, run func(*analysis.Pass, *Result) (any, error)) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:     name,
		Doc:      doc,
		URL:      "https://github.com/cgoguard/cgoguard#" + name,
		Requires: []*analysis.Analyzer{eng},
		Run: func(pass *analysis.Pass) (_ any, err error) {
			defer failure.Recover(name, pass.Pkg.Path(), &err)
			return run(pass, Of(pass, eng))
		},
		RunDespiteErrors: true,
	}
}
