package snapshot

import "slices"

// AppendNew appends the items list does not hold yet, in order, leaving out the zero
// value (""): evidence, file and name lists name each item once, and an unknown one
// not at all.
func AppendNew[E comparable](list []E, items ...E) []E {
	var zero E
	for _, it := range items {
		if it != zero && !slices.Contains(list, it) {
			list = append(list, it)
		}
	}
	return list
}
