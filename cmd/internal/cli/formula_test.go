package cli

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The CSV that imet quarantine and imet sql write never holds a cell a
// spreadsheet would run: the refused formulas of every reader (the FMTR
// one included) and any text beginning with =, +, -, @, a tab or a carriage
// return get a leading quote; numbers stay numbers.
func TestCSVOutputNeutralisesFormulas(t *testing.T) {
	t.Parallel()
	ws := filepath.Join(t.TempDir(), "ws")
	if code, out := run(t, "init", ws); code != 0 {
		t.Fatal(out)
	}
	write := func(rel, body string) {
		p := filepath.Join(ws, "inbox", rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("students/s.csv", "student_id,country_code,family_name\nS1,KEN,Ok\nS2,KEN,\"=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\"\nS3,KEN,@SUM(A1)\nS4,KEN,\"\t=1+1\"\nS5,KEN,+44 20\n")
	write("fmtr_activities/2013_2014_Africa_fmtrpt.tsv", "country\tprogram\tcourse_title\tus_unit\tstudent_unit\tstart_date\tend_date\tlocation\tquantity\ttotal_cost\tsource\n"+
		"Angola\tIMET-1 - Fiscal Year 2013 Department of State Training\tEnglish\tDLIELC, LACKLAND AFB TX\tAngolan Army\t10/15/2012\t1/4/2013\t=cmd|' /C calc'!A0\t1\t$22,329 \t230209\n"+
		"Angola\tIMET-1 - Fiscal Year 2013 Department of State Training\tAdvanced English\tDLIELC, LACKLAND AFB TX\tAngolan Army\t10/15/2012\t1/4/2013\tDLIELC, LACKLAND AFB TX\t1\t$22,329 \t230209\n")
	if code, out := run(t, "ingest", "--workspace", ws); code != 0 {
		t.Fatalf("ingest: exit %d\n%s", code, out)
	}
	safe := func(t *testing.T, out string, want ...string) {
		t.Helper()
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatalf("not CSV: %v\n%s", err, out)
		}
		for _, r := range recs {
			for _, c := range r {
				if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) && !isNumber(c) {
					t.Errorf("a cell a spreadsheet would run: %q", c)
				}
			}
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("no %q in\n%s", w, out)
			}
		}
	}
	// --raw shows every value as sent (family_name is personal: blank by
	// default, as in the snapshot), neutralised like the rest.
	code, out := run(t, "quarantine", "--workspace", ws, "--format", "csv", "--raw")
	if code != 0 || strings.Count(out, "formula") < 5 {
		t.Fatalf("quarantine: exit %d, want 5 formula rows\n%s", code, out)
	}
	safe(t, out, `'=HYPERLINK(""http://x""`, "'@SUM(A1)", "'\t=1+1", "'+44 20", "'=cmd|' /C calc'!A0")
	code, out = run(t, "quarantine", "--workspace", ws, "--format", "csv")
	if code != 0 || strings.Contains(out, "HYPERLINK") {
		t.Fatalf("quarantine without --raw: exit %d, the personal values shown\n%s", code, out)
	}
	safe(t, out, "'=cmd|' /C calc'!A0")
	if code, out := run(t, "run", "--workspace", ws, "--as-of", "2026-06-30"); code != 0 {
		t.Fatalf("run: exit %d\n%s", code, out)
	}
	code, out = run(t, "sql", "--workspace", ws, "--format", "csv",
		`SELECT '=HYPERLINK("http://x")' AS a, '-2+3+cmd|'' /C calc''!A0' AS b, -5 AS n, -2.5 AS x, '@x' AS "=head", count(*) AS activities FROM fmtr_activities`)
	if code != 0 {
		t.Fatalf("sql: exit %d\n%s", code, out)
	}
	safe(t, out, `'=HYPERLINK(""http://x"")`, "'-2+3+cmd|' /C calc'!A0", ",-5,-2.5,'@x,1\n", "'=head")
}

func isNumber(s string) bool {
	for i, r := range s {
		if !(r >= '0' && r <= '9' || r == '.' || (i == 0 && r == '-')) {
			return false
		}
	}
	return len(s) > 1
}
