package lintplugin

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/cgoguard/cgoguard/internal/suggest"
	"github.com/cgoguard/cgoguard/lintplugin/cgofinalizer"
	"github.com/cgoguard/cgoguard/lintplugin/internal/config"
	"github.com/cgoguard/cgoguard/lintplugin/internal/csummary"
)

// Settings is linters.settings.custom.cgoguard.settings in .golangci.yml,
// decoded by DecodeSettings from the keys listed in settingKeys.
type Settings struct {
	// Enable, when not empty, lists the only checks to run.
	Enable []string
	// Disable lists checks to turn off.
	Disable []string
	// Explain prints why each finding was reported and each candidate
	// dropped (config.Config.Explain).
	Explain bool
	// FinalizerScope, HandleLeaks and HeaderModernize are the per-check
	// settings (see config.Config).
	FinalizerScope  string
	HandleLeaks     bool
	HeaderModernize bool
	// RetainFunctions and FreeFunctions describe C library functions
	// without a body the analysis reads, as NAME/N (parameter N, from 1).
	RetainFunctions []csummary.FuncParam
	FreeFunctions   []csummary.FuncParam
}

// defaultSettings are the settings when a key is not given.
func defaultSettings() Settings {
	d := config.Default()
	return Settings{FinalizerScope: d.FinalizerScope, HandleLeaks: d.HandleLeaks, HeaderModernize: d.HeaderModernize}
}

// config is the engine configuration the settings ask for.
func (s Settings) config() *config.Config {
	c := config.Default()
	c.Explain = s.Explain
	c.FinalizerScope = s.FinalizerScope
	c.HandleLeaks = s.HandleLeaks
	c.HeaderModernize = s.HeaderModernize
	c.C = csummary.Settings{RetainFunctions: s.RetainFunctions, FreeFunctions: s.FreeFunctions}
	return c
}

// A setting is one key of the plugin's settings. settingKeys is the one
// place that lists them: DecodeSettings reads them, its errors list them,
// and the README's settings table is generated from them (readme_test.go).
//
// Adding a key is one entry here and a field in Settings, e.g.
//
//	{Key: "explain", Type: "boolean", Default: "`false`",
//		Doc: "print the path each finding's value took",
//		decode: boolean(func(s *Settings) *bool { return &s.Explain })},
//
// A key whose value is itself a map of keys (say `cgofinalizer: {scope: all}`)
// has subkeys instead of a decoder; they appear as `cgofinalizer.scope` in
// the README and in errors.
type setting struct {
	Key     string // as written in .golangci.yml (golangci-lint lowercases keys)
	Type    string // the README's words for the value
	Default string // the README's words for the default (Markdown)
	Doc     string // the README's meaning column
	decode  decoder
	subkeys []setting
}

// A decoder stores v, the value of the key at path, into s.
type decoder func(s *Settings, path string, v any) error

var settingKeys = []setting{
	{
		Key: "enable", Type: "list of check names", Default: "`[]` (all checks)",
		Doc:    "run only these checks",
		decode: checkNames(func(s *Settings) *[]string { return &s.Enable }),
	},
	{
		Key: "disable", Type: "list of check names", Default: "`[]`",
		Doc:    "checks to turn off (applied after `enable`)",
		decode: checkNames(func(s *Settings) *[]string { return &s.Disable }),
	},
	{
		Key: "explain", Type: "boolean", Default: "`false`",
		Doc:    "print to standard error, for each finding, the path the engine followed, and for each candidate dropped, why",
		decode: boolean(func(s *Settings) *bool { return &s.Explain }),
	},
	{
		Key: "retain-functions", Type: "list of `NAME/N`", Default: "`[]`",
		Doc:    "C functions without a body cgoguard can read that keep their parameter N (from 1) after they return, e.g. `[sqlite3_bind_blob/2]`",
		decode: funcParams(func(s *Settings) *[]csummary.FuncParam { return &s.RetainFunctions }),
	},
	{
		Key: "free-functions", Type: "list of `NAME/N`", Default: "`[]`",
		Doc:    "C functions without a body cgoguard can read that free their parameter N (from 1), e.g. `[xmlFreeDoc/1]`",
		decode: funcParams(func(s *Settings) *[]csummary.FuncParam { return &s.FreeFunctions }),
	},
	{
		Key: "cgofinalizer", Type: "map", Default: "",
		Doc: "settings of cgofinalizer",
		subkeys: []setting{{
			Key: "scope", Type: "`risk`, `exported` or `all`", Default: "`" + config.Default().FinalizerScope + "`",
			Doc: "`risk`: the races a caller is likely to hit (C working on the caller's buffers, memory C returned into the object used or handed back after the object's last use, goroutines), not setters, checks or types with a Close method; " +
				"`exported`: every case in exported functions and methods; `all`: every case, by the letter of the rule",
			decode: oneOf(func(s *Settings) *string { return &s.FinalizerScope }, cgofinalizer.Scopes...),
		}},
	},
	{
		Key: "cgohandle", Type: "map", Default: "",
		Doc: "settings of cgohandle",
		subkeys: []setting{{
			Key: "leaks", Type: "boolean", Default: "`true`",
			Doc:    "report handles that are never deleted",
			decode: boolean(func(s *Settings) *bool { return &s.HandleLeaks }),
		}},
	},
	{
		Key: "cgoheader", Type: "map", Default: "",
		Doc: "settings of cgoheader",
		subkeys: []setting{{
			Key: "modernize", Type: "boolean", Default: "`false`",
			Doc:    "also report the deprecated but correct use of reflect.SliceHeader and StringHeader over C memory",
			decode: boolean(func(s *Settings) *bool { return &s.HeaderModernize }),
		}},
	},
}

