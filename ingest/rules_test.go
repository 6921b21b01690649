package ingest

import (
	"strings"
	"testing"

	"github.com/imet-project/imet/schemas/schemastest"
)

// loadReference loads the courses and students every enrollment test needs.
func loadReference(t *testing.T, l *Loader, dir string) {
	t.Helper()
	load(t, l, writeFile(t, dir, "ref/courses.csv", coursesCSV), "courses")
	load(t, l, writeFile(t, dir, "ref/students.csv", studentsCSV), "students")
}

const enrollHeader = "enrollment_id,student_id,course_code,program,fiscal_year,start_date,end_date,status,rank_at_entry,rank_code_at_entry,ecl_score,cost_usd,partner_cost_usd,vetting_status,vetting_date\n"

func TestEnrollmentRules(t *testing.T) {
	db := schemastest.Memory(t)
	l := newLoader(t, db)
	dir := t.TempDir()
	loadReference(t, l, dir)
	body := enrollHeader +
		"E1,S1,B171001,,,2018-10-15,2019-06-01,COMPLETED,Major,OF3,85,51234.50,,APPROVED,2018-09-01\n" + // line 2: good, FY derived 2019
		"E2,S2,M302010,IMET,2017,2017-03-01,2017-02-01,COMPLETED,,,,,,,\n" + // 3: date_order
		"E3,S99,B171001,IMET,2017,2017-03-01,,IN_PROGRESS,,,,,,,\n" + // 4: unknown student
		"E4,S1,NOPE,IMET,2017,2017-03-01,,IN_PROGRESS,,,,,,,\n" + // 5: unknown course
		"E5,S1,B171001,IMET,2017,13/45/2019,,DONE,,OF-12,140,-500,,,\n" + // 6: type, allowed x2, range x2
		"E6,S1,B171001,IMET,2017,,,COMPLETED,,,,,,,\n" + // 7: required start_date
		"E7,S1,B171001,IMET,2017,2019-02-30,,COMPLETED,,,,,,,\n" + // 8: impossible date
		"\"E8\",S2,B171001,FMS,2016,2016-01-04,2016-05-27,WITHDRAWN,\"Capitán\nde corbeta\",of-3,64,1000,200,NOT_REQUIRED,\n" + // 9-10: multi-line value, good
		"\n" + // 11: blank
		"E9,S2,B171001,IMET\n" + // 12: too few fields
		"E10,S3,B171001,IMET,2016,2016-01-04,2016-05-27,COMPLETED,,,,1000,,,\n" // 13: good (comparison peers may enrol in data; not our rule)
	res := load(t, l, writeFile(t, dir, "enrollments.csv", body), "enrollments")
	if res.Loaded != 3 || res.Quarantined != 7 || res.Rows != 10 {
		t.Fatalf("result = %+v", res)
	}
	type key struct {
		line int64
		col  string
		rule string
	}
	want := map[key]string{
		{3, "end_date", "date_order"}:        "end_date 2017-02-01 is before start_date 2017-03-01",
		{4, "student_id", "reference"}:       `student_id is not in students`,
		{5, "course_code", "reference"}:      `course_code "NOPE" is not in courses`,
		{6, "start_date", "type"}:            `start_date "13/45/2019" is not a date (YYYY-MM-DD)`,
		{6, "status", "allowed"}:             `status "DONE" is not one of COMPLETED, WITHDRAWN, FAILED, IN_PROGRESS, CANCELLED`,
		{6, "rank_code_at_entry", "allowed"}: `rank_code_at_entry "OF-12" is not a NATO rank code`,
		{6, "ecl_score", "range"}:            "ecl_score 140 is outside 0 to 100",
		{6, "cost_usd", "range"}:             "cost_usd -500.00 is negative",
		{7, "start_date", "required"}:        "start_date is empty; it is required",
		{8, "start_date", "type"}:            `start_date "2019-02-30" is not a date`,
		{12, "", "malformed"}:                "does not have the header's 15 fields",
	}
	got := quarantined(t, db, "enrollments.csv")
	if len(got) != len(want) {
		t.Errorf("%d quarantine rows, want %d: %+v", len(got), len(want), got)
	}
	for _, g := range got {
		w, ok := want[key{g.Line, g.Column, g.Rule}]
		if !ok {
			t.Errorf("unexpected quarantine row %+v", g)
			continue
		}
		if !strings.Contains(g.Reason, w) {
			t.Errorf("line %d %s: reason %q, want it to contain %q", g.Line, g.Column, g.Reason, w)
		}
	}
	var fy int
	var rank string
	var cost float64
	db.QueryRow("SELECT fiscal_year, rank_code_at_entry, cost_usd FROM enrollments WHERE enrollment_id = 'E1'").Scan(&fy, &rank, &cost)
	if fy != 2019 || rank != "OF-3" || cost != 51234.5 {
		t.Errorf("E1: fy %d rank %s cost %v", fy, rank, cost)
	}
	var line int64
	var title string
	db.QueryRow("SELECT _row, rank_at_entry FROM enrollments WHERE enrollment_id = 'E8'").Scan(&line, &title)
	if line != 9 || title != "Capitán\nde corbeta" {
		t.Errorf("E8 at line %d, rank_at_entry %q", line, title)
	}
	db.QueryRow("SELECT _row FROM enrollments WHERE enrollment_id = 'E10'").Scan(&line)
	if line != 13 {
		t.Errorf("E10 at line %d, want 13", line)
	}
}

