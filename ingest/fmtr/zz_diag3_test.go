package fmtr

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestZZDiffers(t *testing.T) {
	dir := os.Getenv("FMTR_DIAG")
	if dir == "" {
		t.Skip()
	}
	files, _ := filepath.Glob(filepath.Join(dir, os.Getenv("FMTR_GLOB")))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		rep, _ := Parse(strings.NewReader(string(b)), filepath.Base(f))
		for _, g := range Reconcile(rep.Rows) {
			if g.Reconciliation() == Differs {
				t.Logf("%s %+v", filepath.Base(f), g)
			}
		}
	}
}
