// Package layering holds the test that keeps trowel's imports pointing the way its
// pipeline runs: collect → evidence → survey → snapshot → consumers → cli → cmd/trowel.
// The table of what each stage may import is in layering_test.go.
package layering
