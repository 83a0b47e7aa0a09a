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
// positions the headers give them. Headers of -I directories outside the
// package (a library's, found through pkg-config) and large package headers
// of declarations only are served the same way, by path. The unit then
// parses, type-checks and summarises as when read in full, at a fraction of
// the cost.
//
// The index reads a block after the same sequence of headers and after the
// package's macros that are certainly defined before it and that its files
// mention: the -D/-U flags, and the #defines of the unit's own text outside
// any conditional, once in all the package's text (anchored, placed where
// they stand in the sequence). Every other macro of the package that the
// block's files mention must be undefined where the block is included,
// which #error probes in the chunk check (the anchored ones are probed
// too); __has_include with a literal name is answered from the directories
// as the compiler would and written into the text. The unit is read in full
// instead when
//   - a probe fails, or the package redefines a macro of a flag, of a system
//     header or of the compiler that a block mentions;
//   - its text uses #include_next, __has_include_next or __has_include of a
//     macro, #pragma push_macro or pop_macro, or a #if that may test a name
//     formed by pasting a package macro's tokens;
//   - a package include directory holds a header name a system header of
//     the sequence includes or probes;
//   - a file the text scan did not read is included, or a block the index
//     cannot read (it does not translate, it is over budget, it uses #pragma
//     pack or __COUNTER__), or the prelude translation fails otherwise.
//
// Every one of these falls back to the full translation, so the prelude
// changes the cost, never the answer (TestPreludeMatchesFull).

// virtualSysDir is where the rewritten includes point; the index serves it.
// No file exists there.
const virtualSysDir = "/cgoguard-system-headers"

// The names under virtualSysDir: incDir + directive number + "/" + the
// header's name (pkgPlaceholder for one served by path) for a rewritten
// include; againDir + chunk number + "/" + pkgPlaceholder for a block
// entered again.
const (
	incDir         = ".cgoguard-inc-"
	againDir       = ".cgoguard-again-"
	pkgPlaceholder = "package-header"
)

// A sysDirective is one #include the index serves, in the order of the
// package's text (package headers entered where they are first included).
type sysDirective struct {
	name  string // as included: "stdio.h"; the path when byPath
	block int    // the number of the first directive of its block
	// byPath is set for a header the index reads by path with the
	// package's include directories: a library's from a -I directory
	// outside the package, or a large package header of declarations.
	byPath bool
	depth  int // 0 in the unit's own text (and cgo's prolog), more in a package header
}

// A pkgLine is a macro line of the package certainly in effect from a
// point on: a flag (at -1: before everything) or an anchored #define (at
// the number of the first directive after it).
type pkgLine struct {
	text string
	at   int
}

