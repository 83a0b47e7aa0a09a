package csummary

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// cflags are the preprocessor-relevant parts of a package's #cgo CFLAGS and
// CPPFLAGS lines (and of $CGO_CPPFLAGS/$CGO_CFLAGS, which go build adds).
type cflags struct {
	include  []string // -I, -iquote, -isystem, in order
	defines  string   // #define/#undef lines for -D/-U/-pthread
	defNames []string // the names they define or undefine
	std      string   // the last -std= or -ansi, as cc.Config.ApplyOptions takes it
	notes    []string // what was ignored and why
}

// parseCgoFlags reads the #cgo directives of the package's files.
func parseCgoFlags(dir string, files []goFile) *cflags {
	cf := &cflags{}
	var defs strings.Builder
	for _, env := range []string{"CGO_CPPFLAGS", "CGO_CFLAGS"} {
		if v := os.Getenv(env); v != "" {
			cf.add(dir, strings.Fields(v), &defs, "$"+env)
		}
	}
	for _, f := range files {
		for _, d := range f.flags {
			head, args, ok := strings.Cut(d, ":")
			if !ok {
				continue // #cgo noescape/nocallback: not flags
			}
			fields := strings.Fields(head)
			if len(fields) == 0 || !matchCgoConstraint(fields[:len(fields)-1]) {
				continue
			}
			args = strings.ReplaceAll(args, "${SRCDIR}", dir)
			switch verb := fields[len(fields)-1]; verb {
			case "CFLAGS", "CPPFLAGS":
				words, err := splitQuoted(args)
				if err != nil {
					cf.notes = append(cf.notes, fmt.Sprintf("%s: #cgo %s: %v: ignored", filepath.Base(f.path), verb, err))
					continue
				}
				cf.add(dir, words, &defs, filepath.Base(f.path))
			case "pkg-config":
				cf.pkgConfig(dir, strings.Fields(args), &defs)
			}
		}
	}
	cf.defines = defs.String()
	return cf
}

// add applies one list of compiler flags.
func (cf *cflags) add(dir string, words []string, defs *strings.Builder, from string) {
	abs := func(p string) string {
		if filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	for i := 0; i < len(words); i++ {
		w := words[i]
		arg := func(flag string) (string, bool) {
			if v := strings.TrimPrefix(w, flag); v != "" {
				return v, true
			}
			if i+1 < len(words) {
				i++
				return words[i], true
			}
			return "", false
		}
		switch {
		case strings.HasPrefix(w, "-I"), strings.HasPrefix(w, "-isystem"), strings.HasPrefix(w, "-iquote"):
			flag := "-I"
			for _, f := range []string{"-isystem", "-iquote"} {
				if strings.HasPrefix(w, f) {
					flag = f
				}
			}
			if v, ok := arg(flag); ok {
				cf.include = append(cf.include, abs(v))
			}
		case strings.HasPrefix(w, "-D"):
			if v, ok := arg("-D"); ok {
				name, val, hasVal := strings.Cut(v, "=")
				if !hasVal {
					val = "1"
				}
				fmt.Fprintf(defs, "#define %s %s\n", name, val)
				fn, _, _ := strings.Cut(name, "(")
				cf.defNames = append(cf.defNames, fn)
			}
		case strings.HasPrefix(w, "-U"):
			if v, ok := arg("-U"); ok {
				fmt.Fprintf(defs, "#undef %s\n", v)
				cf.defNames = append(cf.defNames, v)
			}
		case w == "-pthread":
			defs.WriteString("#define _REENTRANT 1\n")
			cf.defNames = append(cf.defNames, "_REENTRANT")
		case strings.HasPrefix(w, "-std="), w == "-ansi":
			cf.std = w
		case w == "-include", w == "-imacros":
			if i+1 < len(words) {
				i++
			}
			cf.notes = append(cf.notes, fmt.Sprintf("%s: %s %s not applied", from, w, words[i]))
		}
	}
}

// pkgConfig resolves a #cgo pkg-config line by running pkg-config, as go
// build does; without pkg-config the line is ignored and the reason noted.
func (cf *cflags) pkgConfig(dir string, pkgs []string, defs *strings.Builder) {
	if len(pkgs) == 0 {
		return
	}
	tool := os.Getenv("PKG_CONFIG")
	if tool == "" {
		tool = "pkg-config"
	}
	path, err := exec.LookPath(tool)
	if err != nil {
		cf.notes = append(cf.notes, fmt.Sprintf("#cgo pkg-config: %s: ignored: %s not found", strings.Join(pkgs, " "), tool))
		return
	}
	out, err := exec.Command(path, append([]string{"--cflags", "--"}, pkgs...)...).Output()
	if err != nil {
		cf.notes = append(cf.notes, fmt.Sprintf("#cgo pkg-config: %s: ignored: %v", strings.Join(pkgs, " "), err))
		return
	}
	words, err := splitQuoted(string(out))
	if err != nil {
		cf.notes = append(cf.notes, fmt.Sprintf("#cgo pkg-config: %s: ignored: %v", strings.Join(pkgs, " "), err))
		return
	}
	cf.add(dir, words, defs, "pkg-config")
}

// matchCgoConstraint reports whether the build constraint of a #cgo line
// (space-separated alternatives of comma-separated terms, as in
// "linux,amd64 darwin !windows") holds for the host.
func matchCgoConstraint(alts []string) bool {
	if len(alts) == 0 {
		return true
	}
	for _, alt := range alts {
		all := true
		for term := range strings.SplitSeq(alt, ",") {
			neg := strings.HasPrefix(term, "!")
			if matchTag(strings.TrimPrefix(term, "!")) == neg {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

var unixOS = map[string]bool{"aix": true, "android": true, "darwin": true, "dragonfly": true, "freebsd": true,
	"hurd": true, "illumos": true, "ios": true, "linux": true, "netbsd": true, "openbsd": true, "solaris": true}

func matchTag(tag string) bool {
	switch tag {
	case runtime.GOOS, runtime.GOARCH, "cgo", "gc":
		return true
	case "unix":
		return unixOS[runtime.GOOS]
	}
	return false
}

// splitQuoted splits s into words as cmd/go does for #cgo flags: white
// space separates, single and double quotes group, backslash escapes.
func splitQuoted(s string) ([]string, error) {
	var out []string
	var w strings.Builder
	inWord, quote, escape := false, rune(0), false
	for _, r := range s {
		switch {
		case escape:
			escape = false
			w.WriteRune(r)
		case r == '\\':
			escape, inWord = true, true
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				w.WriteRune(r)
			}
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			if inWord {
				out = append(out, w.String())
				w.Reset()
				inWord = false
			}
		default:
			inWord = true
			w.WriteRune(r)
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unclosed quote")
	}
	if escape {
		return nil, fmt.Errorf("trailing backslash")
	}
	if inWord {
		out = append(out, w.String())
	}
	return out, nil
}
