// Package failure makes an analyzer's internal failures visible: a panic
// becomes an error that names the analyzer and carries the stack, so the
// driver reports it for the package (and the run goes on for the others)
// instead of the package silently getting no findings.
package failure

import (
	"fmt"
	"runtime/debug"
)

// Recover turns a panic into *err. Use it deferred, first thing in an
// analyzer's run function:
//
//	func run(pass *analysis.Pass) (_ any, err error) {
//		defer failure.Recover("cgofree", pass.Pkg.Path(), &err)
func Recover(analyzer, pkg string, err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("cgoguard: internal error in %s on package %s (please report it): %v\n%s",
			analyzer, pkg, r, debug.Stack())
	}
}
