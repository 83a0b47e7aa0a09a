// Package expected reads example/expected-findings.txt: the findings
// `make demo`, the end-to-end test and the vet-tool test expect on
// example/, one "file:line: check" per line.
package expected

import (
	"os"
	"slices"
	"strings"
)

// Findings returns the file's findings, sorted, without comments and blank
// lines.
func Findings(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	slices.Sort(out)
	return out, nil
}
