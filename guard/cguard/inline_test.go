//go:build cgo

package cguard_test

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReleaseWrappersCompileToRawCalls builds testdata/inlined without the
// tag and checks that each guard call compiles to the same instructions as
// the raw call it stands for: the release build's overhead is zero by
// construction, which the noisy benchmarks can only approximate. Free is
// the exception: it skips cgo's pointer check, so it is only checked to
// inline down to a single cgo call.
func TestReleaseWrappersCompileToRawCalls(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("this test runs the go command: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "inlined")
	if out, err := exec.Command(goTool, "build", "-o", bin, "./testdata/inlined").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	free := disassemble(t, goTool, bin, "freeGuard")
	if calls := callsIn(free); len(calls) != 1 || !strings.Contains(calls[0], "_Cfunc_cguard_release") {
		t.Errorf("freeGuard should make one cgo call, got %v", calls)
	}
	for _, name := range []string{"malloc", "calloc", "cstring", "cbytes", "handle", "pin"} {
		if msg := sameCode(t, goTool, bin, "main."+name+"Guard", "main."+name+"Raw", 2); msg != "" {
			t.Error(msg)
		}
	}
}

// sameCode compares two functions' instructions. Where both call a
// different function at the same place (cguard's and rawc's wrappers that
// were not inlined), it compares those too, down to depth levels.
func sameCode(t *testing.T, goTool, bin, guardFn, rawFn string, depth int) string {
	g, gTargets := disassembleSym(t, goTool, bin, guardFn)
	r, rTargets := disassembleSym(t, goTool, bin, rawFn)
	diff := func() string {
		return fmt.Sprintf("%s and %s differ:\n--- guard\n%s\n--- raw\n%s", guardFn, rawFn, strings.Join(g, "\n"), strings.Join(r, "\n"))
	}
	if len(g) == 0 || len(g) != len(r) {
		return diff()
	}
	for i := range g {
		if g[i] == r[i] {
			continue
		}
		gt, rt := gTargets[i], rTargets[i]
		if depth == 0 || gt == "" || rt == "" {
			return diff()
		}
		if msg := sameCode(t, goTool, bin, gt, rt, depth-1); msg != "" {
			return msg
		}
	}
	return ""
}

// callsIn lists the CALL instructions of insns, leaving out the stack
// growth path.
func callsIn(insns []string) []string {
	var calls []string
	for _, in := range insns {
		if strings.HasPrefix(in, "CALL ") && !strings.Contains(in, "morestack") {
			calls = append(calls, in)
		}
	}
	return calls
}

var (
	addresses = regexp.MustCompile(`\b0x[0-9a-f]{5,}\b`)
	// ipRelative masks PC-relative offsets, which depend on where the
	// linker put each function, whatever their size.
	ipRelative = regexp.MustCompile(`-?0x[0-9a-f]+\(IP\)`)
	// symbols drops package paths: cguard's and rawc's copies of cgo's
	// generated helpers differ only in the package that holds them.
	symbols = regexp.MustCompile(`[\w./-]+/\w+\.`)
)

// disassemble returns main.fn's normalized instructions.
func disassemble(t *testing.T, goTool, bin, fn string) []string {
	insns, _ := disassembleSym(t, goTool, bin, "main."+fn)
	return insns
}

var callTarget = regexp.MustCompile(`^CALL ([^ ]+)\(SB\)$`)

// disassembleSym returns sym's instructions, with inline markers (NOPL),
// addresses and package paths left out, and beside each the symbol it
// calls, if any, in full.
func disassembleSym(t *testing.T, goTool, bin, sym string) (insns, targets []string) {
	t.Helper()
	out, err := exec.Command(goTool, "tool", "objdump", "-s", "^"+regexp.QuoteMeta(sym)+"$", bin).CombinedOutput()
	if err != nil {
		t.Fatalf("go tool objdump: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		fields := strings.Split(strings.TrimSpace(line), "\t")
		if len(fields) < 4 || strings.HasPrefix(line, "TEXT") {
			continue
		}
		insn := strings.TrimSpace(fields[len(fields)-1])
		if insn == "" || strings.HasPrefix(insn, "NOP") {
			continue
		}
		target := ""
		if m := callTarget.FindStringSubmatch(insn); m != nil {
			target = m[1]
		}
		insn = strings.ReplaceAll(insn, sym+"(", "SELF(")
		insn = strings.ReplaceAll(insn, sym+".", "SELF.") // closures such as deferwrap1
		insn = ipRelative.ReplaceAllString(insn, "ADDR(IP)")
		insn = addresses.ReplaceAllString(insn, "ADDR")
		insns = append(insns, symbols.ReplaceAllString(insn, ""))
		targets = append(targets, target)
	}
	return insns, targets
}
