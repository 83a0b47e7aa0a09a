package csummary

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"modernc.org/cc/v4"
)

// Preprocessing and parsing the system headers a translation unit includes
// is most of what reading C costs: <stdio.h> and <stdlib.h> are 30 to 100
// ms per unit, every unit again, because cc/v4 cannot share a parsed prefix
// between translation units. The index reads the system headers once per
// host instead and keeps, for a header included after a given sequence of
// system headers, what it adds to the unit: the external declarations (as
// their tokens after macro expansion, at their original positions) and the
// macros it defines, redefines or undefines. The preprocessor's and the
// parser's state after a sequence of system headers depend only on that
// sequence (and on the macros the package defines before it, which are part
// of the key or checked, prelude.go), so the delta is exactly what the
// header gives the unit. A unit is then translated with each system header
// served as its delta, restricted to what the unit's own text names
// (prelude.go), which costs a few milliseconds.
//
// Since go vet runs one process per package, the index is kept on disk, in
// the user's cache directory, keyed by the host compiler's configuration,
// the macro lines and the header sequence, and checked against the size and
// modification time of every file the headers read. Without a usable cache
// directory the index is not built and every unit is read in full.

// indexFormat changes whenever what the index keeps or how it is derived
// changes, so that entries written by another version are never read.
const indexFormat = "csummary-sysindex-14"

// A sysHeader is what a block of system includes gives a unit after the
// package's macro lines (Lines: its -D flags and early #defines that the
// headers mention) and a sequence of earlier system headers.
type sysHeader struct {
	Key   string   // the entry's key (checked on load: a hash is not an identity)
	Name  string   // the block's first header as included: "stdio.h", "sys/types.h"
	Seq   []string // the paths of the earlier headers and the block's, in order
	Lines []string // #define and #undef lines in effect before the sequence, sorted
	Err   string   // why the block cannot be served: it does not translate, over budget
	// Guards are the include guards of the block's headers ("" for one
	// without): including a guarded header again does nothing while its
	// guard is defined.
	Guards []string
	Files  []fileStamp
	// Dirs are the directories the preprocessor searched (stamped by
	// their modification time, Size -1 when absent): a header added to
	// one of them could be found instead of the one read.
	Dirs []fileStamp
	// Names are the header names the files read include or probe
	// (__has_include): a package include directory holding one of them
	// would change what the compiler reads (Package.shadows).
	Names []string
	// Level is set when a file read uses __INCLUDE_LEVEL__: the entry
	// serves only units that include every header of the sequence from
	// their own text, at the level the index included them.
	Level bool
	// Counter is set when a file read expands __COUNTER__ (glib's
	// G_STATIC_ASSERT): the values in the declarations are the unit's only
	// where the unit's own text never expands it, directly or through a
	// header's macro, so that before each block the count is the headers'.
	Counter bool
	// Own is set when the sequence was read with the package's include
	// directories (sysHeaderFor).
	Own   bool
	Decls []sysDecl // the external declarations the block adds
	// HelperDefs are the bodies of the helper macros the declarations
	// invoke, by name.
	HelperDefs map[string]string
	// Macros are those it defines or redefines, sorted by name; Undefs those
	// defined before it (by the lines, the earlier headers or predefined)
	// that it undefines.
	Macros []sysMacro
	Undefs []string
	// Pastes is set when the files read paste tokens (##) in a macro.
	Pastes bool
	// Idents are the identifiers the block's processing may mention,
	// sorted, one per line (one string decodes fast): a macro the package
	// defines that is among them may change what the headers declare
	// (prelude.go probes it).
	Idents string

	idents    []string
	byName    map[string][]int // declarations by the names they declare
	byDealloc map[string][]int // declarations of allocators by deallocator (malloc attribute)
	macro     map[string]int
}

type fileStamp struct {
	Path    string
	Size    int64
	ModTime int64
}

// A sysDecl is one external declaration of a system header.
type sysDecl struct {
	Text string // its tokens after macro expansion, with #line directives that keep their positions
	// Helpers are the macros Text invokes to give a run of tokens one
	// position (emitTokens), by name: their bodies, for the entry's table.
	Helpers  map[string]string `gob:"-"`
	Uses     []string          // the helpers Text invokes
	Names    []string          // the ordinary identifiers, tags and enumeration constants it declares
	Refs     []string          // the identifiers it mentions
	Deallocs []string          // the deallocator its malloc attribute names (not in the libc table)
}

// A sysMacro is a macro defined when the header has been included.
type sysMacro struct {
	Name string
	Def  string // "#define NAME(params) body"
	Refs []string
}

