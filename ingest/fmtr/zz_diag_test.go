package fmtr

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func TestZZDiag(t *testing.T) {
	dir := os.Getenv("FMTR_DIAG")
	if dir == "" {
		t.Skip()
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.tsv"))
	out, _ := os.Create("/tmp/fmtrdiag/bad.txt")
	defer out.Close()
	for _, f := range files {
		b, _ := os.ReadFile(f)
		rep, err := Parse(strings.NewReader(string(b)), filepath.Base(f))
		if err != nil {
			t.Logf("%s: REJECTED %v", filepath.Base(f), err)
			continue
		}
		a, tot, bd := rep.Counts()
		rules := map[string]int{}
		for _, r := range rep.Rows {
			if r.Kind == KindBad {
				rules[r.Rule]++
				fmt.Fprintf(out, "%s:%d %s %s | %s\n", filepath.Base(f), r.Line, r.Rule, r.Column, strings.Join(r.Raw, " | "))
			}
		}
		var ks []string
		for k, v := range rules {
			ks = append(ks, fmt.Sprintf("%s=%d", k, v))
		}
		sort.Strings(ks)
		m, d, n := 0, 0, 0
		for _, g := range Reconcile(rep.Rows) {
			switch {
			case g.Totals == 0:
				n++
			case g.Match():
				m++
			default:
				d++
			}
		}
		t.Logf("%-45s rows %5d act %5d tot %4d bad %4d (%.1f%%) %v  groups m=%d d=%d n=%d", filepath.Base(f), len(rep.Rows), a, tot, bd, 100*float64(bd)/float64(len(rep.Rows)), ks, m, d, n)
	}
}
