package reports

import (
	"strings"

	"github.com/imet-project/imet/schemas"
)

// ColumnDoc describes a column of a published table: the COMMENT the
// snapshot carries. Table-specific words first, then the provenance and
// linking columns, then the input contract, then words shared by the models.
func ColumnDoc(table, column string) string {
	if like, ok := sameColumnsAs[table]; ok {
		table = like
	}
	if d, ok := tableColumnDocs[table][column]; ok {
		return d
	}
	if d, ok := provenanceDocs[column]; ok {
		return d
	}
	if d, ok := schemas.Lookup(strings.TrimSuffix(table, "_public")); ok == nil {
		if c, found := d.Column(column); found {
			return contractDoc(d.Name, c)
		}
	}
	if d, ok := sharedDocs[column]; ok {
		return d
	}
	return Undocumented
}

// contractDoc is a contract column's description, or its type and allowed
// values when the contract has no words for it.
func contractDoc(dataset string, c schemas.Column) string {
	doc := c.Doc
	if doc == "" {
		doc = strings.ReplaceAll(c.Name, "_", " ") + " as sent in " + dataset + " files"
	}
	if len(c.Allowed) > 0 {
		doc += " (one of " + strings.Join(c.Allowed, ", ") + ")"
	}
	return doc
}

// sameColumnsAs names, for a published table that selects rows of
// another, the table whose column words it shares.
var sameColumnsAs = map[string]string{"metric_latest": "metric_values"}

var provenanceDocs = map[string]string{
	"_batch_id":         "the batch (one file load) that wrote this version of the row",
	"_file":             "the source file name",
	"_sha256":           "the source file's SHA-256",
	"_row":              "line number (CSV, NDJSON) or row number (Parquet, XLSX) in the source file",
	"_row_hash":         "fingerprint of the row's content, to recognise a re-sent row",
	"source_student_id": "the student_id the source sent (empty when the row came with identity columns only)",
	"link_method":       "how the row was linked to a student: id, exact_name or fuzzy; empty while unlinked",
	"link_score":        "the name-match score (0..1) of a fuzzy or exact-name link",
	"_link_batch_id":    "the batch whose run linked the row (a vintage before it sees the row unlinked)",
}

// sharedDocs are columns that mean the same in every model table.
var sharedDocs = map[string]string{
	"student_id":          "the student's stable identifier (pseudonymous: names are not published)",
	"enrollment_id":       "the enrollment's identifier",
	"course_code":         "the course (MASL identifier or local code)",
	"country_code":        "the student's country, ISO 3166-1 alpha-3",
	"region":              "State Department regional bureau of the country (AF, EAP, EUR, NEA, SCA, WHA)",
	"sex":                 "F, M, X or U",
	"cohort":              "PARTICIPANT (attended) or COMPARISON (a peer supplied by the partner nation who did not)",
	"graduation_cohort":   "fiscal year of the index date, as FY2015",
	"course_category":     "category of the index enrollment's course (PME, TECHNICAL, ELT, EIMET, MTT, OTHER)",
	"index_date":          "graduates: end date of the first completed IMET course; comparison members: the index date their country supplied",
	"program":             "funding program (IMET, FMS, CTFP, NATO, UN, OTHER)",
	"fiscal_year":         "U.S. fiscal year (FY N runs 1 October N-1 to 30 September N)",
	"start_date":          "the course's start date",
	"end_date":            "the course's end date",
	"status":              "the enrollment's status",
	"rank_code":           "NATO rank code",
	"rank_order":          "position of the rank code in the comparison order (OR-1 = 1 … OF-10 = 24; 0 for CIV or none)",
	"followup_end":        "end of follow-up: the earlier of exit date and last contact",
	"as_of":               "D, the period end of the transform",
	"vintage":             "the last batch whose data the transform used",
	"event_id":            "the career event's identifier",
	"event_date":          "the date of the career event",
	"event_type":          "PROMOTION, ASSIGNMENT, DEPLOYMENT, SEPARATION, RETIREMENT, DEATH or VERIFIED",
	"position_level":      "STRATEGIC, SENIOR, MID or JUNIOR",
	"functional_area":     "the functional area of an assignment",
	"operation_type":      "UN, COALITION, NATO, AU or NATIONAL (deployments)",
	"reported_date":       "when the event was reported",
	"rank_code_at_entry":  "NATO rank code at the start of the course",
	"ecl_score":           "English Comprehension Level test score (0..100)",
	"cost_usd":            "U.S. cost of the enrollment in dollars",
	"partner_cost_usd":    "cost borne by the partner nation in dollars",
	"vetting_status":      "human-rights (Leahy) vetting: APPROVED, DENIED, PENDING or NOT_REQUIRED",
	"vetting_date":        "date of the vetting decision",
	"dataset":             "the dataset (input file kind)",
	"batch_id":            "the batch (one file load)",
	"file":                "the file name",
	"sha256":              "the file's SHA-256",
	"started_at":          "when it started (UTC)",
	"finished_at":         "when it finished (UTC)",
	"reason":              "why, in words, and what to do",
	"record_id":           "the career event or flag's identifier",
	"rows":                "number of rows",
	"quarantined":         "rows set aside in quarantine",
	"message":             "what happened, in words",
	"rank_at_index":       "rank at the index date: the latest rank observation on or before it, the highest of that day",
	"rank_order_at_index": "order of rank_at_index (OF-1 = 15 … OF-5 = 19; 0 for none)",
}