// A prelude is the state of one unit's translation in prelude mode.
type prelude struct {
	pkg    *Package
	idents map[string]bool // identifiers the unit's text can reach (grows with what chunks emit)
	// cf and anchored are the package's macros certainly defined from a
	// point on (by name); other the names of its other macro directives.
	cf, anchored map[string]pkgLine
	other        map[string]bool
	packs        bool // the package's text uses #pragma pack
	counts       bool // the package's text expands __COUNTER__
	// dirs are the served includes, texts the package files the text scan
	// read with them rewritten (by path), main and prolog the unit's own.
	dirs   []sysDirective
	texts  map[string][]byte
	main   []byte
	prolog string
	// seq are the headers served so far and seqDirs the directive each
	// came from; lines the macro lines the entries were read with ("@"
	// position in seq, space, line), state the macros these define
	// differently from the predefined ones (name to #define line, or
	// "#undef name").
	seq     []seqHeader
	seqDirs []int
	deep    bool // a directive served stands in a package header
	// own is set when the entries are read with the package's include
	// directories: it has -I directories, or they shadow a system header.
	own, retried bool
	lines        []string
	state        map[string]string
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
	served  map[int]bool           // blocks served
	again   map[int][]sysDirective // blocks by the number of the chunk that enters them again
	fail    string                 // why the unit must be read in full
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
	switch {
	case strings.HasPrefix(rel, incDir):
		num, hdr, _ := strings.Cut(strings.TrimPrefix(rel, incDir), "/")
		i, err := strconv.Atoi(num)
		if err != nil || i < 0 || i >= len(st.dirs) || st.dirs[i].name != hdr && (!st.dirs[i].byPath || hdr != pkgPlaceholder) {
			st.failf("unknown rewritten include %s", rel)
			break
		}
		text = st.serveDirective(i)
	case strings.HasPrefix(rel, againDir):
		num, _, _ := strings.Cut(strings.TrimPrefix(rel, againDir), "/")
		i, err := strconv.Atoi(num)
		block, ok := st.again[i]
		if err != nil || !ok {
			st.failf("unknown include %s", rel)
			break
		}
		text = st.serveBlock(block, true)
	default:
		// A computed include (#include MACRO): a block of its own.
		text = st.serveBlock([]sysDirective{{name: rel, block: len(st.dirs)}}, false)
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
	return st.serveBlock(block, false)
}

// maxLineRounds bounds the search for the macro lines of an entry: the
// lines are those the headers' files mention, and with more lines they may
// read other files that mention more. Real headers settle in one round.
const maxLineRounds = 3

// serveBlock returns the chunk of a block of includes (entered again: a
// block served before, included once more).
func (st *prelude) serveBlock(block []sysDirective, again bool) string {
	if st.fail != "" {
		return ""
	}
	pc := st.pkg.cfg
	first := block[0].block
	seq, seqDirs := slices.Clone(st.seq), slices.Clone(st.seqDirs)
	for _, d := range block {
		if d.depth > 0 {
			st.deep = true
		}
		seqDirs = append(seqDirs, first)
		if d.byPath {
			seq = append(seq, seqHeader{name: d.name, path: d.name, pkg: true})
			continue
		}
		path := ""
		for _, hd := range pc.hostDirs {
			if fi, err := os.Stat(filepath.Join(hd, d.name)); err == nil && !fi.IsDir() {
				path = filepath.Join(hd, d.name)
				break
			}
		}
		if path == "" {
			st.failf("<%s> not found", d.name) // nor in full mode
			return ""
		}
		seq = append(seq, seqHeader{name: d.name, path: path})
	}
	lines := st.lines
	if len(st.seq) == 0 {
		lines = st.guessLines(first, seqDirs)
	}
	var h *sysHeader
	for round := 0; ; round++ {
		if round == maxLineRounds {
			st.failf("the macro lines <%s> depends on did not settle", block[0].name)
			return ""
		}
		h = sysHeaderFor(pc, seq, len(block), lines, st.stateWith(lines), st.own)
		switch {
		case h == nil:
			st.failf("no system header index (no writable cache directory)")
		case h.Err != "":
			st.failf("<%s> is not in the index: %s", block[0].name, firstLines(h.Err, 1))
		case h.Level && st.deep:
			st.failf("<%s> uses __INCLUDE_LEVEL__ and a package header includes a system header", block[0].name)
		case h.Counter && st.counts:
			st.failf("<%s> and the package's text both expand __COUNTER__", block[0].name)
		}
		if st.fail != "" {
			return ""
		}
		more := st.relevantLines(h, first, seqDirs)
		if st.fail != "" {
			return ""
		}
		if isSubset(more, lines) {
			break
		}
		if again {
			st.failf("<%s> entered again mentions a macro the package defined since", block[0].name)
			return ""
		}
		lines = unionSorted(lines, more)
	}
	if !h.Own && st.pkg.shadows(h) != "" {
		// A package directory holds a header name the sequence reads: read
		// it (and the rest of the unit's blocks) with the package's
		// directories, as the unit does.
		st.own = true
		return st.serveBlockAgain(block, again)
	}
	st.state, st.lines, st.seq, st.seqDirs = st.stateWith(lines), lines, seq, seqDirs
	return st.chunk(h, first, block)
}

// serveBlockAgain serves a block once more after a change of st.own.
func (st *prelude) serveBlockAgain(block []sysDirective, again bool) string {
	if st.retried {
		st.failf("<%s>: the index entry read with the package's directories is shadowed too", block[0].name)
		return ""
	}
	st.retried = true
	defer func() { st.retried = false }()
	return st.serveBlock(block, again)
}

// lineAt spells a line for the index key and build: "@" the position in
// the sequence before which it takes effect, a space, the line.
func lineAt(pos int, text string) string { return fmt.Sprintf("@%d %s", pos, text) }

// seqPosition returns where in the sequence (seqDirs: the directive of each
// header) a line in effect from directive at goes.
func seqPosition(at int, seqDirs []int) int {
	n := 0
	for _, d := range seqDirs {
		if d < at {
			n++
		}
	}
	return n
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
		_, text, _ := strings.Cut(l, " ")
		f := strings.Fields(text)
		n, _, _ := strings.Cut(f[1], "(")
		if f[0] == "#undef" {
			out[n] = "#undef " + n
		} else {
			out[n] = text
		}
	}
	return out
}

