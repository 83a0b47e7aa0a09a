// Command findings prints golangci-lint's JSON report as "file:line: check"
// lines, the format of expected-findings.txt.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

func main() {
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "findings:", err)
		os.Exit(2)
	}
	var report struct {
		Issues []struct {
			FromLinter string
			Text       string
			Pos        struct {
				Filename string
				Line     int
			}
		}
	}
	if err := json.Unmarshal(data, &report); err != nil {
		fmt.Fprintln(os.Stderr, "findings: parsing golangci-lint JSON:", err)
		os.Exit(2)
	}
	for _, is := range report.Issues {
		check, _, _ := strings.Cut(is.Text, ":")
		fmt.Printf("%s:%d: %s\n", is.Pos.Filename, is.Pos.Line, check)
	}
}
