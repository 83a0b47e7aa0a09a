package cgofinalizer_test

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgoguard/cgoguard/lintplugin/cgofinalizer"
	"github.com/cgoguard/cgoguard/lintplugin/internal/checktest"
	"github.com/cgoguard/cgoguard/lintplugin/internal/config"
	"github.com/cgoguard/cgoguard/lintplugin/internal/engine"
)

// Test runs the check with the default scope ("risk") over testdata/src
// (which e2e also replays through golangci-lint and fixes through every
// route).
func Test(t *testing.T) {
	checktest.RunWithSuggestedFixes(t, analysistest.TestData(), cgofinalizer.Analyzer, "a")
}

// TestStrict runs the check by the letter of the rule (scope "all") over
// testdata/strict: every case the default scope leaves out is flagged.
func TestStrict(t *testing.T) {
	strict := cgofinalizer.New(engine.New(&config.Config{FinalizerScope: cgofinalizer.ScopeAll}))
	checktest.RunWithSuggestedFixes(t, filepath.Join(analysistest.TestData(), "strict"), strict, "a")
}

func TestBadScope(t *testing.T) {
	err := cgofinalizer.CheckScope("public")
	if err == nil || !strings.Contains(err.Error(), `"public"`) || !strings.Contains(err.Error(), `"risk"`) {
		t.Errorf("CheckScope(public) = %v, want an error naming the value and the valid ones", err)
	}
	for _, s := range append([]string{""}, cgofinalizer.Scopes...) {
		if err := cgofinalizer.CheckScope(s); err != nil {
			t.Errorf("CheckScope(%q) = %v", s, err)
		}
	}
}
