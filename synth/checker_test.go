package synth

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// This file is a small, independent reading of the input contract
// (shared/spec/contract.md) used to check that good rows are valid and that
// every planted bad row breaks exactly the rule the truth records. It is
// written from the contract, not from the generator's tables, so that a
// drift between the two shows up.

var contractColumns = map[string][]string{
	"courses":       {"course_code", "course_title", "category", "school", "functional_area", "duration_weeks", "human_rights_content"},
	"students":      {"student_id", "country_code", "family_name", "given_names", "birth_year", "sex", "service", "cohort", "index_date", "rank_code_at_index"},
	"enrollments":   {"enrollment_id", "student_id", "course_code", "program", "fiscal_year", "start_date", "end_date", "status", "rank_at_entry", "rank_code_at_entry", "ecl_score", "cost_usd", "partner_cost_usd", "vetting_status", "vetting_date"},
	"career_events": {"event_id", "student_id", "country_code", "family_name", "given_names", "birth_year", "event_date", "event_type", "rank_code", "position_title", "position_level", "functional_area", "operation_name", "operation_type", "source", "reported_date"},
	"hr_flags":      {"flag_id", "student_id", "country_code", "family_name", "given_names", "birth_year", "flag_date", "severity", "status", "source"},
	"allocations":   {"fiscal_year", "country_code", "program", "allocated_usd"},
	"post_holders":  {"holding_id", "student_id", "country_code", "family_name", "given_names", "birth_year", "post_level", "post_title", "start_date", "end_date", "source"},
}

var datasetOrder = []string{"courses", "students", "enrollments", "career_events", "hr_flags", "allocations", "post_holders"}

func set(s ...string) map[string]bool {
	m := map[string]bool{}
	for _, x := range s {
		m[x] = true
	}
	return m
}

var (
	allowedCategory = set("PME", "TECHNICAL", "ELT", "EIMET", "MTT", "OTHER")
	allowedFA       = set("LEADERSHIP", "LEGAL", "LOGISTICS", "INTELLIGENCE", "MEDICAL", "MARITIME", "AVIATION", "RESOURCE_MANAGEMENT", "HUMAN_RIGHTS", "PEACEKEEPING", "CYBER", "OTHER")
	allowedSex      = set("F", "M", "X", "U")
	allowedService  = set("ARMY", "NAVY", "AIR_FORCE", "MARINES", "COAST_GUARD", "POLICE", "CIVILIAN", "OTHER")
	allowedCohort   = set("PARTICIPANT", "COMPARISON")
	allowedProgram  = set("IMET", "FMS", "CTFP", "NATO", "UN", "OTHER")
	allowedStatus   = set("COMPLETED", "WITHDRAWN", "FAILED", "IN_PROGRESS", "CANCELLED")
	allowedVetting  = set("APPROVED", "DENIED", "PENDING", "NOT_REQUIRED")
	allowedEvent    = set("PROMOTION", "ASSIGNMENT", "DEPLOYMENT", "SEPARATION", "RETIREMENT", "DEATH", "VERIFIED")
	allowedLevel    = set("STRATEGIC", "SENIOR", "MID", "JUNIOR")
	allowedOpType   = set("UN", "COALITION", "NATO", "AU", "NATIONAL")
	allowedSource   = set("SCO", "MOD", "OPEN_SOURCE", "OTHER")
	allowedSeverity = set("LOW", "MEDIUM", "HIGH")
	allowedFlagStat = set("ALLEGED", "SUBSTANTIATED", "CLEARED")
	allowedPost     = set("CHOD", "SERVICE_CHIEF", "MINISTER", "GENERAL_OFFICER")
	uniquePost      = set("CHOD", "SERVICE_CHIEF", "MINISTER")
	isoDate         = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	rankCode        = regexp.MustCompile(`^(OR-[1-9]|WO-[1-5]|OF-([1-9]|10)|CIV)$`)
	intPattern      = regexp.MustCompile(`^-?\d+$`)
	decPattern      = regexp.MustCompile(`^-?\d+(\.\d+)?$`)
)

type violation struct{ rule, column string }

// checker validates rows of one run, in load order, remembering keys for
// reference and duplicate checks.
type checker struct {
	asOf      time.Time
	countries map[string]bool
	courses   map[string]bool
	students  map[string]bool
	seen      map[string]map[string]bool
	// posts holds the accepted holdings of each unique post (country,
	// level, title case-folded): start and end (zero: in office).
	posts map[string][][2]time.Time
}

func newChecker(asOf time.Time) *checker {
	c := &checker{asOf: asOf, countries: map[string]bool{}, courses: map[string]bool{}, students: map[string]bool{},
		seen: map[string]map[string]bool{}, posts: map[string][][2]time.Time{}}
	for _, pc := range partnerCountries {
		c.countries[pc.Code] = true
	}
	return c
}