var tableColumnDocs = map[string]map[string]string{
	"enrollment_facts": {
		"ecl_band":               "English test band: <70, 70-79, >=80 or missing",
		"course_functional_area": "functional area of the course",
		"periods":                "the periods the enrollment counts in: its fiscal year, and its quarter when that year holds D",
		"region":                 "region of the student's country",
	},
	"career_timeline": {
		"source": "who reported the event (SCO, MOD, OPEN_SOURCE, OTHER)",
	},
	"rank_observations": {
		"obs_date": "the date the rank was observed",
		"source":   "where the observation comes from: enrollment (rank at entry), career_event, comparison_index",
	},
	"people":             peopleDocs,
	"graduates":          peopleDocs,
	"comparison_members": peopleDocs,
	"outcomes": {
		"outcome": "LEAD_RANK, LEAD_POS, PROMO, RETAIN or INTEROP (see docs/metrics.md)",
		"status":  "true when the event was seen within follow-up; false: censored",
		"time":    "days from the index date to the event, or to the end of follow-up when censored",
	},
	"metric_values": {
		"metric_id":         "the metric (docs/metrics.md, 'imet metrics list')",
		"period":            "ALL (measured as of D), a fiscal year (FY2025) or a quarter (FY2026Q3)",
		"graduation_cohort": "ALL or the graduation cohort the row is about",
		"cohort":            "ALL, PARTICIPANT or COMPARISON",
		"program":           "ALL or the program the row is about",
		"region":            "ALL or the region the row is about",
		"country_code":      "ALL or the country the row is about",
		"course_category":   "ALL or the course category the row is about",
		"sex":               "ALL or the sex the row is about",
		"ecl_band":          "ALL or the English test band the row is about",
		"n":                 "population size",
		"events":            "events observed (time-to-event metrics, flags)",
		"numerator":         "numerator of a proportion, rate or ratio",
		"denominator":       "denominator (for rates: person-years)",
		"value":             "the estimate, unrounded",
		"ci_low":            "lower 95% confidence limit",
		"ci_high":           "upper 95% confidence limit",
		"p_value":           "stratified log-rank p-value (LEAD_RANK_HR)",
		"suppressed":        "set by Congress-facing exports only; always false in the warehouse",
		"note":              "small n, insufficient follow-up, immature cohort, median not reached, …",
	},
	"km_curves": {
		"outcome":  "LEAD_RANK, LEAD_POS, PROMO, RETAIN or INTEROP (see docs/metrics.md)",
		"time":     "days since the index date",
		"n_risk":   "people still followed just before this time",
		"n_event":  "events at this time",
		"n_censor": "people whose follow-up ended at this time without the event",
		"surv":     "Kaplan-Meier S(time): the share without the event yet",
		"ci_low":   "lower log-scale 95% limit of S",
		"ci_high":  "upper log-scale 95% limit of S",
	},
	"fmtr_activities": fmtrDocs,
	"fmtr_totals":     fmtrDocs,
	"fmtr_reconciliation": {
		"activities":          "activity rows of the group",
		"quantity":            "their summed trainees",
		"cost_usd":            "their summed cost in dollars",
		"printed_quantity":    "the trainees the report printed as the group's total",
		"printed_cost_usd":    "the dollars the report printed as the group's total",
		"reconciliation":      "matches, matches (rounded: the cost agrees to the dollar, as the report rounds its totals), differs or no_printed_total",
		"quantity_difference": "printed minus summed trainees",
		"source":              "the report's document number",
		"sub_program":         "IMET-1, IMET-2 or IMET-X where printed",
		"cost_difference":     "printed minus summed dollars",
		"fiscal_year":         "the report's fiscal year",
		"program":             "the program (docs/fmtr.md)",
	},
	"fmtr_summary": {
		"fiscal_year":         "the report's fiscal year",
		"program":             "the program (docs/fmtr.md)",
		"sessions":            "training sessions: summed quantity of the activities",
		"course_count":        "distinct course titles with both a start and an end date",
		"dollar_value":        "summed cost of the activities in dollars",
		"printed_sessions":    "the report's printed total of trainees",
		"printed_dollars":     "the report's printed total of dollars",
		"reconciliation":      "matches, matches (rounded: the cost agrees to the dollar, as the report rounds its totals), differs or no_printed_total",
		"sub_program":         "IMET-1, IMET-2 or IMET-X where printed",
		"individual_students": "distinct students of the warehouse's enrollments for that year, country and program, where person-level data exist",
		"note":                "why a column is empty or how to read it",
	},
	"fmtr_quality": {
		"format":                  "raw-scrape or sfm-final",
		"data_lines":              "lines (or CSV records) read after the header",
		"records":                 "records: activities + totals + quarantined",
		"activities":              "activity records in the file",
		"totals":                  "printed total records in the file",
		"quarantined":             "records set aside (see quarantine)",
		"new_rows":                "activities and totals new to the warehouse",
		"unchanged":               "rows recognised as loaded already (the same report again)",
		"repairs":                 "JSON: rows repaired, by repair rule (docs/fmtr.md)",
		"quarantined_by_rule":     "JSON: rows quarantined, by rule",
		"groups_matching":         "country/program groups whose activities reproduce the printed total (exactly or to the dollar)",
		"groups_matching_rounded": "of those, the groups whose cost agrees only to the dollar (the report rounds its totals)",
		"quarantined_share":       "quarantined records as a share of the records read",
		"warnings":                "JSON: rows kept as printed with a warning, by rule (program_unknown, cost_not_printed, date_lost, …)",
		"notes":                   "JSON: notes on the file as a whole (a column the report never printed, …)",
		"groups_differing":        "groups whose activities do not",
		"groups_without_total":    "groups the report printed no total for",
		"dollars_not_reconciled":  "summed absolute dollar differences of the differing groups",
		"students_not_reconciled": "summed absolute trainee differences of the differing groups",
	},
	"transform_runs": {
		"run_id":      "the transform run",
		"metric_rows": "rows written to metric_values",
		"settings":    "thresholds the run used (JSON)",
		"steps":       "seconds and rows of every model and metric (JSON)",
	},
	"data_quality": {
		"topic":       "linking, quarantine or freshness",
		"key":         "link method, quarantine rule, or 'latest'",
		"rows":        "rows (freshness: files loaded)",
		"share":       "linking: share of the dataset's rows; quarantine: share of the dataset's rows in quarantine (not of all its rows)",
		"latest_date": "latest event, enrollment or flag date on or before D",
		"latest_load": "when the last file of the dataset was loaded",
	},
	"batches": {
		"status":    "loaded or rejected",
		"rows_read": "data rows read from the file",
		"loaded":    "rows with new keys",
		"replaced":  "rows that replaced an earlier version of their key",
		"unchanged": "rows sent again with the same content",
	},
	"files": {
		"bytes":     "file size",
		"loaded_at": "when it was loaded (UTC)",
	},
	"quarantine": {
		"line":           "line (CSV, NDJSON) or row (Parquet, XLSX) in the file",
		"column_name":    "the column at fault",
		"value":          "the value at fault (blank for personal columns unless include_personal)",
		"rule":           "the rule broken (see docs/schema.md, Quarantine rules)",
		"raw":            "the row as read, JSON (published only with include_personal)",
		"quarantined_at": "when it was set aside (UTC)",
		"record_key":     "the row's key as text, when it has one",
		"resolved_by":    "the batch that loaded a valid row with the same key",
	},
	"link_review": {
		"checked_batch": "the last batch that tried to link it",
		"status":        "unmatched or ambiguous",
		"candidates":    "JSON list of {student_id, score}, best first",
	},
}

