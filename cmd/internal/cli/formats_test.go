package cli

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/imet-project/imet/schemas"
)

// The same generated program as CSV, CSV.gz, NDJSON, Parquet and XLSX
// loads into identical tables (provenance aside), with the same rows
// quarantined for the same reasons (line numbers aside: CSV and XLSX count
// the header row).
func TestFormatsLoadIdentically(t *testing.T) {
	t.Parallel()
	var want, wantFormat string
	for _, format := range []string{"csv", "csv.gz", "ndjson", "parquet", "xlsx"} {
		gen := generate(t, 400, 11, format)
		ws := inboxFrom(t, gen)
		if code, out := run(t, "ingest", "--workspace", ws); code != 0 {
			t.Fatalf("%s: ingest exit %d:\n%s", format, code, out)
		}
		db := openWarehouse(t, ws)
		var b strings.Builder
		for _, ds := range schemas.DatasetNames() {
			b.WriteString(dumpQuery(t, db, "SELECT * EXCLUDE (_batch_id, _file, _sha256, _row) FROM "+ds+" ORDER BY ALL"))
		}
		b.WriteString(dumpQuery(t, db, "SELECT dataset, column_name, value, rule, regexp_replace(reason, 'lines? [0-9, ]+', 'line N', 'g') FROM quarantine ORDER BY ALL"))
		b.WriteString(dumpQuery(t, db, "SELECT dataset, record_id, status, candidates FROM link_review ORDER BY ALL"))
		db.Close()
		got := b.String()
		if want == "" {
			want, wantFormat = got, format
			if strings.Count(got, "\n") < 1000 {
				t.Fatalf("too little data to compare: %d lines", strings.Count(got, "\n"))
			}
			continue
		}
		if got != want {
			gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
			for i := range min(len(gl), len(wl)) {
				if gl[i] != wl[i] {
					t.Fatalf("%s differs from %s at line %d:\n%s\n%s", format, wantFormat, i+1, gl[i], wl[i])
				}
			}
			t.Fatalf("%s differs from %s in length: %d vs %d lines", format, wantFormat, len(gl), len(wl))
		}
	}
}

func dumpQuery(t *testing.T, db *sql.DB, q string) string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	tb, err := readTable(rows)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	tb.write(&b, "csv")
	return b.String()
}
