// Package e2e holds end-to-end tests against the lab's real hosts (see lab/README.md):
// trowel surveys them over real SSH, offline from their root directories, and through
// probe bundles, and the tests compare what each way finds. Without a running lab the
// tests skip, unless TROWEL_LAB_REQUIRED=1 (as in make test), where they fail.
package e2e
