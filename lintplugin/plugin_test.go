package lintplugin_test

import (
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"

	"github.com/cgoguard/cgoguard/lintplugin"
)

func newPlugin(t *testing.T, settings any) (register.LinterPlugin, error) {
	t.Helper()
	newFn, err := register.GetPlugin(lintplugin.Name)
	if err != nil {
		t.Fatal(err)
	}
	return newFn(settings)
}

func names(t *testing.T, p register.LinterPlugin) []string {
	t.Helper()
	as, err := p.BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range as {
		out = append(out, a.Name)
	}
	return out
}

func TestPluginDefaults(t *testing.T) {
	t.Parallel()
	for _, settings := range []any{nil, map[string]any{}} {
		p, err := newPlugin(t, settings)
		if err != nil {
			t.Fatalf("settings %v: %v", settings, err)
		}
		if got, want := len(names(t, p)), len(lintplugin.Checks()); got != want {
			t.Errorf("settings %v: %d checks enabled, want all %d", settings, got, want)
		}
		if p.GetLoadMode() != register.LoadModeTypesInfo {
			t.Errorf("load mode %q, want %q", p.GetLoadMode(), register.LoadModeTypesInfo)
		}
	}
}

func TestPluginDisable(t *testing.T) {
	t.Parallel()
	p, err := newPlugin(t, map[string]any{"disable": []any{"cgomap"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names(t, p) {
		if n == "cgomap" {
			t.Errorf("cgomap still enabled after disable: %v", names(t, p))
		}
	}
}

func TestPluginBadSettings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		settings any
		want     []string // substrings of the error
	}{
		{map[string]any{"disable": []any{"cgonope"}}, []string{"settings.disable", `unknown check "cgonope"`, "cgomap"}},
		{map[string]any{"disabled": []any{"cgomap"}}, []string{"cgoguard", `unknown field "disabled"`}},
		{map[string]any{"disable": "cgomap"}, []string{"cgoguard", "disable", "[]string"}},
		{map[string]any{"disable": []any{3}}, []string{"cgoguard", "disable"}},
	} {
		_, err := newPlugin(t, tc.settings)
		if err == nil {
			t.Errorf("settings %v: no error", tc.settings)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("settings %v: error %q does not mention %q", tc.settings, err, w)
			}
		}
	}
}

func TestChecksAreWellFormed(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, a := range lintplugin.Checks() {
		if seen[a.Name] {
			t.Errorf("check %s listed twice", a.Name)
		}
		seen[a.Name] = true
		if !a.RunDespiteErrors {
			t.Errorf("%s: must run despite type errors (and stay silent rather than panic)", a.Name)
		}
		title, _, _ := strings.Cut(a.Doc, "\n")
		if title == "" || len(title) > 60 || strings.HasSuffix(title, ".") || strings.ToLower(title[:1]) != title[:1] {
			t.Errorf("%s: Doc title %q: want a lowercase title of at most 60 characters, no period", a.Name, title)
		}
	}
}
