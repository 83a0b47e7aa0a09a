package lintplugin_test

import (
	"slices"
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
		if got, want := names(t, p), append([]string{"cgoguard"}, lintplugin.CheckNames()...); !slices.Equal(got, want) {
			t.Errorf("settings %v: analyzers %v, want the cgoguard analyzer and every check %v", settings, got, want)
		}
		if p.GetLoadMode() != register.LoadModeTypesInfo {
			t.Errorf("load mode %q, want %q", p.GetLoadMode(), register.LoadModeTypesInfo)
		}
	}
}

func TestPluginEnableDisable(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		settings map[string]any
		want     []string
	}{
		{map[string]any{"disable": []any{"cgomap"}}, []string{"cgoguard", "cgoptr", "cgoretain", "cgofree", "cgoleak", "cgofinalizer", "cgohandle", "cgocallback", "cgoheader"}},
		{map[string]any{"enable": []any{"cgofree", "cgomap"}}, []string{"cgoguard", "cgomap", "cgofree"}},
		{map[string]any{"enable": []any{"cgofree", "cgomap"}, "disable": []any{"cgoptr"}}, []string{"cgoguard", "cgomap", "cgofree"}},
		{map[string]any{"enable": []any{}}, append([]string{"cgoguard"}, lintplugin.CheckNames()...)},
		{map[string]any{"enable": nil, "disable": nil}, append([]string{"cgoguard"}, lintplugin.CheckNames()...)},
	} {
		p, err := newPlugin(t, tc.settings)
		if err != nil {
			t.Errorf("settings %v: %v", tc.settings, err)
			continue
		}
		if got := names(t, p); !slices.Equal(got, tc.want) {
			t.Errorf("settings %v: analyzers %v, want %v", tc.settings, got, tc.want)
		}
	}
}

// TestPluginBadSettings calls New directly: the constructor registered
// for golangci-lint prints the same error and exits (e2e tests it).
func TestPluginBadSettings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		settings any
		want     string // the whole error
	}{
		{map[string]any{"disable": []any{"cgonope"}},
			`cgoguard: settings: disable: unknown check "cgonope" (valid checks: cgomap, cgoptr, cgoretain, cgofree, cgoleak, cgofinalizer, cgohandle, cgocallback, cgoheader)`},
		{map[string]any{"enable": []any{"cgofre"}},
			`cgoguard: settings: enable: unknown check "cgofre" (did you mean "cgofree"? valid checks: cgomap, cgoptr, cgoretain, cgofree, cgoleak, cgofinalizer, cgohandle, cgocallback, cgoheader)`},
		{map[string]any{"disable": []any{"CGOMAP"}},
			`cgoguard: settings: disable: unknown check "CGOMAP" (did you mean "cgomap"? valid checks: cgomap, cgoptr, cgoretain, cgofree, cgoleak, cgofinalizer, cgohandle, cgocallback, cgoheader)`},
		{map[string]any{"disabled": []any{"cgomap"}},
			`cgoguard: settings: unknown key "disabled" (did you mean "disable"? valid keys: enable, disable, explain, retain-functions, free-functions, cgofinalizer, cgohandle, cgoheader)`},
		{map[string]any{"exclude": []any{"cgomap"}, "enabled": true},
			"cgoguard: settings: unknown key \"enabled\" (did you mean \"enable\"? valid keys: enable, disable, explain, retain-functions, free-functions, cgofinalizer, cgohandle, cgoheader)\n" +
				`cgoguard: settings: unknown key "exclude" (valid keys: enable, disable, explain, retain-functions, free-functions, cgofinalizer, cgohandle, cgoheader)`},
		{map[string]any{"disable": "cgomap"},
			`cgoguard: settings: disable: want a list of check names, e.g. [a, b], got the string "cgomap"`},
		{map[string]any{"disable": []any{3}},
			`cgoguard: settings: disable: want a list of check names, got the int 3 in it`},
		{map[string]any{"enable": []any{"cgomap"}, "disable": []any{"cgomap"}},
			`cgoguard: settings: "cgomap" is listed in both enable and disable`},
		{[]any{"cgomap"},
			`cgoguard: settings: settings: want a map of keys, got a list`},
	} {
		_, err := lintplugin.New(tc.settings)
		if err == nil {
			t.Errorf("settings %v: no error", tc.settings)
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("settings %v:\ngot  %s\nwant %s", tc.settings, err, tc.want)
		}
		if strings.Contains(err.Error(), "json") {
			t.Errorf("settings %v: error leaks the decoder: %s", tc.settings, err)
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

// TestPluginSettingsReachTheChecks checks that the per-check and engine
// settings decoded from .golangci.yml reach the analyzers: a configured
// engine is built for them.
func TestPluginSettingsReachTheChecks(t *testing.T) {
	s, err := lintplugin.DecodeSettings(map[string]any{
		"explain":          true,
		"free-functions":   []any{"xmlFreeDoc/1"},
		"retain-functions": []any{"sqlite3_bind_blob/2"},
		"cgohandle":        map[string]any{"leaks": false},
		"cgofinalizer":     map[string]any{"scope": "exported"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !s.Explain || s.HandleLeaks || s.FinalizerScope != "exported" ||
		len(s.FreeFunctions) != 1 || s.FreeFunctions[0].Func != "xmlFreeDoc" || s.RetainFunctions[0].Param != 2 {
		t.Errorf("decoded %+v", s)
	}
	if _, err := lintplugin.DecodeSettings(map[string]any{"free-functions": []any{"xmlFreeDoc"}}); err == nil ||
		!strings.Contains(err.Error(), `free-functions: entry "xmlFreeDoc"`) || !strings.Contains(err.Error(), "want NAME/N") {
		t.Errorf("a malformed free-functions entry: got %v", err)
	}
	if _, err := lintplugin.DecodeSettings(map[string]any{"cgofinalizer": map[string]any{"scope": "exportd"}}); err == nil ||
		!strings.Contains(err.Error(), `did you mean "exported"`) {
		t.Errorf("a misspelt scope: got %v", err)
	}
	for _, a := range lintplugin.Select(s) {
		if a.Name == "cgohandle" && slices.Contains(a.Requires, lintplugin.Checks()[0].Requires[0]) {
			t.Errorf("configured cgohandle runs on the default engine")
		}
	}
}