func (h *sysHeader) derive() {
	h.idents = strings.Split(h.Idents, "\n")
	h.byName, h.byDealloc, h.macro = map[string][]int{}, map[string][]int{}, map[string]int{}
	for i, d := range h.Decls {
		for _, n := range d.Names {
			h.byName[n] = append(h.byName[n], i)
		}
		for _, n := range d.Deallocs {
			h.byDealloc[n] = append(h.byDealloc[n], i)
		}
	}
	for i, m := range h.Macros {
		h.macro[m.Name] = i
	}
}

func (h *sysHeader) usesIdent(name string) bool {
	_, found := slices.BinarySearch(h.idents, name)
	return found
}

// mentions reports whether the block's processing may look at a macro
// name: it appears in the files, or, when they paste tokens, the name can
// be formed by pasting identifiers (or digits) that appear there. Headers
// test names they form so (glibc's __GLIBC_USE (X) is __GLIBC_USE_ ## X).
func (h *sysHeader) mentions(name string) bool {
	if h.usesIdent(name) {
		return true
	}
	if !h.Pastes {
		return false
	}
	// can[i]: name[i:] is a sequence of parts.
	can := make([]bool, len(name)+1)
	can[len(name)] = true
	for i := len(name) - 1; i >= 0; i-- {
		for j := i + 1; j <= len(name) && !can[i]; j++ {
			if can[j] && (i > 0 || j < len(name)) && (h.usesIdent(name[i:j]) || isNumberPart(name[i:j])) {
				can[i] = true
			}
		}
	}
	return can[0]
}

// isNumberPart reports whether s could come from a preprocessing number
// pasted into a name (X ## 2, X ## 2u): a digit, then word characters.
func isNumberPart(s string) bool {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return false
	}
	for i := range len(s) {
		if !isWordChar(s[i]) {
			return false
		}
	}
	return true
}

// valid reports whether the files the entry was built from, and the
// directories searched for them, are unchanged.
func (h *sysHeader) valid() bool {
	sysIdx.mu.Lock()
	defer sysIdx.mu.Unlock()
	for _, f := range slices.Concat(h.Files, h.Dirs) {
		if sysIdx.stamps == nil {
			sysIdx.stamps = map[string]fileStamp{}
		}
		st, ok := sysIdx.stamps[f.Path]
		if !ok {
			st = fileStamp{Path: f.Path, Size: -1}
			if fi, err := os.Stat(f.Path); err == nil {
				st.Size, st.ModTime = fi.Size(), fi.ModTime().UnixNano()
			}
			sysIdx.stamps[f.Path] = st
		}
		if st != f {
			return false
		}
	}
	return true
}

// The index of one process: entries by key, loaded from the disk cache or
// built on first use. The lock is not held while an entry is read or built
// (golangci-lint analyses packages in parallel); a second asker of the same
// entry waits for the first.
var sysIdx struct {
	mu      sync.Mutex
	entries map[string]*sysHeader
	pending map[string]chan struct{}
	// dir is the disk cache directory; "" disables the index. It is
	// decided on first use (cacheDir), tests set it.
	dir     string
	dirDone bool
	// baseline: the macros every unit starts with (predefined and
	// builtin), by configuration key.
	baseline map[string]map[string]string
	builds   int // entries built (tests and benchmarks)
	// stamps are the files entries were checked against, stated once per
	// process (system headers do not change while a vet tool runs).
	stamps   map[string]fileStamp
	trimOnce sync.Once
}

// SetIndexDir sets the directory of the system header index for the rest
// of the process: "" turns the index off (every unit is read in full), any
// other value must be an absolute path, created if missing. By default the
// index is in cgoguard/csummary under the user's cache directory
// (os.UserCacheDir). The answers are the same either way; only the cost
// differs (see the package documentation).
func SetIndexDir(dir string) error {
	if dir != "" {
		if !filepath.IsAbs(dir) {
			return fmt.Errorf("index directory %q: want an absolute path, or \"\" to turn the index off", dir)
		}
		if err := os.MkdirAll(dir, 0o777); err != nil {
			return fmt.Errorf("index directory: %v", err)
		}
	}
	sysIdx.mu.Lock()
	defer sysIdx.mu.Unlock()
	sysIdx.dir, sysIdx.dirDone = dir, true
	sysIdx.entries = nil
	return nil
}

// sysCacheDir returns the disk cache directory of the index, creating it,
// or "" when there is none the process can write.
func sysCacheDir() string {
	if !sysIdx.dirDone {
		sysIdx.dirDone = true
		if base, err := os.UserCacheDir(); err == nil {
			dir := filepath.Join(base, "cgoguard", "csummary")
			if os.MkdirAll(dir, 0o777) == nil {
				sysIdx.dir = dir
			}
		}
	}
	return sysIdx.dir
}

