package cli

import (
	"context"
	"encoding/json"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/imet-project/imet/ingest/fmtr/fmtrtest"
	"github.com/imet-project/imet/reports"
)

// arrowCount reads a table of the lake with arrow-go (not DuckDB): its rows,
// and the sum of one numeric column.
func arrowCount(t *testing.T, dir, column string) (rows int64, sum float64) {
	t.Helper()
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".parquet") {
			return err
		}
		pf, err := file.OpenParquetFile(path, false)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		defer pf.Close()
		rows += pf.NumRows()
		if column == "" {
			return nil
		}
		fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
		if err != nil {
			t.Fatal(err)
		}
		tbl, err := fr.ReadTable(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer tbl.Release()
		idx := tbl.Schema().FieldIndices(column)
		if len(idx) != 1 {
			t.Fatalf("%s has no column %s", path, column)
		}
		for _, chunk := range tbl.Column(idx[0]).Data().Chunks() {
			for i := 0; i < chunk.Len(); i++ {
				if chunk.IsNull(i) {
					continue
				}
				switch c := chunk.(type) {
				case *array.Float64:
					sum += c.Value(i)
				case *array.Int64:
					sum += float64(c.Value(i))
				case *array.Int32:
					sum += float64(c.Value(i))
				case *array.Decimal128:
					sum += c.Value(i).ToFloat64(c.DataType().(*arrow.Decimal128Type).Scale)
				default:
					t.Fatalf("%s.%s is %s", path, column, chunk.DataType())
				}
			}
		}
		return nil
	})
	return rows, sum
}

// The lake round-trips through arrow-go's Parquet reader with the
// warehouse's row counts and sums, and its manifest describes every table.
func TestLakeRoundTrip(t *testing.T) {
	t.Parallel()
	ws := fixtureWorkspace(t)
	copyFile(t, fmtrtest.File(t, "2013_2014_Africa_fmtrpt.tsv"), filepath.Join(ws, "inbox", "fmtr_activities", "af.tsv"))
	if code, out := run(t, "ingest", "--workspace", ws); code != 0 {
		t.Fatalf("ingest: %s", out)
	}
	lake := filepath.Join(t.TempDir(), "lake")
	for range 2 { // the second run replaces the first lake whole
		if code, out := run(t, "export", "lake", "--workspace", ws, "--out", lake); code != 0 {
			t.Fatalf("export lake: %s", out)
		}
	}
	var m reports.LakeManifest
	body, err := os.ReadFile(filepath.Join(lake, "manifest.json"))
	if err != nil || json.Unmarshal(body, &m) != nil {
		t.Fatalf("manifest: %v", err)
	}
	db := openWarehouse(t, ws)
	for _, tb := range m.Tables {
		rows, _ := arrowCount(t, filepath.Join(lake, tb.Path), "")
		if rows != tb.Rows {
			t.Errorf("%s: arrow-go reads %d rows, the manifest says %d", tb.Name, rows, tb.Rows)
		}
		if len(tb.Columns) == 0 || tb.Comment == "" {
			t.Errorf("%s: no columns or description in the manifest", tb.Name)
		}
	}
	for _, c := range []struct{ table, column, warehouse string }{
		{"enrollment_facts", "cost_usd", "SELECT count(*), sum(cost_usd) FROM enrollment_facts"},
		{"metric_values", "n", "SELECT count(*), sum(n) FROM metric_values"},
		{"fmtr_activities", "cost_usd", "SELECT count(*), sum(cost_usd) FROM fmtr_activities"},
		{"outcomes", "time", "SELECT count(*), sum(time) FROM outcomes"},
	} {
		rows, sum := arrowCount(t, filepath.Join(lake, c.table), c.column)
		var wantRows int64
		var wantSum float64
		if err := db.QueryRow(c.warehouse).Scan(&wantRows, &wantSum); err != nil {
			t.Fatal(err)
		}
		if rows != wantRows || math.Abs(sum-wantSum) > 1e-6*math.Max(1, math.Abs(wantSum)) || wantRows == 0 {
			t.Errorf("%s: arrow-go reads %d rows summing %v to %v; the warehouse has %d and %v", c.table, rows, c.column, sum, wantRows, wantSum)
		}
	}
	if _, err := os.Stat(filepath.Join(lake, "enrollment_facts", "fiscal_year="+strconv.Itoa(2020))); err != nil {
		t.Errorf("enrollment_facts is not partitioned by fiscal year: %v", err)
	}
}
