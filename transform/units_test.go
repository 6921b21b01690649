package transform

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	stdmaps "maps"
	"path"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/imet-project/imet/ingest/ingesttest"
	"github.com/imet-project/imet/schemas"
	"github.com/imet-project/imet/synth"
)

// A unit is a view only when one scalar metric alone reads it: a survival
// metric reads its unit twice, two metrics read theirs twice, the outcomes
// unit is read by the adjusted comparison too, and metrics computed from
// other metrics' rows read no unit.
func TestReadOnce(t *testing.T) {
	order := []Metric{
		{ID: "A", Unit: "one", Estimator: Wilson},
		{ID: "B", Unit: "survival", Estimator: KMAttainment},
		{ID: "C", Unit: "two", Estimator: Wilson},
		{ID: "D", Unit: "two", Estimator: Median},
		{ID: "E", Unit: "outcomes", Estimator: Wilson},
		{ID: "F", Unit: "derived", Of: "B", Estimator: Wilson},
		{ID: "G", Unit: "shrunk", From: "A", Estimator: Wilson},
	}
	if got := slices.Sorted(stdmaps.Keys(readOnce(order))); !slices.Equal(got, []string{"one"}) {
		t.Errorf("readOnce = %v, want [one]", got)
	}
	// and in the registry: each unit it names is read by one metric, a scalar one
	for u := range readOnce(computeOrder(Registry)) {
		var readers []string
		for _, m := range Registry {
			if m.Unit == u && m.From == "" && m.Of == "" {
				readers = append(readers, m.ID)
				if m.Estimator.survival() {
					t.Errorf("unit %s is a view, but %s is a survival metric", u, m.ID)
				}
			}
		}
		if len(readers) != 1 {
			t.Errorf("unit %s is a view, read by %v", u, readers)
		}
	}
}

// A shared grouping query gives each metric the rows its own query gives:
// the same groups, with the same aggregates and counts.
func TestSharedGroupingQuery(t *testing.T) {
	t.Parallel()
	d := time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)
	db, _, _ := ingesttest.SynthLoaded(t, synth.Options{Students: 300, Seed: 11, AsOf: d})
	ctx := context.Background()
	conn, tx := testTx(t, db)
	v, err := resolveVintage(ctx, tx, 0)
	if err != nil {
		t.Fatal(err)
	}
	noTiming := func(_ string, f func() (int64, error)) error { _, err := f(); return err }
	if _, err := buildModels(ctx, tx, d, v, schemas.RankOrder("OF-6"), noTiming, true, modelPlan{}); err != nil {
		t.Fatal(err)
	}
	order := computeOrder(Registry)
	shared := &computer{tx: tx, conn: conn, opt: withDefaults(Options{AsOf: d}), vintage: v, groups: planGroups(order)}
	alone := &computer{tx: tx, conn: conn, opt: withDefaults(Options{AsOf: d}), vintage: v}
	compared := 0
	for _, q := range planGroups(order) {
		if len(q.members) < 2 {
			continue
		}
		for _, m := range q.members {
			unit, err := shared.unit(ctx, m.Unit)
			if err != nil {
				t.Fatal(err)
			}
			got, err := shared.groupRows(ctx, m, unit)
			if err != nil {
				t.Fatal(err)
			}
			want, err := alone.groupRows(ctx, m, unit)
			if err != nil {
				t.Fatal(err)
			}
			if len(want) == 0 {
				t.Errorf("%s: no groups", m.ID)
			}
			// the groups by key: a hash aggregate's rows come in no set order
			if !reflect.DeepEqual(byGroup(got), byGroup(want)) || len(got) != len(want) {
				t.Errorf("%s: the shared query's %d rows differ from its own query's %d", m.ID, len(got), len(want))
			}
			compared++
		}
	}
	if compared < 10 {
		t.Errorf("only %d metrics share a grouping query", compared)
	}
}

func byGroup(rows []groupRow) map[string]groupRow {
	out := make(map[string]groupRow, len(rows))
	for _, g := range rows {
		out[keySig(g.keys)] = g
	}
	return out
}

// testTx is a transform's connection and transaction on db, rolled back
// and closed when the test ends.
func testTx(t *testing.T, db *sql.DB) (*sql.Conn, *sql.Tx) {
	t.Helper()
	conn, tx, err := begin(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		tx.Rollback()
		conn.Close()
	})
	return conn, tx
}

// A unit's query stands alone outside a transform (the snapshot's lineage
// page runs it over its own params, without the transform's macro
// period_end()): UnitSQL gives, over params, the rows the unit's own SQL
// gives in a transform.
func TestUnitSQLOverParams(t *testing.T) {
	ctx := context.Background()
	d := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	db, _, _ := ingesttest.SynthLoaded(t, synth.Options{Students: 300, Seed: 7, AsOf: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)})
	res, err := Run(ctx, db, Options{AsOf: d})
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	p := params{d, res.Vintage, schemas.RankOrder(withDefaults(Options{}).LeadRank)}
	if _, err := tx.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE params AS "+p.sql()); err != nil {
		t.Fatal(err)
	}
	if err := createVintageViews(ctx, tx, res.Vintage, false); err != nil {
		t.Fatal(err)
	}
	names, err := fs.Glob(sqlFiles, "sql/units/*.sql")
	if err != nil || len(names) == 0 {
		t.Fatal(names, err)
	}
	rowsOf := func(q string) (string, int) {
		t.Helper()
		rows, err := tx.QueryContext(ctx, "SELECT * FROM ("+q+") ORDER BY ALL")
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var b strings.Builder
		n := 0
		for rows.Next() {
			v := make([]any, len(cols))
			ptr := make([]any, len(cols))
			for i := range v {
				ptr[i] = &v[i]
			}
			if err := rows.Scan(ptr...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(&b, v...)
			n++
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return b.String(), n
	}
	alone := map[string]string{}
	for _, f := range names {
		name := strings.TrimSuffix(path.Base(f), ".sql")
		q, err := UnitSQL(name)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(q, periodEndCall) {
			t.Errorf("unit %s: UnitSQL still calls %s", name, periodEndCall)
		}
		var n int
		if alone[name], n = rowsOf(q); n == 0 {
			t.Errorf("unit %s: no rows for D = %s", name, d.Format(time.DateOnly))
		}
	}
	if _, err := tx.ExecContext(ctx, "CREATE OR REPLACE TEMP MACRO "+periodEndCall+" AS "+p.periodEnd()); err != nil {
		t.Fatal(err)
	}
	for name, want := range alone {
		body, err := sqlFiles.ReadFile("sql/units/" + name + ".sql")
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := rowsOf(string(body)); got != want {
			t.Errorf("unit %s: UnitSQL over params gives other rows than the unit in a transform", name)
		}
	}
}
