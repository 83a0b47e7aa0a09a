//go:build e2e

package e2e

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The README marks each block a user copies with <!-- adoption: NAME -->
// on the line before it; the test takes the blocks from there.
var adoptionBlock = regexp.MustCompile("(?s)<!-- adoption: ([^>]*?) -->\n```\\w*\n(.*?)```\n")

// copyTree copies the repository's working tree (golangci-lint custom
// wants a real directory, not a link), leaving out the git metadata and
// the built binaries.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	skip := map[string]bool{".git": true, "bin": true, ".cache": true}
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if skip[rel] {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		dst := filepath.Join(to, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(dst, 0o755)
		case d.Type().IsRegular():
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			return os.WriteFile(dst, data, info.Mode().Perm())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// planted is the user's cgo package: one use after free.
const planted = `package uaf

/*
#include <stdlib.h>
static void use(void *p) {}
*/
import "C"

// Use frees p, then hands it to C.
func Use() {
	p := C.malloc(16)
	C.free(p)
	C.use(p)
}
`

var plantedFinding = regexp.MustCompile(`uaf\.go:13:\d+: cgofree: `)

// TestAdoption follows the README's "Using the linter in your project"
// and "Without golangci-lint" literally, in a scratch module next to a
// checkout: the files and commands are the README's own blocks, run line
// by line. Every command must succeed, except those that report the
// planted bug, which must fail; and the plugin, the standalone tool and
// go vet must each report it. The checkout is a copy of this working tree
// (the README clones it from GitHub); golangci-lint is the one make
// installs beside ./bin/custom-gcl, and the custom binary is built for
// real, once.
func TestAdoption(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := map[string]string{}
	for _, m := range adoptionBlock.FindAllStringSubmatch(string(data), -1) {
		blocks[m[1]] = m[2]
	}
	const checkout = "checkout (the test copies this working tree to ../cgoguard instead)"
	for _, name := range []string{checkout, ".custom-gcl.yml", ".golangci.yml", "plugin", "vettool"} {
		if blocks[name] == "" {
			t.Fatalf("README: no block marked <!-- adoption: %s -->", name)
		}
	}
	if got, want := blocks[checkout], "git clone https://github.com/cgoguard/cgoguard ../cgoguard\n"; got != want {
		t.Fatalf("README checkout block is %q; the test replaces exactly %q", got, want)
	}

	root := t.TempDir()
	copyTree(t, "..", filepath.Join(root, "cgoguard"))
	project := filepath.Join(root, "project")
	tools := filepath.Join(root, "tools") // golangci-lint, and nothing else
	gobin := filepath.Join(root, "gobin")
	for _, d := range []string{project, tools, gobin} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	gcl := filepath.Join(filepath.Dir(customGCL(t)), "golangci-lint")
	if _, err := os.Stat(gcl); err != nil {
		t.Fatalf("golangci-lint, which make installs beside custom-gcl: %v", err)
	}
	if err := os.Symlink(gcl, filepath.Join(tools, "golangci-lint")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(project, "go.mod"), "module example.com/uaf\n\ngo 1.26\n")
	writeFile(t, filepath.Join(project, "uaf.go"), planted)
	writeFile(t, filepath.Join(project, ".custom-gcl.yml"), blocks[".custom-gcl.yml"])
	writeFile(t, filepath.Join(project, ".golangci.yml"), blocks[".golangci.yml"])
	env := append(os.Environ(),
		"GOBIN="+gobin,
		"PATH="+gobin+string(os.PathListSeparator)+tools+string(os.PathListSeparator)+os.Getenv("PATH"),
		"GOLANGCI_LINT_CACHE="+filepath.Join(root, "gcl-cache"))

	found := 0
	for _, block := range []string{"plugin", "vettool"} {
		for _, line := range strings.Split(strings.TrimSpace(blocks[block]), "\n") {
			cmd := exec.Command("bash", "-c", line)
			cmd.Dir = project
			cmd.Env = env
			out, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			if err != nil && !errors.As(err, &ee) {
				t.Fatalf("%s: %v", line, err)
			}
			switch {
			case plantedFinding.Match(out) && err == nil:
				t.Errorf("%s: reported the planted bug but exited 0:\n%s", line, out)
			case plantedFinding.Match(out):
				found++
			case err != nil:
				t.Fatalf("%s: %v\n%s", line, err, out)
			}
		}
	}
	if found != 3 {
		t.Errorf("%d commands reported the planted use after free; want 3 (custom-gcl run, cgoguard, go vet)", found)
	}
}
