package lintplugin

import (
	"fmt"
	"slices"
	"strings"

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
)

// A Check is an analyzer and the README's snippets for it: documentation
// is data, so the README's check table is generated from it and cannot
// drift (see readme_test.go).
type Check struct {
	Analyzer  *analysis.Analyzer
	Bad, Good string // Go code the check flags, and the fix it is silent on
}

var checks = []Check{
	{cgomap.Analyzer, cgomap.Bad, cgomap.Good},
	{cgoptr.Analyzer, cgoptr.Bad, cgoptr.Good},
	{cgoretain.Analyzer, cgoretain.Bad, cgoretain.Good},
	{cgofree.Analyzer, cgofree.Bad, cgofree.Good},
	{cgoleak.Analyzer, cgoleak.Bad, cgoleak.Good},
	{cgofinalizer.Analyzer, cgofinalizer.Bad, cgofinalizer.Good},
	{cgohandle.Analyzer, cgohandle.Bad, cgohandle.Good},
	{cgocallback.Analyzer, cgocallback.Bad, cgocallback.Good},
	{cgoheader.Analyzer, cgoheader.Bad, cgoheader.Good},
}

// Checks returns every cgoguard analyzer, in the order the README lists
// them.
func Checks() []*analysis.Analyzer {
	out := make([]*analysis.Analyzer, len(checks))
	for i, c := range checks {
		out[i] = c.Analyzer
	}
	return out
}

// Select returns the checks the settings leave enabled, or an error naming
// the offending setting.
func Select(s Settings) ([]*analysis.Analyzer, error) {
	all := Checks()
	names := make([]string, len(all))
	for i, a := range all {
		names[i] = a.Name
	}
	for _, d := range s.Disable {
		if !slices.Contains(names, d) {
			return nil, fmt.Errorf("%s: linters.settings.custom.%s.settings.disable: unknown check %q (known checks: %s)",
				Name, Name, d, strings.Join(names, ", "))
		}
	}
	var out []*analysis.Analyzer
	for _, a := range all {
		if !slices.Contains(s.Disable, a.Name) {
			out = append(out, a)
		}
	}
	return out, nil
}
