package cli

import (
	"database/sql"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Leadership penetration end to end: a generated program with its rosters
// is ingested and transformed; holders are linked to students with
// precision ≥ 0.99 at recall ≥ 0.9 (the truth knows who each holder is),
// and each large country's planted penetration share lies within the
// Wilson interval of its LEAD_PENETRATION row. Print the figures with
// go test ./cmd/internal/cli -run TestLeadPenetrationRecovered -v.
func TestLeadPenetrationRecovered(t *testing.T) {
	t.Parallel()
	gen, ws := plantedProgram(t)
	db := openWarehouse(t, ws)
	checkHolderLinks(t, db, gen)

	type est struct {
		n, x      int64
		v, lo, hi float64
		note      string
	}
	got := map[string]est{}
	rows, err := db.Query(`SELECT country_code, n, numerator, value, ci_low, ci_high, coalesce(note, '') FROM metric_values
		WHERE metric_id = 'LEAD_PENETRATION' AND period = 'ALL' AND cohort = 'ALL' AND region = 'ALL' AND post_level = 'ALL'
		  AND country_code <> 'ALL' AND graduation_cohort = 'ALL' AND program = 'ALL' AND course_category = 'ALL' AND sex = 'ALL' AND ecl_band = 'ALL'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c string
		var e est
		var x float64
		if err := rows.Scan(&c, &e.n, &x, &e.v, &e.lo, &e.hi, &e.note); err != nil {
			t.Fatal(err)
		}
		e.x = int64(x)
		got[c] = e
	}
	rows.Close()
	large := 0
	for _, p := range readCSV(t, filepath.Join(gen, "_truth", "penetration.csv")) {
		n, _ := strconv.Atoi(p["in_office"])
		if n < 25 {
			continue
		}
		large++
		share, _ := strconv.ParseFloat(p["share"], 64)
		e, ok := got[p["country_code"]]
		t.Logf("%s: planted %s of %d in office (%s held by graduates); estimated %d of %d = %.3f [%.3f, %.3f]; %s",
			p["country_code"], p["share"], n, p["graduate_holdings"], e.x, e.n, e.v, e.lo, e.hi, e.note)
		if !ok || e.n != int64(n) || share < e.lo || share > e.hi {
			t.Errorf("%s: planted share %.3f of %d holdings; LEAD_PENETRATION n %d, %.3f [%.3f, %.3f]", p["country_code"], share, n, e.n, e.v, e.lo, e.hi)
		}
		// the note accounts for every holding in office not linked: those
		// awaiting review and those whose holder is in no training record
		var unlinked int64
		if err := db.QueryRow(`SELECT count(*) FROM post_holders h, (SELECT max(as_of) AS d FROM metric_values) p
			WHERE h.country_code = ? AND h.student_id IS NULL AND h.start_date <= p.d AND (h.end_date IS NULL OR h.end_date > p.d)`,
			p["country_code"]).Scan(&unlinked); err != nil {
			t.Fatal(err)
		}
		if got := noted(e.note, `(\d+) holdings? awaiting link review`) + noted(e.note, `(\d+) holders? in no training record`); got != unlinked || unlinked == 0 {
			t.Errorf("%s: the note %q counts %d holdings not linked, the warehouse holds %d", p["country_code"], e.note, got, unlinked)
		}
	}
	if large < 3 {
		t.Errorf("only %d countries with 25 holdings in office: the test needs large countries", large)
	}
	db.Close()
	explainHoldings(t, ws, gen, got["COL"].n)
	publicHoldings(t, ws)
}

// noted is the number a note gives by the pattern, or 0.
func noted(note, pattern string) int64 {
	m := regexp.MustCompile(pattern).FindStringSubmatch(note)
	if m == nil {
		return 0
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	return n
}

// publicHoldings: the snapshot publishes the holdings without the
// holders' names and birth years (post_holders_public), and the metric.
func publicHoldings(t *testing.T, ws string) {
	t.Helper()
	if code, out := run(t, "run", "--workspace", ws); code != 0 {
		t.Fatalf("run exit %d:\n%s", code, out)
	}
	code, out := run(t, "sql", "--workspace", ws, "--format", "csv", `SELECT string_agg(column_name, ' ' ORDER BY column_name) AS c
		FROM duckdb_columns() WHERE table_name = 'post_holders_public' AND column_name IN ('family_name', 'given_names', 'birth_year', 'holding_id', 'post_level', 'start_date')`)
	if code != 0 || out != "c\nholding_id post_level start_date\n" {
		t.Errorf("post_holders_public columns (exit %d):\n%s", code, out)
	}
	code, out = run(t, "sql", "--workspace", ws, "--format", "csv", "SELECT count(*) > 0 AS ok FROM metric_latest WHERE metric_id = 'LEAD_PENETRATION' AND post_level = 'CHOD'")
	if code != 0 || out != "ok\ntrue\n" {
		t.Errorf("LEAD_PENETRATION by post level in the snapshot (exit %d):\n%s", code, out)
	}
	code, out = run(t, "sql", "--workspace", ws, "SELECT * FROM post_holders")
	if code == 0 {
		t.Errorf("the snapshot has post_holders with names:\n%s", out)
	}
}

// explainHoldings: imet explain LEAD_PENETRATION --country COL lists the
// holdings behind the number, linked or not, by holding and student id and
// never by name; --post-level narrows it to one level.
func explainHoldings(t *testing.T, ws, gen string, n int64) {
	t.Helper()
	code, out := run(t, "explain", "LEAD_PENETRATION", "--workspace", ws, "--country", "COL", "--format", "csv")
	if code != 0 {
		t.Fatalf("explain exit %d:\n%s", code, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if int64(len(lines)-1) != n || !strings.HasPrefix(lines[0], "period,country_code,region,post_level,post_title,holding_id,student_id,link_method,start_date,end_date,awaiting_link") {
		t.Fatalf("explain: %d holdings, want %d; header %s", len(lines)-1, n, lines[0])
	}
	for _, h := range readCSV(t, filepath.Join(gen, "post_holders", "post_holders.csv")) {
		if h["country_code"] == "COL" && h["family_name"] != "" && strings.Contains(out, h["family_name"]) {
			t.Fatalf("explain shows the name %q", h["family_name"])
		}
	}
	code, out = run(t, "explain", "LEAD_PENETRATION", "--workspace", ws, "--country", "COL", "--post-level", "chod")
	if code != 0 || !strings.Contains(out, "Row:         country_code=COL, post_level=CHOD") || !strings.Contains(out, "Published:   n = 1,") {
		t.Errorf("explain --post-level CHOD exit %d:\n%s", code, out)
	}
}

// checkHolderLinks measures linking of holdings without a student_id
// against the truth: a link is right when it names the holder's student.
func checkHolderLinks(t *testing.T, db *sql.DB, gen string) {
	t.Helper()
	linked := map[string]string{}
	rows, err := db.Query("SELECT holding_id, coalesce(student_id, '') FROM post_holders WHERE source_student_id IS NULL")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var h, s string
		rows.Scan(&h, &s)
		linked[h] = s
	}
	rows.Close()
	var tp, fp, expect int
	byIdentity := map[string][2]int{}
	for _, h := range readCSV(t, filepath.Join(gen, "_truth", "post_holders.csv")) {
		got, ok := linked[h["holding_id"]]
		if !ok {
			continue // sent with a student_id
		}
		c := byIdentity[h["identity"]]
		if h["student_id"] != "" {
			expect++
			c[1]++
		}
		switch {
		case got == "":
		case got == h["student_id"]:
			tp++
			c[0]++
		default:
			fp++
		}
		byIdentity[h["identity"]] = c
	}
	precision := float64(tp) / float64(max(tp+fp, 1))
	recall := float64(tp) / float64(max(expect, 1))
	t.Logf("holder linking by name: precision %.4f, recall %.4f (%d holders who are students; exact %v, translit %v linked/expected; %d false links)",
		precision, recall, expect, byIdentity["exact"], byIdentity["translit"], fp)
	if expect < 100 || byIdentity["translit"][1] < 30 {
		t.Errorf("only %d holders to link by name (%d transliterated): the generator should plant more", expect, byIdentity["translit"][1])
	}
	if precision < 0.99 || recall < 0.9 {
		t.Errorf("holder linking precision %.4f (want ≥ 0.99), recall %.4f (want ≥ 0.9)", precision, recall)
	}
}
