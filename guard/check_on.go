//go:build cgoguard

package guard

import (
	"errors"
	"fmt"
	"strings"

	"github.com/cgoguard/cgoguard/guard/internal/report"
	"github.com/cgoguard/cgoguard/guard/internal/stack"
)

func check() error {
	var b strings.Builder
	n := 0
	for _, src := range report.Sources() {
		if src.Verify == nil {
			continue
		}
		for _, v := range src.Verify() {
			n++
			r := report.Found(v)
			fmt.Fprintf(&b, "\n%s: %s", r.Kind, r.Message)
			for _, s := range r.Stacks {
				fmt.Fprintf(&b, "\n  %s:\n%s", s.Name, strings.TrimSuffix(stack.Text(s.Frames, "\t"), "\n"))
			}
		}
	}
	for _, src := range report.Sources() {
		if src.Live == nil {
			continue
		}
		for _, l := range src.Live() {
			n++
			r := report.Leak(l.Violation())
			fmt.Fprintf(&b, "\n%s: %s", r.Kind, r.Message)
			for _, s := range r.Stacks {
				fmt.Fprintf(&b, "\n  %s:\n%s", s.Name, strings.TrimSuffix(stack.Text(s.Frames, "\t"), "\n"))
			}
		}
	}
	if n == 0 {
		return nil
	}
	return errors.New(fmt.Sprintf("cgoguard: %d leak(s) or violation(s):", n) + b.String())
}
