// Package csummary reads the C side of a cgo package (its import "C"
// preambles and its .c files) and summarises what each C function does
// with the pointers it is given, so that the checks can tell whether C
// keeps, frees or only uses Go memory.
//
// # What it answers
//
// Load(Input) returns a Package; Package.Func(name) returns the summary of
// the C function the Go side reaches as C.name, or a *NoSummary error that
// says why there is none (not found, parse error, over budget, no body,
// recursive, unsupported construct, internal failure). For each parameter
// that can carry a pointer (a pointer, an integer as wide as a pointer such
// as a cgo.Handle, a struct by value) a Param says:
//
//   - Retain: Yes when on some path the function keeps the value after it
//     returns: stored in a global or static (or memory reachable from one),
//     in memory another parameter points to, in a heap object it returns or
//     stores, in a thread it starts and does not join, or passed to a
//     function that keeps it (libc registrations, the retain-functions
//     setting). Where says where, for people and typed (Place.Kind).
//   - Free: Yes when it frees the value on every path that returns with the
//     value non-NULL (free, realloc, a function that frees it, a malloc
//     attribute's deallocator, the free-functions setting).
//   - Contents: the same for the pointers loaded from the memory the
//     parameter points to.
//
// Param.Effects.Fate() reduces this to Retained, Freed, UsedOnly or
// FateUnknown. Per function it also says whether the result is fresh heap
// memory the caller owns (and its deallocator), which //export'ed Go
// functions it may call directly or through its callees, and whether it
// calls them from a thread it starts.
//
// # What it refuses to guess
//
// Function pointers, functions without a summary, stores through pointers
// of unknown origin, variadic arguments of non-libc functions, backward
// gotos, inline assembly and recursion give Unknown (or no summary), never
// Yes or No. A store the analysis can name exactly (a static, a field of
// a global or of a parameter's memory, through any local alias of them) is
// undone by a later store to the same place, so a static cleared before
// every return is not retained; any other store only adds. A thread that
// is joined before the function returns keeps nothing (it has ended), but
// an //export'ed function it reaches is still called on a thread. A value
// handed to an //export'ed Go function counts as used: what Go does with it
// is the Go side's business. memcpy and strcpy from a parameter use it;
// memcpy moves tracked pointers only when the source type can hold
// pointers (a struct or a pointer array).
//
// # How it reads C
//
// Each preamble is its own translation unit as cmd/cgo compiles it (cgo's
// prolog, the preamble, the package's #cgo CFLAGS/CPPFLAGS -I/-D/-U/-std
// flags, $CGO_CFLAGS and $CGO_CPPFLAGS; #cgo pkg-config lines run
// pkg-config when it is installed and are otherwise ignored with a note);
// each .c file is its own translation unit, and "_cgo_export.h" is
// synthesised from the //export'ed functions. modernc.org/cc/v4 parses and
// type-checks them (the summaries need types: pointer-ness, sizes, what a
// name resolves to, constant values; cc.Parse alone gives none); the host
// compiler's configuration is read once per process.
//
// Parsing is the cost, so it is done on demand: only the translation units
// whose text defines the function asked about (or includes a package
// header that does) are parsed, then its callees' as the summary needs
// them.
//
// # The system header index
//
// Most of a unit's cost is preprocessing and parsing the system headers it
// includes (30 to 100 ms for <stdio.h> and <stdlib.h>, every unit again:
// cc/v4 cannot share a parsed prefix between units). The index
// (sysindex.go) reads them once per host and keeps, for each block of
// adjacent system includes after a given sequence of headers and the
// package's macros in effect there, what the block adds: its declarations,
// as their tokens after macro expansion at their original positions, and
// its macro changes. In prelude mode (prelude.go) each system #include of
// the package's text is rewritten to a name of its own and served from the
// index, restricted to the declarations and macros the package's text can
// reach by name, and the unit translates in a few milliseconds. The
// declarations are parsed and type-checked again in the unit, so the
// summaries are those of the full translation: TestPreludeMatchesFull and
// TestPreludeMatchesFullGoroot compare every summary in both modes on
// synthetic units and on the standard library's cgo packages, and the same
// comparison over the 24 modules of bench/corpus.sh found no difference.
// Headers of -I directories outside the package (a library's, through
// pkg-config) and large package headers of declarations only (go-sqlite3's
// 680 KB sqlite3-binding.h) are served the same way, by path.
//
// The index reads a block after the package's macros that are certainly
// defined before it and that its files mention (the -D/-U flags, and the
// #defines of the unit's own text outside conditionals, once in the
// package's text, placed where they stand); every other macro of the
// package that they mention must be undefined there, which #error probes
// in the served text check where the block is included. __has_include of a
// literal name is answered as the compiler would and written into the
// text; a block entered again through a package header without include
// guard is served again as what including it once more gives. A unit is
// read in full, and the reason kept, when a probe fails, when the package
// redefines a macro of a flag, of the compiler or of a system header that a
// block mentions, when its text uses #include_next, __has_include of a
// macro, #pragma push_macro or pop_macro, or a #if that may test a name
// formed by pasting a package macro's tokens, when a file the text scan
// did not read is included, or when the index cannot read a block (it does
// not translate, it is over budget, it uses #pragma pack or __DATE__, or it
// expands __COUNTER__ as the package's text does).
//
// The index lives in the user's cache directory (os.UserCacheDir, then
// cgoguard/csummary; SetIndexDir moves it or turns it off), since go vet
// runs one process per package. Its entries are keyed by the compiler's
// configuration, the macro lines, the header sequence and, when the
// package's include directories take part, those; they are checked
// against the size and modification time of every file they read and of
// the directories searched, written atomically and removed after 30 days
// unused. The first run on a host builds them, at about twice the cost of
// reading the units in full. Without a writable cache directory the index
// is off and every unit is read in full.
//
// # Budgets
//
// Files over MaxFileBytes (amalgamations such as sqlite3.c) are not parsed;
// a unit (and an index entry) reading more than maxUnitBytes of C in all is
// not either: their functions have no summary (OverBudget). Macro
// expansion is bounded by maxExpansion. A panic in the C front end or in
// the analysis is recovered into a NoSummary (Reason Failed) carrying the
// stack.
//
// Summaries are small, deterministic (positions name files by base name)
// and serialisable with encoding/json or encoding/gob.
package csummary
