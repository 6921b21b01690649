package fmtr

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestScratch2(t *testing.T) {
	files, _ := filepath.Glob("../../../shared/data/fmtr/*.tsv")
	want := os.Getenv("REPAIR")
	for _, fn := range files {
		f, _ := os.Open(fn)
		rep, _ := Parse(f, filepath.Base(fn))
		f.Close()
		for _, r := range rep.Rows {
			if slices.Contains(r.Repairs, want) {
				q, c := "", ""
				if r.Quantity != nil { q = fmt.Sprint(*r.Quantity) }
				if r.Cost != nil { c = fmt.Sprint(*r.Cost) }
				fmt.Printf("%s:%d %s | raw: %s\n    => title=%q su=%q loc=%q %s %s q=%s c=%s %v\n", rep.Name[:14], r.Line, r.Kind, strings.Join(r.Raw[2:10], "|"), r.CourseTitle, r.StudentUnit, r.Location, fmtDate(r.Start), fmtDate(r.End), q, c, r.Repairs)
			}
		}
	}
}
