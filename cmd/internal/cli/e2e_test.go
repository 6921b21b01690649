package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/imet-project/imet/schemas"
	"github.com/imet-project/imet/synth"
)

// run drives the CLI as a user would and returns its exit code and output.
func run(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	code := Main(context.Background(), args, &out, &out)
	return code, out.String()
}

// generated is a synthetic program written once per format and seed.
func generate(t *testing.T, students int, seed int64, format string) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := synth.Generate(context.Background(), dir, synth.Options{Students: students, Seed: seed, Format: format, BadRows: true}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// inboxFrom makes a workspace whose inbox holds the generated files.
func inboxFrom(t *testing.T, gen string) string {
	t.Helper()
	ws := newWorkspace(t)
	entries, err := os.ReadDir(gen)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), "_") {
			continue
		}
		files, _ := os.ReadDir(filepath.Join(gen, e.Name()))
		for _, f := range files {
			copyFile(t, filepath.Join(gen, e.Name(), f.Name()), filepath.Join(ws, "inbox", e.Name(), f.Name()))
		}
	}
	return ws
}

// newWorkspace is a copy of a workspace fresh from 'imet init' (made once
// per test binary: creating its warehouse takes most of a second).
func newWorkspace(t *testing.T) string {
	t.Helper()
	return copyTemplate(t, &initTemplate, func(t *testing.T, ws string) {
		if code, out := run(t, "init", ws); code != 0 {
			t.Fatalf("init: %s", out)
		}
	})
}

var initTemplate template

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	os.MkdirAll(filepath.Dir(to), 0o755)
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	out.Close()
}

