//go:build cgoguard

package guard

const enabled = true