// A new version of a row replaces it; the old version stays in history
// with the batch that replaced it; an identical row changes nothing.
func TestReplaceKeepsHistory(t *testing.T) {
	db := schemastest.Memory(t)
	l := newLoader(t, db)
	dir := t.TempDir()
	first := load(t, l, writeFile(t, dir, "a/courses.csv", coursesCSV), "courses")
	changed := strings.Replace(coursesCSV, "Military Justice,eimet", "Military Justice and Human Rights,EIMET", 1) + "N100001,Navy Staff,PME,NWC,MARITIME,40,false\n"
	second := load(t, l, writeFile(t, dir, "b/courses.csv", changed), "courses")
	if second.Loaded != 1 || second.Replaced != 1 || second.Unchanged != 1 {
		t.Fatalf("second load = %+v", second)
	}
	if n := count(t, db, "SELECT count(*) FROM courses"); n != 3 {
		t.Errorf("%d courses", n)
	}
	var title string
	var by int64
	db.QueryRow("SELECT course_title, _superseded_by FROM courses_history WHERE course_code = 'M302010'").Scan(&title, &by)
	if title != "Military Justice" || by != second.BatchID {
		t.Errorf("history: %q superseded by %d (want batch %d)", title, by, second.BatchID)
	}
	var batch int64
	db.QueryRow("SELECT _batch_id FROM courses WHERE course_code = 'B171001'").Scan(&batch)
	if batch != first.BatchID {
		t.Errorf("unchanged row now from batch %d, want %d", batch, first.BatchID)
	}
}

func TestDuplicateKeysInOneFile(t *testing.T) {
	db := schemastest.Memory(t)
	l := newLoader(t, db)
	body := coursesCSV +
		"B171001,Command and General Staff,PME,CGSC,LEADERSHIP,44,true\n" + // 4: exact copy of line 2
		"X1,One,PME,,,,\n" + // 5
		"X1,Two,PME,,,,\n" // 6: same key, other content
	res := load(t, l, writeFile(t, t.TempDir(), "courses.csv", body), "courses")
	if res.Loaded != 2 || res.Quarantined != 3 {
		t.Fatalf("result = %+v", res)
	}
	got := quarantined(t, db, "courses.csv")
	if len(got) != 3 || got[0].Line != 4 || !strings.Contains(got[0].Reason, "repeats line 2") ||
		got[1].Line != 5 || !strings.Contains(got[1].Reason, "appears on lines 5, 6 with different contents") || got[2].Line != 6 {
		t.Errorf("quarantine = %+v", got)
	}
}

const eventsHeader = "event_id,student_id,country_code,family_name,given_names,birth_year,event_date,event_type,rank_code,position_title,position_level,functional_area,operation_name,operation_type,source,reported_date\n"

