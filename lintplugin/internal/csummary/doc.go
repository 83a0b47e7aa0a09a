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
// type-checks them; the host compiler's configuration is read once per
// process and headers are shared across units (cc.SourceCache).
//
// Parsing is the cost, so it is done on demand: only the translation units
// whose text defines the function asked about (or includes a package
// header that does) are parsed, then its callees' as the summary needs
// them. Files over MaxFileBytes (amalgamations such as sqlite3.c) are not
// parsed; their functions have no summary (OverBudget). Macro expansion is
// bounded by maxExpansion. A panic in the C front end or in the analysis
// is recovered into a NoSummary (Reason Failed) carrying the stack.
//
// Summaries are small, deterministic (positions name files by base name)
// and serialisable with encoding/json or encoding/gob.
package csummary
