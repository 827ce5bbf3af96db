package probe

// SplitDomain is the first domain of the plan's second half: the probe run in halves
// (HalvesArg) runs the domains before it and those from it on at once. The halves
// are of about the same cost on a real host (`trowel survey --profile`), the
// identity facts first in the first half, and no step of one half reads what a step
// of the other leaves behind (TestHalvesKeepDependenciesTogether).
const SplitDomain = "logs"

// SplitAt is the index of the first step of the plan's second half, len(plan) when
// SplitDomain is not in it.
func SplitAt(plan []Step) int {
	for i, st := range plan {
		if st.Domain == SplitDomain {
			return i
		}
	}
	return len(plan)
}
