package ingest

import (
	"strings"
	"testing"

	"github.com/imet-project/imet/schemas/schemastest"
)

const holdersHeader = "holding_id,student_id,country_code,family_name,given_names,birth_year,post_level,post_title,start_date,end_date,source\n"

// Bad holdings are quarantined with a reason a person can act on: end
// before start, an unknown post level, and two holders of a unique post at
// once (the later-loaded one, whether the other is on an earlier line or
// stored by an earlier file); a GENERAL_OFFICER post may have many holders,
// and a holder who hands over on the day the next starts overlaps nobody.
func TestPostHoldersBadInput(t *testing.T) {
	db := schemastest.Memory(t)
	l := newLoader(t, db)
	dir := t.TempDir()
	load(t, l, writeFile(t, dir, "students.csv", "student_id,country_code,family_name,given_names,birth_year\nS1,KEN,Otieno,James,1970\n"), "students")
	first := holdersHeader +
		"H1,,KEN,Otieno,James,1970,CHOD,Chief of Defence Forces,2015-01-01,2018-06-30,gazette\n" + // line 2
		"H2,,KEN,Mwangi,Peter,1968,CHOD,Chief of Defence Forces,2018-06-30,,gazette\n" + // 3: hands over the same day
		"H3,,KEN,Kamau,John,1969,CHOD,chief of defence forces,2017-01-01,2019-01-01,gazette\n" + // 4: overlaps H1 (title case aside)
		"H4,,KEN,Wanjiru,Mary,1972,GENERAL_OFFICER,Commander Land Forces,2016-01-01,,gazette\n" + // 5
		"H5,,KEN,Njoroge,Paul,1973,GENERAL_OFFICER,Commander Land Forces,2016-01-01,,gazette\n" + // 6: not unique: fine
		"H6,,KEN,Ouma,Ann,1975,CHOD,Chief of Defence Forces,2020-03-01,2019-02-01,gazette\n" + // 7: end before start
		"H7,,KEN,Ouma,Ann,1975,ADMIRAL,Chief of Navy,2020-03-01,,gazette\n" // 8: unknown level
	res := load(t, l, writeFile(t, dir, "holders1.csv", first), "post_holders")
	if res.Loaded != 4 || res.Quarantined != 3 {
		t.Fatalf("loaded %d, quarantined %d; want 4 and 3 (%+v)", res.Loaded, res.Quarantined, quarantined(t, db, "holders1.csv"))
	}
	want := []struct {
		line       int64
		rule, text string
	}{
		{4, "overlap", "CHOD \"chief of defence forces\" of KEN from 2017-01-01 to 2019-01-01 overlaps holding H1 (2015-01-01 to 2018-06-30): a CHOD post has one holder at a time"},
		{7, "date_order", "end_date 2019-02-01 is before start_date 2020-03-01"},
		{8, "allowed", `post_level "ADMIRAL" is not one of CHOD, SERVICE_CHIEF, MINISTER, GENERAL_OFFICER`},
	}
	got := quarantined(t, db, "holders1.csv")
	if len(got) != len(want) {
		t.Fatalf("quarantine %+v, want %d rows", got, len(want))
	}
	for i, w := range want {
		if got[i].Line != w.line || got[i].Rule != w.rule || !strings.Contains(got[i].Reason, w.text) {
			t.Errorf("quarantine row %d = %+v, want line %d rule %s with %q", i, got[i], w.line, w.rule, w.text)
		}
	}
	// A later file: H8 overlaps H2 as this file corrects it (the resent
	// stored holding comes first, whatever its line); H2 resent with an
	// end date and its successor H9 from that day do not.
	second := holdersHeader +
		"H8,,KEN,Kariuki,Sam,1971,CHOD,Chief of Defence Forces,2021-01-01,2021-06-01,gazette\n" +
		"H2,,KEN,Mwangi,Peter,1968,CHOD,Chief of Defence Forces,2018-06-30,2022-05-01,gazette\n" +
		"H9,,KEN,Omondi,Tom,1974,CHOD,Chief of Defence Forces,2022-05-01,,gazette\n"
	res = load(t, l, writeFile(t, dir, "holders2.csv", second), "post_holders")
	got = quarantined(t, db, "holders2.csv")
	if res.Quarantined != 1 || len(got) != 1 || got[0].Line != 2 || got[0].Rule != "overlap" || !strings.Contains(got[0].Reason, "overlaps holding H2 (2018-06-30 to 2022-05-01)") {
		t.Errorf("second file: quarantined %d %+v; want line 2 overlapping H2", res.Quarantined, got)
	}
	if n := count(t, db, "SELECT count(*) FROM post_holders WHERE holding_id IN ('H2', 'H9') AND (holding_id = 'H9' OR end_date = DATE '2022-05-01')"); n != 2 {
		t.Errorf("H2 corrected and H9 loaded: %d rows, want 2", n)
	}
	if n := count(t, db, "SELECT count(*) FROM post_holders_history WHERE holding_id = 'H2'"); n != 1 {
		t.Errorf("H2's first version in history: %d, want 1", n)
	}
	// H1 links to S1 by exact name; the others wait in link_review.
	if n := count(t, db, "SELECT count(*) FROM post_holders WHERE holding_id = 'H1' AND student_id = 'S1' AND link_method = 'exact_name'"); n != 1 {
		t.Error("H1 is not linked to S1 by exact name")
	}
	if n := count(t, db, "SELECT count(*) FROM link_review WHERE dataset = 'post_holders'"); n != 4 {
		t.Errorf("%d holdings in link_review, want 4 (H2, H4, H5, H9)", n)
	}
}
