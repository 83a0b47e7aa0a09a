package csummary

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
)

// A Package answers questions about the C side of one cgo package. It is
// safe for concurrent use; answers are computed on demand and kept.
type Package struct {
	mu       sync.Mutex
	dir      string
	files    []goFile
	exports  map[string]bool
	uses     map[string]bool
	units    []*unit
	headers  []*unit // the package's .h files, text only
	settings Settings
	notes    []string

	cflags  *cflags
	cfg     *pkgConfig
	cfgErr  error
	cfgDone bool
	// What the prelude (prelude.go) knows of the package's text.
	texts     map[string][]byte     // package headers by path (nil: none there)
	facts     map[string]*textFacts // their text scans
	shadowed  map[string]string     // system header entries shadowed by a package directory: why
	stats     map[string]bool       // files that exist, asked once
	indexable map[string]bool       // package headers the index may serve (indexablePackageHeader)

	funcs  map[string]result  // package-wide answers by name
	bodies map[funcKey]result // summaries of definitions
	busy   map[funcKey]bool   // definitions being summarised (cycles)
}

type funcKey struct {
	u    *unit
	name string
}

type result struct {
	f   *Func
	err error
}

// maxCachedPackages bounds the per-process cache. The analyzers of one
// package ask about it close together (go vet runs one process per
// package; golangci-lint runs a package's analyzers before moving on), so
// a few entries serve every question while bounding the memory that parsed
// translation units hold in a long golangci-lint run.
const maxCachedPackages = 8

var cache struct {
	mu    sync.Mutex
	pkgs  map[string]*Package
	order []string
}

// Load returns the Package for in, from the per-process cache when the
// same package was loaded before. It never fails and never panics: a file
// that cannot be read or parsed is recorded (Notes, and the NoSummary of
// the functions it would have answered for).
func Load(in Input) *Package {
	key := in.key()
	cache.mu.Lock()
	defer cache.mu.Unlock()
	if p, ok := cache.pkgs[key]; ok {
		return p
	}
	p := newPackage(in)
	if cache.pkgs == nil {
		cache.pkgs = map[string]*Package{}
	}
	cache.pkgs[key] = p
	cache.order = append(cache.order, key)
	if len(cache.order) > maxCachedPackages {
		delete(cache.pkgs, cache.order[0])
		cache.order = cache.order[1:]
	}
	return p
}

func (in Input) key() string {
	return strings.Join([]string{in.Dir, strings.Join(in.GoFiles, "\n"), strings.Join(in.OtherFiles, "\n"), in.Settings.key()}, "\x00")
}

func newPackage(in Input) (p *Package) {
	p = &Package{dir: in.Dir, settings: in.Settings, exports: map[string]bool{}, uses: map[string]bool{},
		funcs: map[string]result{}, bodies: map[funcKey]result{}, busy: map[funcKey]bool{},
		texts: map[string][]byte{}, facts: map[string]*textFacts{}, shadowed: map[string]string{}, stats: map[string]bool{}, indexable: map[string]bool{}}
	defer func() {
		if r := recover(); r != nil {
			p.notes = append(p.notes, fmt.Sprintf("internal error reading the package: %v\n%s", r, debug.Stack()))
		}
	}()
	for _, path := range in.GoFiles {
		gf, ok, err := readGoFile(path)
		if err != nil {
			p.notes = append(p.notes, fmt.Sprintf("%s: not read: %v", filepath.Base(path), err))
			continue
		}
		if !ok {
			continue
		}
		p.files = append(p.files, gf)
		for _, e := range gf.exports {
			p.exports[e.name] = true
		}
		for _, u := range gf.uses {
			p.uses[u] = true
		}
		if strings.TrimSpace(gf.preamble) != "" {
			p.units = append(p.units, &unit{name: path, text: []byte(gf.preamble), isPre: true})
		}
	}
	for _, path := range in.OtherFiles {
		switch ext := filepath.Ext(path); ext {
		case ".c":
			text, err := os.ReadFile(path)
			if err != nil {
				p.notes = append(p.notes, fmt.Sprintf("%s: not read: %v", filepath.Base(path), err))
				continue
			}
			p.units = append(p.units, &unit{name: path, text: text})
		case ".h":
			// Parsed through #include; read to find inline definitions.
			if text, err := os.ReadFile(path); err == nil {
				p.headers = append(p.headers, &unit{name: path, text: text})
			}
		default:
			p.notes = append(p.notes, fmt.Sprintf("%s: not read: only C is summarised, not %s files", filepath.Base(path), ext))
		}
	}
	p.cflags = parseCgoFlags(in.Dir, p.files)
	p.notes = append(p.notes, p.cflags.notes...)
	return p
}

