package fmtr

import (
	"os"
	"strings"
	"testing"
)

func TestZZShow(t *testing.T) {
	f := os.Getenv("FMTR_FILE")
	if f == "" {
		t.Skip()
	}
	b, _ := os.ReadFile(f)
	rep, _ := Parse(strings.NewReader(string(b)), f)
	want := os.Getenv("FMTR_REPAIR")
	for _, r := range rep.Rows {
		for _, rp := range append(r.Repairs, r.Rule) {
			if rp == want {
				t.Logf("%d-%d %s | %s | %s | %s | %s..%s | %s | q=%s c=%s | %v", r.Line, r.LastLine, r.CountryCode, r.CourseTitle, r.USUnit, r.StudentUnit, fmtDate(r.Start), fmtDate(r.End), r.Location, fmtInt(r.Quantity), fmtCost(r.Cost), r.Warnings)
			}
		}
	}
}