// configKey identifies a C configuration for the index: the compiler, its
// predefined macros and search paths, the dialect options, the C front end.
// (The package's -D flags are incoming lines of the entries, not part of
// the configuration.)
func configKey(cfg *cc.Config, std string) string {
	h := sha256.New()
	// Writes to a hash do not fail.
	_, _ = fmt.Fprintf(h, "%s\x00%s\x00%s/%s\x00%s\x00%s\x00", indexFormat, ccVersion(), runtime.GOOS, runtime.GOARCH, cfg.CC, std)
	_, _ = fmt.Fprintf(h, "%q\x00%q\x00", cfg.IncludePaths, cfg.SysIncludePaths)
	h.Write([]byte(cfg.Predefined))
	return hex.EncodeToString(h.Sum(nil))
}

func ccVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path == "modernc.org/cc/v4" {
				return m.Version + m.Sum
			}
		}
	}
	return "unknown"
}

// sysHeaderFor returns the entry of the block of the last n headers of seq
// (include names and paths) after lines, for the configuration pc.sys:
// from memory, from the disk cache, or built. prev are the macros in effect before it that
// differ from the predefined ones (name to #define line, or "#undef name"):
// the entry's delta is relative to them, and they are a function of the
// key. It returns nil when the index is disabled (no cache directory).
// Entries are immutable once returned.
//
// With own (or when seq holds a header read by path) the sequence is read
// with the package's include directories before the host's, as the unit
// reads it; the entry is then the package's, keyed by its directories.
// Without, it is the host's, shared by every package that includes the
// same sequence, and valid for a package whose directories shadow none of
// its header names (Package.shadows).
func sysHeaderFor(pc *pkgConfig, seq []seqHeader, n int, lines []string, prev map[string]string, own bool) *sysHeader {
	own = own || withPackageHeader(seq)
	sysIdx.mu.Lock()
	dir := sysCacheDir()
	sysIdx.mu.Unlock()
	if dir == "" {
		return nil
	}
	var k strings.Builder
	k.WriteString(pc.sysKey)
	if own {
		k.WriteString("\x03" + strings.Join(pc.own, "\x00"))
	}
	for _, l := range lines {
		k.WriteString("\x00" + l)
	}
	for i, h := range seq {
		sep := "\x01"
		if i == len(seq)-n {
			sep = "\x02" // the block starts
		}
		k.WriteString(sep + h.name + "\x00" + h.path)
		if h.pkg {
			k.WriteString("\x00pkg")
		}
	}
	key := k.String()
	sysIdx.mu.Lock()
	for {
		if h, ok := sysIdx.entries[key]; ok {
			sysIdx.mu.Unlock()
			return h
		}
		wait, busy := sysIdx.pending[key]
		if !busy {
			break
		}
		sysIdx.mu.Unlock()
		<-wait
		sysIdx.mu.Lock()
	}
	if sysIdx.pending == nil {
		sysIdx.pending = map[string]chan struct{}{}
	}
	done := make(chan struct{})
	sysIdx.pending[key] = done
	sysIdx.mu.Unlock()

	sum := sha256.Sum256([]byte(key))
	file := filepath.Join(dir, hex.EncodeToString(sum[:16])+".gob")
	h := readEntry(file, key)
	built := h == nil
	if built {
		h = buildSysHeader(pc, seq, n, lines, prev, own)
		h.Key = key
		writeEntry(dir, file, h)
	}
	h.derive()

	sysIdx.mu.Lock()
	if built {
		sysIdx.builds++
	}
	if sysIdx.entries == nil || len(sysIdx.entries) >= maxMemEntries {
		sysIdx.entries = map[string]*sysHeader{}
	}
	sysIdx.entries[key] = h
	delete(sysIdx.pending, key)
	close(done)
	sysIdx.mu.Unlock()
	return h
}

// maxMemEntries bounds the entries a process keeps in memory (a long
// golangci-lint run over many cgo packages): an entry takes tens to
// hundreds of kilobytes, and one package's units use a few dozen at most.
// Past it the map starts again; the disk keeps them all.
const maxMemEntries = 256

// A seqHeader is a header of the sequence: a system header as the unit
// includes it, or a large package header (pkg, named by its path) that the
// index serves too (prelude.go, indexablePackageHeader).
type seqHeader struct {
	name, path string
	pkg        bool
}

