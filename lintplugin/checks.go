package lintplugin

import (
	"fmt"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/cgoguard/cgoguard/lintplugin/cgomap"
)

// Checks returns every cgoguard check, in the order the README lists them.
func Checks() []*analysis.Analyzer {
	return []*analysis.Analyzer{
		cgomap.Analyzer,
	}
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
