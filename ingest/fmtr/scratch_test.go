package fmtr

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func TestScratch(t *testing.T) {
	files, _ := filepath.Glob("../../../shared/data/fmtr/*.tsv")
	for _, fn := range files {
		f, _ := os.Open(fn)
		rep, err := Parse(f, filepath.Base(fn))
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		a, tt, b := rep.Counts()
		rules := map[string]int{}
		reps := map[string]int{}
		for _, r := range rep.Rows {
			if r.Kind == KindBad {
				rules[r.Rule]++
				if os.Getenv("SHOWBAD") != "" && strings.Contains(fn, os.Getenv("SHOWBAD")) {
					fmt.Println("BAD", r.Line, r.Rule, r.Column, "|", strings.Join(r.Raw[2:10], "|"), "::", r.Reason)
				}
			}
			for _, x := range r.Repairs {
				reps[x]++
			}
			for _, w := range r.Warnings {
				rules["W:"+strings.SplitN(w, ":", 2)[0]]++
			}
		}
		ok, no, nt := 0, 0, 0
		for _, g := range Reconcile(rep.Rows) {
			if g.Totals == 0 {
				nt++
			} else if g.Match() {
				ok++
			} else {
				no++
				if os.Getenv("SHOWREC") != "" {
					fmt.Printf("  NOREC %s %+v\n", rep.Name[:14], g)
				}
			}
		}
		fmt.Println(rep.Name, rep.Format, rep.DataLines, len(rep.Rows), a, tt, b, "rec ok", ok, "no", no, "nototal", nt)
		fmt.Println("   bad:", sorted(rules))
		fmt.Println("   rep:", sorted(reps))
	}
}

func sorted(m map[string]int) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	var b strings.Builder
	for _, k := range ks {
		fmt.Fprintf(&b, "%s=%d ", k, m[k])
	}
	return b.String()
}
