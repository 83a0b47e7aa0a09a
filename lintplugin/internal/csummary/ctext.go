package csummary

import (
	"bytes"
	"sort"
	"strconv"
	"strings"
)

// The prelude (prelude.go) must know some facts about C text before the
// preprocessor runs: which identifiers a package file mentions, which
// macros it defines, which headers it includes. scanC reads them lexically:
// comments and literals are skipped, conditionals are not evaluated (every
// branch counts), so the facts are a superset of what the preprocessor sees.

// textFacts are the lexical facts of one C text.
type textFacts struct {
	idents   map[string]bool // identifiers outside comments and literals, directives included
	macros   []macroDirective
	includes []includeDirective
	ifIdents []string // identifiers on #if and #elif lines
	// hasInclude is set by #include_next, __has_include_next, and
	// __has_include with an argument that is not a literal header name:
	// their answers depend on the real directories and cannot be worked
	// out from the text.
	hasInclude bool
	// probes are the __has_include(<name>) and ("name") of the text.
	probes []headerProbe
	size   int // of the text (headerFacts)
	// pragmaState is set by a pragma that changes how later text is read
	// (pack, push_macro, pop_macro): replaying declarations without it
	// would change them. pragmaMacros is set by push_macro and pop_macro
	// alone, which change the macros and not only the declarations.
	pragmaState, pragmaMacros bool
}

// A macroDirective is one #define or #undef.
type macroDirective struct {
	name   string
	undef  bool
	define bool     // a #define or #undef (not an #if line's identifiers)
	off    int      // of the directive in the text (ordering with includes)
	depth  int      // conditional nesting where it stands
	paste  bool     // the body pastes tokens (##)
	body   []string // identifiers of the body
	line   string   // the directive as written (line splices removed)
}

// A headerProbe is one __has_include with a literal header name: start and
// end delimit the whole operator in the original text.
type headerProbe struct {
	name       string
	angle      bool
	start, end int
	presumed   string // as for includeDirective
}

// An includeDirective is one #include with a literal header name.
type includeDirective struct {
	name  string
	angle bool
	// start and end delimit the header name with its delimiters in the
	// original text (prelude mode rewrites it).
	start, end int
	// adjacent is set when only white space and comments separate it from
	// the include before it: no text of the file runs between the two.
	adjacent bool
	// presumed is the file name the last #line directive before it gave
	// ("" if none): the preprocessor looks for "..." beside that file.
	presumed string
}

