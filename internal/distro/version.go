package distro

import "strings"

// CompareVersions orders two versions the way the package manager does: -1 when a is
// older than b, 0 when they are equal, 1 when a is newer. "rpm" follows rpmvercmp on
// [epoch:]version[-release]; "dpkg" and any other manager follow Debian policy
// §5.6.12 on [epoch:]upstream[-revision]. Malformed versions are compared as far as
// the rules go, never rejected.
func CompareVersions(manager, a, b string) int {
	if manager == "rpm" {
		return compareRPM(a, b)
	}
	return compareDpkg(a, b)
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// compareRPM is rpmVersionCompare: epoch, then version, then release when both
// sides have one (rpm treats a missing release as matching any).
func compareRPM(a, b string) int {
	ea, va, ra := splitRPM(a)
	eb, vb, rb := splitRPM(b)
	if c := rpmvercmp(ea, eb); c != 0 {
		return c
	}
	if c := rpmvercmp(va, vb); c != 0 {
		return c
	}
	if ra == "" || rb == "" {
		return 0
	}
	return rpmvercmp(ra, rb)
}

// splitRPM follows rpm's parseEVR: an epoch is the digits before a colon, and the
// release starts after the last hyphen.
func splitRPM(evr string) (epoch, version, release string) {
	digits := 0
	for digits < len(evr) && isDigit(evr[digits]) {
		digits++
	}
	epoch, version = "0", evr
	if digits < len(evr) && evr[digits] == ':' {
		if digits > 0 {
			epoch = evr[:digits]
		}
		version = evr[digits+1:]
	}
	if i := strings.LastIndexByte(version, '-'); i >= 0 {
		version, release = version[:i], version[i+1:]
	}
	return epoch, version, release
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// rpmvercmp is rpm's segment comparison (lib/rpmvercmp.c): runs of digits compare
// numerically and beat runs of letters; other characters only separate, except "~",
// which sorts before anything, even the end, and "^", which sorts after the end but
// before anything else.
func rpmvercmp(a, b string) int {
	if a == b {
		return 0
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		for i < len(a) && !isDigit(a[i]) && !isAlpha(a[i]) && a[i] != '~' && a[i] != '^' {
			i++
		}
		for j < len(b) && !isDigit(b[j]) && !isAlpha(b[j]) && b[j] != '~' && b[j] != '^' {
			j++
		}
		ca, cb := at(a, i), at(b, j)
		if ca == '~' || cb == '~' {
			if ca != '~' {
				return 1
			}
			if cb != '~' {
				return -1
			}
			i, j = i+1, j+1
			continue
		}
		if ca == '^' || cb == '^' {
			if i == len(a) {
				return -1
			}
			if j == len(b) {
				return 1
			}
			if ca != '^' {
				return 1
			}
			if cb != '^' {
				return -1
			}
			i, j = i+1, j+1
			continue
		}
		if i == len(a) || j == len(b) {
			break
		}
		numeric := isDigit(a[i])
		class := isAlpha
		if numeric {
			class = isDigit
		}
		ei, ej := i, j
		for ei < len(a) && class(a[ei]) {
			ei++
		}
		for ej < len(b) && class(b[ej]) {
			ej++
		}
		if ej == j {
			// The segments differ in kind: a number is newer than letters.
			if numeric {
				return 1
			}
			return -1
		}
		sa, sb := a[i:ei], b[j:ej]
		if numeric {
			sa, sb = strings.TrimLeft(sa, "0"), strings.TrimLeft(sb, "0")
			if len(sa) != len(sb) {
				return sign(len(sa) - len(sb))
			}
		}
		if c := strings.Compare(sa, sb); c != 0 {
			return c
		}
		i, j = ei, ej
	}
	switch {
	case i >= len(a) && j >= len(b):
		return 0
	case i < len(a):
		return 1
	}
	return -1
}

// at is s[i], or 0 past the end, as C strings read.
func at(s string, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return 0
}

// compareDpkg is dpkg's version comparison (lib/dpkg/version.c dpkg_version_compare).
func compareDpkg(a, b string) int {
	ea, ua, ra := splitDpkg(a)
	eb, ub, rb := splitDpkg(b)
	if c := compareNumber(ea, eb); c != 0 {
		return c
	}
	if c := verrevcmp(ua, ub); c != 0 {
		return c
	}
	return verrevcmp(ra, rb)
}

// splitDpkg follows parseversion: the epoch is before the first colon, the revision
// after the last hyphen. An epoch that is not a number (invalid to dpkg) is kept as
// part of the upstream version so that every string still has a place in the order.
func splitDpkg(v string) (epoch, upstream, revision string) {
	v = strings.TrimSpace(v)
	epoch, upstream = "0", v
	if e, rest, ok := strings.Cut(v, ":"); ok && e != "" && strings.Trim(e, "0123456789") == "" {
		epoch, upstream = e, rest
	}
	if i := strings.LastIndexByte(upstream, '-'); i >= 0 {
		upstream, revision = upstream[:i], upstream[i+1:]
	}
	return epoch, upstream, revision
}

// compareNumber compares two strings of digits of any length.
func compareNumber(a, b string) int {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		return sign(len(a) - len(b))
	}
	return strings.Compare(a, b)
}

// order is the weight of a character in the non-digit part of a Debian version:
// "~" first, then the end of the part, then letters, then everything else.
func order(c byte) int {
	switch {
	case isDigit(c):
		return 0
	case isAlpha(c):
		return int(c)
	case c == '~':
		return -1
	case c != 0:
		return int(c) + 256
	}
	return 0
}

func verrevcmp(a, b string) int {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		for i < len(a) && !isDigit(a[i]) || j < len(b) && !isDigit(b[j]) {
			ac, bc := order(at(a, i)), order(at(b, j))
			if ac != bc {
				return sign(ac - bc)
			}
			i, j = i+1, j+1
		}
		for i < len(a) && a[i] == '0' {
			i++
		}
		for j < len(b) && b[j] == '0' {
			j++
		}
		firstDiff := 0
		for i < len(a) && j < len(b) && isDigit(a[i]) && isDigit(b[j]) {
			if firstDiff == 0 {
				firstDiff = int(a[i]) - int(b[j])
			}
			i, j = i+1, j+1
		}
		if i < len(a) && isDigit(a[i]) {
			return 1
		}
		if j < len(b) && isDigit(b[j]) {
			return -1
		}
		if firstDiff != 0 {
			return sign(firstDiff)
		}
	}
	return 0
}
