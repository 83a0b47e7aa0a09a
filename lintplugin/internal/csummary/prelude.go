package csummary

import (
	"fmt"
	"maps"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// In prelude mode a translation unit is read with the host's system include
// directories replaced by virtualSysDir: each system header it includes is
// served from the index (sysindex.go) as a chunk holding only the
// declarations and macros the package's text can reach (by name, closed
// over what they mention), in the order and at the positions the header
// gives them. The unit then parses, type-checks and summarises exactly as
// when read in full, at a fraction of the cost.
//
// It is exact only when nothing the package does changes what the headers
// declare, so a unit is read in full instead when
//   - its text (or a package header it includes) defines or undefines a
//     macro that appears in an included system header (_GNU_SOURCE, NDEBUG, a
//     name the header tests or uses), or a -D/-U flag does;
//   - it uses __has_include or #include_next (their answers depend on the real
//     directories);
//   - a #if line may reach a package macro that pastes tokens (##), which could
//     form a name the text scan did not see;
//   - a package include directory holds a file a system header includes;
//   - two headers define a macro differently, or a header may undefine a
//     macro an earlier header defined;
//   - a system header is not in the index (it does not translate alone, it
//     is over budget, there is no cache directory), or the unit does not
//     translate in prelude mode for any other reason (a name the scan missed).
//
// Every one of these falls back to the full translation, so the prelude
// only changes the cost, never the answer (TestPreludeMatchesFull).

// virtualSysDir is where the search paths look for system headers in
// prelude mode; the index serves it. No file exists there.
const virtualSysDir = "/cgoguard-system-headers"

// A prelude is the state of one unit's translation in prelude mode.
type prelude struct {
	pkg    *Package
	idents map[string]bool // identifiers the unit's text can reach (grows with what chunks emit)
	// cf are the -D/-U lines of the package by name; early the package's
	// macros defined before every system include of the unit's main text
	// (name to #define line); other the names of its other macro
	// directives.
	cf    map[string]string
	early map[string]string
	other map[string]bool
	files map[string]bool // package files the text scan read
	// seq are the system headers served so far, lines the macro lines the
	// entries were read after, state the macros these define differently
	// from the predefined ones (name to #define line, or "#undef name").
	seq   []seqHeader
	lines []string
	state map[string]string
	// entries are the index entries of seq, sel what the unit's text
	// reaches of their declarations, macroRefs the names the headers'
	// macros mention.
	entries   []*sysHeader
	sel       [][]bool
	macroRefs map[string][]string
	// emitted are the declarations (by text) and shown the macros (name to
	// #define line) the chunks gave the unit.
	emitted map[string]bool
	shown   map[string]string
	again   int
	fail    string // why the unit must be read in full
}

func (st *prelude) failf(format string, args ...any) {
	if st.fail == "" {
		st.fail = fmt.Sprintf(format, args...)
	}
}

// open serves the virtual system directory.
func (st *prelude) open(name string) (fs.File, error, bool) {
	rel, ok := strings.CutPrefix("/"+strings.TrimPrefix(name, "/"), virtualSysDir+"/")
	if !ok {
		return nil, nil, false
	}
	if i := strings.IndexByte(rel, '/'); strings.HasPrefix(rel, againDir) && i > 0 {
		rel = rel[i+1:]
	}
	text, err := st.serve(rel)
	if err != nil {
		return nil, err, true
	}
	return newMemFile(text), nil, true
}

// seen is told of every file read from the disk: each must be one the text
// scan read, or the identifiers it names are missing from the chunks.
func (st *prelude) seen(path string) {
	if !st.files[filepath.Clean(path)] {
		st.failf("%s is included but the text scan did not read it", filepath.Base(path))
	}
}

// maxLineRounds bounds the search for the macro lines of an entry: the
// lines are those the headers' files mention, and with more lines they may
// read other files that mention more. Real headers settle in one round.
const maxLineRounds = 3

func (st *prelude) serve(name string) (string, error) {
	if st.fail != "" {
		return "", fs.ErrNotExist
	}
	pc := st.pkg.cfg
	path := ""
	for _, d := range pc.hostDirs {
		if fi, err := os.Stat(filepath.Join(d, name)); err == nil && !fi.IsDir() {
			path = filepath.Join(d, name)
			break
		}
	}
	if path == "" {
		return "", fs.ErrNotExist // not found in full mode either
	}
	seq := append(slices.Clone(st.seq), seqHeader{name, path})
	lines := st.lines
	var h *sysHeader
	for round := 0; ; round++ {
		if round == maxLineRounds {
			st.failf("the macro lines <%s> depends on did not settle", name)
			return "", fs.ErrNotExist
		}
		h = sysHeaderFor(pc, seq, lines, st.stateWith(lines))
		switch {
		case h == nil:
			st.failf("no system header index (no writable cache directory)")
		case h.Err != "":
			st.failf("<%s> is not in the index: %s", name, firstLines(h.Err, 1))
		}
		if st.fail != "" {
			return "", fs.ErrNotExist
		}
		more := st.relevantLines(h)
		if st.fail != "" {
			return "", fs.ErrNotExist
		}
		if isSubset(more, lines) {
			break
		}
		lines = unionSorted(lines, more)
	}
	if why := st.pkg.shadows(h); why != "" {
		st.failf("%s", why)
		return "", fs.ErrNotExist
	}
	st.state, st.lines, st.seq = st.stateWith(lines), lines, seq
	text := st.chunk(h)
	if st.fail != "" {
		return "", fs.ErrNotExist
	}
	return text, nil
}

// stateWith returns the state with the effect of the lines the state does
// not have yet (lines only grow, with names no earlier header mentions).
func (st *prelude) stateWith(lines []string) map[string]string {
	if len(lines) == len(st.lines) {
		return st.state
	}
	out := maps.Clone(st.state)
	for _, l := range lines {
		if _, found := slices.BinarySearch(st.lines, l); found {
			continue
		}
		f := strings.Fields(l)
		n, _, _ := strings.Cut(f[1], "(")
		if f[0] == "#undef" {
			out[n] = "#undef " + n
		} else {
			out[n] = l
		}
	}
	return out
}

// relevantLines returns the package's macro lines whose names the files of
// h's sequence mention: -D/-U flags and early #defines.
func (st *prelude) relevantLines(h *sysHeader) []string {
	var out []string
	for n, l := range st.cf {
		if h.usesIdent(n) {
			out = append(out, l)
		}
	}
	for n, l := range st.early {
		if !h.usesIdent(n) {
			continue
		}
		if _, ok := st.cf[n]; ok {
			st.failf("the package defines %s both in a flag and in its text", n)
			return nil
		}
		out = append(out, l)
	}
	slices.Sort(out)
	return out
}

func isSubset(a, b []string) bool {
	for _, x := range a {
		if _, found := slices.BinarySearch(b, x); !found {
			return false
		}
	}
	return true
}

func unionSorted(a, b []string) []string {
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
}

// chunk returns the text that stands for h in this unit, the last header
// of the sequence. First, outside the include guard so that they run at
// every inclusion, #error probes that the package's macros h's files
// mention are in the state h was read with (early ones defined, the others
// not). Then the declarations reachable from the unit's identifiers, in
// every header of the sequence, that no earlier chunk emitted (a
// declaration of h may need one of an earlier header the unit's text does
// not name), and the macros: h's undefinitions and the current definitions
// of the reachable ones not shown yet. A header without include guard is
// served again, as what including it once more gives, when the unit
// includes it again.
func (st *prelude) chunk(h *sysHeader) string {
	var b strings.Builder
	base := baselineMacros(st.pkg.cfg)
	for _, n := range slices.Sorted(mapKeys(st.early)) {
		if h.usesIdent(n) {
			fmt.Fprintf(&b, "#ifndef %s\n#error cgoguard prelude: %s is not defined where <%s> is included\n#endif\n", n, n, h.Name)
		}
	}
	for _, n := range slices.Sorted(mapKeys(st.other)) {
		if !h.usesIdent(n) {
			continue
		}
		if _, ok := st.state[n]; ok {
			st.failf("the package defines or undefines %s, which <%s> mentions and a flag or a system header defines", n, h.Name)
			return ""
		}
		if _, ok := base[n]; ok {
			st.failf("the package defines or undefines %s, which <%s> mentions and the compiler predefines", n, h.Name)
			return ""
		}
		fmt.Fprintf(&b, "#ifdef %s\n#error cgoguard prelude: %s is defined where <%s> is included\n#endif\n", n, n, h.Name)
	}
	guard := fmt.Sprintf("__cgoguard_prelude_%d", len(st.seq))
	fmt.Fprintf(&b, "#ifndef %s\n#define %s\n", guard, guard)

	// The state after h, and the references of its macros.
	for _, n := range h.Undefs {
		if _, ok := base[n]; ok {
			st.state[n] = "#undef " + n
		} else {
			delete(st.state, n)
		}
	}
	for _, m := range h.Macros {
		if base[m.Name] == m.Def {
			delete(st.state, m.Name)
		} else {
			st.state[m.Name] = m.Def
		}
		st.macroRefs[m.Name] = m.Refs
	}
	st.entries = append(st.entries, h)
	st.sel = append(st.sel, make([]bool, len(h.Decls)))

	// What the unit's text reaches, in every entry.
	selMacro := map[string]bool{}
	visited := map[string]bool{}
	queue := slices.Sorted(mapKeys(st.idents))
	for len(queue) > 0 {
		n := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if visited[n] {
			continue
		}
		visited[n] = true
		st.idents[n] = true
		for j, e := range st.entries {
			for _, i := range append(e.byName[n], e.byDealloc[n]...) {
				if !st.sel[j][i] {
					st.sel[j][i] = true
					queue = append(queue, e.Decls[i].Refs...)
				}
			}
		}
		if def, ok := st.state[n]; ok && !strings.HasPrefix(def, "#undef ") {
			selMacro[n] = true
			queue = append(queue, st.macroRefs[n]...)
		}
	}
	for j, e := range st.entries {
		for i, d := range e.Decls {
			if !st.sel[j][i] || st.emitted[d.Text] {
				continue
			}
			// The tokens are final: a macro shown earlier must not expand
			// them again (one that expands to itself is harmless).
			for _, r := range d.Refs {
				if def, ok := st.shown[r]; ok && def != "#define "+r+" "+r {
					st.failf("a declaration of <%s> mentions %s, a macro shown before it", e.Name, r)
					return ""
				}
			}
			st.emitted[d.Text] = true
			b.WriteString(d.Text)
		}
	}
	for _, n := range h.Undefs {
		if _, shown := st.shown[n]; shown || st.idents[n] {
			b.WriteString("#undef " + n + "\n")
			delete(st.shown, n)
		}
	}
	for _, n := range slices.Sorted(mapKeys(selMacro)) {
		def := st.state[n]
		if st.shown[n] == def {
			continue
		}
		_, predefined := base[n]
		if _, shown := st.shown[n]; shown || predefined {
			b.WriteString("#undef " + n + "\n")
		}
		b.WriteString(def + "\n")
		st.shown[n] = def
	}
	if !h.Guarded {
		// Included again, it may declare or define more: serve that.
		st.again++
		fmt.Fprintf(&b, "#else\n#include <%s%d/%s>\n", againDir, st.again, h.Name)
	}
	b.WriteString("#endif\n")
	return b.String()
}

// againDir prefixes the name under which a header without include guard
// is included again (a new name, so that cc asks the index again rather
// than reusing the chunk it read).
const againDir = ".cgoguard-again-"

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// newPrelude prepares the prelude of u from the text scan of the package
// text it reads: cgo's prolog (for a preamble), its own text, the package
// headers it includes (transitively) and, for a preamble, the C names its
// Go file uses (cgo's generated C refers to them). It returns why the unit
// must be read in full instead, or "".
func (p *Package) newPrelude(u *unit) (*prelude, string) {
	st := &prelude{pkg: p, idents: map[string]bool{}, cf: map[string]string{}, early: map[string]string{}, other: map[string]bool{},
		files: map[string]bool{}, state: map[string]string{}, macroRefs: map[string][]string{},
		emitted: map[string]bool{}, shown: map[string]string{}}
	for l := range strings.Lines(p.cflags.defines) {
		l = strings.TrimSpace(l)
		f := strings.Fields(l)
		if len(f) < 2 {
			continue
		}
		n, _, _ := strings.Cut(f[1], "(")
		st.cf[n] = l
	}
	var all []*textFacts
	var visit func(f *textFacts, dir string)
	visit = func(f *textFacts, dir string) {
		all = append(all, f)
		for _, inc := range f.includes {
			path, text, ok := p.packageHeader(inc, dir)
			if !ok || st.files[path] {
				continue
			}
			st.files[path] = true
			visit(p.scan(path, text), filepath.Dir(path))
		}
	}
	if u.facts == nil {
		u.facts = scanC(u.text)
	}
	if u.isPre {
		visit(prologFacts, p.dir)
		for _, f := range p.files {
			if f.path == u.name {
				for _, n := range f.uses {
					st.idents[n] = true
				}
			}
		}
	}
	visit(u.facts, filepath.Dir(u.name))
	pkgMacros := map[string]macroDirective{}
	count := map[string]int{}
	var ifIdents []string
	for _, f := range all {
		if f.hasInclude {
			return nil, "the text uses __has_include or #include_next"
		}
		for id := range f.idents {
			st.idents[id] = true
		}
		for _, m := range f.macros {
			count[m.name]++
			if !m.undef {
				old := pkgMacros[m.name]
				old.paste = old.paste || m.paste
				old.body = append(old.body, m.body...)
				pkgMacros[m.name] = old
			}
		}
		ifIdents = append(ifIdents, f.ifIdents...)
	}
	// The main text's macros defined before any of its includes, once in
	// all the package text, are in effect at every system include but the
	// prolog's (whose probe then fails).
	for _, m := range u.facts.early {
		if count[m.name] == 1 {
			st.early[m.name] = m.line
		}
	}
	for n := range count {
		if _, ok := st.early[n]; !ok {
			st.other[n] = true
		}
	}
	// A #if that reaches a package macro pasting tokens may test a name
	// the scan never saw.
	seen := map[string]bool{}
	for len(ifIdents) > 0 {
		n := ifIdents[len(ifIdents)-1]
		ifIdents = ifIdents[:len(ifIdents)-1]
		m, ok := pkgMacros[n]
		if !ok || seen[n] {
			continue
		}
		seen[n] = true
		if m.paste {
			return nil, "a #if line reaches macro " + n + ", which pastes tokens"
		}
		ifIdents = append(ifIdents, m.body...)
	}
	return st, ""
}

// prologFacts are the facts of cgo's prolog, which precedes each preamble.
var prologFacts = scanC([]byte(builtinProlog))

// packageHeader resolves an #include of the package text as the
// preprocessor does, up to the package's own directories: the including
// file's directory (for "..." only), then the package's include
// directories. It reports false for a header found only in the host's
// system directories (or nowhere).
func (p *Package) packageHeader(inc includeDirective, dir string) (path string, text []byte, ok bool) {
	dirs := p.cfg.own
	if !inc.angle {
		dirs = append([]string{dir}, dirs...)
	}
	for _, d := range dirs {
		path := filepath.Join(d, inc.name)
		if s, ok := p.cfg.overlay[strings.TrimPrefix(path, "/")]; ok {
			return path, []byte(s), true
		}
		if text, ok := p.headerText(path); ok {
			return path, text, true
		}
	}
	return "", nil, false
}

// headerText reads a package header once per package.
func (p *Package) headerText(path string) ([]byte, bool) {
	if t, ok := p.texts[path]; ok {
		return t, t != nil
	}
	var text []byte
	if fi, err := os.Stat(path); err == nil && !fi.IsDir() {
		text, _ = os.ReadFile(path)
	}
	p.texts[path] = text
	return text, text != nil
}

// scan returns the text facts of a package file, once per package.
func (p *Package) scan(path string, text []byte) *textFacts {
	if f, ok := p.facts[path]; ok {
		return f
	}
	f := scanC(text)
	p.facts[path] = f
	return f
}

// shadows reports whether a package include directory holds a file that
// system header h includes: go build's compiler would read the package's
// file instead of the one the index read.
func (p *Package) shadows(h *sysHeader) string {
	if why, ok := p.shadowed[h.Key]; ok {
		return why
	}
	why := ""
search:
	for _, f := range h.Files {
		for _, hd := range p.cfg.hostDirs {
			rel, ok := strings.CutPrefix(f.Path, filepath.Clean(hd)+"/")
			if !ok {
				continue
			}
			for _, od := range p.cfg.own {
				if _, err := os.Stat(filepath.Join(od, rel)); err == nil {
					why = fmt.Sprintf("%s in a package include directory shadows the system's, which <%s> includes", rel, h.Name)
					break search
				}
			}
		}
	}
	p.shadowed[h.Key] = why
	return why
}

// preludeEnabled switches prelude mode on; tests and benchmarks compare
// it with the full translation.
var preludeEnabled = true