// withPackageHeader reports whether seq holds a package header: the
// sequence is then read with the package's include directories, as the
// unit is.
func withPackageHeader(seq []seqHeader) bool {
	return slices.ContainsFunc(seq, func(s seqHeader) bool { return s.pkg })
}

// includeLine spells the #include of s in the translation that builds an
// entry. A package header is named by its path from the root, which the
// search path "/" finds.
func (s seqHeader) includeLine() string {
	if s.pkg {
		return "#include " + quoteC(strings.TrimPrefix(s.path, "/")) + "\n"
	}
	return "#include <" + s.name + ">\n"
}

func readEntry(file, key string) *sysHeader {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	// Used entries are kept (trimIndex), at the cost of one touch a day.
	if fi, err := os.Stat(file); err == nil && time.Since(fi.ModTime()) > 24*time.Hour {
		now := time.Now()
		_ = os.Chtimes(file, now, now) // best effort: an untouched entry is only trimmed sooner
	}
	h, err := decodeEntry(data)
	if err != nil || h.Key != key || !h.valid() {
		return nil
	}
	return h
}

func decodeEntry(data []byte) (*sysHeader, error) {
	var h sysHeader
	err := gob.NewDecoder(bytes.NewReader(data)).Decode(&h)
	return &h, err
}

// maxEntryAge is how long an entry no process used is kept: an upgrade of
// the system headers or of cgoguard leaves the old entries behind.
const maxEntryAge = 30 * 24 * time.Hour

// trimIndex removes the entries unused for maxEntryAge, at most once a day
// (a stamp file records the last time) and only in a process that builds
// an entry (one that only reads adds nothing to trim).
func trimIndex(dir string) {
	stamp := filepath.Join(dir, "trimmed")
	if fi, err := os.Stat(stamp); err == nil && time.Since(fi.ModTime()) < 24*time.Hour {
		return
	}
	if os.WriteFile(stamp, nil, 0o666) != nil {
		return // a directory this process cannot write: leave it as it is
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil {
			continue
		}
		old := strings.HasSuffix(e.Name(), ".gob") && time.Since(fi.ModTime()) > maxEntryAge ||
			strings.HasPrefix(e.Name(), "entry-") && time.Since(fi.ModTime()) > time.Hour // an interrupted write
		if old {
			_ = os.Remove(filepath.Join(dir, e.Name())) // best effort, as the next trim retries
		}
	}
}

// writeEntry stores h atomically; a failure only costs the next process a
// rebuild.
func writeEntry(dir, file string, h *sysHeader) {
	sysIdx.trimOnce.Do(func() { trimIndex(dir) })
	var b bytes.Buffer
	if gob.NewEncoder(&b).Encode(h) != nil {
		return
	}
	tmp, err := os.CreateTemp(dir, "entry-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(b.Bytes())
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), file) != nil {
		_ = os.Remove(tmp.Name()) // best effort: trimIndex removes what is left
	}
}

// markDecl separates, in the translation that builds an entry, the
// declarations of the earlier headers from those of the block.
const markDecl = "typedef int __cgoguard_index_mark;"

