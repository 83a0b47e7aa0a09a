package lintplugin

import (
	"slices"

	"golang.org/x/tools/go/analysis"

	"github.com/cgoguard/cgoguard/lintplugin/cgocallback"
	"github.com/cgoguard/cgoguard/lintplugin/cgofinalizer"
	"github.com/cgoguard/cgoguard/lintplugin/cgofree"
	"github.com/cgoguard/cgoguard/lintplugin/cgohandle"
	"github.com/cgoguard/cgoguard/lintplugin/cgoheader"
	"github.com/cgoguard/cgoguard/lintplugin/cgoleak"
	"github.com/cgoguard/cgoguard/lintplugin/cgomap"
	"github.com/cgoguard/cgoguard/lintplugin/cgoptr"
	"github.com/cgoguard/cgoguard/lintplugin/cgoretain"
	"github.com/cgoguard/cgoguard/lintplugin/internal/engine"
	"github.com/cgoguard/cgoguard/lintplugin/internal/suppress"
)

// A Check is an analyzer and the README's snippets for it: documentation
// is data, so the README's check table and `cgoguard help CHECK` are
// generated from it and cannot drift (see readme_test.go).
type Check struct {
	// Analyzer is the check on the default engine (engine.Default);
	// New builds it on another (a configured one).
	Analyzer  *analysis.Analyzer
	New       func(eng *analysis.Analyzer) *analysis.Analyzer
	Bad, Good string // Go code the check flags, and the fix it is silent on
}

var checks = []Check{
	{cgomap.Analyzer, cgomap.New, cgomap.Bad, cgomap.Good},
	{cgoptr.Analyzer, cgoptr.New, cgoptr.Bad, cgoptr.Good},
	{cgoretain.Analyzer, cgoretain.New, cgoretain.Bad, cgoretain.Good},
	{cgofree.Analyzer, cgofree.New, cgofree.Bad, cgofree.Good},
	{cgoleak.Analyzer, cgoleak.New, cgoleak.Bad, cgoleak.Good},
	{cgofinalizer.Analyzer, cgofinalizer.New, cgofinalizer.Bad, cgofinalizer.Good},
	{cgohandle.Analyzer, cgohandle.New, cgohandle.Bad, cgohandle.Good},
	{cgocallback.Analyzer, cgocallback.New, cgocallback.Bad, cgocallback.Good},
	{cgoheader.Analyzer, cgoheader.New, cgoheader.Bad, cgoheader.Good},
}

// Checks returns every cgoguard check's analyzer, as the check package
// defines it, in the order the README lists them.
func Checks() []*analysis.Analyzer {
	out := make([]*analysis.Analyzer, len(checks))
	for i, c := range checks {
		out[i] = c.Analyzer
	}
	return out
}

// CheckNames returns the names of every check, in the README's order.
func CheckNames() []string {
	out := make([]string, len(checks))
	for i, c := range checks {
		out[i] = c.Analyzer.Name
	}
	return out
}

// Docs returns every check with its snippets, in the README's order.
func Docs() []Check { return append([]Check(nil), checks...) }

// Analyzers returns the suite as the vet tool runs it: the cgoguard
// analyzer (Self) and every check, each honouring the
// //cgoguard:ignore directives (suppress.Wrap). The tool's -CHECK flags
// choose among them.
func Analyzers() []*analysis.Analyzer { return suite(Checks()) }

// Select returns the suite the settings ask for: the cgoguard analyzer and
// the checks enabled, each honouring the //cgoguard:ignore directives, on
// an engine configured by the settings.
func Select(s Settings) []*analysis.Analyzer {
	eng := engine.New(s.config())
	var chosen []*analysis.Analyzer
	for _, c := range checks {
		name := c.Analyzer.Name
		if (len(s.Enable) == 0 || slices.Contains(s.Enable, name)) && !slices.Contains(s.Disable, name) {
			chosen = append(chosen, c.New(eng))
		}
	}
	return suite(chosen)
}

// suite is the one place where the suite is assembled: a new check needs
// only its line in checks.
func suite(checks []*analysis.Analyzer) []*analysis.Analyzer {
	out := []*analysis.Analyzer{Self}
	for _, a := range checks {
		out = append(out, suppress.Wrap(a))
	}
	return out
}
