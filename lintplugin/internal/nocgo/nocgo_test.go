package nocgo

import (
	"slices"
	"testing"
)

// Skipped itself is tested where a build really turns cgo off:
// lintplugin's TestCgoOff, and through the real tools in
// cmd/cgoguard and e2e.

func TestImportsC(t *testing.T) {
	t.Parallel()
	for src, want := range map[string]bool{
		"package a\n\nimport \"C\"\n":                                 true,
		"package a\n\nimport (\n\t\"fmt\"\n\t\"C\"\n)\n":              true,
		"package a\n\n// import \"C\" in a comment\nimport \"fmt\"\n": false,
		"package a\n\nvar s = `import \"C\"`\n":                       false,
		"not Go":                                                      false,
	} {
		if got := importsC([]byte(src)); got != want {
			t.Errorf("importsC(%q) = %v, want %v", src, got, want)
		}
	}
}

func TestGoflagsTags(t *testing.T) {
	for goflags, want := range map[string][]string{
		"":                        nil,
		"-mod=mod":                nil,
		"-tags=a,b":               {"a", "b"},
		"-mod=mod --tags=x -a":    {"x"},
		"-tags a,b":               {"a", "b"},
		"-tags=old -tags=new,two": {"new", "two"},
	} {
		t.Setenv("GOFLAGS", goflags)
		if got := goflagsTags(); !slices.Equal(got, want) {
			t.Errorf("GOFLAGS=%q: tags %q, want %q", goflags, got, want)
		}
	}
}