// buildSysHeader translates the lines and the sequence of includes with the
// host configuration and keeps what the block, its last n, added. A line
// "@k text" goes before the k-th header of the sequence, where the package
// defines it.
func buildSysHeader(pc *pkgConfig, seq []seqHeader, n int, lines []string, prev map[string]string, own bool) (h *sysHeader) {
	block := seq[len(seq)-n:]
	h = &sysHeader{Name: block[0].name, Lines: lines}
	for _, s := range seq {
		h.Seq = append(h.Seq, s.path)
	}
	defer func() {
		if r := recover(); r != nil {
			h.Err = fmt.Sprintf("internal error in the C front end: %v", r)
		}
	}()
	rec := &diskFS{budget: maxUnitBytes, record: map[string][]byte{}, after: map[string]bool{}}
	c := *pc.sys
	if own {
		// The headers read by path are named from the root ("/"); "" keeps
		// "..." beside the including file, as in the unit.
		c = *pc.full
		c.IncludePaths = append([]string{"", "/"}, pc.full.IncludePaths[1:]...)
		h.Own = true
	}
	c.FS, c.FSOnly = rec, true
	c.PragmaHandler = func(toks []cc.Token) error {
		if len(toks) == 1 && toks[0].SrcStr() == "cgoguard_index_mark" {
			rec.marked = true
		}
		return nil
	}
	at := map[int][]string{}
	for _, l := range lines {
		pos, text, _ := strings.Cut(strings.TrimPrefix(l, "@"), " ")
		k, _ := strconv.Atoi(pos)
		at[min(k, len(seq)-n)] = append(at[min(k, len(seq)-n)], text)
	}
	var src strings.Builder
	for i, s := range seq[:len(seq)-n] {
		for _, l := range at[i] {
			src.WriteString(l + "\n")
		}
		src.WriteString(s.includeLine())
	}
	for _, l := range at[len(seq)-n] {
		src.WriteString(l + "\n")
	}
	src.WriteString(markDecl + "\n#pragma cgoguard_index_mark\n")
	for _, s := range block {
		src.WriteString(s.includeLine())
	}
	srcs := []cc.Source{{Name: "<predefined>", Value: pc.sys.Predefined}, {Name: "<builtin>", Value: cc.Builtin},
		{Name: "<cgoguard-index>", Value: src.String()}}
	ast, err := cc.Translate(&c, srcs)
	for p := range rec.record {
		if fi, err := os.Stat(p); err == nil {
			h.Files = append(h.Files, fileStamp{Path: p, Size: fi.Size(), ModTime: fi.ModTime().UnixNano()})
		}
	}
	slices.SortFunc(h.Files, func(a, b fileStamp) int { return strings.Compare(a.Path, b.Path) })
	switch {
	case rec.over != "":
		h.Err = rec.over
		return h
	case err != nil:
		h.Err = firstLines(err.Error(), 3)
		return h
	}
	for _, s := range block {
		h.Guards = append(h.Guards, includeGuard(rec.record[s.path]))
	}

	// What the block's processing can mention: the files it read, those
	// read before that it may enter again (without include guard, and
	// named by an #include of some file of the translation), and the
	// guards of the others.
	facts := map[string]*textFacts{}
	included := map[string]bool{}
	for _, s := range block {
		included[filepath.Base(s.path)] = true
	}
	for p, text := range rec.record {
		facts[p] = headerFacts(p, text)
		for _, inc := range facts[p].includes {
			included[filepath.Base(inc.name)] = true
		}
		for _, m := range facts[p].macros {
			h.Pastes = h.Pastes || m.paste
		}
		if facts[p].pragmaState {
			h.Err = p + " uses #pragma pack, push_macro or pop_macro, which replayed declarations would lose"
			return h
		}
		for _, m := range unitDependentMacros {
			if facts[p].idents[m] {
				h.Err = p + " uses " + m + ", whose value depends on the unit"
				return h
			}
		}
		h.Level = h.Level || facts[p].idents["__INCLUDE_LEVEL__"]
		h.Counter = h.Counter || facts[p].idents["__COUNTER__"]
	}
	names := map[string]bool{}
	for _, f := range facts {
		for _, inc := range f.includes {
			names[inc.name] = true
		}
		for _, p := range f.probes {
			names[p.name] = true
		}
	}
	h.Names = sortedKeys(names)
	h.Dirs = searchDirs(c.SysIncludePaths, seq, facts)
	idents := map[string]bool{}
	for p, text := range rec.record {
		if !rec.after[p] {
			if g := includeGuard(text); g != "" {
				idents[g] = true
				continue
			}
			if !included[filepath.Base(p)] {
				continue
			}
		}
		for id := range facts[p].idents {
			idents[id] = true
		}
	}
	marked := false
	for l := ast.TranslationUnit; l != nil; l = l.TranslationUnit {
		ed := l.ExternalDeclaration
		if !marked {
			marked = ed.Position().Filename == "<cgoguard-index>"
			continue
		}
		if d, ok := sysDeclOf(ed); ok {
			for n, body := range d.Helpers {
				if h.HelperDefs == nil {
					h.HelperDefs = map[string]string{}
				}
				h.HelperDefs[n] = body
				d.Uses = append(d.Uses, n)
			}
			slices.Sort(d.Uses)
			d.Helpers = nil
			h.Decls = append(h.Decls, d)
		}
	}
	// The delta of the macros: against what was defined before the last
	// header (predefined, the lines, the earlier headers: prev).
	before := maps.Clone(baselineMacros(pc))
	for n, l := range prev {
		if strings.HasPrefix(l, "#undef ") {
			delete(before, n)
		} else {
			before[n] = l
		}
	}
	for n, m := range ast.Macros {
		if fn := m.Position().Filename; fn == "" || strings.HasPrefix(fn, "<") {
			continue // predefined, builtin or a line: not the header's
		}
		def := macroDef(m)
		if before[n] == def {
			continue
		}
		sm := sysMacro{Name: n, Def: def}
		params := map[string]bool{}
		for _, p := range m.Params {
			params[p.SrcStr()] = true
		}
		for _, t := range m.ReplacementList() {
			if s := t.SrcStr(); s != "" && isIdentStart(s[0]) && !params[s] {
				sm.Refs = append(sm.Refs, s)
			}
		}
		h.Macros = append(h.Macros, sm)
	}
	slices.SortFunc(h.Macros, func(a, b sysMacro) int { return strings.Compare(a.Name, b.Name) })
	// The tokens of the block's declarations and macros may come from
	// macros of earlier headers, whose files the block did not read.
	for _, d := range h.Decls {
		for _, r := range d.Refs {
			idents[r] = true
		}
	}
	for _, m := range h.Macros {
		for _, r := range m.Refs {
			idents[r] = true
		}
	}
	h.Idents = strings.Join(sortedKeys(idents), "\n")
	for n := range before {
		if _, ok := ast.Macros[n]; !ok {
			h.Undefs = append(h.Undefs, n)
		}
	}
	slices.Sort(h.Undefs)
	return h
}

