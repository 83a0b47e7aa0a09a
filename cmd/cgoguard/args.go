package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/cgoguard/cgoguard/lintplugin"
)

// prepareArgs rewrites the command line for multichecker:
//
//   - -tags (which multichecker accepts and ignores, for old vet scripts)
//     becomes GOFLAGS=-tags=..., which the package loader honours; go vet
//     keeps -tags for itself, so this only concerns the standalone route.
//   - When checks are chosen with -CHECK (multichecker then runs only the
//     analyzers named), -cgoguard is added unless given: the cgoguard
//     analyzer reports what would otherwise pass silently (cgo files not
//     analysed, malformed directives), whichever checks run.
//
// goflags is $GOFLAGS; the result's goflags is what to set it to.
func prepareArgs(args []string, analyzers []*analysis.Analyzer, goflags string) (_ []string, _ string, err error) {
	names := make([]string, len(analyzers))
	for i, a := range analyzers {
		names[i] = a.Name
	}
	var out []string
	var tags *string
	chooses, self := false, false
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			out = append(out, args[i:]...)
			break
		}
		name, value, hasValue := flagParts(arg)
		switch {
		case name == "tags":
			if !hasValue {
				if i+1 == len(args) {
					return nil, "", fmt.Errorf("flag needs an argument: -tags")
				}
				i++
				value = args[i]
			}
			tags = &value
			continue
		case name == lintplugin.Name:
			self = true
		case slices.Contains(names, name):
			on, err := strconv.ParseBool(value)
			if !hasValue || err == nil && on {
				chooses = true
			}
		}
		out = append(out, arg)
	}
	if tags != nil {
		list := strings.Join(strings.FieldsFunc(*tags, func(r rune) bool { return r == ',' || r == ' ' }), ",")
		goflags = strings.TrimSpace(goflags + " -tags=" + list)
	}
	if chooses && !self {
		out = append([]string{"-" + lintplugin.Name}, out...)
	}
	return out, goflags, nil
}

// flagParts splits "-name=value" or "--name" into its parts; name is ""
// for an argument that is not a flag.
func flagParts(arg string) (name, value string, hasValue bool) {
	if len(arg) < 2 || arg[0] != '-' {
		return "", "", false
	}
	arg = strings.TrimPrefix(arg[1:], "-")
	name, value, hasValue = strings.Cut(arg, "=")
	return name, value, hasValue
}
