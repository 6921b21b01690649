package fmtr

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func TestZZWarn(t *testing.T) {
	dir := os.Getenv("FMTR_DIAG")
	if dir == "" {
		t.Skip()
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.tsv"))
	by := map[string]map[string]int{}
	unk := map[string]map[string]int{}
	for _, f := range files {
		y := filepath.Base(f)[:4]
		if by[y] == nil {
			by[y] = map[string]int{}
			unk[y] = map[string]int{}
		}
		b, _ := os.ReadFile(f)
		rep, _ := Parse(strings.NewReader(string(b)), filepath.Base(f))
		for _, r := range rep.Rows {
			for _, w := range r.Warnings {
				k, _, _ := strings.Cut(w, ":")
				by[y][k]++
				if k == "program_unknown" {
					unk[y][r.Program+" "+r.SubProgram]++
				}
			}
		}
	}
	for _, y := range []string{"2001", "2002", "2005", "2006", "2009", "2013", "2017"} {
		var a, b []string
		for k, v := range by[y] {
			a = append(a, fmt.Sprintf("%s=%d", k, v))
		}
		for k, v := range unk[y] {
			b = append(b, fmt.Sprintf("%s=%d", strings.TrimSpace(k), v))
		}
		sort.Strings(a)
		sort.Strings(b)
		t.Logf("%s: %s | unknown: %s", y, strings.Join(a, " "), strings.Join(b, " "))
	}
}
