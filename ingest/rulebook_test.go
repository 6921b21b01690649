package ingest

import (
	"strings"
	"testing"

	"github.com/imet-project/imet/schemas"
	"github.com/imet-project/imet/schemas/schemastest"
)

// Every quarantine rule of the book fires on a fixture that breaks it, with
// the rule's name in the quarantine row: a rule documented but never
// checked (as the formula rule once was for tabs) fails here.
func TestEveryRuleFires(t *testing.T) {
	t.Parallel()
	const stud = "student_id,country_code,cohort,index_date,rank_code_at_index,birth_year,family_name\n"
	const enr = "enrollment_id,student_id,course_code,start_date,end_date,status,ecl_score\n"
	fixtures := map[string][]struct{ dataset, body string }{
		"required":   {{"students", stud + "S9,KEN,COMPARISON,,,,\n"}, {"career_events", "student_id,event_date,event_type\nS1,2020-01-01,PROMOTION\n"}},
		"type":       {{"enrollments", enr + "E9,S1,C1,2020-02-30,,COMPLETED,\n"}},
		"allowed":    {{"enrollments", enr + "E9,S1,C1,2020-01-01,,GRADUATED,\n"}},
		"range":      {{"enrollments", enr + "E9,S1,C1,2020-01-01,,COMPLETED,101\n"}},
		"date_order": {{"enrollments", enr + "E9,S1,C1,2020-02-01,2020-01-04,COMPLETED,\n"}},
		"reference":  {{"enrollments", enr + "E9,S404,C1,2020-01-01,,COMPLETED,\n"}, {"students", stud + "S9,ZZZ,,,,,\n"}},
		"duplicate":  {{"students", stud + "S8,KEN,,,,,\nS8,KEN,,,,,\n"}},
		"formula":    {{"students", stud + "S9,KEN,,,,,=1+1\n"}},
		"too_long":   {{"students", stud + "S9,KEN,,,,," + strings.Repeat("x", MaxText+1) + "\n"}},
		"linkable":   {{"hr_flags", "flag_id,flag_date,severity,status,country_code\nF1,2020-01-01,LOW,ALLEGED,KEN\n"}},
		"cohort":     {{"students", stud + "S9,KEN,PARTICIPANT,2020-01-01,,,\n"}},
		"overlap": {{"post_holders", "holding_id,student_id,country_code,post_level,post_title,start_date,end_date\n" +
			"H1,S1,KEN,CHOD,Chief of Defence,2015-01-01,2019-01-01\nH2,S1,KEN,CHOD,Chief of Defence,2018-01-01,\n"}},
		"malformed": {{"students", stud + "S9,KEN\n"}},
		"precision": {{"enrollments", "enrollment_id,student_id,course_code,start_date,status,cost_usd\nE9,S1,C1,2020-01-01,COMPLETED,100.005\n"}},
		"control":   {{"students", stud + "S9,KEN,,,,,Na\x00me\n"}},
	}
	for _, r := range schemas.Rules {
		t.Run(r.Name, func(t *testing.T) {
			t.Parallel()
			fs, ok := fixtures[r.Name]
			if !ok {
				t.Fatalf("rule %s has no fixture that breaks it", r.Name)
			}
			for _, f := range fs {
				db := schemastest.Memory(t)
				l := newLoader(t, db)
				dir := t.TempDir()
				load(t, l, writeFile(t, dir, "ref/courses.csv", "course_code,category\nC1,PME\n"), "courses")
				load(t, l, writeFile(t, dir, "ref/students.csv", "student_id,country_code\nS1,KEN\n"), "students")
				res := load(t, l, writeFile(t, dir, f.dataset+".csv", f.body), f.dataset)
				if n := count(t, db, "SELECT count(*) FROM quarantine WHERE rule = ? AND dataset = ? AND file = ?", r.Name, f.dataset, f.dataset+".csv"); n == 0 {
					t.Errorf("%s: rule %s did not fire (%+v)", f.dataset, r.Name, res)
				}
			}
		})
	}
}