// Notes returns what the package could not read and why (files skipped,
// #cgo flags ignored), for explain mode.
func (p *Package) Notes() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.notes)
}

// Exports returns the C names of the package's //export'ed Go functions.
func (p *Package) Exports() []string {
	return sortedKeys(p.exports)
}

// Uses returns the C names the package's Go files call (C.name(...)): the
// roots an analyzer asks about.
func (p *Package) Uses() []string {
	return sortedKeys(p.uses)
}

func (p *Package) isExport(name string) bool { return p.exports[name] }

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Func returns the summary of the C function name, as the Go side's C.name
// reaches it, or a *NoSummary error saying why there is none. It never
// panics.
func (p *Package) Func(name string) (f *Func, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, &NoSummary{Name: name, Reason: Failed, Detail: fmt.Sprintf("%v\n%s", r, debug.Stack())}
		}
	}()
	return p.summary(name)
}

// summary answers for name at package level: a definition in a
// translation unit that mentions it, else the libc table, else a malloc
// attribute, each overridden by the settings.
func (p *Package) summary(name string) (*Func, error) {
	if r, ok := p.funcs[name]; ok {
		return r.f, r.err
	}
	f, err := p.find(name)
	f, err = p.applySettings(name, f, err)
	p.funcs[name] = result{f, err}
	return f, err
}

func (p *Package) find(name string) (*Func, error) {
	if notFunc[name] || strings.HasPrefix(name, "struct_") || strings.HasPrefix(name, "union_") || strings.HasPrefix(name, "enum_") {
		return nil, &NoSummary{Name: name, Reason: NotFound, Detail: "a C type or a cgo builtin, not a C function"}
	}
	// Parsing is the cost, so only translation units whose text defines
	// name (or includes a package header that does) are parsed to find a
	// body.
	var failure *NoSummary
	var parsed []*unit
	try := func(u *unit) (*Func, error, bool) {
		if !p.parse(u) {
			if failure == nil {
				failure = &NoSummary{Name: name, Reason: ParseError, Detail: u.err.Error()}
				if _, over := u.err.(*budgetError); over {
					failure.Reason = OverBudget
				}
			}
			return nil, nil, false
		}
		parsed = append(parsed, u)
		if _, ok := u.defs[name]; ok {
			f, err := p.body(u, name)
			return f, err, true
		}
		return nil, nil, false
	}
	for _, u := range p.units {
		if u.defines(name) {
			if f, err, ok := try(u); ok {
				return f, err
			}
		}
	}
	for _, h := range p.headersDefining(name) {
		for _, u := range p.units {
			if bytes.Contains(u.text, []byte(h)) {
				if f, err, ok := try(u); ok {
					return f, err
				}
			}
		}
	}
	if f, ok := libcFunc(name); ok {
		return f, nil
	}
	if failure != nil {
		failure.Detail = "it may be defined in " + failure.Detail
		return nil, failure
	}
	// No body: what the declarations the Go side sees say (a malloc
	// attribute), from the preambles of the files that call it.
	for _, u := range p.units {
		if u.isPre && p.usedFrom(u, name) && !slices.Contains(parsed, u) && p.parse(u) {
			parsed = append(parsed, u)
		}
	}
	if len(parsed) == 0 {
		for _, u := range p.units {
			if indexWord(u.text, name) >= 0 && p.parse(u) {
				parsed = append(parsed, u)
			}
		}
	}
	for _, u := range parsed {
		if f, ok := u.attrFunc(name); ok {
			return f, nil
		}
	}
	for _, u := range parsed {
		if len(u.decls[name]) > 0 {
			return nil, &NoSummary{Name: name, Reason: NoBody, Detail: "declared at " + position(u.decls[name][0]) + ", defined in no file of the package"}
		}
	}
	return nil, &NoSummary{Name: name, Reason: NotFound}
}