func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func openWarehouse(t *testing.T, ws string) *sql.DB {
	t.Helper()
	db, err := schemas.OpenReadOnly(context.Background(), filepath.Join(ws, "warehouse.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func scalar(t *testing.T, db *sql.DB, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// lineOf is where the generator's data row lands in each format: CSV and
// XLSX have a header row, NDJSON and Parquet number data rows from 1.
func lineOf(format string, row int) int64 {
	switch format {
	case "csv", "csv.gz", "xlsx":
		return int64(row + 1)
	}
	return int64(row)
}

// End to end on generated data: every table holds what the generator wrote
// minus its planted bad rows; quarantine holds exactly the bad rows, each
// for the planted reason; reloading is a no-op; linking is precise.
func TestEndToEndGenerated(t *testing.T) {
	t.Parallel()
	gen := generate(t, 1500, 7, "csv")
	ws := inboxFrom(t, gen)
	code, out := run(t, "ingest", "--workspace", ws)
	if code != 0 {
		t.Fatalf("ingest exit %d:\n%s", code, out)
	}
	db := openWarehouse(t, ws)
	checkAgainstTruth(t, db, gen, "csv")

	// The inbox is empty now and every file is in the archive.
	left, _ := filepath.Glob(filepath.Join(ws, "inbox", "*", "*"))
	if len(left) != 0 {
		t.Errorf("files left in the inbox: %v", left)
	}
	db.Close()

	// The same files again: reported as already loaded, nothing changes.
	before := tableCounts(t, ws)
	ws2 := filepath.Join(ws, "inbox")
	for ds, f := range filesOf(t, gen) {
		copyFile(t, f, filepath.Join(ws2, ds, filepath.Base(f)))
	}
	code, out = run(t, "ingest", "--workspace", ws)
	if code != 0 || strings.Count(out, "already_loaded") != len(filesOf(t, gen)) {
		t.Fatalf("reload exit %d:\n%s", code, out)
	}
	if after := tableCounts(t, ws); after != before {
		t.Errorf("reload changed the warehouse:\n%s\nwas\n%s", after, before)
	}
}

func filesOf(t *testing.T, gen string) map[string]string {
	out := map[string]string{}
	for _, ds := range schemas.DatasetNames() {
		m, _ := filepath.Glob(filepath.Join(gen, ds, "*"))
		if len(m) == 1 {
			out[ds] = m[0]
		}
	}
	return out
}

// tableCounts fingerprints the warehouse: rows of every table, and rows
// per batch.
func tableCounts(t *testing.T, ws string) string {
	t.Helper()
	db := openWarehouse(t, ws)
	defer db.Close()
	var b strings.Builder
	for _, d := range schemas.Datasets {
		fmt.Fprintf(&b, "%s %d %d\n", d.Name, scalar(t, db, "SELECT count(*) FROM "+d.Name), scalar(t, db, "SELECT count(*) FROM "+d.Name+"_history"))
	}
	for _, tb := range []string{"fmtr_activities", "fmtr_totals", "quarantine", "link_review", "files", "batches"} {
		fmt.Fprintf(&b, "%s %d\n", tb, scalar(t, db, "SELECT count(*) FROM "+tb))
	}
	fmt.Fprintf(&b, "linked %d\n", scalar(t, db, "SELECT count(*) FROM career_events WHERE student_id IS NOT NULL"))
	return b.String()
}

func checkAgainstTruth(t *testing.T, db *sql.DB, gen, format string) {
	t.Helper()
	res := readCSV(t, filepath.Join(gen, "_truth", "bad_rows.csv"))
	type at struct {
		dataset string
		line    int64
	}
	wantRule := map[at]string{}
	badPerDataset := map[string]int64{}
	for _, r := range res {
		row, _ := strconv.Atoi(r["row"])
		wantRule[at{r["dataset"], lineOf(format, row)}] = r["rule"]
		badPerDataset[r["dataset"]]++
	}
	gotRules := map[at][]string{}
	rows, err := db.Query("SELECT dataset, line, rule FROM quarantine")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k at
		var rule string
		rows.Scan(&k.dataset, &k.line, &rule)
		gotRules[k] = append(gotRules[k], rule)
	}
	rows.Close()
	for k, rule := range wantRule {
		got, ok := gotRules[k]
		if !ok {
			t.Errorf("planted bad row %s line %d (%s) was not quarantined", k.dataset, k.line, rule)
			continue
		}
		found := false
		for _, g := range got {
			found = found || g == rule
		}
		if !found {
			t.Errorf("%s line %d quarantined for %v, planted %s", k.dataset, k.line, got, rule)
		}
	}
	for k, got := range gotRules {
		if _, ok := wantRule[k]; !ok {
			t.Errorf("%s line %d quarantined (%v) but not planted", k.dataset, k.line, got)
		}
	}
	var summary struct{ Rows map[string]int }
	summary.Rows = map[string]int{}
	for ds := range filesOf(t, gen) {
		n := int64(len(readDataRows(t, gen, ds)))
		if got := scalar(t, db, "SELECT count(*) FROM "+ds); got != n-badPerDataset[ds] {
			t.Errorf("%s: %d rows in the warehouse, generator wrote %d with %d bad", ds, got, n, badPerDataset[ds])
		}
	}
	checkLinks(t, db, gen)
}

// readDataRows counts the data rows of a generated CSV.
func readDataRows(t *testing.T, gen, ds string) []map[string]string {
	return readCSV(t, filepath.Join(gen, ds, ds+".csv"))
}

func checkLinks(t *testing.T, db *sql.DB, gen string) {
	t.Helper()
	truth := readCSV(t, filepath.Join(gen, "_truth", "links.csv"))
	got := map[string]string{}
	rows, err := db.Query("SELECT 'career_events', event_id, coalesce(student_id, '') FROM career_events UNION ALL SELECT 'hr_flags', flag_id, coalesce(student_id, '') FROM hr_flags")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var ds, id, s string
		rows.Scan(&ds, &id, &s)
		got[ds+"/"+id] = s
	}
	rows.Close()
	var tp, fp, fn, expectLink, ambiguousLinked int
	variants := map[string][2]int{}
	for _, l := range truth {
		linked, present := got[l["dataset"]+"/"+l["record_id"]]
		if !present {
			continue // a planted bad row, quarantined
		}
		switch l["expect"] {
		case "link":
			expectLink++
			v := variants[l["variant"]]
			v[1]++
			switch linked {
			case l["student_id"]:
				tp++
				v[0]++
			case "":
				fn++
			default:
				fp++
			}
			variants[l["variant"]] = v
		default:
			if linked != "" {
				fp++
				if l["expect"] == "ambiguous" {
					ambiguousLinked++
				}
			}
		}
	}
	precision := float64(tp) / float64(max(tp+fp, 1))
	recall := float64(tp) / float64(max(expectLink, 1))
	var vs []string
	for k, v := range variants {
		vs = append(vs, fmt.Sprintf("%s %d/%d", k, v[0], v[1]))
	}
	sort.Strings(vs)
	t.Logf("linking: precision %.4f, recall %.4f (%d expected links; by variant: %s)", precision, recall, expectLink, strings.Join(vs, ", "))
	if expectLink < 20 {
		t.Errorf("only %d id-less rows to link: the generator should plant more", expectLink)
	}
	if precision < 0.99 || recall < 0.9 || ambiguousLinked > 0 {
		t.Errorf("linking precision %.4f (want ≥ 0.99), recall %.4f (want ≥ 0.9), %d ambiguous rows linked (want 0)", precision, recall, ambiguousLinked)
	}
}
