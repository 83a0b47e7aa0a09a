package lintplugin

import (
	"slices"
	"testing"
)

// TestDecoders runs the decoders that keys to come will use (a boolean,
// a choice, a list of names, a nested group) through decodeMap, as a key
// table of their own.
func TestDecoders(t *testing.T) {
	t.Parallel()
	var (
		explain bool
		scope   string
		funcs   []string
	)
	keys := []setting{
		{Key: "explain", decode: boolean(func(*Settings) *bool { return &explain })},
		{Key: "free-functions", decode: stringsOf("function names", func(*Settings) *[]string { return &funcs })},
		{Key: "cgofinalizer", subkeys: []setting{
			{Key: "scope", decode: oneOf(func(*Settings) *string { return &scope }, "exported", "all")},
		}},
	}
	good := map[string]any{
		"explain":        true,
		"free-functions": []any{"mylib_free"},
		"cgofinalizer":   map[string]any{"scope": "all"},
	}
	if err := decodeMap(new(Settings), keys, "", good); err != nil {
		t.Fatal(err)
	}
	if !explain || scope != "all" || !slices.Equal(funcs, []string{"mylib_free"}) {
		t.Errorf("decoded explain=%v scope=%q funcs=%v", explain, scope, funcs)
	}
	for _, tc := range []struct {
		raw  map[string]any
		want string
	}{
		{map[string]any{"explain": "yes"}, `cgoguard: settings: explain: want true or false, got the string "yes"`},
		{map[string]any{"cgofinalizer": map[string]any{"scope": "alll"}},
			`cgoguard: settings: cgofinalizer.scope: unknown value "alll" (did you mean "all"? valid values: exported, all)`},
		{map[string]any{"cgofinalizer": map[string]any{"scope": 1}},
			`cgoguard: settings: cgofinalizer.scope: want one of exported, all, got the int 1`},
		{map[string]any{"cgofinalizer": map[string]any{"scop": "all"}},
			`cgoguard: settings: unknown key "cgofinalizer.scop" (did you mean "cgofinalizer.scope"? valid keys: cgofinalizer.scope)`},
		{map[string]any{"cgofinalizer": "all"}, `cgoguard: settings: cgofinalizer: want a map of keys, got the string "all"`},
		{map[string]any{"free-functions": "f"},
			`cgoguard: settings: free-functions: want a list of function names, e.g. [a, b], got the string "f"`},
	} {
		err := decodeMap(new(Settings), keys, "", tc.raw)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%v:\ngot  %v\nwant %s", tc.raw, err, tc.want)
		}
	}
}

// TestNormalize checks the shapes other decoders than YAML's may hand over.
func TestNormalize(t *testing.T) {
	t.Parallel()
	s, err := DecodeSettings(map[any]any{"disable": []string{"cgomap"}})
	if err != nil || !slices.Equal(s.Disable, []string{"cgomap"}) {
		t.Errorf("got %v, %v", s, err)
	}
}
