package cli

import (
	"testing"

	"github.com/trowel-dev/trowel/internal/store/pgtest"
	"github.com/trowel-dev/trowel/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m, pgtest.StopShared) }
