//go:build !cgoguard

package guard_test

const builtWithTag = false
