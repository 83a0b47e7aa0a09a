package csummary

import (
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// In prelude mode a translation unit is read with its system includes served
// from the index (sysindex.go). Each #include of a system header in the
// package's text is rewritten to a name of its own under virtualSysDir, so
// that the index knows which directive the preprocessor reached and in what
// order. A block of system includes that nothing but white space separates
// is served at its first include as one chunk: what the block adds after the
// system headers before it, restricted to the declarations and macros the
// package's text can reach (by name, closed over what they mention), at the
// positions the headers give them. The unit then parses, type-checks and
// summarises exactly as when read in full, at a fraction of the cost.
//
// It is exact only when nothing the package does changes what the headers
// declare, so the unit is read in full instead when
//   - a macro the package defines or undefines is mentioned by a header's
//     files and is not in the state the index read them with: the -D/-U flags
//     and the #defines before the main text's first #include are part of the
//     index key, the others must be undefined, which #error probes in the
//     chunks check where the header is included;
//   - its text uses __has_include or #include_next (their answers depend on
//     the real directories);
//   - a #if line may reach a package macro that pastes tokens (##), which
//     could form a name the text scan did not see;
//   - a package include directory holds a file a system header includes;
//   - a header without include guard is entered again through a chunk read
//     twice, or a file the text scan did not read is included;
//   - a system header is not in the index (it does not translate, it is over
//     budget, there is no cache directory), or the unit does not translate in
//     prelude mode for any other reason (a name the scan missed).
//
// Every one of these falls back to the full translation, so the prelude
// changes the cost, never the answer (TestPreludeMatchesFull).

// virtualSysDir is where the rewritten includes point; the index serves it.
// No file exists there.
const virtualSysDir = "/cgoguard-system-headers"

// incDir prefixes the directory of a rewritten include: incDir + its
// number + "/" + the header's name, or pkgPlaceholder for a package header.
const (
	incDir         = ".cgoguard-inc-"
	pkgPlaceholder = "package-header"
)

// A sysDirective is one system #include of the unit's package text, in
// the order of the text (package headers entered where they are included).
type sysDirective struct {
	name  string
	block int  // the number of the first directive of its block
	pkg   bool // a package header the index serves (name is its path)
}

// A prelude is the state of one unit's translation in prelude mode.
type prelude struct {
	pkg    *Package
	idents map[string]bool // identifiers the unit's text can reach (grows with what chunks emit)
	// cf are the -D/-U lines of the package by name; early the package's
	// macros defined before any include of the unit's main text (name to
	// #define line); other the names of its other macro directives.
	cf    map[string]string
	early map[string]string
	other map[string]bool
	// dirs are the system includes, texts the package files the text scan
	// read with them rewritten (by path), main and prolog the unit's own.
	dirs   []sysDirective
	texts  map[string][]byte
	main   []byte
	prolog string
	// seq are the system headers served so far, lines the macro lines the
	// entries were read after (early ones marked, earlyLine), state the
	// macros these define differently from the predefined ones (name to
	// #define line, or "#undef name").
	seq   []seqHeader
	lines []string
	state map[string]string
	// prologDirs are the directives of cgo's prolog, which the preprocessor
	// reads before the preamble (and its early #defines); prologSeq the
	// headers of seq they served.
	prologDirs, prologSeq int
	// entries are the index entries served, sel what the unit's text
	// reaches of their declarations, macroRefs the names the headers'
	// macros mention.
	entries   []*sysHeader
	sel       [][]bool
	macroRefs map[string][]string
	// emitted are the declarations (by text) and shown the macros (name to
	// #define line) the chunks gave the unit.
	emitted map[string]bool
	helpers map[string]bool // helper macros defined (emitTokens)
	shown   map[string]string
	served  map[int]bool // blocks served
	fail    string       // why the unit must be read in full
}

func (st *prelude) failf(format string, args ...any) {
	if st.fail == "" {
		st.fail = fmt.Sprintf(format, args...)
	}
}

// open serves the rewritten package files and the virtual system directory.
func (st *prelude) open(name string) (fs.File, error, bool) {
	path := filepath.FromSlash(name)
	if text, ok := st.texts[path]; ok {
		return newMemFile(string(text)), nil, true
	}
	rel, ok := strings.CutPrefix(path, virtualSysDir+"/")
	if !ok {
		return nil, nil, false
	}
	var text string
	if num, hdr, ok := strings.Cut(strings.TrimPrefix(rel, incDir), "/"); ok && strings.HasPrefix(rel, incDir) {
		i, err := strconv.Atoi(num)
		if err != nil || i < 0 || i >= len(st.dirs) || st.dirs[i].name != hdr && (!st.dirs[i].pkg || hdr != pkgPlaceholder) {
			st.failf("unknown rewritten include %s", rel)
		} else {
			text = st.serveDirective(i)
		}
	} else {
		// A computed include (#include MACRO): a block of its own.
		text = st.serveBlock([]sysDirective{{name: rel}}, false)
	}
	if st.fail != "" {
		return nil, fs.ErrNotExist, true
	}
	return newMemFile(text), nil, true
}

// seen is told of every file read from the disk: the package files the
// scan read are served rewritten, so this is one it did not read.
func (st *prelude) seen(path string) {
	st.failf("%s is included but the text scan did not read it", filepath.Base(path))
}

func (st *prelude) serveDirective(i int) string {
	d := st.dirs[i]
	if st.served[d.block] {
		return "" // served with the first include of its block
	}
	if d.block != i {
		st.failf("the preprocessor entered the block of <%s> at another include", d.name)
		return ""
	}
	st.served[i] = true
	var block []sysDirective
	for j := i; j < len(st.dirs) && st.dirs[j].block == i; j++ {
		block = append(block, st.dirs[j])
	}
	text := st.serveBlock(block, i < st.prologDirs)
	if i < st.prologDirs {
		st.prologSeq = len(st.seq)
	}
	return text
}

// maxLineRounds bounds the search for the macro lines of an entry: the
// lines are those the headers' files mention, and with more lines they may
// read other files that mention more. Real headers settle in one round.
const maxLineRounds = 3

// serveBlock returns the chunk of a block of system includes (of cgo's
// prolog: before the package's early #defines).
func (st *prelude) serveBlock(block []sysDirective, inProlog bool) string {
	if st.fail != "" {
		return ""
	}
	pc := st.pkg.cfg
	seq := slices.Clone(st.seq)
	for _, d := range block {
		if d.pkg {
			seq = append(seq, seqHeader{name: d.name, path: d.name, pkg: true})
			continue
		}
		name := d.name
		path := ""
		for _, d := range pc.hostDirs {
			if fi, err := os.Stat(filepath.Join(d, name)); err == nil && !fi.IsDir() {
				path = filepath.Join(d, name)
				break
			}
		}
		if path == "" {
			st.failf("<%s> not found", name) // nor in full mode
			return ""
		}
		seq = append(seq, seqHeader{name: name, path: path})
	}
	names := []string{block[0].name}
	lines := unionSorted(st.lines, st.guessLines(inProlog))
	var h *sysHeader
	for round := 0; ; round++ {
		if round == maxLineRounds {
			st.failf("the macro lines <%s> depends on did not settle", names[0])
			return ""
		}
		h = sysHeaderFor(pc, seq, len(block), lines, st.prologSeq, st.stateWith(lines))
		switch {
		case h == nil:
			st.failf("no system header index (no writable cache directory)")
		case h.Err != "":
			st.failf("<%s> is not in the index: %s", names[0], firstLines(h.Err, 1))
		}
		if st.fail != "" {
			return ""
		}
		more := st.relevantLines(h, inProlog)
		if st.fail != "" {
			return ""
		}
		if isSubset(more, lines) {
			break
		}
		lines = unionSorted(lines, more)
	}
	if why := st.pkg.shadows(h); why != "" && !h.Own {
		st.failf("%s", why)
		return ""
	}
	st.state, st.lines, st.seq = st.stateWith(lines), lines, seq
	return st.chunk(h, inProlog)
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
		l = strings.TrimPrefix(l, earlyLine)
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

// guessLines returns the lines a block is first looked up with: those of
// reserved names (_GNU_SOURCE, _REENTRANT from -pthread, __STDC_WANT_*)
// and NDEBUG, which system headers test, that are not in the unit's lines
// yet. A line no file of the sequence mentions changes nothing, so a guess
// only costs sharing; a wrong one costs a second lookup. Guessing by name
// keeps the key a function of the package text.
func (st *prelude) guessLines(inProlog bool) []string {
	if len(st.seq) > st.prologSeq {
		return nil // the first block after the prolog settled them
	}
	var out []string
	for n, l := range st.cf {
		if strings.HasPrefix(n, "_") || n == "NDEBUG" {
			out = append(out, l)
		}
	}
	for n, l := range st.early {
		if !inProlog && (strings.HasPrefix(n, "_") || n == "NDEBUG") {
			out = append(out, earlyLine+l)
		}
	}
	slices.Sort(out)
	return out
}

// earlyLine marks, among an entry's lines, the package's early #defines:
// the index reads them after the headers of cgo's prolog.
const earlyLine = "\x00early "

// relevantLines returns the package's macro lines whose names the files of
// h's sequence mention: -D/-U flags and, after cgo's prolog, early
// #defines.
func (st *prelude) relevantLines(h *sysHeader, inProlog bool) []string {
	var out []string
	for n, l := range st.cf {
		if h.mentions(n) {
			out = append(out, l)
		}
	}
	for n, l := range st.early {
		if inProlog || !h.mentions(n) {
			continue
		}
		if _, ok := st.cf[n]; ok {
			st.failf("the package defines %s both in a flag and in its text", n)
			return nil
		}
		out = append(out, earlyLine+l)
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

// chunk returns the text that stands for h's block in this unit. First,
// outside the guard so that they run whenever the chunk is read, #error
// probes that the package's macros the headers' files mention are in the
// state the index read them with (early ones defined, the others not).
// Then the declarations reachable from the unit's identifiers, in every
// entry served (a declaration of this block may need one of an earlier
// block the unit's text does not name), that no earlier chunk emitted, and
// the macros: the block's undefinitions and the current definitions of the
// reachable ones not shown yet. A chunk read again (from a package header
// without include guard) is accepted only if the headers are guarded and
// their guards still defined, as the preprocessor would then skip them.
func (st *prelude) chunk(h *sysHeader, inProlog bool) string {
	var b strings.Builder
	base := baselineMacros(st.pkg.cfg)
	for _, n := range slices.Sorted(maps.Keys(st.early)) {
		// In the prolog the early #defines are not read yet: the entry was
		// read without them, and they cannot be defined there.
		if !inProlog && (h.mentions(n)) {
			fmt.Fprintf(&b, "#ifndef %s\n#error cgoguard prelude: %s is not defined where <%s> is included\n#endif\n", n, n, h.Name)
		}
	}
	for _, n := range slices.Sorted(maps.Keys(st.other)) {
		if !h.mentions(n) {
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
	guard := fmt.Sprintf("__cgoguard_prelude_%d", len(st.entries))
	fmt.Fprintf(&b, "#ifndef %s\n#define %s\n", guard, guard)

	// The state after the block, and the references of its macros.
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
	queue := slices.Sorted(maps.Keys(st.idents))
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
		late := j < len(st.entries)-1
		for i, d := range e.Decls {
			if !st.sel[j][i] || st.emitted[d.Text] {
				continue
			}
			// The tokens are final: a macro shown earlier must not expand
			// them again (one that expands to itself is harmless), nor a
			// package macro defined since the block of a declaration
			// emitted late (its block's probes checked its own point).
			for _, r := range d.Refs {
				if def, ok := st.shown[r]; ok && def != "#define "+r+" "+r {
					st.failf("a declaration of <%s> mentions %s, a macro shown before it", e.Name, r)
					return ""
				}
				if _, ok := st.early[r]; late && (ok || st.other[r]) {
					st.failf("a declaration of <%s> needed later mentions %s, a macro of the package", e.Name, r)
					return ""
				}
			}
			st.emitted[d.Text] = true
			for _, n := range d.Uses {
				if !st.helpers[n] {
					st.helpers[n] = true
					b.WriteString("#define " + n + " " + e.HelperDefs[n] + "\n")
				}
			}
			b.WriteString(d.Text)
		}
	}
	for _, n := range h.Undefs {
		if _, shown := st.shown[n]; shown || st.idents[n] {
			b.WriteString("#undef " + n + "\n")
			delete(st.shown, n)
		}
	}
	for _, n := range slices.Sorted(maps.Keys(selMacro)) {
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
	b.WriteString("#else\n")
	for i, g := range h.Guards {
		if g == "" {
			fmt.Fprintf(&b, "#error cgoguard prelude: <%s> has no include guard and is entered again\n", h.Seq[len(h.Seq)-len(h.Guards)+i])
		} else {
			fmt.Fprintf(&b, "#ifndef %s\n#error cgoguard prelude: the guard of a system header is undefined\n#endif\n", g)
		}
	}
	b.WriteString("#endif\n")
	return b.String()
}

// newPrelude prepares the prelude of u from the text scan of the package
// text it reads: cgo's prolog (for a preamble), its own text, the package
// headers it includes (transitively) and, for a preamble, the C names its
// Go file uses (cgo's generated C refers to them). It returns why the unit
// must be read in full instead, or "".
func (p *Package) newPrelude(u *unit) (*prelude, string) {
	st := &prelude{pkg: p, idents: map[string]bool{}, cf: map[string]string{}, early: map[string]string{},
		other: map[string]bool{}, texts: map[string][]byte{}, state: map[string]string{},
		macroRefs: map[string][]string{}, emitted: map[string]bool{}, helpers: map[string]bool{}, shown: map[string]string{}, served: map[int]bool{}}
	for l := range strings.Lines(p.cflags.defines) {
		l = strings.TrimSpace(l)
		f := strings.Fields(l)
		if len(f) < 2 {
			continue
		}
		n, _, _ := strings.Cut(f[1], "(")
		st.cf[n] = l
	}
	if u.facts == nil {
		u.facts = scanC(u.text)
	}
	var all []*textFacts
	size := len(u.text)
	// visit walks a text in the preprocessor's order, entering package
	// headers where they are included, numbering the system includes and
	// returning the text with them rewritten.
	var visit func(f *textFacts, text []byte, dir string) []byte
	visit = func(f *textFacts, text []byte, dir string) []byte {
		all = append(all, f)
		var out []byte
		last, prevSys := 0, false
		for _, inc := range f.includes {
			path, htext, isPkg := p.packageHeader(inc, dir)
			if isPkg && p.indexablePackageHeader(path, htext) {
				i := len(st.dirs)
				st.dirs = append(st.dirs, sysDirective{name: path, block: i, pkg: true})
				prevSys = false // a block of its own: its entry is keyed by the package's directories
				out = append(out, text[last:inc.start]...)
				out = append(out, "<"+incDir+strconv.Itoa(i)+"/"+pkgPlaceholder+">"...)
				last = inc.end
				continue
			}
			if isPkg {
				prevSys = false
				if _, done := st.texts[path]; !done {
					st.texts[path] = nil // entered once: a second include is the same text
					size += len(htext)
					st.texts[path] = visit(p.scan(path, htext), htext, filepath.Dir(path))
				}
				continue
			}
			i := len(st.dirs)
			block := i
			if inc.adjacent && prevSys {
				block = st.dirs[i-1].block
			}
			st.dirs = append(st.dirs, sysDirective{name: inc.name, block: block})
			prevSys = true
			out = append(out, text[last:inc.start]...)
			out = append(out, "<"+incDir+strconv.Itoa(i)+"/"+inc.name+">"...)
			last = inc.end
		}
		return append(out, text[last:]...)
	}
	if u.isPre {
		st.prolog = string(visit(prologFacts, []byte(builtinProlog), p.dir))
		st.prologDirs = len(st.dirs)
		for _, f := range p.files {
			if f.path == u.name {
				for _, n := range f.uses {
					st.idents[n] = true
				}
			}
		}
	}
	st.main = visit(u.facts, u.text, filepath.Dir(u.name))
	if size > maxUnitBytes {
		return nil, fmt.Sprintf("the package text it reads is over %d bytes (maxUnitBytes)", maxUnitBytes)
	}
	pkgMacros := map[string]macroDirective{}
	count := map[string]int{}
	var ifIdents []string
	for _, f := range all {
		if f.hasInclude {
			return nil, "the text uses __has_include or #include_next"
		}
		if f.pragmaState {
			return nil, "the text uses #pragma push_macro, pop_macro or pack"
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
	// all the package text, are in effect at every system include of the
	// package text but the prolog's (whose probe then fails).
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

// minIndexedHeader is the size from which a package header is served from
// the index like a system header: a vendored library's API header
// (go-sqlite3's sqlite3-binding.h is 680 KB, included by every preamble)
// costs each unit tens of milliseconds to parse, and the index reads it
// once per host. Smaller headers are cheaper to parse than to look up.
const minIndexedHeader = 64 << 10

// indexablePackageHeader reports whether the index may serve a package
// header: large, declarations only (a function defined there must be
// found in the unit that includes it), including only system headers, and
// asking nothing of the directories (__has_include).
func (p *Package) indexablePackageHeader(path string, text []byte) bool {
	if len(text) < minIndexedHeader || strings.HasSuffix(path, "/_cgo_export.h") {
		return false
	}
	if ok, known := p.indexable[path]; known {
		return ok
	}
	f := p.scan(path, text)
	ok := !f.hasInclude
	for n := range definedNames(text) {
		if !cKeywords[n] {
			ok = false
		}
	}
	for _, inc := range f.includes {
		if _, _, isPkg := p.packageHeader(inc, filepath.Dir(path)); isPkg {
			ok = false
		}
	}
	p.indexable[path] = ok
	return ok
}

// cKeywords are the keywords definedNames can mistake for a definition
// (if (...) {).
var cKeywords = map[string]bool{"if": true, "while": true, "for": true, "switch": true, "return": true,
	"sizeof": true, "_Alignof": true, "__attribute__": true, "__attribute": true, "defined": true}

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
		if inc.presumed != "" {
			dir = filepath.Dir(inc.presumed) // as cc does, after a #line
		}
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
		if text == nil {
			text = []byte{}
		}
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

// shadows reports whether a package include directory holds a header that
// a file of h's sequence includes or probes: go build's compiler would
// read (or find) the package's file where the index read the system's.
func (p *Package) shadows(h *sysHeader) string {
	if why, ok := p.shadowed[h.Key]; ok {
		return why
	}
	why := ""
search:
	for _, n := range h.Names {
		for _, od := range p.cfg.own {
			if p.exists(filepath.Join(od, n)) {
				why = fmt.Sprintf("%s in a package include directory shadows the system's, which <%s> reads", n, h.Name)
				break search
			}
		}
	}
	p.shadowed[h.Key] = why
	return why
}

// exists reports whether a file exists, asking the file system once per
// package.
func (p *Package) exists(path string) bool {
	if e, ok := p.stats[path]; ok {
		return e
	}
	_, err := os.Stat(path)
	p.stats[path] = err == nil
	return err == nil
}

// preludeEnabled switches prelude mode on; tests and benchmarks compare
// it with the full translation.
var preludeEnabled = true