// headerFacts returns the text scan of a header file the index read,
// once per process: the builds of one package read the same headers again.
func headerFacts(path string, text []byte) *textFacts {
	if f, ok := scanned.Load(path); ok && f.(*textFacts).size == len(text) {
		return f.(*textFacts)
	}
	f := scanC(text)
	f.size = len(text)
	scanned.Store(path, f)
	return f
}

var scanned sync.Map // path -> *textFacts

// unitDependentMacros expand differently in the unit than where the index
// read the header.
// (__INCLUDE_LEVEL__ is the same where the unit includes the sequence from
// its own text, as the index does: sysHeader.Level; __COUNTER__ counts the
// same where the unit's text never expands it: sysHeader.Counter.)
var unitDependentMacros = []string{"__BASE_FILE__", "__FILE_NAME__", "__DATE__", "__TIME__", "__TIMESTAMP__"}

// searchDirs stamps the directories a header of seq or an #include of the
// files read may have been looked up in: each search directory joined
// with the directory part of each include name.
func searchDirs(search []string, seq []seqHeader, facts map[string]*textFacts) []fileStamp {
	subs := map[string]bool{".": true}
	for _, s := range seq {
		if !s.pkg {
			subs[filepath.Dir(s.name)] = true
		}
	}
	for _, f := range facts {
		for _, inc := range f.includes {
			subs[filepath.Dir(inc.name)] = true
		}
	}
	var out []fileStamp
	for _, d := range search {
		for sub := range subs {
			p := filepath.Join(d, sub)
			st := fileStamp{Path: p, Size: -1}
			if fi, err := os.Stat(p); err == nil {
				st.Size, st.ModTime = fi.Size(), fi.ModTime().UnixNano()
			}
			out = append(out, st)
		}
	}
	slices.SortFunc(out, func(a, b fileStamp) int { return strings.Compare(a.Path, b.Path) })
	return slices.CompactFunc(out, func(a, b fileStamp) bool { return a.Path == b.Path })
}

// baselineMacros returns the macros of an empty unit (predefined and
// builtin) by name, as macroDef spells them. The map is shared: callers
// only read it.
func baselineMacros(pc *pkgConfig) map[string]string {
	sysIdx.mu.Lock()
	defer sysIdx.mu.Unlock()
	if m, ok := sysIdx.baseline[pc.sysKey]; ok {
		return m
	}
	m := map[string]string{}
	c := *pc.sys
	if ast, err := cc.Translate(&c, []cc.Source{{Name: "<predefined>", Value: pc.sys.Predefined}, {Name: "<builtin>", Value: cc.Builtin}}); err == nil {
		for n, mac := range ast.Macros {
			m[n] = macroDef(mac)
		}
	}
	if sysIdx.baseline == nil {
		sysIdx.baseline = map[string]map[string]string{}
	}
	sysIdx.baseline[pc.sysKey] = m
	return m
}

// macroDef spells m as a #define line. Only the separators that matter to
// the preprocessor are kept (a space where the definition had white space).
func macroDef(m *cc.Macro) string {
	var b strings.Builder
	b.WriteString("#define ")
	b.WriteString(m.Name.SrcStr())
	if m.IsFnLike {
		b.WriteByte('(')
		for i, p := range m.Params {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(p.SrcStr())
			if i == m.VarArg {
				b.WriteString("...") // GNU named variadic parameter: m(a...)
			}
		}
		if m.VarArg >= 0 && m.VarArg == len(m.Params) {
			if len(m.Params) > 0 {
				b.WriteString(", ")
			}
			b.WriteString("...")
		}
		b.WriteByte(')')
	}
	for i, t := range m.ReplacementList() {
		if i == 0 || len(t.Sep()) > 0 {
			b.WriteByte(' ')
		}
		b.Write(t.Src())
	}
	return b.String()
}