// notFunc lists names a C.name(...) call in Go can have that are types or
// cgo's own functions, never C functions of the package.
var notFunc = map[string]bool{
	"char": true, "schar": true, "uchar": true, "short": true, "ushort": true, "int": true, "uint": true,
	"long": true, "ulong": true, "longlong": true, "ulonglong": true, "float": true, "double": true,
	"complexfloat": true, "complexdouble": true, "size_t": true, "ssize_t": true,
	"CString": true, "CBytes": true, "GoString": true, "GoStringN": true, "GoBytes": true,
}

// headersDefining returns the base names of the package's headers whose
// text defines name (a static inline function).
func (p *Package) headersDefining(name string) []string {
	var out []string
	for _, h := range p.headers {
		if h.defines(name) {
			out = append(out, filepath.Base(h.name))
		}
	}
	return out
}

// definesText reports whether text seems to define function name: the name,
// a parenthesised parameter list and an opening brace. It only decides
// which files to parse; the parser decides what they define. (A definition
// spelled by a macro is not seen; the function then has no summary.)
func definesText(text []byte, name string) bool {
	for off := 0; ; {
		i := indexWord(text[off:], name)
		if i < 0 {
			return false
		}
		off += i + len(name)
		if looksDefined(text, off) {
			return true
		}
	}
}

// looksDefined reports whether the text after a name at end looks like
// the rest of a function definition: white space, a parenthesised
// parameter list, white space (or line splices) and an opening brace.
func looksDefined(text []byte, end int) bool {
	j := end
	for j < len(text) && isSpace(text[j]) {
		j++
	}
	if j >= len(text) || text[j] != '(' {
		return false
	}
	depth := 0
	for ; j < len(text); j++ {
		if text[j] == '(' {
			depth++
		} else if text[j] == ')' {
			if depth--; depth == 0 {
				break
			}
		} else if text[j] == ';' || text[j] == '{' {
			break
		}
	}
	if j >= len(text) || text[j] != ')' {
		return false
	}
	for j++; j < len(text) && (isSpace(text[j]) || text[j] == '\\'); j++ {
	}
	return j < len(text) && text[j] == '{'
}

// definedNames returns every name text seems to define (definesText), in
// one pass: a package may ask about a hundred names, and a file may be an
// amalgamation of megabytes.
func definedNames(text []byte) map[string]bool {
	out := map[string]bool{}
	for i := 0; i < len(text); {
		if !wordChar[text[i]] {
			i++
			continue
		}
		j := i
		for j < len(text) && wordChar[text[j]] {
			j++
		}
		// Most words are not followed by a parenthesis: look before
		// calling looksDefined.
		k := j
		for k < len(text) && isSpace(text[k]) {
			k++
		}
		if k < len(text) && text[k] == '(' && looksDefined(text, j) {
			out[string(text[i:j])] = true
		}
		i = j
	}
	return out
}

var wordChar = func() (t [256]bool) {
	for c := range t {
		t[c] = isWordChar(byte(c))
	}
	return t
}()

