package schemas_test

import (
	"bytes"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imet-project/imet/ingest/fmtr/fmtrtest"
	"github.com/imet-project/imet/schemas"
	"github.com/imet-project/imet/schemas/schemastest"
)

var update = flag.Bool("update", false, "rewrite docs/schema.md from the contract")

// The committed data dictionary is what `imet schema` prints.
func TestDictionaryIsCommitted(t *testing.T) {
	var b bytes.Buffer
	if err := schemas.WriteDictionary(&b); err != nil {
		t.Fatal(err)
	}
	const path = "../docs/schema.md"
	if *update {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run: go test ./schemas -update)", err)
	}
	if !bytes.Equal(got, b.Bytes()) {
		t.Fatalf("docs/schema.md differs from the contract: run go test ./schemas -update and commit it")
	}
}

// Every canonical table has exactly the contract's columns, in order, with
// the type the contract's type maps to, then the provenance columns; its
// history table has the same plus _superseded_by.
func TestTablesMatchContract(t *testing.T) {
	db := schemastest.Memory(t)
	for _, ds := range schemas.Datasets {
		for _, table := range []string{ds.Name, ds.Name + "_history"} {
			rows, err := db.Query("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position", table)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for rows.Next() {
				var n, ty string
				rows.Scan(&n, &ty)
				got = append(got, n+" "+ty)
			}
			rows.Close()
			var want []string
			for _, c := range ds.Columns {
				want = append(want, c.Name+" "+c.Type.SQLType())
			}
			want = append(want, "_batch_id BIGINT", "_file VARCHAR", "_sha256 VARCHAR", "_row BIGINT", "_row_hash UBIGINT")
			if ds.Linked {
				want = append(want, "source_student_id VARCHAR", "link_method VARCHAR", "link_score DOUBLE", "_link_batch_id BIGINT")
			}
			if table != ds.Name {
				want = append(want, "_superseded_by BIGINT")
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("table %s columns:\n%s\nwant:\n%s", table, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		}
	}
}

func TestBuiltInCountries(t *testing.T) {
	db := schemastest.Memory(t)
	var n, regions, missing int
	db.QueryRow("SELECT count(*), count(DISTINCT region), count(*) FILTER (WHERE combatant_command IS NULL) FROM countries").Scan(&n, &regions, &missing)
	if n != 253 || regions != 6 || missing != 0 {
		t.Fatalf("countries: %d rows, %d regions, %d without a command", n, regions, missing)
	}
	for code, region := range map[string]string{"KEN": "AF", "EGY": "NEA", "IND": "SCA", "COL": "WHA", "UKR": "EUR", "PHL": "EAP", "XKX": "EUR",
		"YUG": "EUR", "SCG": "EUR", "ANT": "WHA"} {
		var got string
		db.QueryRow("SELECT region FROM countries WHERE country_code = ?", code).Scan(&got)
		if got != region {
			t.Errorf("%s region = %q, want %s", code, got, region)
		}
	}
	for code, want := range map[string]string{"EGY": "CENTCOM", "YUG": "EUCOM", "SCG": "EUCOM", "ANT": "SOUTHCOM"} {
		var cmd string
		db.QueryRow("SELECT combatant_command FROM countries WHERE country_code = ?", code).Scan(&cmd)
		if cmd != want {
			t.Errorf("%s command = %s, want %s", code, cmd, want)
		}
	}
	// The former countries, and only they, are marked Former (from their
	// notes), with the region and command of their successors.
	var former []string
	byCode := map[string]schemas.Country{}
	for _, c := range schemas.Countries {
		byCode[c.Code] = c
		if c.Former {
			former = append(former, c.Code)
			if !strings.Contains(c.Notes, "never split or guessed") {
				t.Errorf("%s notes: %q", c.Code, c.Notes)
			}
		}
	}
	if strings.Join(former, " ") != "YUG SCG ANT" {
		t.Errorf("former countries %v, want YUG SCG ANT", former)
	}
	for former, successor := range map[string]string{"YUG": "SRB", "SCG": "MNE", "ANT": "CUW"} {
		f, s := byCode[former], byCode[successor]
		if f.Region != s.Region || f.CombatantCommand != s.CombatantCommand || s.Former {
			t.Errorf("%s %s/%s, successor %s %s/%s", former, f.Region, f.CombatantCommand, successor, s.Region, s.CombatantCommand)
		}
	}
}

// A warehouse created before the former countries were in the reference
// gets them when it is opened (migration 0013), keeping its other rows and
// any countries file's row.
func TestFormerCountriesMigration(t *testing.T) {
	path := t.TempDir() + "/w.duckdb"
	db, err := schemas.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"DELETE FROM countries WHERE country_code IN ('YUG', 'SCG', 'ANT')",
		"DELETE FROM schema_migrations WHERE name = '0013_former_countries'",
		// a countries file's own row for one of them is kept
		"INSERT INTO countries (country_code, country_name, region, combatant_command, _batch_id, _file, _row) VALUES ('ANT', 'Antilles (own)', 'WHA', 'SOUTHCOM', 7, 'mine.csv', 1)",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	db, err = schemas.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n, hashed int
	db.QueryRow("SELECT count(*), count(_row_hash) FROM countries").Scan(&n, &hashed)
	if n != 253 || hashed != 252 {
		t.Errorf("%d countries, %d with a row hash, want 253 and 252 (the hand-inserted row has none)", n, hashed)
	}
	rows, err := db.Query("SELECT country_code, country_name, _batch_id, _row FROM countries WHERE country_code IN ('YUG', 'SCG', 'ANT', 'ZWE') ORDER BY country_code")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var code, name string
		var batch, row int
		rows.Scan(&code, &name, &batch, &row)
		got = append(got, fmt.Sprintf("%s %s %d %d", code, name, batch, row))
	}
	want := "ANT Antilles (own) 7 1|SCG Serbia and Montenegro 0 252|YUG Yugoslavia 0 251|ZWE Zimbabwe 0 250"
	if strings.Join(got, "|") != want {
		t.Errorf("countries:\n%s\nwant:\n%s", strings.Join(got, "|"), want)
	}
}

// The SQL rank normalisation agrees with the Go one.
func TestRankNormalisation(t *testing.T) {
	db := schemastest.Memory(t)
	for _, in := range []string{"OF6", "of-6", "OF 6", " of - 6 ", "OF-06", "or-9", "WO5", "civ", "OF-11", "OF-0", "GEN", "OF-10", "OF1O", ""} {
		goCode, ok := schemas.NormalizeRank(in)
		var sqlCode string
		if err := db.QueryRow("SELECT "+schemas.RankNormalizeSQL("x")+" FROM (SELECT ?::VARCHAR AS x)", in).Scan(&sqlCode); err != nil {
			t.Fatal(err)
		}
		valid := schemas.RankOrder(sqlCode) > 0 || sqlCode == "CIV"
		if ok != valid || (ok && goCode != sqlCode) {
			t.Errorf("%q: Go (%q, %v), SQL %q (valid %v)", in, goCode, ok, sqlCode, valid)
		}
	}
	if schemas.RankOrder("OF-6") <= schemas.RankOrder("OF-5") || schemas.RankOrder("WO-1") <= schemas.RankOrder("OR-9") || schemas.RankOrder("OF-1") <= schemas.RankOrder("WO-5") {
		t.Error("rank order wrong")
	}
}

func TestHeaderNormalisation(t *testing.T) {
	for in, want := range map[string]string{"Student ID": "student_id", "student-id": "student_id", " STUDENT_ID ": "student_id", "\ufeffstudent_id": "student_id", "Country.Code": "country_code", "Cost (USD)": "cost_usd", "cost_(usd)": "cost_usd", "Partner cost / USD": "partner_cost_usd", "Année": "année"} {
		if got := schemas.NormalizeHeader(in); got != want {
			t.Errorf("NormalizeHeader(%q) = %q, want %q", in, got, want)
		}
	}
}

// Reopening a warehouse applies no migration twice and keeps its data.
func TestReopen(t *testing.T) {
	path := t.TempDir() + "/w.duckdb"
	for i := 0; i < 2; i++ {
		db, err := schemas.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		var migrations, countries int
		db.QueryRow("SELECT count(*) FROM schema_migrations").Scan(&migrations)
		db.QueryRow("SELECT count(*) FROM countries").Scan(&countries)
		db.Close()
		if migrations != len(schemas.Migrations()) || countries != 253 {
			t.Fatalf("open %d: %d migrations, %d countries", i+1, migrations, countries)
		}
	}
}

func TestFoldName(t *testing.T) {
	db := schemastest.Memory(t)
	for in, want := range map[string]string{"José  Núñez": "jose nunez", "Łukasz Øster": "lukasz oster", "O'Brien": "obrien", "Abdul-Rahman": "abdul rahman", "ÇAĞLAR": "caglar", "   ": ""} {
		var got *string
		db.QueryRow("SELECT fold_name(?)", in).Scan(&got)
		g := ""
		if got != nil {
			g = *got
		}
		if g != want {
			t.Errorf("fold_name(%q) = %q, want %q", in, g, want)
		}
	}
}

// TestNameSkeletonUnchanged holds migration 0017's faster name_skeleton
// equal to 0003's on every string of up to five letters over an alphabet
// that has vowels, h, x (read as ks), s and k (so ks doubles), b and a
// space: every case of the first letter, the dropped letters and the
// doubled ones.
func TestNameSkeletonUnchanged(t *testing.T) {
	db := schemastest.Memory(t)
	body, err := schemas.MigrationSQL("0003_name_skeleton")
	if err != nil {
		t.Fatal(err)
	}
	old := strings.ReplaceAll(string(body), "name_skeleton", "old_skeleton")
	if _, err := db.Exec(old); err != nil {
		t.Fatal(err)
	}
	var n, differ int
	var sample sql.NullString
	err = db.QueryRow(`WITH RECURSIVE s(x, len) AS (
			SELECT '', 0
			UNION ALL
			SELECT x || c, len + 1 FROM s, unnest(['a', 'b', 'h', 'k', 's', 'x', ' ']) t(c) WHERE len < 5)
		SELECT count(*), count(*) FILTER (WHERE name_skeleton(x) IS DISTINCT FROM old_skeleton(x)),
		       min(x) FILTER (WHERE name_skeleton(x) IS DISTINCT FROM old_skeleton(x))
		FROM s`).Scan(&n, &differ, &sample)
	if err != nil {
		t.Fatal(err)
	}
	if n < 19000 || differ != 0 {
		t.Errorf("%d of %d strings get another skeleton (e.g. %q)", differ, n, sample.String)
	}
}

func TestNameSkeleton(t *testing.T) {
	db := schemastest.Memory(t)
	same := [][2]string{{"mohammed", "muhammad"}, {"mohamed", "muhammad"}, {"youssef", "yusuf"}, {"aleksandr", "alexander"}, {"hussein", "husayn"}, {"sergei", "sergey"}}
	differ := [][2]string{{"ali", "ela"}, {"omar", "amir"}, {"peter", "paul"}}
	sk := func(s string) string {
		var out string
		if err := db.QueryRow("SELECT name_skeleton(?)", s).Scan(&out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, p := range same {
		if a, b := sk(p[0]), sk(p[1]); a != b {
			t.Errorf("%s → %s, %s → %s: want the same skeleton", p[0], a, p[1], b)
		}
	}
	for _, p := range differ {
		if a, b := sk(p[0]), sk(p[1]); a == b {
			t.Errorf("%s and %s share skeleton %s", p[0], p[1], a)
		}
	}
}

// Every country name in the real Foreign Military Training Report files
// resolves to the right code (a former country to its own former code);
// nothing is guessed.
func TestResolveCountryOnReportNames(t *testing.T) {
	for name, want := range map[string]string{
		"Cote D’Ivoire, Republic of": "CIV", "Côte d'Ivoire, Republic of": "CIV", "Burma": "MMR",
		"Congo, Democratic Republic of (Kinshasa)": "COD", "Republic of Congo (Congo - Brazzaville)": "COG",
		"Bosnia & Herzegovina": "BIH", "Korea, Republic of South": "KOR", "Gambia, The": "GMB",
		"St Kitts & Nevis": "KNA", "Sudan, Government of Southern": "SSD", "Serbia, Republic of": "SRB",
		"Republic of Montenegro": "MNE", "Papua-New Guinea": "PNG", "Guinea - Bissau": "GNB", "Kenya": "KEN", "ken": "KEN",
		// FY2001: inverted with a dash, a parenthesised note, a dash for "and"
		"Korea - South (Republic of)": "KOR", "Belize (UK)": "BLZ", "Cayman Islands (UK)": "CYM", "Macedonia (FYROM)": "MKD",
		"Antigua And Barbuda (UK)": "ATG", "Trinidad -Tobago": "TTO",
		// FY2017: inverted at a comma, a state form after it
		"Tanzania, United Republic of": "TZA", "Kazakhstan, Republic Of": "KAZ",
		// leading state forms, a note moved to the front, ISO short names
		"United Republic of Tanzania": "TZA", "Kingdom of Eswatini": "SWZ", "Korea (Democratic People's Republic of)": "PRK",
		"Korea, Democratic People's Republic of": "PRK", "Viet Nam": "VNM", "Venezuela, Bolivarian Republic of": "VEN",
		// former countries under their own former codes (FY2001, FY2005,
		// FY2006), never a successor; their successors and North Macedonia
		// (whose former name says "Yugoslav") as before
		"Serbia and Montenegro": "SCG", "Serbia & Montenegro": "SCG", "Yugoslavia": "YUG",
		"Federal Republic of Yugoslavia": "YUG", "Yugoslavia, Federal Republic of": "YUG", "Netherlands Antilles": "ANT",
		"scg": "SCG", "Serbia": "SRB", "Montenegro": "MNE", "Curaçao": "CUW", "Curacao": "CUW",
		"Macedonia, Former Yugoslav Republic of": "MKD", "Former Yugoslav Republic of Macedonia": "MKD",
	} {
		t.Run(name, func(t *testing.T) {
			if got, reason := schemas.ResolveCountry(name); got != want {
				t.Errorf("ResolveCountry(%q) = %q (%s), want %s", name, got, reason, want)
			}
		})
	}
	// Never a guess: a note that names something ("Kinshasa") is not
	// dropped, so "Korea (Kinshasa)" is not read as Korea.
	for _, name := range []string{"Atlantis", "", "Korea (Kinshasa)", "Congo (UK)"} {
		t.Run("refused "+name, func(t *testing.T) {
			if got, reason := schemas.ResolveCountry(name); got != "" || reason == "" {
				t.Errorf("ResolveCountry(%q) = %q, want a refusal with a reason", name, got)
			}
		})
	}
	names := fmtrtest.Names()
	if len(names) == 0 {
		t.Fatal("no FMTR test files (ingest/fmtr/fmtrtest)")
	}
	seen := map[string]bool{}
	for _, f := range names {
		b, err := fmtrtest.Read(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			name, _, _ := strings.Cut(line, "\t")
			if name == "" || name == "country" || seen[name] {
				continue
			}
			seen[name] = true
			// A cell holding the country and a program string (FY2006 "Fiji
			// IMET - FY 2006 DoS Training") is split by ingest/fmtr
			// (program_in_country).
			if code, reason := schemas.ResolveCountry(name); code == "" && !strings.Contains(name, " - FY ") {
				t.Errorf("%s: %q does not resolve: %s", f, name, reason)
			}
		}
	}
	if len(seen) < 150 {
		t.Errorf("only %d distinct names read", len(seen))
	}
}

// Every column of the warehouse's tables and views carries a comment in the
// catalog (from a migration or the contract): the snapshot, the lake and the
// docs read them back, and an uncommented column would be published as
// "(not documented)".
func TestEveryColumnCommented(t *testing.T) {
	t.Parallel()
	db := schemastest.Memory(t)
	rows, err := db.Query(`SELECT table_name, column_name FROM duckdb_columns()
		WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal
		  AND table_name <> 'schema_migrations' AND coalesce(comment, '') = ''`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			t.Fatal(err)
		}
		t.Errorf("%s.%s has no comment", table, col)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	// the contract's words, as the contract has them
	docs, err := schemas.ColumnComments(context.Background(), db, "", "enrollments")
	if err != nil {
		t.Fatal(err)
	}
	d, _ := schemas.Lookup("enrollments")
	c, _ := d.Column("status")
	if docs["status"] != c.Describe("enrollments") || !strings.Contains(docs["status"], "COMPLETED") {
		t.Errorf("enrollments.status: %q, want the contract's %q", docs["status"], c.Describe("enrollments"))
	}
}

// CheckReadOnlySQL refuses the statements that DuckDB runs despite a locked
// configuration (logging to a path aborts the process when it closes),
// however they are spelled, and lets the words through as column names.
func TestCheckReadOnlySQL(t *testing.T) {
	t.Parallel()
	for q, refused := range map[string]string{
		"CALL enable_logging(storage_path='/x')":             "enable_logging",
		"select * from ENABLE_LOGGING(storage_path => '/x')": "enable_logging",
		"CALL main.enable_logging(storage_path='/x')":        "enable_logging",
		"CALL disable_logging()":                             "disable_logging",
		"CALL truncate_duckdb_logs()":                        "truncate_duckdb_logs",
		"PRAGMA enable_profiling":                            "enable_profiling",
		"PRAGMA enable_profile;":                             "enable_profile",
		"CALL enable_profiling()":                            "enable_profiling",
		"SELECT * FROM query('SELECT 1')":                    "query",
		`SELECT * FROM "query" ('SELECT 1')`:                 "query",
		"FROM query_table('t')":                              "query_table",
		"SELECT * FROM json_execute_serialized_sql('{}')":    "json_execute_serialized_sql",
		"SELECT query FROM t":                                "",
		"SELECT 1 AS query_count, 'enable logging' AS label": "",
	} {
		err := schemas.CheckReadOnlySQL(q)
		switch {
		case refused == "" && err != nil:
			t.Errorf("%s: refused: %v", q, err)
		case refused != "" && (err == nil || !strings.HasPrefix(err.Error(), refused+" is not available")):
			t.Errorf("%s: %v, want %s refused", q, err, refused)
		}
	}
}

// CheckQueryStatements refuses every statement that is not a query, in
// any of several statements, and is not fooled by quotes and comments.
func TestCheckQueryStatements(t *testing.T) {
	t.Parallel()
	for q, refused := range map[string]string{
		"INSERT INTO t VALUES (1)":               "INSERT",
		"  -- note\n create temp table x(a int)": "CREATE",
		"/* x */ ATTACH 'a.duckdb'":              "ATTACH",
		"COPY t TO 'x.csv'":                      "COPY",
		"SELECT 1; DROP TABLE t":                 "DROP",
		"(SELECT 1)":                             "",
		"SELECT ';INSERT' AS a":                  "",
		"SELECT 1 -- ; DELETE\n":                 "",
		"WITH a AS (SELECT 1) SELECT * FROM a":   "",
		"DESCRIBE t":                             "",
		"CALL pragma_version()":                  "",
	} {
		err := schemas.CheckQueryStatements(q)
		switch {
		case refused == "" && err != nil:
			t.Errorf("%q: refused: %v", q, err)
		case refused != "" && (err == nil || !strings.HasPrefix(err.Error(), "the snapshot is read-only and the console only reads: "+refused+" ")):
			t.Errorf("%q: %v, want %s refused", q, err, refused)
		}
	}
}

// ExpandFiscalMacros gives what the macros give.
func TestExpandFiscalMacros(t *testing.T) {
	t.Parallel()
	db, err := schemas.Open(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q := `SELECT fiscal_year_of(x.d) = %s AND fiscal_quarter_of(x.d) = %s FROM (SELECT DATE '2024-01-01' + INTERVAL (i) DAY AS d FROM range(800) t(i)) x`
	exp := schemas.ExpandFiscalMacros("fiscal_year_of(x.d)|fiscal_quarter_of(x.d)")
	if strings.Contains(exp, "fiscal_") {
		t.Fatalf("not expanded: %s", exp)
	}
	parts := strings.Split(exp, "|")
	rows, err := db.Query(fmt.Sprintf(q, parts[0], parts[1]))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var ok bool
		if err := rows.Scan(&ok); err != nil {
			t.Fatal(err)
		}
		if !ok {
			t.Fatalf("the expansion differs from the macro (%s)", exp)
		}
		n++
	}
	if err := rows.Err(); err != nil || n != 800 {
		t.Fatalf("%d rows, %v", n, err)
	}
}

// The contract's words are written into the catalog when the fingerprint
// of the words last written differs (a release changed them), and left
// alone otherwise: a warehouse whose catalog says other words under the
// current fingerprint keeps them, one whose fingerprint is stale gets the
// contract's again.
func TestContractCommentsFollowTheRelease(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	db, err := schemas.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := schemas.Lookup("enrollments")
	c, _ := d.Column("status")
	want := c.Describe("enrollments")
	comment := func() string {
		t.Helper()
		docs, err := schemas.ColumnComments(ctx, db, "", "enrollments")
		if err != nil {
			t.Fatal(err)
		}
		return docs["status"]
	}
	reopen := func() {
		t.Helper()
		db.Close()
		if db, err = schemas.Open(ctx, path); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`COMMENT ON COLUMN enrollments.status IS 'edited by hand'`); err != nil {
		t.Fatal(err)
	}
	reopen()
	if got := comment(); got != "edited by hand" {
		t.Errorf("under the current fingerprint the catalog was compared again: %q", got)
	}
	if _, err := db.Exec(`UPDATE schema_contract SET fingerprint = 'an earlier release'`); err != nil {
		t.Fatal(err)
	}
	reopen()
	defer db.Close()
	if got := comment(); got != want {
		t.Errorf("after a release changed the words: %q, want the contract's %q", got, want)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM schema_contract WHERE fingerprint <> 'an earlier release'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("schema_contract holds %d current fingerprints (%v), want 1", n, err)
	}
}
