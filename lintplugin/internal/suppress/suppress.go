// Package suppress applies the //cgoguard:ignore and //cgoguard:file-ignore
// directives to each check's findings, in every route (go vet, the
// standalone tool, golangci-lint), and reports directives that suppress
// nothing, so stale ones get cleaned up:
//
//	//cgoguard:ignore CHECK[,CHECK] reason       (on the finding's line, or alone on the line above)
//	//cgoguard:file-ignore CHECK[,CHECK] reason  (anywhere in the file)
//
// Analyzers see cgo-processed files, but cmd/cgo keeps the user's comments
// and maps every line back to the user's file through //line directives:
// directives and findings are both placed by their adjusted positions
// (file and line as the user wrote them), whichever of the two files a
// check reported in.
package suppress

import (
	"go/ast"
	"go/token"
	"reflect"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/cgoguard/cgoguard/internal/suggest"
	"github.com/cgoguard/cgoguard/lintplugin/internal/rawsrc"
)

const (
	prefix   = "//cgoguard:"
	lineVerb = "ignore"
	fileVerb = "file-ignore"
)

var verbs = []string{lineVerb, fileVerb}

// A Directive is a well-formed directive.
type Directive struct {
	Pos      token.Pos // the comment, in one of the pass's files
	Text     string    // the comment
	File     string    // the user's file, as //line directives name it
	FileWide bool      // file-ignore
	From, To int       // the lines it covers (ignore)
	Checks   []string
	Reason   string
}

// A Problem is a malformed directive, which suppresses nothing.
type Problem struct {
	Pos     token.Pos
	Message string // without the "cgoguard: " prefix
}

// Directives is the result of Analyzer for one package.
type Directives struct {
	List     []*Directive
	Problems []Problem
}

// Analyzer parses a package's directives once, for every check's wrapper
// and for the report of malformed ones.
var Analyzer = &analysis.Analyzer{
	Name:             "cgoguarddirectives",
	Doc:              "parse //cgoguard:ignore and //cgoguard:file-ignore directives",
	Run:              parse,
	ResultType:       reflect.TypeFor[*Directives](),
	RunDespiteErrors: true,
}

func parse(pass *analysis.Pass) (any, error) {
	res := new(Directives)
	for _, f := range pass.Files {
		var code map[int]token.Pos // per line of f, where its first token starts; built when needed
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				if !strings.HasPrefix(c.Text, prefix) {
					continue
				}
				if code == nil {
					code = codeStarts(pass.Fset, f)
				}
				d, problem := parseOne(pass.Fset, c, code)
				if problem != "" {
					res.Problems = append(res.Problems, Problem{c.Pos(), problem})
				} else {
					res.List = append(res.List, d)
				}
			}
		}
	}
	return res, nil
}

func parseOne(fset *token.FileSet, c *ast.Comment, code map[int]token.Pos) (*Directive, string) {
	fields := strings.Fields(c.Text[len(prefix):])
	verb := ""
	if len(fields) > 0 && !strings.HasPrefix(c.Text[len(prefix):], " ") {
		verb, fields = fields[0], fields[1:]
	}
	if !slices.Contains(verbs, verb) {
		return nil, "unknown directive " + prefix + verb + suggest.DidYouMean(verb, "directives", verbs)
	}
	usage := prefix + verb + " CHECK[,CHECK] reason"
	if len(fields) == 0 {
		return nil, prefix + verb + " needs the checks it silences and a reason: " + usage
	}
	checks := strings.Split(fields[0], ",")
	if slices.Contains(checks, "") {
		return nil, prefix + verb + " " + fields[0] + ": empty check name in the list: " + usage
	}
	if len(fields) == 1 {
		return nil, prefix + verb + " " + fields[0] + " needs a reason after the check names: " + usage
	}
	posn := fset.PositionFor(c.Pos(), true)
	d := &Directive{
		Pos:      c.Pos(),
		Text:     c.Text,
		File:     posn.Filename,
		FileWide: verb == fileVerb,
		From:     posn.Line,
		To:       posn.Line,
		Checks:   checks,
		Reason:   strings.Join(fields[1:], " "),
	}
	// Alone on its line, it covers the next line; after code, its own only.
	// (cmd/cgo keeps lines, so the cgo-processed file tells as well as the
	// user's.)
	if start, ok := code[fset.File(c.Pos()).Line(c.Pos())]; !ok || start > c.Pos() {
		d.To++
	}
	return d, ""
}