func TestLinking(t *testing.T) {
	db := schemastest.Memory(t)
	l := newLoader(t, db)
	dir := t.TempDir()
	loadReference(t, l, dir)
	// Two namesakes in Kenya, born the same year.
	load(t, l, writeFile(t, dir, "ref2/students.csv", "student_id,country_code,family_name,given_names,birth_year\n"+
		"K1,KEN,Mwangi,Peter,1975\nK2,KEN,Mwangi,Peter,1975\nK3,KEN,Wanjiru,Grace Akinyi,1982\n"), "students")
	body := eventsHeader +
		"V1,S1,,,,,2020-01-01,VERIFIED,,,,,,,SCO,2020-01-15\n" + // by id
		"V2,,COL,NUNEZ,Jose Maria,1978,2020-01-01,PROMOTION,OF-5,,,,,,MOD,\n" + // exact after folding
		"V3,,KEN,Wanjiru,Grace,1982,2020-01-01,VERIFIED,,,,,,,MOD,\n" + // second given name dropped: fuzzy
		"V4,,KEN,Mwangi,Peter,1975,2020-01-01,VERIFIED,,,,,,,MOD,\n" + // ambiguous
		"V5,,KEN,Kipchoge,Eliud,1984,2020-01-01,VERIFIED,,,,,,,MOD,\n" + // unmatched
		"V6,S77,,,,,2020-01-01,VERIFIED,,,,,,,MOD,\n" + // id not (yet) known
		"V7,,,,,,2020-01-01,VERIFIED,,,,,,,MOD,\n" + // nothing to link with: quarantined
		",S1,,,,,2021-01-01,ASSIGNMENT,,Chief of Staff,SENIOR,LEADERSHIP,,,SCO,2021-03-01\n" // no event_id: hashed
	res := load(t, l, writeFile(t, dir, "career_events.csv", body), "career_events")
	if res.Loaded != 7 || res.Quarantined != 1 {
		t.Fatalf("result = %+v", res)
	}
	link := map[string]string{}
	rows, _ := db.Query("SELECT event_id, coalesce(student_id, '-') || ' ' || coalesce(link_method, '-') FROM career_events")
	for rows.Next() {
		var id, v string
		rows.Scan(&id, &v)
		link[id] = v
	}
	rows.Close()
	for id, want := range map[string]string{"V1": "S1 id", "V2": "S2 exact_name", "V3": "K3 fuzzy", "V4": "- -", "V5": "- -", "V6": "- -"} {
		if link[id] != want {
			t.Errorf("%s linked %q, want %q", id, link[id], want)
		}
	}
	var hashed int64
	db.QueryRow("SELECT count(*) FROM career_events WHERE event_id LIKE 'H%' AND student_id = 'S1'").Scan(&hashed)
	if hashed != 1 {
		t.Errorf("event without id: %d hashed rows", hashed)
	}
	var status, cands string
	db.QueryRow("SELECT status, candidates FROM link_review WHERE record_id = 'V4'").Scan(&status, &cands)
	if status != "ambiguous" || !strings.Contains(cands, "K1") || !strings.Contains(cands, "K2") {
		t.Errorf("V4 review: %s %s", status, cands)
	}
	if n := count(t, db, "SELECT count(*) FROM link_review"); n != 3 {
		t.Errorf("%d rows wait in review, want 3", n)
	}
	// The missing student arrives: V6 links on that load.
	load(t, l, writeFile(t, dir, "ref3/students.csv", "student_id,country_code\nS77,KEN\n"), "students")
	if n := count(t, db, "SELECT count(*) FROM career_events WHERE event_id = 'V6' AND student_id = 'S77' AND link_method = 'id'"); n != 1 {
		t.Errorf("V6 not linked after its student arrived")
	}
	if n := count(t, db, "SELECT count(*) FROM link_review"); n != 2 {
		t.Errorf("%d rows wait in review, want 2", n)
	}
}

// A source that cannot send ISO dates declares its layout; ISO still works.
func TestDatasetDateFormat(t *testing.T) {
	db := schemastest.Memory(t)
	l := newLoader(t, db)
	l.Sources = map[string]Source{"enrollments": {DateFormat: "%m/%d/%Y"}}
	dir := t.TempDir()
	loadReference(t, l, dir)
	body := enrollHeader +
		"E1,S1,B171001,,,10/15/2018,2019-06-01,COMPLETED,,,,,,,\n" +
		"E2,S1,B171001,,,15/10/2018,,COMPLETED,,,,,,,\n"
	res := load(t, l, writeFile(t, dir, "enrollments.csv", body), "enrollments")
	got := quarantined(t, db, "enrollments.csv")
	if res.Loaded != 1 || len(got) != 1 || got[0].Line != 3 || !strings.Contains(got[0].Reason, "is not a date (%m/%d/%Y or YYYY-MM-DD)") {
		t.Fatalf("result %+v, quarantine %+v", res, got)
	}
	if n := count(t, db, "SELECT count(*) FROM enrollments WHERE start_date = DATE '2018-10-15' AND fiscal_year = 2019"); n != 1 {
		t.Error("E1 not read as 15 October 2018 in FY2019")
	}
}

// A countries file replaces the built-in row of each country it names (the
// built-in one stays in history) and may add codes of its own.
func TestCountriesFileOverridesBuiltIn(t *testing.T) {
	db := schemastest.Memory(t)
	l := newLoader(t, db)
	res := load(t, l, writeFile(t, t.TempDir(), "countries.csv",
		"country_code,country_name,region,combatant_command\nKEN,Kenya,AF,AFRICOM\nSSD,South Sudan,EAP,AFRICOM\nXKB,Test Land,EUR,EUCOM\nkosovo,Kosovo,EUR,EUCOM\n"), "countries")
	if res.Loaded != 1 || res.Replaced != 1 || res.Unchanged != 1 || res.Quarantined != 1 {
		t.Fatalf("result = %+v", res)
	}
	if n := count(t, db, "SELECT count(*) FROM countries_history WHERE country_code = 'SSD' AND region = 'AF' AND _batch_id = 0 AND _superseded_by = ?", res.BatchID); n != 1 {
		t.Error("built-in SSD row not kept in history")
	}
	if n := count(t, db, "SELECT count(*) FROM countries"); n != 254 {
		t.Errorf("%d countries, want 254 (the 253 built-in and XKB)", n)
	}
	if got := quarantined(t, db, "countries.csv"); len(got) != 1 || got[0].Rule != "type" || !strings.Contains(got[0].Reason, "not a three-letter code") {
		t.Errorf("quarantine = %+v", got)
	}
}