// funcParams decodes a list of NAME/N entries.
func funcParams(field func(*Settings) *[]csummary.FuncParam) decoder {
	return func(s *Settings, path string, v any) error {
		list, err := stringList(path, "NAME/N entries", v)
		if err != nil {
			return err
		}
		fps, err := csummary.ParseFuncParams(path, list)
		if err != nil {
			return settingsErr("%v", err)
		}
		*field(s) = fps
		return nil
	}
}

// DecodeSettings decodes golangci-lint's raw settings (nil, or the YAML
// map under settings:). All problems are returned as one error, one line
// each, naming the key and listing the valid keys or values.
func DecodeSettings(raw any) (Settings, error) {
	s := defaultSettings()
	if err := decodeMap(&s, settingKeys, "", normalize(raw)); err != nil {
		return Settings{}, err
	}
	for _, c := range s.Enable {
		if slices.Contains(s.Disable, c) {
			return Settings{}, settingsErr("%q is listed in both enable and disable", c)
		}
	}
	return s, nil
}

func settingsErr(format string, args ...any) error {
	return fmt.Errorf(Name+": settings: "+format, args...)
}

func decodeMap(s *Settings, keys []setting, prefix string, raw any) error {
	if raw == nil {
		return nil
	}
	m, ok := raw.(map[string]any)
	if !ok {
		where := "settings"
		if prefix != "" {
			where = strings.TrimSuffix(prefix, ".")
		}
		return settingsErr("%s: want a map of keys, got %s", where, describe(raw))
	}
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = k.Key
	}
	given := make([]string, 0, len(m))
	for k := range m {
		given = append(given, k)
	}
	sort.Strings(given) // errors in a stable order
	var errs []error
	for _, k := range given {
		i := slices.Index(names, k)
		if i < 0 {
			errs = append(errs, settingsErr("unknown key %q%s", prefix+k, suggest.DidYouMean(prefix+k, "keys", prefixed(prefix, names))))
			continue
		}
		var err error
		if keys[i].subkeys != nil {
			err = decodeMap(s, keys[i].subkeys, prefix+k+".", m[k])
		} else {
			err = keys[i].decode(s, prefix+k, m[k])
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func prefixed(prefix string, names []string) []string {
	if prefix == "" {
		return names
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = prefix + n
	}
	return out
}

// checkNames decodes a list of check names, each matched exactly.
func checkNames(field func(*Settings) *[]string) decoder {
	return func(s *Settings, path string, v any) error {
		list, err := stringList(path, "check names", v)
		if err != nil {
			return err
		}
		known := CheckNames()
		var errs []error
		for _, c := range list {
			if !slices.Contains(known, c) {
				errs = append(errs, settingsErr("%s: unknown check %q%s", path, c, suggest.DidYouMean(c, "checks", known)))
			}
		}
		if len(errs) > 0 {
			return errors.Join(errs...)
		}
		*field(s) = list
		return nil
	}
}

// stringList reads a list of strings; what names its items in errors.
func stringList(path, what string, v any) ([]string, error) {
	if v == nil {
		return nil, nil
	}
	items, ok := v.([]any)
	if !ok {
		return nil, settingsErr("%s: want a list of %s, e.g. [a, b], got %s", path, what, describe(v))
	}
	out := make([]string, len(items))
	for i, it := range items {
		str, ok := it.(string)
		if !ok {
			return nil, settingsErr("%s: want a list of %s, got %s in it", path, what, describe(it))
		}
		out[i] = str
	}
	return out, nil
}

// stringsOf decodes a list of strings (function names, say).
func stringsOf(what string, field func(*Settings) *[]string) decoder {
	return func(s *Settings, path string, v any) error {
		list, err := stringList(path, what, v)
		if err == nil {
			*field(s) = list
		}
		return err
	}
}

// boolean decodes true or false.
func boolean(field func(*Settings) *bool) decoder {
	return func(s *Settings, path string, v any) error {
		b, ok := v.(bool)
		if !ok {
			return settingsErr("%s: want true or false, got %s", path, describe(v))
		}
		*field(s) = b
		return nil
	}
}

// oneOf decodes a string that must be one of values.
func oneOf(field func(*Settings) *string, values ...string) decoder {
	return func(s *Settings, path string, v any) error {
		str, ok := v.(string)
		if !ok || !slices.Contains(values, str) {
			if ok {
				return settingsErr("%s: unknown value %q%s", path, str, suggest.DidYouMean(str, "values", values))
			}
			return settingsErr("%s: want one of %s, got %s", path, strings.Join(values, ", "), describe(v))
		}
		*field(s) = str
		return nil
	}
}

// describe names a YAML value's kind for an error message.
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "nothing"
	case string:
		return fmt.Sprintf("the string %q", v)
	case bool:
		return fmt.Sprintf("the boolean %v", v)
	case []any:
		return "a list"
	case map[string]any:
		return "a map"
	default:
		return fmt.Sprintf("the %T %v", v, v)
	}
}

// normalize turns the maps and slices golangci-lint may hand over (from
// YAML, JSON or TOML decoders) into map[string]any and []any.
func normalize(v any) any {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Map:
		m := make(map[string]any, rv.Len())
		for it := rv.MapRange(); it.Next(); {
			m[fmt.Sprint(it.Key().Interface())] = normalize(it.Value().Interface())
		}
		return m
	case reflect.Slice, reflect.Array:
		out := make([]any, rv.Len())
		for i := range out {
			out[i] = normalize(rv.Index(i).Interface())
		}
		return out
	}
	return v
}
