// Package suggest finds the "did you mean" of pleskgen's messages: the
// known name closest to a misspelt one.
//
// It is the generator's one edit distance, shared by the XSD reader and the
// binding files, so that a typo gets the same suggestion wherever it is made.
package suggest

import "strings"

// maxLen bounds the names Distance compares letter by letter: a longer name
// is no typo of a schema name, and its quadratic table is not worth building.
const maxLen = 256

// Closest returns the candidate nearest to name in edit distance, compared
// without case, when it is close enough to be a likely typo: at most a
// third of name's length away (at least one edit, at most three). It
// returns "" when no candidate is that close. A candidate equal to name, or
// empty, is never suggested; one differing only in case is the likeliest. Ties go to
// the candidate that sorts first, so the answer does not depend on the
// order of candidates.
func Closest(name string, candidates []string) string {
	limit := min(max(len(name)/3, 1), 3)
	lower := strings.ToLower(name)
	best, bestDist := "", limit+1
	for _, c := range candidates {
		if c == name || c == "" {
			continue
		}
		d := Distance(lower, strings.ToLower(c))
		if d < bestDist || d == bestDist && best != "" && c < best {
			best, bestDist = c, d
		}
	}
	return best
}

// Distance is the edit distance of a and b, in bytes (schema and binding
// names are ASCII in practice): the number of insertions, deletions,
// substitutions and transpositions of two neighbours that turn a into b,
// no substring being edited twice (optimal string alignment). Past maxLen
// bytes it gives up and returns the longer length.
func Distance(a, b string) int {
	if len(a) > maxLen || len(b) > maxLen {
		return max(len(a), len(b))
	}
	prev2 := make([]int, len(b)+1)
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
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
