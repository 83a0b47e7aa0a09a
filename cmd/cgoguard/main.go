// Command cgoguard runs the cgoguard checks without golangci-lint:
//
//	cgoguard ./...
//	go vet -vettool=$(command -v cgoguard) ./...
//
// Each check has a flag of its own (-cgomap=false turns cgomap off); run
// `cgoguard help` for the list and `cgoguard help <check>` for one check's
// documentation.
package main

import (
	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/cgoguard/cgoguard/lintplugin"
)

func main() { multichecker.Main(lintplugin.Checks()...) }