func parseDate(s string) (time.Time, bool) {
	if !isoDate.MatchString(s) {
		return time.Time{}, false
	}
	t, err := time.Parse("2006-01-02", s)
	return t, err == nil
}

type rowCheck struct {
	row map[string]string
	v   []violation
}

func (rc *rowCheck) add(rule, col string) { rc.v = append(rc.v, violation{rule, col}) }

func (rc *rowCheck) required(col string) bool {
	if rc.row[col] == "" {
		rc.add("required", col)
		return false
	}
	return true
}

func (rc *rowCheck) code(col string, allowed map[string]bool) {
	if v := rc.row[col]; v != "" && !allowed[v] {
		rc.add("allowed", col)
	}
}

func (rc *rowCheck) rank(col string) {
	if v := rc.row[col]; v != "" && !rankCode.MatchString(v) {
		rc.add("allowed", col)
	}
}

func (rc *rowCheck) date(col string, asOf time.Time) (time.Time, bool) {
	v := rc.row[col]
	if v == "" {
		return time.Time{}, false
	}
	t, ok := parseDate(v)
	if !ok {
		rc.add("type", col)
		return t, false
	}
	if t.After(asOf) {
		rc.add("future", col)
	}
	return t, true
}

func (rc *rowCheck) integer(col string, lo, hi int) {
	v := rc.row[col]
	if v == "" {
		return
	}
	if !intPattern.MatchString(v) {
		rc.add("type", col)
		return
	}
	n, _ := strconv.Atoi(v)
	if n < lo || n > hi {
		rc.add("range", col)
	}
}

func (rc *rowCheck) decimal(col string) {
	v := rc.row[col]
	if v == "" {
		return
	}
	if !decPattern.MatchString(v) {
		rc.add("type", col)
		return
	}
	if f, _ := strconv.ParseFloat(v, 64); f < 0 {
		rc.add("range", col)
	}
}

func (rc *rowCheck) text(cols ...string) {
	for _, col := range cols {
		v := rc.row[col]
		if strings.ContainsAny(v, "\r\n") {
			rc.add("newline", col)
		}
		if v != "" && strings.ContainsAny(v[:1], "=+@") {
			rc.add("formula", col)
		}
	}
}

func (c *checker) duplicate(rc *rowCheck, ds, key, col string) {
	if key == "" {
		return
	}
	if c.seen[ds] == nil {
		c.seen[ds] = map[string]bool{}
	}
	if c.seen[ds][key] {
		rc.add("duplicate", col)
	}
	c.seen[ds][key] = true
}

// checkHolding checks a post_holders row: a holding of a unique post may
// not overlap an accepted holding of the same post (one ending the day the
// next starts does not).
func (c *checker) checkHolding(rc *rowCheck) {
	row := rc.row
	rc.required("holding_id")
	if rc.required("country_code") && !c.countries[row["country_code"]] {
		rc.add("reference", "country_code")
	}
	if row["student_id"] != "" && !c.students[row["student_id"]] {
		rc.add("reference", "student_id")
	}
	if rc.required("post_level") {
		rc.code("post_level", allowedPost)
	}
	rc.integer("birth_year", 1930, 2015)
	rc.text("family_name", "given_names", "post_title", "source")
	var start, end time.Time
	startOK := rc.required("start_date")
	if startOK {
		start, startOK = rc.date("start_date", c.asOf)
	}
	end, endOK := rc.date("end_date", c.asOf)
	if startOK && endOK && end.Before(start) {
		rc.add("date_order", "end_date")
	}
	c.duplicate(rc, "post_holders", row["holding_id"], "holding_id")
	if !startOK || !uniquePost[row["post_level"]] || len(rc.v) > 0 {
		return
	}
	key := row["country_code"] + "|" + row["post_level"] + "|" + strings.ToLower(row["post_title"])
	for _, h := range c.posts[key] {
		if (h[1].IsZero() || start.Before(h[1])) && (end.IsZero() || h[0].Before(end)) {
			rc.add("overlap", "start_date")
			return
		}
	}
	c.posts[key] = append(c.posts[key], [2]time.Time{start, end})
}

