package schemas_test

import (
	"context"
	"testing"

	"github.com/imet-project/imet/schemas"
)

// The formula rule in Go (the FMTR reader) and its SQL twin (validation of
// every other reader) refuse the same values; the neutraliser quotes every
// value either would refuse, and a leading - besides.
func TestFormulaRule(t *testing.T) {
	t.Parallel()
	db, err := schemas.Open(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cases := map[string]bool{
		"=HYPERLINK(\"http://x\",\"click\")": true, "=cmd|' /C calc'!A0": true, "+44 20": true, "@SUM(A1)": true,
		"\t=1+1": true, "\rx": true, "-cmd|' /C calc'!A0": false, "-5": false, "- 3 weeks": false,
		"": false, "ok": false, " =x": false, "a=b": false, "'=x": false, ">=80": false,
	}
	for in, want := range cases {
		t.Run(in, func(t *testing.T) {
			if got := schemas.Formula(in); got != want {
				t.Errorf("Formula(%q) = %v, want %v", in, got, want)
			}
			var sqlGot bool
			if err := db.QueryRow("SELECT coalesce("+schemas.FormulaSQL("$1::VARCHAR")+", false)", in).Scan(&sqlGot); err != nil {
				t.Fatal(err)
			}
			if sqlGot != want {
				t.Errorf("FormulaSQL(%q) = %v, want %v", in, sqlGot, want)
			}
			var lead string
			if want {
				if err := db.QueryRow("SELECT "+schemas.FormulaLeadSQL("$1::VARCHAR"), in).Scan(&lead); err != nil {
					t.Fatal(err)
				}
				if lead != schemas.FormulaLead(in) {
					t.Errorf("FormulaLeadSQL(%q) = %q, Go %q", in, lead, schemas.FormulaLead(in))
				}
			}
			n := schemas.NeutraliseFormula(in)
			if (want || (in != "" && in[0] == '-')) != (n != in) {
				t.Errorf("NeutraliseFormula(%q) = %q", in, n)
			}
			if n != in && n != "'"+in {
				t.Errorf("NeutraliseFormula(%q) = %q: only a leading quote may be added", in, n)
			}
			if schemas.NeutraliseFormula(n) != n {
				t.Errorf("NeutraliseFormula is not idempotent on %q", in)
			}
		})
	}
}