// defines reports whether u's text seems to define name (definesText).
func (u *unit) defines(name string) bool {
	if u.defined == nil {
		u.defined = definedNames(u.text)
	}
	return u.defined[name]
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// usedFrom reports whether the Go file of preamble u refers to C.name.
func (p *Package) usedFrom(u *unit, name string) bool {
	for _, f := range p.files {
		if f.path == u.name {
			_, found := slices.BinarySearch(f.uses, name)
			return found
		}
	}
	return false
}

// callee resolves a call made from unit u: a definition in u itself (a
// static function), else the package-wide answer.
func (p *Package) callee(u *unit, name string) (*Func, error) {
	if _, ok := u.defs[name]; ok {
		f, err := p.body(u, name)
		return p.applySettings(name, f, err)
	}
	f, err := p.summary(name)
	if ns, ok := err.(*NoSummary); ok && ns.Reason == NotFound {
		// Defined nowhere: what the caller's own declarations say.
		if af, ok := u.attrFunc(name); ok {
			return p.applySettings(name, af, nil)
		}
		if len(u.decls[name]) > 0 {
			return nil, &NoSummary{Name: name, Reason: NoBody, Detail: "declared at " + position(u.decls[name][0]) + ", defined in no file of the package"}
		}
	}
	return f, err
}

// body summarises the definition of name in u, once.
func (p *Package) body(u *unit, name string) (f *Func, err error) {
	k := funcKey{u, name}
	if r, ok := p.bodies[k]; ok {
		return r.f, r.err
	}
	if p.busy[k] {
		return nil, &NoSummary{Name: name, Reason: Recursive, Detail: "called while its own summary is being computed"}
	}
	p.busy[k] = true
	defer func() {
		delete(p.busy, k)
		if r := recover(); r != nil {
			f, err = nil, &NoSummary{Name: name, Reason: Failed, Detail: fmt.Sprintf("%v\n%s", r, debug.Stack())}
		}
		p.bodies[k] = result{f, err}
	}()
	f, err = p.summarize(u, u.defs[name])
	if err != nil {
		return nil, &NoSummary{Name: name, Reason: Unsupported, Detail: err.Error()}
	}
	return f, nil
}

// parse translates u on first use and reports whether it parsed.
func (p *Package) parse(u *unit) bool {
	if u.ast != nil || u.err != nil {
		return u.ast != nil
	}
	if !p.cfgDone {
		p.cfgDone = true
		p.cfg, p.cfgErr = packageConfig(p.dir, p.cflags, exportHeader(p.files))
	}
	if p.cfgErr != nil {
		u.err = fmt.Errorf("no C configuration: %v", p.cfgErr)
		return false
	}
	var st *prelude
	if preludeEnabled && len(u.text) <= MaxFileBytes {
		st, u.full = p.newPrelude(u)
	}
	u.parse(p.cfg, st)
	return u.ast != nil
}

// indexWord returns the index of the first occurrence of name in text as a
// C identifier, or -1.
func indexWord(text []byte, name string) int {
	isID := isWordChar
	n := []byte(name)
	for off := 0; ; {
		i := bytes.Index(text[off:], n)
		if i < 0 {
			return -1
		}
		i += off
		end := i + len(n)
		if (i == 0 || !isID(text[i-1])) && (end == len(text) || !isID(text[end])) {
			return i
		}
		off = end
	}
}

// applySettings overrides the summary of name with the user's settings.
func (p *Package) applySettings(name string, f *Func, err error) (*Func, error) {
	var rs, fs []int
	for _, fp := range p.settings.RetainFunctions {
		if fp.Func == name {
			rs = append(rs, fp.Param)
		}
	}
	for _, fp := range p.settings.FreeFunctions {
		if fp.Func == name {
			fs = append(fs, fp.Param)
		}
	}
	if len(rs) == 0 && len(fs) == 0 {
		return f, err
	}
	var g Func
	if f != nil {
		g = *f
		g.Params = slices.Clone(f.Params)
	} else {
		g = Func{Name: name, Origin: FromSetting, ExportsUnknown: name + " has no body the analysis read",
			Result: Result{Fresh: Unknown, Why: name + " has no body the analysis read"}}
	}
	unknown := Effects{Retain: Unknown, Free: Unknown, Why: "not named in the settings"}
	for _, n := range slices.Concat(rs, fs) {
		for len(g.Params) < n {
			g.Params = append(g.Params, Param{Tracked: true, Effects: unknown, Contents: unknown})
		}
	}
	for _, n := range rs {
		g.Params[n-1].Tracked = true
		g.Params[n-1].Effects.Retain = Yes
		g.Params[n-1].Effects.Where = Place{Kind: PlaceCallee, Callee: name,
			Desc: fmt.Sprintf("%s, which keeps argument %d (retain-functions setting)", name, n)}
	}
	for _, n := range fs {
		g.Params[n-1].Tracked = true
		g.Params[n-1].Effects.Free, g.Params[n-1].Effects.By = Yes, name
		if g.Params[n-1].Effects.Retain == Unknown {
			g.Params[n-1].Effects.Retain, g.Params[n-1].Effects.Why = No, ""
		}
	}
	return &g, nil
}

// isWordChar reports whether c can be part of a C identifier (as indexWord
// delimits names).
func isWordChar(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}
