package expected

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// A Want is a line's "// want" comment in an analysistest fixture, for
// the tests that run a fixture through the real tools (go vet, the
// standalone driver, golangci-lint) instead of analysistest.
type Want struct {
	File     string // base name
	Line     int
	Patterns []*regexp.Regexp
}

// A Finding is a diagnostic as a tool printed it.
type Finding struct {
	File    string // base name
	Line    int
	Message string
}

var (
	wantComment = regexp.MustCompile(`// want (\+\d+ )?(.*)$`)
	// A diagnostic expectation is a quoted or backquoted pattern; a fact
	// expectation (name:"pattern") is skipped.
	wantPattern = regexp.MustCompile("(\\w+:)?(\"(?:[^\"\\\\]|\\\\.)*\"|`[^`]*`)")
)

// Wants reads the want comments of dir's .go files, with analysistest's
// syntax: `// want "re" ...`, or `// want +N "re"` for the line N below.
func Wants(dir string) ([]Want, error) {
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	var out []Want
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		for i, line := range strings.Split(string(data), "\n") {
			m := wantComment.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			w := Want{File: filepath.Base(f), Line: i + 1}
			if m[1] != "" {
				delta, _ := strconv.Atoi(strings.TrimSpace(m[1][1:]))
				w.Line += delta
			}
			for _, p := range wantPattern.FindAllStringSubmatch(m[2], -1) {
				if p[1] != "" {
					continue // a fact
				}
				var pat string
				if p[2][0] == '`' {
					pat = p[2][1 : len(p[2])-1]
				} else if err := json.Unmarshal([]byte(p[2]), &pat); err != nil {
					return nil, fmt.Errorf("%s:%d: bad want pattern %s: %v", f, i+1, p[2], err)
				}
				re, err := regexp.Compile(pat)
				if err != nil {
					return nil, fmt.Errorf("%s:%d: %v", f, i+1, err)
				}
				w.Patterns = append(w.Patterns, re)
			}
			if len(w.Patterns) > 0 {
				out = append(out, w)
			}
		}
	}
	return out, nil
}

// Compare matches findings against wants as analysistest does: each
// finding must match a pattern of its line, each pattern one finding. It
// returns the mismatches, one line each.
func Compare(wants []Want, got []Finding) []string {
	byLine := map[string][]string{}
	for _, g := range got {
		key := fmt.Sprintf("%s:%d", g.File, g.Line)
		byLine[key] = append(byLine[key], g.Message)
	}
	var errs []string
	for _, w := range wants {
		key := fmt.Sprintf("%s:%d", w.File, w.Line)
		msgs := byLine[key]
		delete(byLine, key)
		left := slices.Clone(w.Patterns)
		for _, m := range msgs {
			i := slices.IndexFunc(left, func(p *regexp.Regexp) bool { return p.MatchString(m) })
			if i < 0 {
				errs = append(errs, fmt.Sprintf("%s: unexpected finding %q", key, m))
				continue
			}
			left = slices.Delete(left, i, i+1)
		}
		for _, p := range left {
			errs = append(errs, fmt.Sprintf("%s: no finding matching %q; got %q", key, p, msgs))
		}
	}
	for key, msgs := range byLine {
		for _, m := range msgs {
			errs = append(errs, fmt.Sprintf("%s: finding with no want comment: %q", key, m))
		}
	}
	slices.Sort(errs)
	return errs
}