// codeStarts returns, for each line of f holding code, the position of
// its first token: every token is the start or the end of some node.
func codeStarts(fset *token.FileSet, f *ast.File) map[int]token.Pos {
	tf := fset.File(f.FileStart)
	starts := make(map[int]token.Pos)
	note := func(p token.Pos) {
		if !p.IsValid() || tf.Base() > int(p) || int(p) > tf.Base()+tf.Size() {
			return
		}
		if l := tf.Line(p); starts[l] == 0 || p < starts[l] {
			starts[l] = p
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n.(type) {
		case nil, *ast.File, *ast.CommentGroup, *ast.Comment:
			return n != nil
		}
		note(n.Pos())
		note(n.End() - 1)
		return true
	})
	return starts
}

// UnknownChecks reports the directives' check names that are not in known
// (every check, enabled or not), suggesting the closest.
func (ds *Directives) UnknownChecks(known []string) []Problem {
	var out []Problem
	for _, d := range ds.List {
		for _, c := range d.Checks {
			if !slices.Contains(known, c) {
				out = append(out, Problem{d.Pos, d.verb() + ": unknown check " + `"` + c + `"` + suggest.DidYouMean(c, "checks", known)})
			}
		}
	}
	return out
}

func (d *Directive) verb() string {
	if d.FileWide {
		return prefix + fileVerb
	}
	return prefix + lineVerb
}

// covers reports whether d silences check at posn.
func (d *Directive) covers(check string, posn token.Position) bool {
	return posn.Filename == d.File && slices.Contains(d.Checks, check) &&
		(d.FileWide || d.From <= posn.Line && posn.Line <= d.To)
}

// Wrap returns a copy of a whose findings covered by a directive naming
// a.Name are dropped, and which reports each directive naming a.Name that
// covered none of its findings in the package (as a finding of a: a check
// that did not run reports nothing), unless the package has type errors.
func Wrap(a *analysis.Analyzer) *analysis.Analyzer {
	w := *a
	w.Requires = append(slices.Clip(a.Requires), Analyzer)
	w.Run = func(pass *analysis.Pass) (any, error) {
		ds, _ := pass.ResultOf[Analyzer].(*Directives)
		var mine []*Directive
		if ds != nil {
			for _, d := range ds.List {
				if slices.Contains(d.Checks, a.Name) {
					mine = append(mine, d)
				}
			}
		}
		if len(mine) == 0 {
			return a.Run(pass)
		}
		used := make([]bool, len(mine))
		p := *pass
		p.Report = func(diag analysis.Diagnostic) {
			posn := pass.Fset.PositionFor(diag.Pos, true)
			suppressed := false
			for i, d := range mine {
				if d.covers(a.Name, posn) {
					used[i], suppressed = true, true
				}
			}
			if !suppressed {
				pass.Report(diag)
			}
		}
		res, err := a.Run(&p)
		if err != nil || len(pass.TypeErrors) > 0 {
			// A check stays silent on what it cannot type: its silence
			// does not make a directive stale.
			return res, err
		}
		raw := rawsrc.New(pass)
		for i, d := range mine {
			if used[i] {
				continue
			}
			where := ""
			if d.FileWide {
				where = " in this file"
			}
			pass.Report(analysis.Diagnostic{
				Pos:      UserPos(raw, d.Pos, d.Text),
				Category: a.Name,
				Message: a.Name + ": " + d.verb() + " suppresses no " + a.Name + " finding" + where +
					": remove it, or " + a.Name + " from its list",
			})
		}
		return res, nil
	}
	return &w
}

// UserPos returns the position of the comment text at pos in the file the
// user wrote: in a cgo-processed file a comment after rewritten code sits
// at another column, so it is found again in the user's file (re-parsed
// into the pass's FileSet). It returns pos when the file is not
// cgo-processed or cannot be read.
func UserPos(raw *rawsrc.Files, pos token.Pos, text string) token.Pos {
	f, rawPos, ok := raw.At(pos)
	if !ok || f.Info != nil {
		return pos
	}
	line := f.Line(rawPos)
	for _, cg := range f.AST.Comments {
		for _, c := range cg.List {
			if c.Text == text && f.Line(c.Pos()) == line {
				return c.Pos()
			}
		}
	}
	return pos
}
