// Package scenario runs the guard's crash tests: a test re-executes its own
// binary with a scenario name in the environment, the child runs that one
// scenario, and the parent checks how it died and what it reported.
package scenario

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/cgoguard/cgoguard/guard"
)

const envName = "CGOGUARD_TEST_SCENARIO"

// Main is TestMain for packages with scenarios. Without a scenario to run,
// it runs the tests and then fails if they leaked pins, handles, C memory
// or goroutines.
func Main(m *testing.M, scenarios map[string]func()) {
	if name := os.Getenv(envName); name != "" {
		f, ok := scenarios[name]
		if !ok {
			fmt.Fprintf(os.Stderr, "scenario: unknown scenario %q\n", name)
			os.Exit(100)
		}
		f()
		os.Exit(0)
	}
	code := m.Run()
	if code == 0 {
		if err := guard.Check(); err != nil {
			fmt.Fprintln(os.Stderr, "leaks after the tests:", err)
			code = 1
		}
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goroutine leaks after the tests:", err)
			code = 1
		}
	}
	os.Exit(code)
}

// Result is how a scenario process ended.
type Result struct {
	Output   string
	ExitCode int
	// Entries are the output lines that parse as JSON objects.
	Entries []map[string]any
}

// Run runs scenario name in a child process with env added.
func Run(t testing.TB, name string, env ...string) Result {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envName+"="+name)
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	r := Result{Output: string(out)}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		r.ExitCode = exit.ExitCode()
		if r.ExitCode < 0 {
			r.ExitCode = 128 // killed by a signal
		}
	case err != nil:
		t.Fatalf("scenario %s: %v", name, err)
	}
	sc := bufio.NewScanner(strings.NewReader(r.Output))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "{") {
			continue
		}
		var e map[string]any
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Errorf("scenario %s: JSON line does not parse: %v\n%s", name, err, line)
			continue
		}
		r.Entries = append(r.Entries, e)
	}
	return r
}

// Mode is a CGOGUARD_LOG encoding under test.
type Mode string

// Modes are the encodings every report is checked in.
var Modes = []Mode{"console", "json"}

// Expect describes the report a scenario must produce.
type Expect struct {
	Kind string
	// Stacks maps a stack field to functions (package-qualified, such as
	// "cguard_test.allocBuffer") that must appear in it.
	Stacks map[string][]string
	// Fields must appear in the JSON entry with these values.
	Fields map[string]any
	// Output lists text that must appear anywhere in the output, such as
	// the faulting stack the Go runtime prints.
	Output []string
}

// Check runs scenario name in every mode and checks that the process
// failed and reported want.
func Check(t *testing.T, name string, want Expect, env ...string) {
	for _, mode := range Modes {
		t.Run(string(mode), func(t *testing.T) {
			r := Run(t, name, append(env, "CGOGUARD_LOG="+string(mode))...)
			if r.ExitCode == 0 {
				t.Fatalf("scenario %s exited 0; want a failure. Output:\n%s", name, r.Output)
			}
			if mode == "json" {
				checkJSON(t, r, want)
			} else {
				checkConsole(t, r, want)
			}
			for _, s := range want.Output {
				if !strings.Contains(r.Output, s) {
					t.Errorf("output lacks %q:\n%s", s, r.Output)
				}
			}
		})
	}
}

// Entry returns the first JSON entry of kind, or nil.
func (r Result) Entry(kind string) map[string]any {
	for _, e := range r.Entries {
		if e["kind"] == kind {
			return e
		}
	}
	return nil
}

func checkJSON(t *testing.T, r Result, want Expect) {
	t.Helper()
	e := r.Entry(want.Kind)
	if e == nil {
		t.Fatalf("no JSON entry with kind %q. Output:\n%s", want.Kind, r.Output)
	}
	for k, v := range want.Fields {
		if fmt.Sprint(e[k]) != fmt.Sprint(v) {
			t.Errorf("entry %s = %v, want %v", k, e[k], v)
		}
	}
	for name, fns := range want.Stacks {
		frames, ok := e[name].([]any)
		if !ok {
			t.Errorf("entry has no %s array: %v", name, e)
			continue
		}
		for _, fn := range fns {
			if !hasFrame(frames, fn) {
				t.Errorf("%s lacks a frame of %s: %v", name, fn, frames)
			}
		}
	}
}

// hasFrame reports whether frames hold fn, with a file and a line.
func hasFrame(frames []any, fn string) bool {
	for _, f := range frames {
		m, _ := f.(map[string]any)
		name, _ := m["function"].(string)
		file, _ := m["file"].(string)
		line, _ := m["line"].(float64)
		if strings.HasSuffix(name, "/"+fn) && strings.HasSuffix(file, ".go") && line > 0 {
			return true
		}
	}
	return false
}

func checkConsole(t *testing.T, r Result, want Expect) {
	t.Helper()
	if !strings.Contains(r.Output, want.Kind) {
		t.Fatalf("output does not name %q:\n%s", want.Kind, r.Output)
	}
	for name, fns := range want.Stacks {
		section, ok := stackSection(r.Output, name)
		if !ok {
			t.Errorf("output has no %s section:\n%s", name, r.Output)
			continue
		}
		for _, fn := range fns {
			if !strings.Contains(section, "/"+fn+"\n") {
				t.Errorf("%s section lacks %s:\n%s", name, fn, section)
			}
		}
	}
}

// stackSection returns the frames printed under the first "(<name>):"
// heading of a console report.
func stackSection(out, name string) (string, bool) {
	_, rest, ok := strings.Cut(out, "("+name+"):\n")
	if !ok {
		return "", false
	}
	var b strings.Builder
	for _, line := range strings.SplitAfter(rest, "\n") {
		if !strings.HasPrefix(line, "\t") {
			break
		}
		b.WriteString(line)
	}
	return b.String(), true
}