// sysDeclOf describes one external declaration of a header, or reports
// false for those that are not a header's (the front end's builtins).
func sysDeclOf(ed *cc.ExternalDeclaration) (sysDecl, bool) {
	toks := cc.NodeTokens(ed)
	if ed.Case == cc.ExternalDeclarationFuncDef {
		toks = dropInjectedFunc(toks, ed.FunctionDefinition.CompoundStatement.Token)
	}
	if len(toks) == 0 {
		return sysDecl{}, false
	}
	if fn := toks[0].Position().Filename; fn == "" || strings.HasPrefix(fn, "<") {
		return sysDecl{}, false
	}
	text, helpers := emitTokens(toks)
	d := sysDecl{Text: text, Helpers: helpers}
	names := map[string]bool{}
	switch ed.Case {
	case cc.ExternalDeclarationFuncDef:
		names[ed.FunctionDefinition.Declarator.Name()] = true
	case cc.ExternalDeclarationDecl:
		for il := ed.Declaration.InitDeclaratorList; il != nil; il = il.InitDeclaratorList {
			if dr := il.InitDeclarator.Declarator; dr != nil {
				names[dr.Name()] = true
			}
		}
		for n := range names {
			if !returnsPointer(ed.Declaration, n) {
				continue // only allocators carry the attribute: skip the reflective walk
			}
			if dealloc, _, ok := mallocAttr(ed.Declaration); ok {
				if _, inTable := libc[dealloc]; !inTable {
					d.Deallocs = []string{dealloc}
				}
			}
			break
		}
	}
	for _, n := range tagsAndEnumerators(toks) {
		names[n] = true
	}
	refs := map[string]bool{}
	for _, t := range toks {
		if s := t.SrcStr(); s != "" && isIdentStart(s[0]) && !names[s] {
			refs[s] = true
		}
	}
	d.Names, d.Refs = sortedKeys(names), sortedKeys(refs)
	return d, true
}

// dropInjectedFunc removes the declaration of __func__ that the parser
// injects after the opening brace of a function body (it is not source).
func dropInjectedFunc(toks []cc.Token, lbrace cc.Token) []cc.Token {
	for i, t := range toks {
		if t.Seq() == lbrace.Seq() && i+9 < len(toks) && toks[i+4].SrcStr() == "__func__" {
			return slices.Delete(slices.Clone(toks), i+1, i+10)
		}
	}
	return toks
}

// tagsAndEnumerators returns the struct, union and enum tags toks define
// or declare (struct s { ... }, struct s;) and the enumeration constants.
func tagsAndEnumerators(toks []cc.Token) []string {
	var out []string
	src := func(i int) string {
		if i < len(toks) {
			return toks[i].SrcStr()
		}
		return ""
	}
	for i := 0; i < len(toks); i++ {
		kw := src(i)
		if kw != "struct" && kw != "union" && kw != "enum" {
			continue
		}
		j := i + 1
		for src(j) == "__attribute__" || src(j) == "__attribute" {
			j = skipParens(toks, j+1)
		}
		tag := ""
		if s := src(j); s != "" && isIdentStart(s[0]) {
			tag = s
			j++
		}
		if tag != "" && (src(j) == "{" || src(j) == ";" && i == 0) {
			out = append(out, tag)
		}
		if kw == "enum" && src(j) == "{" {
			depth := 0
			expect := true
		body:
			for k := j; k < len(toks); k++ {
				switch s := src(k); s {
				case "{", "(", "[":
					depth++
					if depth == 1 {
						expect = true
					}
				case "}", ")", "]":
					depth--
				case ",":
					if depth == 1 {
						expect = true
					}
				default:
					if depth == 1 && expect && isIdentStart(s[0]) {
						out = append(out, s)
					}
					expect = false
				}
				if depth == 0 {
					break body
				}
			}
		}
	}
	return out
}

