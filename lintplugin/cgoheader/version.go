package cgoheader

import (
	"fmt"
	"go/token"
	"go/types"
	"go/version"

	"github.com/cgoguard/cgoguard/lintplugin/internal/cgoshape"
)

// fileVersion returns the Go version of the file holding pos: the file's
// own (a //go:build line can raise it), else the package's (go.mod), else
// "" when unknown (GOPATH mode), which allows everything.
func (c *checker) fileVersion(pos token.Pos) string {
	for _, f := range c.pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			if v := c.pass.TypesInfo.FileVersions[f]; v != "" {
				return v
			}
		}
	}
	return c.pass.Pkg.GoVersion()
}

// allows reports whether a file of Go version v may use a feature added in
// min ("go1.17").
func allows(v, min string) bool {
	return v == "" || version.Compare(v, min) >= 0
}

// Versions that added what the fixes write.
const (
	goSlice  = "go1.17" // unsafe.Slice
	goString = "go1.20" // unsafe.String
)

// maxArrayBytes bounds the array of the pre-1.17 form (*[1 << k]T)(p): an
// array type larger than the address space does not compile, and 2 GiB - 1
// fits every target (32-bit ones allow a little under 4 GiB) while leaving
// slices of up to 1 GiB, the longest the 1 << 30 idiom allows for bytes.
const maxArrayBytes = 1<<31 - 1

// arrayShift returns k for the largest array [1 << k]T under maxArrayBytes
// (at most 1 << 30, whose length fits a 32-bit int), or false for an
// element of 2 GiB or more. Sizes are the analysis target's; C types are
// no larger on 32-bit targets, so the array still compiles there.
func (c *checker) arrayShift(elem types.Type) (int, bool) {
	size := c.pass.TypesSizes.Sizeof(elem)
	if size > maxArrayBytes {
		return 0, false
	}
	k := 30
	for size > 0 && (int64(1)<<k)*size > maxArrayBytes {
		k--
	}
	return k, true
}

// arrayForm writes (*[1 << k]T)(p)[:n:c], the slice of c elements of T at p
// with length n, valid before Go 1.17.
func arrayForm(k int, elem, ptr, n, capacity string) string {
	return fmt.Sprintf("(*[1 << %d]%s)(%s)[:%s:%s]", k, elem, ptr, n, capacity)
}

// suggestion spells the replacement for a header without a fix: the call
// (or, before Go 1.17, the array form) with placeholders p and n.
func (c *checker) suggestion(kind string, elem types.Type, pos token.Pos) string {
	v := c.fileVersion(pos)
	if kind == "StringHeader" {
		if allows(v, goString) {
			return "unsafe.String((*byte)(p), n)"
		}
		return "a []byte b := " + c.genericSlice(v, byteType) + " read as *(*string)(unsafe.Pointer(&b))"
	}
	return c.genericSlice(v, elem)
}

func (c *checker) genericSlice(v string, elem types.Type) string {
	t := "T"
	if elem != nil {
		t = cgoshape.TypeString(elem, c.pass.Pkg)
	}
	if allows(v, goSlice) {
		return "unsafe.Slice((*" + t + ")(p), n)"
	}
	k := 28
	if elem != nil {
		if s, ok := c.arrayShift(elem); ok {
			k = s
		}
	}
	return arrayForm(k, t, "p", "n", "n")
}

// line returns the user's line of pos.
func (c *checker) line(pos token.Pos) int { return c.pass.Fset.Position(pos).Line }
