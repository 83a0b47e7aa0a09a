package csummary

import (
	"fmt"
	"strings"
)

// A Verdict is a three-valued answer. Unknown is never rounded to Yes or No.
type Verdict uint8

const (
	No Verdict = iota
	Yes
	Unknown
)

func (v Verdict) String() string {
	switch v {
	case No:
		return "no"
	case Yes:
		return "yes"
	}
	return "unknown"
}

// join merges two answers for the same question on different paths.
func (v Verdict) join(w Verdict) Verdict {
	if v == w {
		return v
	}
	return Unknown
}

// A PlaceKind says what kind of place keeps a pointer after the call.
type PlaceKind uint8

const (
	PlaceNone   PlaceKind = iota
	PlaceGlobal           // a global or static variable, or memory reachable from one
	PlaceParam            // memory reachable from another parameter (Place.Param)
	PlaceHeap             // a heap object the function returns or stores
	PlaceThread           // a thread the function starts and does not join
	PlaceCallee           // a function (Place.Callee) that keeps it
)

// A Place is where a retained pointer is kept.
type Place struct {
	Kind   PlaceKind `json:",omitempty"`
	Param  int       `json:",omitempty"` // PlaceParam: 1-based number of the parameter whose memory keeps it
	Callee string    `json:",omitempty"` // PlaceCallee: the function that keeps it
	Desc   string    `json:",omitempty"` // human description: "static g_cb", "field cb of global registry"
}

func (p Place) String() string { return p.Desc }

// Effects says what a function does with one pointer: Retain is Yes when on
// some path it keeps the pointer after returning (Where says where), Free is
// Yes when it frees the pointer on every path that returns with the pointer
// non-NULL (By names the function that frees it). Why explains the first
// Unknown.
type Effects struct {
	Retain Verdict `json:",omitempty"`
	Where  Place   `json:",omitzero"`
	Free   Verdict `json:",omitempty"`
	By     string  `json:",omitempty"`
	Why    string  `json:",omitempty"`
}

// A Fate is the summary of Effects in one word.
type Fate uint8

const (
	UsedOnly    Fate = iota // used during the call only
	Retained                // kept after the call (Effects.Where)
	Freed                   // freed on every path (Effects.By)
	FateUnknown             // the analysis cannot decide (Effects.Why)
)

func (f Fate) String() string {
	return [...]string{"used only", "retained", "freed", "unknown"}[f]
}

// Fate reduces e to one word: Retained wins (it is definite evidence of a
// path that keeps the pointer), then any Unknown, then Freed.
func (e Effects) Fate() Fate {
	switch {
	case e.Retain == Yes:
		return Retained
	case e.Retain == Unknown || e.Free == Unknown:
		return FateUnknown
	case e.Free == Yes:
		return Freed
	}
	return UsedOnly
}

func (e Effects) String() string {
	switch f := e.Fate(); f {
	case Retained:
		return "retained in " + e.Where.Desc
	case Freed:
		return "freed by " + e.By
	case FateUnknown:
		return "unknown: " + e.Why
	default:
		return f.String()
	}
}

// A Param summarises one parameter. Effects is about the parameter's value
// (a pointer, a pointer-sized integer such as a cgo.Handle, or the pointers a
// struct passed by value holds); Contents is about the pointers the function
// loads from the memory it points to. Tracked is false for parameters whose
// type cannot carry a pointer (int, double): their Effects are zero.
type Param struct {
	Name     string  `json:",omitempty"`
	Tracked  bool    `json:",omitempty"`
	Effects  Effects `json:",omitzero"`
	Contents Effects `json:",omitzero"`
	// Returned is true when the result may be this parameter (or a
	// pointer into the same object), as strcpy returns its first argument.
	Returned bool `json:",omitempty"`
}

// Result summarises the function's result.
type Result struct {
	// Fresh is Yes when every path returns NULL or heap memory allocated
	// during the call that nothing else keeps: the caller owns it and must
	// release it with Dealloc (its argument DeallocParam, 1-based).
	Fresh        Verdict `json:",omitempty"`
	Dealloc      string  `json:",omitempty"`
	DeallocParam int     `json:",omitempty"`
	Why          string  `json:",omitempty"`
}

