// Package version holds trowel's own version, set at build time with
// -ldflags "-X github.com/trowel-dev/trowel/internal/version.Version=v1.2.3".
package version

// Version is trowel's version.
var Version = "0.1.0-dev"
