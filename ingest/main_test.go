package ingest

import (
	"os"
	"testing"

	"github.com/imet-project/imet/schemas"
)

// TestMain runs every DuckDB database of the package's tests on one thread
// unless the environment says otherwise, as cmd/internal/cli's tests do:
// go test runs the packages' tests at once on a few cores.
func TestMain(m *testing.M) {
	if os.Getenv(schemas.ThreadsEnv) == "" {
		os.Setenv(schemas.ThreadsEnv, "1")
	}
	os.Exit(m.Run())
}
