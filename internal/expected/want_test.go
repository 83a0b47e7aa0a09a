package expected

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestWantsAndCompare(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := "package a\n" +
		"func f() {} // want \"^x: one$\" `two`\n" +
		"// want +1 \"three\"\n" +
		"func g() {}\n" +
		"var v = 1 // want fact:\"ignored\"\n"
	if err := os.WriteFile(filepath.Join(dir, "a.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	wants, err := Wants(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(wants) != 2 || wants[0].Line != 2 || len(wants[0].Patterns) != 2 || wants[1].Line != 4 {
		t.Fatalf("wants = %+v", wants)
	}
	if errs := Compare(wants, []Finding{{"a.go", 2, "x: one"}, {"a.go", 2, "two!"}, {"a.go", 4, "three"}}); len(errs) != 0 {
		t.Errorf("exact match: %v", errs)
	}
	errs := Compare(wants, []Finding{{"a.go", 2, "x: one"}, {"a.go", 2, "x: one"}, {"a.go", 5, "extra"}})
	want := []string{
		`a.go:2: unexpected finding "x: one"`,
		`a.go:2: no finding matching "two"; got ["x: one" "x: one"]`,
		`a.go:4: no finding matching "three"; got []`,
		`a.go:5: finding with no want comment: "extra"`,
	}
	slices.Sort(want)
	if !slices.Equal(errs, want) {
		t.Errorf("mismatches:\n%q\nwant\n%q", errs, want)
	}
}