var peopleDocs = map[string]string{
	"index_enrollment_id": "graduates: the first completed IMET enrollment",
	"exit_date":           "the earliest SEPARATION, RETIREMENT or DEATH on or before D",
	"last_contact":        "the latest date on or before D the person was observed",
	"has_followup":        "follow-up goes past the index date (otherwise left out of time-to-event metrics)",
	"region":              "region of the person's country",
	"course_category":     "graduates: category of the index enrollment's course",
}

var fmtrDocs = map[string]string{
	"activity_key": "identifies the row across loads: report document, fingerprint of the normalised row and its occurrence among identical rows (or Security Force Monitor's id)",
	"total_key":    "identifies the printed total across loads",
	"source":       "the report's document number",
	"country_name": "the country as the report printed it",
	"program":      "the program, normalised (docs/fmtr.md)",
	"sub_program":  "IMET-1, IMET-2 or IMET-X where printed",
	"fiscal_year":  "the report's fiscal year, from the program string",
	"department":   "DOS, DOD or DHS, as the program string names it",
	"program_text": "the program string as printed",
	"course_title": "the course or activity as printed",
	"us_unit":      "the U.S. unit that delivered it",
	"student_unit": "the partner unit trained",
	"location":     "where it took place",
	"start_date":   "start date",
	"end_date":     "end date",
	"quantity":     "number of trainees",
	"cost_usd":     "cost in U.S. dollars",
	"repairs":      "repair rules applied to a damaged row (docs/fmtr.md)",
	"warnings":     "oddities kept as printed",
}
