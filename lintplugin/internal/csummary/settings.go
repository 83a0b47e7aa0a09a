package csummary

import (
	"fmt"
	"strconv"
	"strings"
)

// A FuncParam names one parameter of a C function: the setting entry
// "sqlite3_bind_blob/5" is FuncParam{Func: "sqlite3_bind_blob", Param: 5}.
type FuncParam struct {
	Func  string
	Param int // 1-based
}

func (fp FuncParam) String() string { return fmt.Sprintf("%s/%d", fp.Func, fp.Param) }

// Settings is the user's knowledge of C functions whose bodies the analysis
// cannot read (third-party libraries). It overrides what the analysis finds.
type Settings struct {
	RetainFunctions []FuncParam // the function keeps that argument after returning
	FreeFunctions   []FuncParam // the function frees that argument
}

// ParseFuncParams parses the entries of the setting called key
// ("retain-functions", "free-functions"). A malformed entry is an error that
// names the setting, the entry and the accepted form.
func ParseFuncParams(key string, entries []string) ([]FuncParam, error) {
	out := make([]FuncParam, 0, len(entries))
	for _, e := range entries {
		fp, err := parseFuncParam(e)
		if err != nil {
			return nil, fmt.Errorf("%s: entry %q: %v; want NAME/N: a C function name and a 1-based parameter number, as in \"sqlite3_bind_blob/5\"", key, e, err)
		}
		out = append(out, fp)
	}
	return out, nil
}

func parseFuncParam(e string) (FuncParam, error) {
	name, num, ok := strings.Cut(strings.TrimSpace(e), "/")
	if !ok {
		return FuncParam{}, fmt.Errorf("no /N parameter number")
	}
	if !isCIdent(name) {
		return FuncParam{}, fmt.Errorf("%q is not a C identifier", name)
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 1 {
		return FuncParam{}, fmt.Errorf("%q is not a parameter number (1, 2, ...)", num)
	}
	return FuncParam{Func: name, Param: n}, nil
}

func isCIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
		case i > 0 && '0' <= r && r <= '9':
		default:
			return false
		}
	}
	return true
}

// key returns a deterministic text for the cache key.
func (s Settings) key() string {
	var b strings.Builder
	for _, fp := range s.RetainFunctions {
		fmt.Fprintf(&b, "r%s;", fp)
	}
	for _, fp := range s.FreeFunctions {
		fmt.Fprintf(&b, "f%s;", fp)
	}
	return b.String()
}