func skipParens(toks []cc.Token, i int) int {
	depth := 0
	for ; i < len(toks); i++ {
		switch toks[i].SrcStr() {
		case "(":
			depth++
		case ")":
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return i
}

// emitTokens spells toks so that cc, reading the text, gives every token
// the position it had: a #line directive where the file or line changes or
// the column goes back, spaces up to each token's column. The tokens of one
// macro expansion all carry the position of the macro's name; a run of them
// is spelled as an invocation of a helper macro (returned by name, with its
// body) at that position, which cc positions the same way.
func emitTokens(toks []cc.Token) (string, map[string]string) {
	var b strings.Builder
	var helpers map[string]string
	file, line, col := "", 0, 0
	var prev, quoted string
	for i := 0; i < len(toks); {
		t := toks[i]
		p := t.Position()
		s := t.SrcStr()
		j := i + 1
		for j < len(toks) && toks[j].Position() == p {
			j++
		}
		if j-i > 1 {
			var body strings.Builder
			for k := i; k < j; k++ {
				if k > i {
					body.WriteByte(' ')
				}
				body.WriteString(toks[k].SrcStr())
			}
			sum := sha256.Sum256([]byte(body.String()))
			s = "__cgoguard_h" + hex.EncodeToString(sum[:6])
			if helpers == nil {
				helpers = map[string]string{}
			}
			helpers[s] = body.String()
		}
		if p.Filename != file || p.Line != line || p.Column < col || p.Column == col && !canAbut(prev, s) || strings.ContainsAny(s, "\n\r") {
			if b.Len() > 0 {
				b.WriteByte('\n')
			}
			if p.Filename != file {
				quoted = quoteC(p.Filename)
			}
			b.WriteString("#line ")
			b.WriteString(strconv.Itoa(p.Line))
			b.WriteByte(' ')
			b.WriteString(quoted)
			b.WriteByte('\n')
			file, line, col = p.Filename, p.Line, 1
		}
		for ; col < p.Column; col++ {
			b.WriteByte(' ')
		}
		b.WriteString(s)
		col += len(s)
		prev = s
		i = j
	}
	b.WriteByte('\n')
	return b.String(), helpers
}

// canAbut reports whether tokens a and b written without a space between
// them lex as a and b again.
func canAbut(a, b string) bool {
	if a == "" || b == "" {
		return true
	}
	x, y := a[len(a)-1], b[0]
	word := func(c byte) bool { return isIdentChar(c) || c == '.' || c == '"' || c == '\'' }
	if word(x) && word(y) {
		return false
	}
	const ops = "+-*/%<>=!&|^#:.?"
	return strings.IndexByte(ops, x) < 0 || strings.IndexByte(ops, y) < 0
}

// A diskFS serves a translation unit's files from the disk (and the
// in-memory overlay), counting the bytes read against a budget. cc/v4 opens
// every file through Config.FS when it is set with FSOnly, so this is the
// one place that sees them all.
type diskFS struct {
	overlay overlay
	budget  int
	read    int
	over    string            // set when the budget ran out
	record  map[string][]byte // when not nil: the text of every file read, by path
	// after records the files read once marked is set (the index sets it
	// when the preprocessor reaches its mark, sysindex.go).
	after  map[string]bool
	marked bool
	// open, when not nil, is asked first: the prelude's system headers.
	open func(name string) (fs.File, error, bool)
	// seen, when not nil, is told of every file read from the disk.
	seen func(path string)
}

func (d *diskFS) Open(name string) (fs.File, error) {
	if d.open != nil {
		if f, err, ok := d.open(name); ok {
			return f, err
		}
	}
	if s, ok := d.overlay[strings.TrimPrefix(name, "/")]; ok {
		return newMemFile(s), nil
	}
	path := filepath.FromSlash(name)
	fi, err := os.Stat(path)
	if err != nil || fi.IsDir() {
		return nil, fs.ErrNotExist
	}
	if d.over != "" || d.read+int(fi.Size()) > d.budget {
		if d.over == "" {
			d.over = fmt.Sprintf("the unit reads more than %d bytes of C (maxUnitBytes) at %s", d.budget, path)
		}
		return nil, fs.ErrNotExist
	}
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, fs.ErrNotExist
	}
	d.read += len(text)
	if d.record != nil {
		d.record[path] = text
	}
	if d.after != nil && d.marked {
		d.after[path] = true
	}
	if d.seen != nil {
		d.seen(path)
	}
	return newMemFile(string(text)), nil
}

// memFile is an open file of text.
type memFile struct {
	*strings.Reader
	size int64
}

func newMemFile(text string) fs.File { return memFile{strings.NewReader(text), int64(len(text))} }

func (f memFile) Stat() (fs.FileInfo, error) { return memInfo(f.size), nil }
func (memFile) Close() error                 { return nil }

type memInfo int64

func (memInfo) Name() string       { return "f" }
func (i memInfo) Size() int64      { return int64(i) }
func (memInfo) Mode() fs.FileMode  { return 0o444 }
func (memInfo) ModTime() time.Time { return time.Time{} }
func (memInfo) IsDir() bool        { return false }
func (memInfo) Sys() any           { return nil }
