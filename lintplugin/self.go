package lintplugin

import (
	"fmt"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/cgoguard/cgoguard/lintplugin/internal/nocgo"
	"github.com/cgoguard/cgoguard/lintplugin/internal/rawsrc"
	"github.com/cgoguard/cgoguard/lintplugin/internal/suppress"
)

const selfDoc = `report malformed directives and cgo files left unanalysed

Reports //cgoguard:ignore and //cgoguard:file-ignore directives that are
malformed (no reason, an unknown check, an unknown directive), which
suppress nothing; and, once per package, the files with import "C" that
were not analysed because cgo is off (CGO_ENABLED=0, or no C compiler on
PATH), so that a run that could not see the cgo code fails instead of
passing. It runs whichever checks are chosen.`

// Self is the analyzer named after the linter: it reports what keeps the
// checks from doing their job, not bugs in the code. (golangci-lint prints
// its messages without an analyzer prefix, its name being the linter's.)
var Self = &analysis.Analyzer{
	Name:             Name,
	Doc:              selfDoc,
	URL:              "https://github.com/cgoguard/cgoguard#suppressing-findings",
	Requires:         []*analysis.Analyzer{suppress.Analyzer},
	Run:              runSelf,
	RunDespiteErrors: true,
}

func runSelf(pass *analysis.Pass) (any, error) {
	if ds, _ := pass.ResultOf[suppress.Analyzer].(*suppress.Directives); ds != nil {
		raw := rawsrc.New(pass)
		for _, p := range slices.Concat(ds.Problems, ds.UnknownChecks(CheckNames())) {
			pass.Report(analysis.Diagnostic{
				Pos:      suppress.UserPos(raw, p.Pos, commentAt(pass, p.Pos)),
				Category: Name,
				Message:  Name + ": " + p.Message,
			})
		}
	}
	if files, why := nocgo.Skipped(pass); len(files) > 0 {
		reportSkipped(pass, files, why)
	}
	return nil, nil
}

// commentAt returns the text of the comment starting at pos.
func commentAt(pass *analysis.Pass, pos token.Pos) string {
	for _, f := range pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			for _, cg := range f.Comments {
				for _, c := range cg.List {
					if c.Pos() == pos {
						return c.Text
					}
				}
			}
		}
	}
	return ""
}

// reportSkipped reports the files cgo being off left out, at the first
// one's import "C" (parsed into the pass's FileSet: it is in none of the
// pass's files), or at the package clause if it cannot be read.
func reportSkipped(pass *analysis.Pass, files []string, why string) {
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = filepath.Base(f)
	}
	fix := "run with CGO_ENABLED=1"
	if strings.HasPrefix(why, "no C compiler") {
		fix = "install gcc (or set CC to a C compiler) and run with CGO_ENABLED=1"
	}
	msg := fmt.Sprintf("%s: %s not analysed: cgo is off (%s), so the build leaves out the files with import \"C\"; %s",
		Name, strings.Join(names, ", "), why, fix)
	pos := token.NoPos
	if src, err := pass.ReadFile(files[0]); err == nil {
		if f, err := parser.ParseFile(pass.Fset, files[0], src, parser.ImportsOnly); err == nil {
			for _, imp := range f.Imports {
				if imp.Path.Value == `"C"` {
					pos = imp.Pos()
				}
			}
		}
	}
	if !pos.IsValid() && len(pass.Files) > 0 {
		pos = pass.Files[0].Package
	}
	pass.Report(analysis.Diagnostic{Pos: pos, Category: Name, Message: msg})
}
