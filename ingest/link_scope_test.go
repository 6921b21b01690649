package ingest

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/imet-project/imet/schemas/schemastest"
)

// A load links only the rows no linking pass has decided while the
// students are those of the last pass; it must leave the warehouse exactly
// as a pass that re-decides every waiting row would: the same links, the
// same review list. Each step below is loaded into two warehouses, one
// linking as a load does and one re-deciding everything, and compared.
func TestScopedLinkingEqualsAWholePass(t *testing.T) {
	const flagsHeader = "flag_id,student_id,country_code,family_name,given_names,birth_year,flag_date,severity,status,source\n"
	steps := []struct {
		name, dataset, body string
		scoped              int // rows the scoped pass of career_events decides (-1: a whole pass)
	}{
		{"students", "students", "student_id,country_code,family_name,given_names,birth_year\n" +
			"K1,KEN,Mwangi,Peter,1975\nK2,KEN,Mwangi,Peter,1975\nK3,KEN,Wanjiru,Grace Akinyi,1982\n", -1},
		{"first events", "career_events", eventsHeader +
			"V1,S1,,,,,2020-01-01,VERIFIED,,,,,,,SCO,2020-01-15\n" + // by id
			"V2,,COL,NUNEZ,Jose Maria,1978,2020-01-01,PROMOTION,OF-5,,,,,,MOD,\n" + // exact
			"V4,,KEN,Mwangi,Peter,1975,2020-01-01,VERIFIED,,,,,,,MOD,\n" + // ambiguous
			"V5,,KEN,Kipchoge,Eliud,1984,2020-01-01,VERIFIED,,,,,,,MOD,\n" + // unmatched
			"V6,S77,,,,,2020-01-01,VERIFIED,,,,,,,MOD,\n", -1}, // id not known yet
		{"new events beside the waiting ones", "career_events", eventsHeader +
			"V8,,KEN,Wanjiru,Grace,1982,2021-01-01,VERIFIED,,,,,,,MOD,\n" + // fuzzy
			"V9,,KEN,Mwangi,Peter,1975,2021-01-01,VERIFIED,,,,,,,MOD,\n" + // ambiguous
			"V10,,KEN,Chebet,Ruth,1990,2021-01-01,VERIFIED,,,,,,,MOD,\n", 3}, // unmatched
		{"a waiting row corrected, one sent again", "career_events", eventsHeader +
			"V4,K1,,,,,2020-01-01,VERIFIED,,,,,,,MOD,\n" + // the id added: links
			"V5,,KEN,Kipchoge,Eliud,1984,2020-02-01,VERIFIED,,,,,,,MOD,\n" + // changed date: decided again
			"V10,,KEN,Chebet,Ruth,1990,2021-01-01,VERIFIED,,,,,,,MOD,\n", 2}, // unchanged: stays decided
		{"flags", "hr_flags", flagsHeader +
			"F1,,KEN,Mwangi,Peter,1975,2015-01-01,HIGH,ALLEGED,Commission\n" +
			"F2,,KEN,Otieno,James,1980,2015-01-01,HIGH,ALLEGED,Commission\n", 0},
		{"the missing student arrives", "students", "student_id,country_code,family_name,given_names,birth_year\n" +
			"S77,KEN,Kipchoge,Eliud,1984\n", -1},
		{"more events", "career_events", eventsHeader +
			"V11,,KEN,Kipchoge,Eliud,1984,2022-01-01,VERIFIED,,,,,,,MOD,\n", 1},
	}
	scopedDB, wholeDB := schemastest.Memory(t), schemastest.Memory(t)
	scoped, whole := newLoader(t, scopedDB), newLoader(t, wholeDB)
	whole.fullLink = true
	dir := t.TempDir()
	loadReference(t, scoped, dir)
	loadReference(t, whole, dir)
	for i, s := range steps {
		path := writeFile(t, dir, fmt.Sprintf("%d/%s.csv", i, s.dataset), s.body)
		var decided []string
		scoped.Step = func(file, step string) {
			if strings.HasPrefix(step, "linking career_events") && strings.HasSuffix(step, ": candidates") {
				decided = append(decided, step)
			}
		}
		load(t, scoped, path, s.dataset)
		load(t, whole, path, s.dataset)
		if got, want := linkState(t, scopedDB), linkState(t, wholeDB); got != want {
			t.Fatalf("after %s: the scoped passes left\n%s\nthe whole passes\n%s", s.name, got, want)
		}
		switch {
		case s.scoped > 0:
			if want := fmt.Sprintf("(%d waiting)", s.scoped); len(decided) != 1 || !strings.Contains(decided[0], want) {
				t.Errorf("after %s: the career_events pass was %q, want one deciding %s", s.name, decided, want)
			}
		case s.scoped == 0 && len(decided) != 0:
			t.Errorf("after %s: the career_events pass decided again: %q", s.name, decided)
		}
	}
	if n := count(t, scopedDB, "SELECT count(*) FROM link_review"); n < 3 {
		t.Errorf("only %d rows wait in review: the steps no longer test waiting rows", n)
	}
}

// linkState is every linked dataset's links and the review list, sorted.
func linkState(t *testing.T, db *sql.DB) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT 'career_events', event_id, _batch_id, student_id, link_method, round(link_score, 6), _link_batch_id FROM career_events`,
		`SELECT 'hr_flags', flag_id, _batch_id, student_id, link_method, round(link_score, 6), _link_batch_id FROM hr_flags`,
		`SELECT 'review', record_id, batch_id, dataset, status, reason || ' ' || coalesce(candidates, ''), checked_batch FROM link_review`,
	} {
		b.WriteString(schemastest.Rows(t, db, q))
	}
	return b.String()
}
