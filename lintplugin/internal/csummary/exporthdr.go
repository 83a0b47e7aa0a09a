package csummary

import (
	"go/ast"
	"strings"
)

// The C files of a cgo package may #include "_cgo_export.h", which cmd/cgo
// writes into its object directory, never beside the sources. The analysis
// synthesises it from the same parts cmd/cgo uses (cmd/cgo/out.go,
// writeExportHeader): the short prolog, the preambles of the files with
// //export functions, the Go type definitions and one prototype per export.
// The prototypes are spelled from the Go syntax; an export whose signature
// uses a type without an obvious C spelling is declared without a prototype.

const exportProlog = `
#line 1 "cgo-builtin-export-prolog"
#include <stddef.h>
#ifndef GO_CGO_EXPORT_PROLOGUE_H
#define GO_CGO_EXPORT_PROLOGUE_H
#ifndef GO_CGO_GOSTRING_TYPEDEF
typedef struct { const char *p; ptrdiff_t n; } _GoString_;
extern size_t _GoStringLen(_GoString_ s);
extern const char *_GoStringPtr(_GoString_ s);
#endif
#endif
`

const exportTypes = `
#line 1 "cgo-gcc-export-header-prolog"
#ifndef GO_CGO_PROLOGUE_H
#define GO_CGO_PROLOGUE_H
typedef signed char GoInt8;
typedef unsigned char GoUint8;
typedef short GoInt16;
typedef unsigned short GoUint16;
typedef int GoInt32;
typedef unsigned int GoUint32;
typedef long long GoInt64;
typedef unsigned long long GoUint64;
typedef GoIntGOINTBITS GoInt;
typedef GoUintGOINTBITS GoUint;
typedef size_t GoUintptr;
typedef float GoFloat32;
typedef double GoFloat64;
typedef float _Complex GoComplex64;
typedef double _Complex GoComplex128;
#ifndef GO_CGO_GOSTRING_TYPEDEF
typedef _GoString_ GoString;
#endif
typedef void *GoMap;
typedef void *GoChan;
typedef struct { void *t; void *v; } GoInterface;
typedef struct { void *data; GoInt len; GoInt cap; } GoSlice;
#endif
`

// builtinProlog is what cmd/cgo puts before each preamble (out.go).
const builtinProlog = `
#line 1 "cgo-builtin-prolog"
#include <stddef.h>
typedef ptrdiff_t intgo;
#define GO_CGO_GOSTRING_TYPEDEF
typedef struct { const char *p; intgo n; } _GoString_;
typedef struct { char *p; intgo n; intgo c; } _GoBytes_;
_GoString_ GoString(char *p);
_GoString_ GoStringN(char *p, int l);
_GoBytes_ GoBytes(void *p, int n);
char *CString(_GoString_);
void *CBytes(_GoBytes_);
void *_CMalloc(size_t);
__attribute__ ((unused))
static size_t _GoStringLen(_GoString_ s) { return (size_t)s.n; }
__attribute__ ((unused))
static const char *_GoStringPtr(_GoString_ s) { return s.p; }
`

// exportHeader returns the text of _cgo_export.h for files.
func exportHeader(files []goFile) string {
	var b strings.Builder
	b.WriteString(exportProlog)
	for _, f := range files {
		if len(f.exports) > 0 {
			b.WriteString(f.preamble)
		}
	}
	b.WriteString(strings.ReplaceAll(exportTypes, "GOINTBITS", itoa(32<<(^uint(0)>>63))))
	b.WriteString("#line 1 \"cgo-export-prototypes\"\n")
	for _, f := range files {
		for _, e := range f.exports {
			b.WriteString(e.proto)
			b.WriteString("\n")
		}
	}
	return b.String()
}

// exportProto spells the C prototype cmd/cgo writes for an export.
func exportProto(name string, ft *ast.FuncType) string {
	res := "void"
	if ft.Results != nil && len(ft.Results.List) > 0 {
		n := 0
		for _, f := range ft.Results.List {
			n += max(1, len(f.Names))
		}
		if n > 1 {
			// cmd/cgo returns a struct; its fields do not matter here.
			return "extern struct " + name + "_return " + name + "();"
		}
		if res = goTypeToC(ft.Results.List[0].Type); res == "" {
			return "extern void *" + name + "();"
		}
	}
	var params []string
	for _, f := range ft.Params.List {
		t := goTypeToC(f.Type)
		if t == "" {
			return "extern " + res + " " + name + "();"
		}
		for range max(1, len(f.Names)) {
			params = append(params, t)
		}
	}
	if len(params) == 0 {
		params = []string{"void"}
	}
	return "extern " + res + " " + name + "(" + strings.Join(params, ", ") + ");"
}

var goBasicToC = map[string]string{
	"int": "GoInt", "uint": "GoUint", "int8": "GoInt8", "uint8": "GoUint8", "byte": "GoUint8",
	"int16": "GoInt16", "uint16": "GoUint16", "int32": "GoInt32", "rune": "GoInt32",
	"uint32": "GoUint32", "int64": "GoInt64", "uint64": "GoUint64", "uintptr": "GoUintptr",
	"float32": "GoFloat32", "float64": "GoFloat64", "complex64": "GoComplex64",
	"complex128": "GoComplex128", "bool": "GoUint8", "string": "GoString", "error": "GoInterface",
}

var cNumeric = map[string]string{
	"schar": "signed char", "uchar": "unsigned char", "ushort": "unsigned short",
	"uint": "unsigned int", "ulong": "unsigned long", "longlong": "long long",
	"ulonglong": "unsigned long long",
}

// goTypeToC spells a Go type of an export's signature in C, or "".
func goTypeToC(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return goBasicToC[e.Name]
	case *ast.StarExpr:
		if t := goTypeToC(e.X); t != "" && !strings.HasPrefix(t, "Go") {
			return t + "*"
		}
		return "void*" // cmd/cgo spells pointers to Go types void*
	case *ast.SelectorExpr:
		x, ok := e.X.(*ast.Ident)
		if !ok {
			return ""
		}
		switch {
		case x.Name == "unsafe" && e.Sel.Name == "Pointer":
			return "void*"
		case x.Name != "C":
			return ""
		}
		n := e.Sel.Name
		if t, ok := cNumeric[n]; ok {
			return t
		}
		for _, k := range []string{"struct_", "union_", "enum_"} {
			if rest, ok := strings.CutPrefix(n, k); ok {
				return strings.TrimSuffix(k, "_") + " " + rest
			}
		}
		return n
	case *ast.ArrayType:
		if e.Len == nil {
			return "GoSlice"
		}
	case *ast.MapType:
		return "GoMap"
	case *ast.ChanType:
		return "GoChan"
	case *ast.InterfaceType:
		return "GoInterface"
	}
	return ""
}