// guessLines returns the lines the first block is looked up with: those of
// reserved names (_GNU_SOURCE, _REENTRANT from -pthread, __STDC_WANT_*)
// and NDEBUG, which system headers test. A line no file of the sequence
// mentions changes nothing, so a guess only costs sharing; a wrong one
// costs a second lookup. Guessing by name keeps the key a function of the
// package's text.
func (st *prelude) guessLines(first int, seqDirs []int) []string {
	var out []string
	for _, m := range []map[string]pkgLine{st.cf, st.anchored} {
		for n, l := range m {
			if (strings.HasPrefix(n, "_") || n == "NDEBUG") && l.at <= first {
				out = append(out, lineAt(seqPosition(l.at, seqDirs), l.text))
			}
		}
	}
	slices.Sort(out)
	return out
}

// relevantLines returns the package's macro lines in effect where the block
// (its first directive) is included whose names the files of h's sequence
// mention.
func (st *prelude) relevantLines(h *sysHeader, first int, seqDirs []int) []string {
	var out []string
	for _, m := range []map[string]pkgLine{st.cf, st.anchored} {
		for n, l := range m {
			if l.at <= first && h.mentions(n) {
				out = append(out, lineAt(seqPosition(l.at, seqDirs), l.text))
			}
		}
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
// state the index read them with: the anchored ones before the block
// defined, the others undefined. Then the declarations reachable from the
// unit's identifiers, in every entry served (a declaration of this block
// may need one of an earlier block the unit's text does not name), that no
// earlier chunk emitted, and the macros: the block's undefinitions and the
// current definitions of the reachable ones not shown yet. A chunk read
// again (from a package header without include guard) does nothing if its
// headers have include guards still defined, as the preprocessor would
// skip them; otherwise it includes the block once more under a new name,
// served as what including it again gives.
func (st *prelude) chunk(h *sysHeader, first int, block []sysDirective) string {
	var b strings.Builder
	base := baselineMacros(st.pkg.cfg)
	for _, n := range slices.Sorted(maps.Keys(st.anchored)) {
		if !h.mentions(n) {
			continue
		}
		if _, ok := st.cf[n]; ok {
			st.failf("the package defines %s both in a flag and in its text", n)
			return ""
		}
		if st.anchored[n].at <= first {
			fmt.Fprintf(&b, "#ifndef %s\n#error cgoguard prelude: %s is not defined where <%s> is included\n#endif\n", n, n, h.Name)
		} else {
			fmt.Fprintf(&b, "#ifdef %s\n#error cgoguard prelude: %s is defined where <%s> is included\n#endif\n", n, n, h.Name)
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
	number := len(st.entries)
	guard := fmt.Sprintf("__cgoguard_prelude_%d", number)
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
			if slices.Contains(st.macroRefs[n], "__COUNTER__") {
				st.failf("the package's text may expand %s, which expands __COUNTER__", n)
				return ""
			}
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
			// emitted late (its block's probes checked its own point); a
			// #pragma pack of the package since then would pack it.
			if late && st.packs {
				st.failf("a declaration of <%s> is needed after a #pragma pack of the package may have changed", e.Name)
				return ""
			}
			for _, r := range d.Refs {
				if def, ok := st.shown[r]; ok && def != "#define "+r+" "+r {
					st.failf("a declaration of <%s> mentions %s, a macro shown before it", e.Name, r)
					return ""
				}
				_, anchored := st.anchored[r]
				if late && (anchored || st.other[r]) {
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
	if slices.Contains(h.Guards, "") {
		st.again[number] = block
		fmt.Fprintf(&b, "#include <%s%d/%s>\n", againDir, number, pkgPlaceholder)
	} else {
		for _, g := range h.Guards {
			fmt.Fprintf(&b, "#ifndef %s\n#error cgoguard prelude: the include guard %s is undefined\n#endif\n", g, g)
		}
	}
	b.WriteString("#endif\n")
	return b.String()
}

// maxDemoteRounds bounds the rounds of newPrelude: each reads as package
// text the headers it would serve by path that mention a macro of the
// package (whose value the index cannot know), which may add macros.
const maxDemoteRounds = 3

// newPrelude prepares the prelude of u from the text scan of the package
// text it reads: cgo's prolog (for a preamble), its own text, the package
// headers it includes (transitively) and, for a preamble, the C names its
// Go file uses (cgo's generated C refers to them). It returns why the unit
// must be read in full instead, or "".
func (p *Package) newPrelude(u *unit) (*prelude, string) {
	demote := map[string]bool{}
	for round := 1; ; round++ {
		st, why := p.scanUnit(u, demote)
		if st == nil || round == maxDemoteRounds {
			return st, why // past the rounds, the chunks' probes decide
		}
		more := false
		for _, d := range st.dirs {
			if !d.byPath || demote[d.name] {
				continue
			}
			text, _ := p.headerText(d.name)
			for id := range p.scan(d.name, text).idents {
				if st.other[id] {
					demote[d.name], more = true, true
					break
				}
			}
		}
		if !more {
			return st, why
		}
	}
}

// scanUnit is one round of newPrelude, reading the headers of demote as
// package text.
func (p *Package) scanUnit(u *unit, demote map[string]bool) (*prelude, string) {
	st := &prelude{pkg: p, own: len(p.cflags.include) > 0, idents: map[string]bool{}, cf: map[string]pkgLine{}, anchored: map[string]pkgLine{},
		other: map[string]bool{}, texts: map[string][]byte{}, state: map[string]string{},
		macroRefs: map[string][]string{}, emitted: map[string]bool{}, helpers: map[string]bool{},
		shown: map[string]string{}, served: map[int]bool{}, again: map[int][]sysDirective{}}
	for l := range strings.Lines(p.cflags.defines) {
		l = strings.TrimSpace(l)
		f := strings.Fields(l)
		if len(f) < 2 {
			continue
		}
		n, _, _ := strings.Cut(f[1], "(")
		st.cf[n] = pkgLine{text: l, at: -1}
	}
	if u.facts == nil {
		u.facts = scanC(u.text)
	}
	var all []*textFacts
	size := len(u.text)
	anchors := map[string]int{} // the main text's #defines outside conditionals: the directive after them
	// visit walks a text in the preprocessor's order, entering package
	// headers where they are included, numbering the includes the index
	// serves and answering __has_include, and returns the text rewritten.
	var visit func(f *textFacts, text []byte, dir string, depth int, isMain bool) []byte
	visit = func(f *textFacts, text []byte, dir string, depth int, isMain bool) []byte {
		all = append(all, f)
		type edit struct {
			start, end int
			with       string
		}
		var edits []edit
		prevSys, lastEnd := false, -1
		events := len(f.includes) + len(f.probes) + len(f.macros)
		ii, pi, mi := 0, 0, 0
		for range events {
			// The next event in the text's order.
			inc, probe, mac := len(text)+1, len(text)+1, len(text)+1
			if ii < len(f.includes) {
				inc = f.includes[ii].start
			}
			if pi < len(f.probes) {
				probe = f.probes[pi].start
			}
			if mi < len(f.macros) {
				mac = f.macros[mi].off
			}
			switch min(inc, probe, mac) {
			case mac:
				m := f.macros[mi]
				mi++
				if isMain && depth == 0 && m.depth == 0 && !m.undef {
					if _, seen := anchors[m.name]; !seen {
						anchors[m.name] = len(st.dirs)
					}
				}
				prevSys = false
			case probe:
				pr := f.probes[pi]
				pi++
				with := "0"
				if p.probeFinds(pr, dir) {
					with = "1"
				}
				edits = append(edits, edit{pr.start, pr.end, with})
			case inc:
				in := f.includes[ii]
				ii++
				adjacent := in.adjacent && prevSys && lastEnd >= 0
				path, htext, found := p.packageHeader(in, dir)
				inPkg := found && (strings.HasPrefix(path, p.dir+string(filepath.Separator)) || p.cfg.overlay[strings.TrimPrefix(path, "/")] != "")
				if found && demote[path] || inPkg && !p.indexablePackageHeader(path, htext) {
					prevSys = false
					if _, done := st.texts[path]; !done {
						st.texts[path] = nil // entered once: a second include is the same text
						size += len(htext)
						st.texts[path] = visit(p.scan(path, htext), htext, filepath.Dir(path), depth+1, false)
					}
					continue
				}
				i := len(st.dirs)
				d := sysDirective{name: in.name, block: i, depth: depth}
				with := "<" + incDir + strconv.Itoa(i) + "/" + in.name + ">"
				if found {
					// A large package header, or a library's: by path, a block
					// of its own (its entry is read with the package's
					// directories).
					d.name, d.byPath = path, true
					with = "<" + incDir + strconv.Itoa(i) + "/" + pkgPlaceholder + ">"
					prevSys = false
				} else {
					if adjacent {
						d.block = st.dirs[i-1].block
					}
					prevSys = true
				}
				st.dirs = append(st.dirs, d)
				edits = append(edits, edit{in.start, in.end, with})
				lastEnd = in.end
			}
		}
		var out []byte
		last := 0
		for _, e := range edits {
			out = append(append(out, text[last:e.start]...), e.with...)
			last = e.end
		}
		return append(out, text[last:]...)
	}
	if u.isPre {
		st.prolog = string(visit(prologFacts, []byte(builtinProlog), p.dir, 0, false))
		for _, f := range p.files {
			if f.path == u.name {
				for _, n := range f.uses {
					st.idents[n] = true
				}
			}
		}
	}
	st.main = visit(u.facts, u.text, filepath.Dir(u.name), 0, true)
	if size > maxUnitBytes {
		return nil, fmt.Sprintf("the package text it reads is over %d bytes (maxUnitBytes)", maxUnitBytes)
	}
	pkgMacros := map[string]macroDirective{}
	count := map[string]int{}
	var ifIdents []string
	for _, f := range all {
		if f.hasInclude {
			return nil, "the text uses #include_next, __has_include_next or __has_include of a macro"
		}
		if f.pragmaMacros {
			return nil, "the text uses #pragma push_macro or pop_macro"
		}
		st.packs = st.packs || f.pragmaState
		st.counts = st.counts || f.idents["__COUNTER__"]
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
	// A #define of the unit's own text outside any conditional, the only
	// directive of its name in the package's text, is in effect at every
	// include after it.
	for _, m := range u.facts.macros {
		if at, ok := anchors[m.name]; ok && count[m.name] == 1 {
			st.anchored[m.name] = pkgLine{text: m.line, at: at}
		}
	}
	for n := range count {
		if _, ok := st.anchored[n]; !ok {
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

// probeFinds answers __has_include as the compiler would: "name" beside the
// including file (or the one a #line names), then in the package's and the
// host's directories; <name> in the latter.
func (p *Package) probeFinds(pr headerProbe, dir string) bool {
	var dirs []string
	if !pr.angle {
		if pr.presumed != "" {
			dir = filepath.Dir(pr.presumed)
		}
		dirs = append(dirs, dir)
	}
	for _, d := range slices.Concat(dirs, p.cfg.own, p.cfg.hostDirs) {
		path := filepath.Join(d, pr.name)
		if _, ok := p.cfg.overlay[strings.TrimPrefix(path, "/")]; ok {
			return true
		}
		if fi, err := os.Stat(path); err == nil && !fi.IsDir() {
			return true
		}
	}
	return false
}

// minIndexedHeader is the size from which a header in the package's
// directory is served from the index: a vendored library's API header
// (go-sqlite3's sqlite3-binding.h is 680 KB, included by every preamble)
// costs each unit tens of milliseconds to parse, and the index reads it
// once per host. Smaller headers are cheaper to parse than to look up.
const minIndexedHeader = 64 << 10

// indexablePackageHeader reports whether the index may serve a header in
// the package's directory: large, declarations only (a function defined
// there must be found in the unit that includes it), including no other
// header of the package.
func (p *Package) indexablePackageHeader(path string, text []byte) bool {
	if len(text) < minIndexedHeader || strings.HasSuffix(path, "/_cgo_export.h") {
		return false
	}
	if ok, known := p.indexable[path]; known {
		return ok
	}
	f := p.scan(path, text)
	ok := true
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

// packageHeader resolves an #include of the package text as the
// preprocessor does, up to the package's own include directories: the
// including file's directory (for "..." only; after a #line, the directory
// of the file it names, as cc does), then the package's include
// directories. It reports false for a header found only in the host's
// system directories (or nowhere).
func (p *Package) packageHeader(inc includeDirective, dir string) (path string, text []byte, ok bool) {
	dirs := p.cfg.own
	if !inc.angle {
		if inc.presumed != "" {
			dir = filepath.Dir(inc.presumed)
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
