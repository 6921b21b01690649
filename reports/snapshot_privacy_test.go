package reports

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/imet-project/imet/schemas"
	"github.com/imet-project/imet/schemas/schemastest"
)

// Without personal data the snapshot names people by their pseudonym under
// the key, keeps link review and flag detail inside, and publishes the
// quarantine's values by the contract's rule; with it, everything as stored.
func TestPublishPrivacy(t *testing.T) {
	ctx := context.Background()
	db := schemastest.Memory(t)
	for _, q := range []string{
		`INSERT INTO students (student_id, country_code, family_name, given_names, birth_year) VALUES ('S1', 'KEN', 'Otieno', 'James', 1980)`,
		`INSERT INTO hr_flags (flag_id, student_id, status) VALUES ('F1', 'S1', 'SUBSTANTIATED')`,
		`INSERT INTO link_review VALUES ('career_events', 'E9', 1, 1, 'ambiguous', 'birth_year 1980 matches two', '[{"student_id": "S1", "score": 0.9}]')`,
		`INSERT INTO quarantine (batch_id, file, line, dataset, column_name, value, rule, reason, raw, quarantined_at, record_key) VALUES
			(1, 's.csv', 2, 'students', 'birth_year', '19x7', 'type', 'birth_year is not a whole number', '{"family_name": "Wanjiru"}', now(), 'S2'),
			(1, 'e.csv', 3, 'enrollments', 'student_id', 'S99', 'reference', 'student_id is not in students', '{}', now(), 'E5'),
			(1, 'f.csv', 4, 'hr_flags', 'status', 'NAMED', 'allowed', 'status is not one of ALLEGED, SUBSTANTIATED, CLEARED', '{}', now(), 'F2'),
			(1, 'c.csv', 5, 'courses', 'category', 'XYZ', 'allowed', 'category "XYZ" is not one of PME', '{}', now(), 'C1')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	key := []byte("a test key of thirty-two bytes..")
	dir := t.TempDir()
	path := filepath.Join(dir, "imet.duckdb")
	if _, err := Publish(ctx, db, path, Privacy{Key: key}, false); err != nil {
		t.Fatal(err)
	}
	snap := openSnapshot(t, path)
	str := func(q string) string {
		t.Helper()
		var v sql.NullString
		if err := snap.QueryRow(q).Scan(&v); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return v.String
	}
	p1 := schemas.Pseudonym(key, "S1")
	cases := []struct{ name, q, want string }{
		{"student id", "SELECT student_id FROM students_public", p1},
		{"blanked personal value", "SELECT value FROM quarantine WHERE line = 2", ""},
		{"a students key is a student id", "SELECT record_key FROM quarantine WHERE line = 2", schemas.Pseudonym(key, "S2")},
		{"an unknown student id", "SELECT value FROM quarantine WHERE line = 3", schemas.Pseudonym(key, "S99")},
		{"an enrollment key is not", "SELECT record_key FROM quarantine WHERE line = 3", "E5"},
		{"flag row", "SELECT value FROM quarantine WHERE line = 4", ""},
		{"a public value", "SELECT value FROM quarantine WHERE line = 5", "XYZ"},
		{"no link review", "SELECT count(*)::VARCHAR FROM duckdb_tables() WHERE table_name IN ('link_review', 'hr_flags', 'students')", "0"},
		{"no raw row", "SELECT count(*)::VARCHAR FROM duckdb_columns() WHERE table_name = 'quarantine' AND column_name = 'raw'", "0"},
		{"the comment says pseudonym", "SELECT contains(comment, 'pseudonym')::VARCHAR FROM duckdb_columns() WHERE table_name = 'students_public' AND column_name = 'student_id'", "true"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := str(c.q); got != c.want {
				t.Errorf("%s: %q, want %q", c.q, got, c.want)
			}
		})
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("snapshot mode %v", fi.Mode().Perm())
	}
	snap.Close()

	// With personal data: as stored, and the owner's only.
	if _, err := Publish(ctx, db, path, Privacy{IncludePersonal: true}, false); err != nil {
		t.Fatal(err)
	}
	snap = openSnapshot(t, path)
	for q, want := range map[string]string{
		"SELECT student_id FROM students":                  "S1",
		"SELECT family_name FROM students":                 "Otieno",
		"SELECT reason FROM link_review":                   "birth_year 1980 matches two",
		"SELECT status FROM hr_flags":                      "SUBSTANTIATED",
		"SELECT value FROM quarantine WHERE line = 2":      "19x7",
		"SELECT raw FROM quarantine WHERE line = 2":        `{"family_name": "Wanjiru"}`,
		"SELECT record_key FROM quarantine WHERE line = 2": "S2",
	} {
		if got := str(q); got != want {
			t.Errorf("include_personal: %s: %q, want %q", q, got, want)
		}
	}
	snap.Close()
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("snapshot with personal data: mode %v", fi.Mode().Perm())
	}
	// No key, no pseudonyms: the publish refuses rather than leak ids.
	if _, err := Publish(ctx, db, path, Privacy{}, false); err == nil {
		t.Error("published without a key")
	}
}

func openSnapshot(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := schemas.OpenReadOnly(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return db
}