// check returns the contract violations of one row.
func (c *checker) check(ds string, row map[string]string) []violation {
	rc := &rowCheck{row: row}
	switch ds {
	case "courses":
		rc.required("course_code")
		if rc.required("category") {
			rc.code("category", allowedCategory)
		}
		rc.code("functional_area", allowedFA)
		rc.decimal("duration_weeks")
		if v := row["human_rights_content"]; v != "" && v != "true" && v != "false" {
			rc.add("type", "human_rights_content")
		}
		rc.text("course_title", "school")
		c.duplicate(rc, ds, row["course_code"], "course_code")
		if len(rc.v) == 0 {
			c.courses[row["course_code"]] = true
		}
	case "students":
		rc.required("student_id")
		if rc.required("country_code") && !c.countries[row["country_code"]] {
			rc.add("reference", "country_code")
		}
		rc.integer("birth_year", 1930, 2015)
		rc.code("sex", allowedSex)
		rc.code("service", allowedService)
		rc.code("cohort", allowedCohort)
		rc.rank("rank_code_at_index")
		rc.date("index_date", c.asOf)
		if row["cohort"] == "COMPARISON" {
			rc.required("index_date")
		}
		rc.text("family_name", "given_names")
		c.duplicate(rc, ds, row["student_id"], "student_id")
		if len(rc.v) == 0 {
			c.students[row["student_id"]] = true
		}
	case "enrollments":
		rc.required("enrollment_id")
		if rc.required("student_id") && !c.students[row["student_id"]] {
			rc.add("reference", "student_id")
		}
		if rc.required("course_code") && !c.courses[row["course_code"]] {
			rc.add("reference", "course_code")
		}
		rc.code("program", allowedProgram)
		rc.integer("fiscal_year", 1976, 2100)
		var start time.Time
		startOK := false
		if rc.required("start_date") {
			start, startOK = rc.date("start_date", c.asOf)
		}
		end, endOK := rc.date("end_date", c.asOf)
		if startOK && endOK && end.Before(start) {
			rc.add("date_order", "end_date")
		}
		if startOK && row["fiscal_year"] != "" && intPattern.MatchString(row["fiscal_year"]) {
			fy := start.Year()
			if start.Month() >= 10 {
				fy++
			}
			if strconv.Itoa(fy) != row["fiscal_year"] {
				rc.add("fiscal_year_mismatch", "fiscal_year")
			}
		}
		if rc.required("status") {
			rc.code("status", allowedStatus)
		}
		rc.rank("rank_code_at_entry")
		rc.integer("ecl_score", 0, 100)
		rc.decimal("cost_usd")
		rc.decimal("partner_cost_usd")
		rc.code("vetting_status", allowedVetting)
		rc.date("vetting_date", c.asOf)
		rc.text("rank_at_entry")
		c.duplicate(rc, ds, row["enrollment_id"], "enrollment_id")
	case "career_events", "hr_flags":
		dateCol := "event_date"
		if ds == "hr_flags" {
			dateCol = "flag_date"
			rc.required("flag_id")
		}
		sid := row["student_id"]
		switch {
		case sid != "" && !c.students[sid]:
			rc.add("reference", "student_id")
		case sid == "" && (row["country_code"] == "" || row["family_name"] == ""):
			rc.add("linkable", "student_id")
		}
		if v := row["country_code"]; v != "" && !c.countries[v] {
			rc.add("reference", "country_code")
		}
		rc.integer("birth_year", 1930, 2015)
		var d time.Time
		dOK := false
		if rc.required(dateCol) {
			d, dOK = rc.date(dateCol, c.asOf)
		}
		rc.text("family_name", "given_names")
		if ds == "hr_flags" {
			if rc.required("severity") {
				rc.code("severity", allowedSeverity)
			}
			if rc.required("status") {
				rc.code("status", allowedFlagStat)
			}
			c.duplicate(rc, ds, row["flag_id"], "flag_id")
			break
		}
		if rc.required("event_type") {
			rc.code("event_type", allowedEvent)
		}
		rc.rank("rank_code")
		if row["event_type"] == "PROMOTION" && row["rank_code"] == "" {
			rc.add("required", "rank_code")
		}
		rc.code("position_level", allowedLevel)
		rc.code("functional_area", allowedFA)
		rc.code("operation_type", allowedOpType)
		rc.code("source", allowedSource)
		rep, repOK := rc.date("reported_date", c.asOf)
		if dOK && repOK && rep.Before(d) {
			rc.add("date_order", "reported_date")
		}
		if row["event_id"] == "" && sid == "" {
			rc.add("required", "event_id") // an id-less row must carry an event_id
		}
		rc.text("position_title", "operation_name")
		c.duplicate(rc, ds, row["event_id"], "event_id")
	case "post_holders":
		c.checkHolding(rc)
	case "allocations":
		rc.required("fiscal_year")
		rc.integer("fiscal_year", 1976, 2100)
		if rc.required("country_code") && !c.countries[row["country_code"]] {
			rc.add("reference", "country_code")
		}
		if rc.required("program") {
			rc.code("program", allowedProgram)
		}
		if rc.required("allocated_usd") {
			rc.decimal("allocated_usd")
		}
		c.duplicate(rc, ds, row["fiscal_year"]+"|"+row["country_code"]+"|"+row["program"], "allocated_usd")
	}
	return rc.v
}
