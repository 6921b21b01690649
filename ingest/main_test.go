package ingest

import (
	"os"
	"testing"

	"github.com/imet-project/imet/schemas/schemastest"
)

func TestMain(m *testing.M) {
	schemastest.OneThread()
	os.Exit(m.Run())
}
