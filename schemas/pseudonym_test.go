package schemas

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The SQL macro and the Go function give the same pseudonym, for keys of
// any length, and NULL stays NULL.
func TestPseudonymMacroEqualsGo(t *testing.T) {
	db, err := Open(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, key := range [][]byte{[]byte("0123456789abcdef0123456789abcdef"), []byte("short key 16 b.."), []byte(strings.Repeat("k", 100))} {
		t.Run(string(key[:8]), func(t *testing.T) {
			q, err := PseudonymMacro(key)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := conn.ExecContext(context.Background(), q); err != nil {
				t.Fatal(err)
			}
			for _, id := range []string{"S00000001", "S2", "Núñez-7", ""} {
				var got string
				if err := conn.QueryRowContext(context.Background(), "SELECT pseudonym(?)", id).Scan(&got); err != nil {
					t.Fatal(err)
				}
				if want := Pseudonym(key, id); got != want || len(got) != 16 {
					t.Errorf("%q: SQL %s, Go %s", id, got, want)
				}
			}
			var null sql.NullString
			if err := conn.QueryRowContext(context.Background(), "SELECT pseudonym(NULL::VARCHAR)").Scan(&null); err != nil || null.Valid {
				t.Errorf("pseudonym(NULL) = %v, %v", null, err)
			}
		})
	}
	if Pseudonym([]byte("key one........."), "S1") == Pseudonym([]byte("key two........."), "S1") {
		t.Error("two keys give one pseudonym")
	}
}

// The key file is created once, 0600 whatever the umask, and never replaced.
func TestCreatePseudonymKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pseudonym.key")
	created, err := CreatePseudonymKey(path)
	if err != nil || !created {
		t.Fatalf("created %v, %v", created, err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, %v", fi.Mode(), err)
	}
	key, err := ReadPseudonymKey(path)
	if err != nil || len(key) != PseudonymKeyBytes {
		t.Fatalf("key %d bytes, %v", len(key), err)
	}
	if created, err := CreatePseudonymKey(path); err != nil || created {
		t.Fatalf("second create: %v, %v", created, err)
	}
	again, _ := ReadPseudonymKey(path)
	if string(again) != string(key) {
		t.Error("the key was replaced")
	}
	os.WriteFile(path, []byte("not hex\n"), 0o600)
	if _, err := ReadPseudonymKey(path); err == nil || !strings.Contains(err.Error(), "is not a pseudonym key") {
		t.Errorf("a damaged key: %v", err)
	}
}

// Migration 0015 takes the personal values out of reasons written before
// reasons named columns instead, and leaves the others as they were.
func TestMigration0015ScrubsOldReasons(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows := []struct{ dataset, column, value, reason, want string }{
		{"students", "birth_year", "19x7", `birth_year "19x7" is not a whole number`, "birth_year is not a whole number"},
		{"students", "birth_year", "1890", "birth_year 1890 is outside 1930 to 2015", "birth_year is outside 1930 to 2015"},
		{"students", "student_id", "S1", "student_id S1 repeats line 2 exactly: keep one row per key", "student_id repeats line 2 exactly: keep one row per key"},
		{"enrollments", "student_id", "S99", `student_id "S99" is not in students: load the student first, or correct it`, "student_id is not in students: load the student first, or correct it"},
		{"hr_flags", "status", "NAMED BY OTIENO", `status "NAMED BY OTIENO" is not one of ALLEGED, SUBSTANTIATED, CLEARED`, "status is not one of ALLEGED, SUBSTANTIATED, CLEARED"},
		{"courses", "category", "XYZ", `category "XYZ" is not one of PME`, `category "XYZ" is not one of PME`},
	}
	for i, r := range rows {
		if _, err := db.Exec(`INSERT INTO quarantine (batch_id, file, line, dataset, column_name, value, rule, reason, quarantined_at) VALUES (1, 'f.csv', ?, ?, ?, ?, 'type', ?, now())`,
			i+2, r.dataset, r.column, r.value, r.reason); err != nil {
			t.Fatal(err)
		}
	}
	msgs := []struct{ before, want string }{
		{"s.csv: required column student_id, country_code missing from the header (it has: s1, ken, wanjiru, achieng, 1979); add it, or check", "s.csv: required column student_id, country_code missing from the header; add it, or check"},
		{`s.csv: the header is one column "S1;KEN;Wanjiru": the file seems to separate values with ";"`, `s.csv: the header is one column: the file seems to separate values with ";"`},
		{`s.csv: the header names column wanjiru twice ("Wanjiru" and "wanjiru"): keep one`, "s.csv: the header names column wanjiru twice: keep one"},
	}
	for i, m := range msgs {
		if _, err := db.Exec(`INSERT INTO batches (batch_id, started_at, status, message) VALUES (?, now(), 'rejected', ?)`, 100+i, m.before); err != nil {
			t.Fatal(err)
		}
	}
	body, err := MigrationSQL("0015_private_reasons")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(string(body)); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		var got string
		db.QueryRow("SELECT reason FROM quarantine WHERE line = ?", i+2).Scan(&got)
		if got != r.want {
			t.Errorf("%s.%s: %q, want %q", r.dataset, r.column, got, r.want)
		}
	}
	for i, m := range msgs {
		var got string
		db.QueryRow("SELECT message FROM batches WHERE batch_id = ?", 100+i).Scan(&got)
		if got != m.want {
			t.Errorf("message %q, want %q", got, m.want)
		}
	}
}

// DuckDB 1.5.6 as bundled (no httpfs, so no OpenSSL) cannot write an
// encrypted database safely: it refuses, and offers only an unsafe mbedtls
// mode. So imet does not encrypt the warehouse; docs/operating.md says to
// put the workspace on an encrypted volume. When a DuckDB upgrade makes
// this test fail, revisit that choice.
func TestBundledDuckDBCannotEncryptSafely(t *testing.T) {
	db, err := Open(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p := filepath.Join(t.TempDir(), "encrypted.duckdb")
	_, err = db.Exec("ATTACH '" + p + "' AS enc (ENCRYPTION_KEY 'a key of some length')")
	if err == nil || !strings.Contains(err.Error(), "read-only crypto module") {
		t.Fatalf("ATTACH with ENCRYPTION_KEY: %v (the bundled DuckDB can now write encrypted files: see docs/operating.md, Personal data at rest)", err)
	}
}