func isIdentStart(c byte) bool {
	return c == '_' || c == '$' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func isIdentChar(c byte) bool { return isIdentStart(c) || '0' <= c && c <= '9' }

// scanC lexes text.
func scanC(text []byte) *textFacts {
	f := &textFacts{idents: map[string]bool{}}
	spliced, m := splice(text)
	s := cScanner{text: spliced, splices: m}
	for {
		tok, kind, lineStart := s.next()
		switch kind {
		case tokEOF:
			return f
		case tokIdent:
			f.idents[tok] = true
			s.afterInclude = false
			if tok == "_Pragma" {
				end := bytes.IndexByte(s.text[s.off:], ')')
				if end < 0 {
					end = len(s.text) - s.off
				}
				arg := s.text[s.off : s.off+end]
				if bytes.Contains(arg, []byte("pack")) {
					f.pragmaState = true
				}
				if bytes.Contains(arg, []byte("_macro")) {
					f.pragmaState, f.pragmaMacros = true, true
				}
			}
		case tokPunct:
			if tok == "#" && lineStart {
				s.directive(f)
				continue
			}
			s.afterInclude = false
		default:
			s.afterInclude = false
		}
	}
}

func spliceLines(text []byte) []byte {
	out, _ := splice(text)
	return out
}

// splice removes backslash-newline pairs (translation phase 2) and returns
// how to map offsets back.
func splice(text []byte) ([]byte, *spliceMap) {
	if !bytes.Contains(text, []byte("\\\n")) && !bytes.Contains(text, []byte("\\\r\n")) {
		return text, nil
	}
	m := &spliceMap{}
	out := make([]byte, 0, len(text))
	for i := 0; i < len(text); i++ {
		if text[i] == '\\' {
			n := 0
			switch {
			case i+1 < len(text) && text[i+1] == '\n':
				n = 2
			case i+2 < len(text) && text[i+1] == '\r' && text[i+2] == '\n':
				n = 3
			}
			if n > 0 {
				m.at = append(m.at, len(out))
				m.removed = append(m.removed, len(text[:i])-len(out)+n)
				i += n - 1
				continue
			}
		}
		out = append(out, text[i])
	}
	return out, m
}

// A spliceMap maps offsets in spliced text back to the original text.
type spliceMap struct {
	at      []int // spliced offsets where pairs were removed
	removed []int // bytes removed up to and including each
}

func (m *spliceMap) orig(off int) int {
	if m == nil {
		return off
	}
	i := sort.SearchInts(m.at, off+1)
	if i == 0 {
		return off
	}
	return off + m.removed[i-1]
}

type tokKind uint8

const (
	tokEOF tokKind = iota
	tokIdent
	tokPunct
	tokOther   // numbers and literals
	tokNewline // only returned inside directives
)

type cScanner struct {
	text      []byte
	off       int
	inDir     bool // inside a directive: newlines end it
	lineStart bool
	depth     int    // conditional nesting
	presumed  string // the file name of the last #line
	splices   *spliceMap
	// afterInclude is set from an #include to the next token or directive.
	afterInclude bool
}

// next returns the next token; lineStart reports whether it is the first
// token on its line.
func (s *cScanner) next() (tok string, kind tokKind, lineStart bool) {
	if s.off == 0 {
		s.lineStart = true
	}
	for s.off < len(s.text) {
		c := s.text[s.off]
		switch {
		case c == '\n':
			s.off++
			s.lineStart = true
			if s.inDir {
				return "", tokNewline, false
			}
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			s.off++
		case c == '/' && s.off+1 < len(s.text) && s.text[s.off+1] == '/':
			for s.off < len(s.text) && s.text[s.off] != '\n' {
				s.off++
			}
		case c == '/' && s.off+1 < len(s.text) && s.text[s.off+1] == '*':
			end := bytes.Index(s.text[s.off+2:], []byte("*/"))
			if end < 0 {
				s.off = len(s.text)
			} else {
				s.off += end + 4
			}
		default:
			ls := s.lineStart
			s.lineStart = false
			start := s.off
			switch {
			case c == '"' || c == '\'':
				s.skipLiteral(c)
				return string(s.text[start:s.off]), tokOther, ls
			case isIdentStart(c):
				for s.off < len(s.text) && isIdentChar(s.text[s.off]) {
					s.off++
				}
				// An encoding prefix (L"", u8'') starts a literal.
				if s.off < len(s.text) && (s.text[s.off] == '"' || s.text[s.off] == '\'') {
					switch string(s.text[start:s.off]) {
					case "L", "u", "U", "u8":
						s.skipLiteral(s.text[s.off])
						return string(s.text[start:s.off]), tokOther, ls
					}
				}
				return string(s.text[start:s.off]), tokIdent, ls
			case '0' <= c && c <= '9' || c == '.' && s.off+1 < len(s.text) && '0' <= s.text[s.off+1] && s.text[s.off+1] <= '9':
				// A preprocessing number: digits, letters, dots, and signs after e, E, p, P.
				s.off++
				for s.off < len(s.text) {
					d := s.text[s.off]
					if (d == '+' || d == '-') && strings.IndexByte("eEpP", s.text[s.off-1]) >= 0 || isIdentChar(d) || d == '.' {
						s.off++
						continue
					}
					break
				}
				return string(s.text[start:s.off]), tokOther, ls
			case c == '#' && s.off+1 < len(s.text) && s.text[s.off+1] == '#':
				s.off += 2
				return "##", tokPunct, ls
			default:
				s.off++
				return string(c), tokPunct, ls
			}
		}
	}
	return "", tokEOF, false
}

func (s *cScanner) skipLiteral(q byte) {
	s.off++
	for s.off < len(s.text) {
		switch s.text[s.off] {
		case '\\':
			s.off += 2
			continue
		case q:
			s.off++
			return
		case '\n':
			return // unterminated: stop at the end of the line
		}
		s.off++
	}
}

// directive reads the rest of a directive line after its '#'.
func (s *cScanner) directive(f *textFacts) {
	s.inDir = true
	defer func() { s.inDir = false }()
	adjacent := s.afterInclude
	s.afterInclude = false
	name, kind, _ := s.next()
	if kind != tokIdent {
		s.skipLine(f, nil)
		return
	}
	f.idents[name] = true
	start := bytes.LastIndexByte(s.text[:s.off], '#')
	switch name {
	case "include", "include_next", "import":
		if name == "include_next" {
			f.hasInclude = true
		}
		n := len(f.includes)
		s.include(f)
		if len(f.includes) > n {
			f.includes[n].adjacent = adjacent
			f.includes[n].presumed = s.presumed
		}
		s.afterInclude = true
		return
	case "define", "undef":
		m, kind, _ := s.next()
		if kind != tokIdent {
			s.skipLine(f, nil)
			return
		}
		f.idents[m] = true
		d := macroDirective{name: m, undef: name == "undef", define: true, off: s.splices.orig(start), depth: s.depth}
		s.skipLine(f, &d)
		d.line = strings.TrimSpace(string(s.text[start:s.off]))
		f.macros = append(f.macros, d)
	case "if", "elif", "ifdef", "ifndef":
		if name != "elif" {
			s.depth++
		}
		var d macroDirective
		s.skipLine(f, &d)
		if name == "if" || name == "elif" {
			f.ifIdents = append(f.ifIdents, d.body...)
		}
	case "endif":
		s.depth--
		s.skipLine(f, nil)
	case "line":
		for {
			tok, kind, _ := s.next()
			if kind == tokOther && strings.HasPrefix(tok, `"`) {
				s.presumed, _ = strconv.Unquote(tok)
			}
			if kind == tokEOF || kind == tokNewline {
				return
			}
		}
	case "pragma":
		var d macroDirective
		s.skipLine(f, &d)
		for _, w := range d.body {
			switch w {
			case "pack":
				f.pragmaState = true
			case "push_macro", "pop_macro":
				f.pragmaState, f.pragmaMacros = true, true
			}
		}
	default:
		s.skipLine(f, nil)
	}
}

// include reads the header name of an #include line.
func (s *cScanner) include(f *textFacts) {
	for s.off < len(s.text) && (s.text[s.off] == ' ' || s.text[s.off] == '\t') {
		s.off++
	}
	if s.off < len(s.text) && (s.text[s.off] == '<' || s.text[s.off] == '"') {
		closer := byte('>')
		if s.text[s.off] == '"' {
			closer = '"'
		}
		end := bytes.IndexByte(s.text[s.off+1:], closer)
		nl := bytes.IndexByte(s.text[s.off+1:], '\n')
		if end >= 0 && (nl < 0 || end < nl) {
			f.includes = append(f.includes, includeDirective{name: string(s.text[s.off+1 : s.off+1+end]), angle: closer == '>',
				start: s.splices.orig(s.off), end: s.splices.orig(s.off+end+1) + 1})
			s.off += end + 2
		}
	}
	s.skipLine(f, nil) // a computed include: its identifiers count
}

// probe reads the argument of __has_include, whose name ends at s.off:
// ( <name> ) or ( "name" ), with spaces. It consumes nothing.
func (s *cScanner) probe(start int) (headerProbe, bool) {
	i := s.off
	skip := func() {
		for i < len(s.text) && (s.text[i] == ' ' || s.text[i] == '\t') {
			i++
		}
	}
	skip()
	if i >= len(s.text) || s.text[i] != '(' {
		return headerProbe{}, false
	}
	i++
	skip()
	if i >= len(s.text) || s.text[i] != '<' && s.text[i] != '"' {
		return headerProbe{}, false
	}
	closer := byte('>')
	if s.text[i] == '"' {
		closer = '"'
	}
	end := bytes.IndexByte(s.text[i+1:], closer)
	nl := bytes.IndexByte(s.text[i+1:], '\n')
	if end < 0 || nl >= 0 && nl < end {
		return headerProbe{}, false
	}
	p := headerProbe{name: string(s.text[i+1 : i+1+end]), angle: closer == '>', presumed: s.presumed}
	i += end + 2
	skip()
	if i >= len(s.text) || s.text[i] != ')' {
		return headerProbe{}, false
	}
	p.start, p.end = s.splices.orig(start), s.splices.orig(i)+1
	return p, true
}

// skipLine consumes the rest of a directive line, recording identifiers
// (also into d's body when d is not nil).
func (s *cScanner) skipLine(f *textFacts, d *macroDirective) {
	for {
		tok, kind, _ := s.next()
		switch kind {
		case tokEOF, tokNewline:
			return
		case tokIdent:
			f.idents[tok] = true
			switch tok {
			case "__has_include":
				if p, ok := s.probe(s.off - len(tok)); ok {
					f.probes = append(f.probes, p)
				} else {
					f.hasInclude = true // __has_include(MACRO)
				}
			case "__has_include_next":
				f.hasInclude = true
			}
			if d != nil {
				d.body = append(d.body, tok)
			}
		case tokPunct:
			if tok == "##" && d != nil {
				d.paste = true
			}
		}
	}
}

// includeGuard returns the macro of text's include guard (#ifndef G,
// #define G first, the matching #endif last), or "".
func includeGuard(text []byte) string {
	if g, ok := guardOf(text); ok {
		return g
	}
	return ""
}

func guardOf(text []byte) (string, bool) {
	s := cScanner{text: spliceLines(text)}
	var f textFacts
	f.idents = map[string]bool{}
	word := func() (string, tokKind) {
		tok, kind, _ := s.next()
		return tok, kind
	}
	// #ifndef G
	if tok, _ := word(); tok != "#" {
		return "", false
	}
	s.inDir = true
	if tok, _ := word(); tok != "ifndef" {
		return "", false
	}
	g, kind := word()
	if kind != tokIdent {
		return "", false
	}
	if _, kind := word(); kind != tokNewline {
		return "", false
	}
	s.inDir = false
	// #define G
	if tok, _ := word(); tok != "#" {
		return "", false
	}
	s.inDir = true
	if tok, _ := word(); tok != "define" {
		return "", false
	}
	if tok, _ := word(); tok != g {
		return "", false
	}
	s.skipLine(&f, nil)
	s.inDir = false
	depth := 1
	for {
		tok, kind, lineStart := s.next()
		switch {
		case kind == tokEOF:
			return "", false
		case tok == "#" && lineStart:
			s.inDir = true
			d, _ := word()
			switch d {
			case "if", "ifdef", "ifndef":
				depth++
			case "endif":
				depth--
			}
			s.skipLine(&f, nil)
			s.inDir = false
			if depth == 0 {
				_, kind, _ := s.next()
				return g, kind == tokEOF
			}
		}
	}
}
