// Package nocgo has cgo files, which a build without cgo leaves out, and
// files any build leaves out (another GOOS, a tag not given).
package nocgo

func plain() int { return 1 }
