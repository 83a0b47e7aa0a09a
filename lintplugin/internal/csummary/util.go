package csummary

import (
	"math/bits"
	"strconv"
	"strings"
)

func itoa(n int) string { return strconv.Itoa(n) }

// quoteC quotes s as a C string literal (for #line directives).
func quoteC(s string) string {
	return `"` + cQuoter.Replace(s) + `"`
}

var cQuoter = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

func trailing(m uint64) int { return bits.TrailingZeros64(m) }
