package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/cgoguard/cgoguard/internal/suggest"
	"github.com/cgoguard/cgoguard/lintplugin"
)

// Exit codes, as x/tools' multichecker sets them (internal/checker's Run,
// and the flag package for bad flags).
const (
	exitOK       = 0
	exitError    = 1
	exitUsage    = 2
	exitFindings = 3
)

const usage = `cgoguard finds the bugs of Go code that calls C: Go maps and pointers
crossing into C, C memory used after free, finalizers racing with C calls,
cgo.Handle misuse. It is the go vet form of the cgoguard golangci-lint plugin.

Usage:
  cgoguard [flags] PACKAGES                        e.g. cgoguard ./...
  go vet -vettool=$(command -v cgoguard) [flags] PACKAGES
  cgoguard help [CHECK]                            checks, directives, exit codes; or one check
  cgoguard -version
`

// help returns `cgoguard help` (no topics) or each topic's documentation;
// or, for an unknown topic, the error and exitUsage.
func help(topics []string) (out string, code int) {
	var w strings.Builder
	if len(topics) == 0 {
		overview(&w)
		return w.String(), exitOK
	}
	for i, t := range topics {
		if i > 0 {
			fmt.Fprintln(&w)
		}
		if !checkHelp(&w, t) {
			return fmt.Sprintf("cgoguard: help: unknown check %q%s\n", t,
				suggest.DidYouMean(t, "checks", append(lintplugin.CheckNames(), lintplugin.Name))), exitUsage
		}
	}
	return w.String(), exitOK
}

func overview(w *strings.Builder) {
	fmt.Fprint(w, usage)
	fmt.Fprintf(w, `
Checks (all run by default; -CHECK runs only the checks named, -CHECK=false
turns one off; "cgoguard help CHECK" shows a check's documentation):
`)
	for _, c := range lintplugin.Docs() {
		fmt.Fprintf(w, "  %-13s %s\n", c.Analyzer.Name, title(c.Analyzer.Doc))
	}
	fmt.Fprintf(w, `
The analyzer named cgoguard runs whichever checks are chosen (-cgoguard=false
turns it off): it reports malformed directives, and the files with import "C"
left unanalysed because cgo is off (CGO_ENABLED=0, or no C compiler on PATH).

Directives (a reason is required; a directive that suppresses nothing is
reported, so stale ones get cleaned up):
  //cgoguard:ignore CHECK[,CHECK] reason       on the finding's line, or alone on the line above
  //cgoguard:file-ignore CHECK[,CHECK] reason  anywhere in a file: the whole file

Exit codes of cgoguard PACKAGES:
  %d  no findings
  %d  an error: a package that does not load or type-check, a failed analysis
  %d  bad flags or arguments
  %d  findings (also when there were errors)
With -json the exit code is %[1]d even with findings (%[2]d on errors); with
-fix it is %[1]d once the fixes are applied. go vet exits 1 on findings and on
errors alike.

Flags (cgoguard -h lists them all):
  -CHECK, -CHECK=false  choose checks (above)
  -tags LIST            build tags, as for go build (go vet takes its own -tags)
  -json                 print findings as JSON
  -fix, -diff           apply the suggested fixes, or print them as a diff
  -c N                  print N lines of context around each finding
  -version              print cgoguard's version and commit

Documentation: https://github.com/cgoguard/cgoguard
`, exitOK, exitError, exitUsage, exitFindings)
}

// checkHelp prints one check's documentation: its doc, flags, the snippet
// it flags, the fix, and the URL.
func checkHelp(w *strings.Builder, name string) bool {
	if name == lintplugin.Name {
		a := lintplugin.Self
		fmt.Fprintf(w, "%s: %s\n\n%s\n\n%s\n", a.Name, title(a.Doc), body(a.Doc), a.URL)
		return true
	}
	for _, c := range lintplugin.Docs() {
		a := c.Analyzer
		if a.Name != name {
			continue
		}
		fmt.Fprintf(w, "%s: %s\n\n%s\n", a.Name, title(a.Doc), body(a.Doc))
		first := true
		a.Flags.VisitAll(func(f *flag.Flag) {
			if first {
				fmt.Fprintf(w, "\nFlags:\n")
				first = false
			}
			fmt.Fprintf(w, "  -%s.%s  %s\n", a.Name, f.Name, f.Usage)
		})
		fmt.Fprintf(w, "\nFlagged:\n\n%s\n\nSilent (the fix):\n\n%s\n\n%s\n", indent(c.Bad), indent(c.Good), a.URL)
		return true
	}
	return false
}

func title(doc string) string {
	t, _, _ := strings.Cut(doc, "\n")
	return t
}

func body(doc string) string {
	_, b, _ := strings.Cut(doc, "\n")
	return strings.TrimSpace(b)
}

func indent(code string) string {
	return "\t" + strings.ReplaceAll(code, "\n", "\n\t")
}
