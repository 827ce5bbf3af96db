package e2e

import (
	"testing"

	"github.com/trowel-dev/trowel/internal/store/storetest"
)

// The trowel binaries these tests run record in a store of the tests' own.
func TestMain(m *testing.M) { storetest.Main(m) }
