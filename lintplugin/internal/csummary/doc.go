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
// adjacent system includes after a given sequence of system headers, what
// the block adds: its declarations, as their tokens after macro expansion
// at their original positions, and its macro changes. In prelude mode
// (prelude.go) each system #include of the package's text is served from
// the index, restricted to the declarations and macros the package's text
// can reach by name, and the unit translates in a few milliseconds. The
// declarations are parsed and type-checked again in the unit, so the
// summaries are those of the full translation (TestPreludeMatchesFull,
// TestPreludeMatchesFullGoroot compare them, on synthetic units and on the
// standard library's cgo packages). Large package headers of declarations
// only (a vendored library's API, such as go-sqlite3's 680 KB
// sqlite3-binding.h) are served the same way.
//
// A unit is read in full instead whenever what the package does could make
// a header declare something else than the index read, and the reason is
// kept: a package macro the headers mention (or can form by pasting) that
// is defined where a header is included (checked there by #error probes;
// the -D/-U flags and the #defines before the first #include are part of
// the index key instead), __has_include or #include_next in the package's
// text, a #if that may test a name formed by token pasting, #pragma pack or
// push_macro, a package include directory holding a header name the
// headers include or probe, a header without include guard entered again
// through a chunk read twice, a file the text scan did not read, a header
// the index could not read (it does not translate alone, it is over
// budget, it uses __COUNTER__ or __DATE__), or any other failure of the
// prelude translation.
//
// The index lives in the user's cache directory (os.UserCacheDir, then
// cgoguard/csummary), since go vet runs one process per package. Its
// entries are keyed by the compiler's configuration, the macro lines and
// the header sequence, checked against the size and modification time of
// every file they read and of the directories searched, written atomically
// and removed after 30 days unused. The first run on a host builds them:
// it costs about two full translations of each unit that needs a new
// entry. Without a writable cache directory the index is off and every
// unit is read in full.
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
