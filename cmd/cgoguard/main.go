// Command cgoguard runs the cgoguard checks without golangci-lint:
//
//	cgoguard ./...
//	go vet -vettool=$(command -v cgoguard) ./...
//
// Each check has a flag of its own (-cgomap=false turns cgomap off); run
// `cgoguard help` for the checks, the directives and the exit codes, and
// `cgoguard help <check>` for one check's documentation.
//
// The driver is x/tools' multichecker; main only adds what it lacks:
// -version, a -V=full that names the version, cgoguard's own help, and
// build tags for the standalone route.
package main

import (
	"flag"
	"fmt"
	"os"

	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/cgoguard/cgoguard/lintplugin"
)

func main() {
	analyzers := lintplugin.Analyzers()
	args, goflags, err := prepareArgs(os.Args[1:], analyzers, os.Getenv("GOFLAGS"))
	if err != nil {
		fmt.Fprintf(os.Stderr, "cgoguard: %v\n", err)
		os.Exit(exitUsage)
	}
	os.Args = append(os.Args[:1], args...)
	if goflags != os.Getenv("GOFLAGS") {
		// Read by the package loader (go list).
		if err := os.Setenv("GOFLAGS", goflags); err != nil {
			fmt.Fprintf(os.Stderr, "cgoguard: -tags: %v\n", err)
			os.Exit(exitUsage)
		}
	}

	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(exitUsage)
	}
	if args[0] == "help" {
		out, code := help(args[1:])
		if code == exitOK {
			fmt.Print(out)
		} else {
			fmt.Fprint(os.Stderr, out)
		}
		os.Exit(code)
	}

	// Registered before multichecker registers its own: it skips -V when
	// the flag exists.
	flag.Var(versionFlag{}, "V", "print version and exit (-V=full: the form go vet asks for)")
	flag.Var(versionFlag{short: true}, "version", "print cgoguard's version and commit, and exit")
	lintplugin.EngineFlags(flag.CommandLine)
	flag.Usage = func() {
		fmt.Fprint(os.Stderr, usage+"\nFlags:\n")
		flag.PrintDefaults()
	}
	multichecker.Main(analyzers...)
}