// An ExportCall is an //export'ed Go function a C function may call.
type ExportCall struct {
	Name string
	// Thread is true when the call happens on a thread the function starts
	// (pthread_create's start routine reaches the export).
	Thread bool `json:",omitempty"`
}

// Origin says where a summary comes from.
type Origin uint8

const (
	FromBody    Origin = iota // the function's C definition
	FromLibc                  // the libc/POSIX table (libc.go)
	FromAttr                  // __attribute__((malloc(dealloc, N))) on a declaration
	FromSetting               // retain-functions / free-functions
)

func (o Origin) String() string {
	return [...]string{"body", "libc table", "malloc attribute", "setting"}[o]
}

// A Func is the summary of one C function. It is small, deterministic and
// serialisable (encoding/json, encoding/gob).
type Func struct {
	Name   string
	Origin Origin `json:",omitempty"`
	Pos    string `json:",omitempty"` // file:line of the definition; "" for table entries
	Params []Param
	Result Result `json:",omitzero"`
	// Exports lists the //export'ed Go functions the function may call,
	// directly or through the functions it calls, sorted by name.
	Exports []ExportCall `json:",omitempty"`
	// ExportsUnknown is non-empty when the function may call Go through
	// something the analysis cannot follow (a function pointer, a function
	// without summary); it says what.
	ExportsUnknown string `json:",omitempty"`
}

// Param returns the summary of the n-th parameter (1-based), or false when
// the function has fewer parameters (variadic arguments have none).
func (f *Func) Param(n int) (Param, bool) {
	if f == nil || n < 1 || n > len(f.Params) {
		return Param{}, false
	}
	return f.Params[n-1], true
}

// String renders the summary on one line, for tests and explain mode.
func (f *Func) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s(", f.Name)
	for i, p := range f.Params {
		if i > 0 {
			b.WriteString(", ")
		}
		name := p.Name
		if name == "" {
			name = fmt.Sprint("#", i+1)
		}
		if !p.Tracked {
			b.WriteString(name)
			continue
		}
		fmt.Fprintf(&b, "%s: %s", name, p.Effects)
		if c := p.Contents; c.Fate() != UsedOnly {
			fmt.Fprintf(&b, " (contents %s)", c)
		}
		if p.Returned {
			b.WriteString(" (returned)")
		}
	}
	b.WriteString(")")
	switch f.Result.Fresh {
	case Yes:
		fmt.Fprintf(&b, " fresh(%s)", f.Result.Dealloc)
	case Unknown:
		fmt.Fprintf(&b, " fresh?(%s)", f.Result.Why)
	}
	for _, e := range f.Exports {
		if e.Thread {
			fmt.Fprintf(&b, " calls %s on a thread", e.Name)
		} else {
			fmt.Fprintf(&b, " calls %s", e.Name)
		}
	}
	if f.ExportsUnknown != "" {
		fmt.Fprintf(&b, " may call Go: %s", f.ExportsUnknown)
	}
	return b.String()
}

// A Reason says why a function has no summary.
type Reason uint8

const (
	NotFound    Reason = iota // no definition, no table entry, no setting
	ParseError                // the translation unit that defines or declares it does not parse
	OverBudget                // the file that defines it exceeds MaxFileBytes
	NoBody                    // declared but defined nowhere the analysis reads
	Recursive                 // it is part of a call cycle being summarised
	Unsupported               // the body uses a construct the analysis does not model (backward goto, inline assembly, ...)
	Failed                    // the analysis failed (an internal error, recovered)
)

func (r Reason) String() string {
	return [...]string{"not found", "parse error", "over budget", "no body", "recursive", "unsupported", "analysis failed"}[r]
}

// NoSummary is the error returned for a function without summary.
type NoSummary struct {
	Name   string
	Reason Reason
	Detail string // the parse error, the file and its size, ...
}

func (e *NoSummary) Error() string {
	if e.Detail == "" {
		return fmt.Sprintf("C.%s: no summary: %s", e.Name, e.Reason)
	}
	return fmt.Sprintf("C.%s: no summary: %s: %s", e.Name, e.Reason, e.Detail)
}
