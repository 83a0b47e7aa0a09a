// Package suggest finds the valid name a user most likely meant, for
// errors that list the valid names and say "did you mean".
package suggest

import "strings"

// Closest returns the candidate nearest to word (by edit distance, ignoring
// case), or "" when none is near enough to be a plausible typo: at most
// one edit in three letters. (Check names share their "cgo", so a looser
// bound would suggest cgomap for anything.)
func Closest(word string, candidates []string) string {
	best, bestDist := "", len(word)/3+1
	lw := strings.ToLower(word)
	for _, c := range candidates {
		if d := distance(lw, strings.ToLower(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// DidYouMean returns ` (did you mean "X"? valid NOUN: a, b, c)` for word,
// or without the question when nothing is close.
func DidYouMean(word, noun string, candidates []string) string {
	list := strings.Join(candidates, ", ")
	if c := Closest(word, candidates); c != "" {
		return ` (did you mean "` + c + `"? valid ` + noun + ": " + list + ")"
	}
	return " (valid " + noun + ": " + list + ")"
}

// distance is the Levenshtein distance between a and b, in bytes (names
// are ASCII).
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
