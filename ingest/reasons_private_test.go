package ingest

import (
	"strings"
	"testing"

	"github.com/imet-project/imet/schemas/schemastest"
)

// A reason never repeats a value the published quarantine blanks: a
// personal column's, a person's identifier's, any column's of a restricted
// dataset (hr_flags). It names the column instead, while the warehouse's
// value column keeps what was sent, for the person fixing the file
// (issue 17, item 3).
func TestReasonsNameColumnsNotPersonalValues(t *testing.T) {
	const flagsHeader = "flag_id,student_id,country_code,family_name,given_names,birth_year,flag_date,severity,status,source\n"
	cases := []struct {
		name, dataset, body string
		secret              string // the value no reason may repeat
		column, rule, want  string // the quarantine row and its reason
	}{
		{"birth year not a number", "students", "student_id,country_code,family_name,given_names,birth_year\nS1,KEN,Otieno,James,19x7\n",
			"19x7", "birth_year", "type", "birth_year is not a whole number"},
		{"birth year out of range", "students", "student_id,country_code,family_name,given_names,birth_year\nS1,KEN,Otieno,James,1897\n",
			"1897", "birth_year", "range", "birth_year is outside 1930 to 2015"},
		{"family name a formula", "students", "student_id,country_code,family_name,given_names,birth_year\nS1,KEN,=Wanjiru,James,1980\n",
			"Wanjiru", "family_name", "formula", "family_name begins with = and would run as a spreadsheet formula"},
		{"given names too long", "students", "student_id,country_code,family_name,given_names\nS1,KEN,Otieno," + strings.Repeat("Achieng ", 130) + "\n",
			"Achieng", "given_names", "too_long", "given_names is 1039 characters long"},
		{"student id repeated", "students", "student_id,country_code\nS77123,KEN\nS77123,KEN\n",
			"S77123", "student_id", "duplicate", "student_id repeats line 2 exactly"},
		{"student id unknown", "enrollments", enrollHeader + "E1,S99123,B171001,IMET,2017,2017-03-01,,IN_PROGRESS,,,,,,,\n",
			"S99123", "student_id", "reference", "student_id is not in students"},
		{"flag status", "hr_flags", flagsHeader + "F1,S1,,,,,2015-01-01,HIGH,NAMED BY OTIENO,Commission\n",
			"OTIENO", "status", "allowed", "status is not one of ALLEGED, SUBSTANTIATED, CLEARED"},
		{"flag source a formula", "hr_flags", flagsHeader + "F1,S1,,,,,2015-01-01,HIGH,ALLEGED,=Otieno James said\n",
			"Otieno", "source", "formula", "source begins with = and would run"},
		{"flag date", "hr_flags", flagsHeader + "F1,S1,,,,,1/2/2015,HIGH,ALLEGED,Commission\n",
			"1/2/2015", "flag_date", "type", "flag_date is not a date"},
		{"event identity birth year", "career_events", eventsHeader + "E1,,KEN,Otieno,James,1901,2015-01-01,ASSIGNMENT,,,,,,,,\n",
			"1901", "birth_year", "range", "birth_year is outside 1930 to 2015"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := schemastest.Memory(t)
			l := newLoader(t, db)
			dir := t.TempDir()
			loadReference(t, l, dir)
			load(t, l, writeFile(t, dir, c.dataset+".csv", c.body), c.dataset)
			var found bool
			for _, q := range quarantined(t, db, c.dataset+".csv") {
				if strings.Contains(q.Reason, c.secret) {
					t.Errorf("line %d %s: reason %q repeats %q", q.Line, q.Column, q.Reason, c.secret)
				}
				if q.Column == c.column && q.Rule == c.rule {
					found = true
					if !strings.Contains(q.Reason, c.want) {
						t.Errorf("reason %q, want it to contain %q", q.Reason, c.want)
					}
				}
			}
			if !found {
				t.Fatalf("no %s row for %s: %+v", c.rule, c.column, quarantined(t, db, c.dataset+".csv"))
			}
			// The warehouse keeps the value for whoever fixes the file.
			if c.rule != "duplicate" && c.rule != "too_long" {
				if n := count(t, db, "SELECT count(*) FROM quarantine WHERE column_name = ? AND contains(value, ?)", c.column, c.secret); n != 1 {
					t.Errorf("the warehouse's quarantine value lost %q (%d rows)", c.secret, n)
				}
			}
		})
	}
}

// A students file sent without its header row makes its first data row
// the "header": the rejection names no cell of it (issue 17, item 3: the
// name and birth year reached batches.message, the log and .reason).
func TestHeaderlessFileReasonQuotesNoCell(t *testing.T) {
	cases := []struct{ name, body, want string }{
		{"no header at all", "S1,KEN,Wanjiru,Achieng,1979,F,ARMY\nS2,KEN,Otieno,James,1980,M,ARMY\n",
			"none of the first line's 7 cells names a column of students"},
		{"a data row with one known cell", "S1,KEN,Wanjiru,sex,1979\nS2,KEN,Otieno,James,1980\n",
			"it has: sex, and 4 not in the contract"},
		{"semicolons", "S1;KEN;Wanjiru;Achieng;1979\n", "the header is one column of 27 characters"},
		{"a repeated cell", "student_id,country_code,Wanjiru,wanjiru\nS1,KEN,x,y\n", "names column wanjiru twice (cells 3 and 4)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := schemastest.Memory(t)
			l := newLoader(t, db)
			res := load(t, l, writeFile(t, t.TempDir(), "students.csv", c.body), "students")
			if res.Status != StatusRejected || !strings.Contains(res.Reason, c.want) {
				t.Fatalf("status %s, reason %q; want rejected with %q", res.Status, res.Reason, c.want)
			}
			for _, secret := range []string{"Wanjiru", "wanjiru", "Achieng", "achieng", "1979", "S1"} {
				if c.name == "a repeated cell" && strings.EqualFold(secret, "wanjiru") {
					continue // a header that names a column "Wanjiru" is a header: the name is the column's
				}
				if strings.Contains(res.Reason, secret) {
					t.Errorf("reason %q repeats %q", res.Reason, secret)
				}
				if n := count(t, db, "SELECT count(*) FROM batches WHERE contains(message, ?)", secret); n != 0 {
					t.Errorf("batches.message repeats %q", secret)
				}
			}
		})
	}
}
