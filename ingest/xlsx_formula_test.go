package ingest

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/imet-project/imet/schemas/schemastest"
)

// A real formula cell in a workbook is quarantined like formula text: its
// cached value is not what the source meant to send.
func TestXLSXFormulaCell(t *testing.T) {
	x := excelize.NewFile()
	x.SetSheetRow("Sheet1", "A1", &[]any{"student_id", "country_code", "family_name"})
	x.SetSheetRow("Sheet1", "A2", &[]any{"S1", "KEN", "Otieno"})
	x.SetSheetRow("Sheet1", "A3", &[]any{"S2", "KEN"})
	x.SetCellFormula("Sheet1", "C3", `HYPERLINK("http://evil","Smith")`)
	path := filepath.Join(t.TempDir(), "students.xlsx")
	if err := x.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	db := schemastest.Memory(t)
	res := load(t, newLoader(t, db), path, "students")
	got := quarantined(t, db, "students.xlsx")
	if res.Loaded != 1 || len(got) != 1 || got[0].Line != 3 || got[0].Rule != "formula" || !strings.Contains(got[0].Reason, "family_name begins with =") {
		t.Fatalf("result %+v, quarantine %+v", res, got)
	}
	// The reason names the personal column; the value keeps the formula.
	if n := count(t, db, "SELECT count(*) FROM quarantine WHERE contains(value, 'HYPERLINK')"); n != 1 {
		t.Errorf("the formula is not in the quarantine's value (%d rows)", n)
	}
}
