package ingest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imet-project/imet/schemas/schemastest"
	"github.com/imet-project/imet/synth"
)

// A quote opened and never closed swallowed the rows after it: every line
// of the file must be a row read, a quarantined row or the header.
func TestUnterminatedQuoteLosesNoRow(t *testing.T) {
	dir := t.TempDir()
	res, err := synth.Generate(context.Background(), dir, synth.Options{Students: 2000, Seed: 1, BadRows: true})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(res.Files["students"])
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	// A quote before the family name of line 11.
	head := strings.Split(strings.TrimRight(lines[0], "\r\n"), ",")
	fam := -1
	for i, h := range head {
		if h == "family_name" {
			fam = i
		}
	}
	f := strings.Split(lines[10], ",")
	f[fam] = `"` + f[fam]
	lines[10] = strings.Join(f, ",")
	path := writeFile(t, t.TempDir(), "students.csv", strings.Join(lines, ""))
	db := schemastest.Memory(t)
	r := load(t, newLoader(t, db), path, "students")
	if r.Status != StatusLoaded {
		t.Fatalf("status %s: %s", r.Status, r.Reason)
	}
	if got := r.Rows + 1; got != int64(len(lines)) {
		t.Errorf("rows read %d + header = %d, the file has %d lines", r.Rows, got, len(lines))
	}
	good := count(t, db, "SELECT count(*) FROM students WHERE _batch_id = ?", r.BatchID)
	if good+r.Quarantined != r.Rows || r.Loaded+r.Replaced+r.Unchanged != good {
		t.Errorf("%d rows read, %d loaded, %d quarantined", r.Rows, good, r.Quarantined)
	}
	var reason, raw string
	if err := db.QueryRow("SELECT reason, raw FROM quarantine WHERE line = 11 AND rule = 'malformed'").Scan(&reason, &raw); err != nil {
		t.Fatalf("line 11 not quarantined as malformed: %v", err)
	}
	if !strings.Contains(reason, "an unterminated quote on line 11") {
		t.Errorf("reason %q", reason)
	}
	if raw != strings.TrimRight(lines[10], "\r\n") {
		t.Errorf("raw %q, want the whole line %q", raw, lines[10])
	}
	// Line numbers stay true: line 12's row is the 12th line's student.
	id12 := strings.Split(lines[11], ",")[0]
	if n := count(t, db, "SELECT count(*) FROM students WHERE student_id = ? AND _row = 12", id12); n != 1 {
		t.Errorf("student %s of line 12 not loaded with _row 12", id12)
	}
}

var _ = bytes.MinRead
var _ = filepath.Join
