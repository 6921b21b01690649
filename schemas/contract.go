package schemas

import (
	"fmt"
	"strings"
	"unicode"
)

// ContractVersion is the version of the input contract this code implements.
const ContractVersion = 1

// Type is the logical type of an input column.
type Type string

const (
	Text       Type = "text"
	Code       Type = "code"    // one of Column.Allowed, matched case-insensitively, stored upper-case
	ISOCountry Type = "country" // ISO 3166-1 alpha-3, must exist in countries
	NATORank   Type = "rank"    // NATO rank code, normalised (OF6 -> OF-6)
	Date       Type = "date"
	Integer    Type = "integer"
	Decimal    Type = "decimal"
	Boolean    Type = "boolean"
)

// SQLType is the DuckDB type a column of this type is stored as.
func (t Type) SQLType() string {
	switch t {
	case Date:
		return "DATE"
	case Integer:
		return "INTEGER"
	case Decimal:
		// Money and durations: exact sums matter more than range.
		return "DECIMAL(18,2)"
	case Boolean:
		return "BOOLEAN"
	default:
		return "VARCHAR"
	}
}

// EarliestDate is the first date any date column accepts: no record of the
// program (1976 on) nor a birth of anyone in it is older, so an earlier
// date (0020-03-01 for 2020-03-01) is a typing error, never a value to keep
// (rule range).
const EarliestDate = "1900-01-01"

// Column is one column of an input dataset.
type Column struct {
	Name     string
	Type     Type
	Required bool
	Allowed  []string // Code columns
	Min, Max *float64 // Integer/Decimal ranges, inclusive
	// Default fills an empty cell before validation (cohort, program).
	Default string
	// Personal marks restricted personal data: never in exports or the
	// published snapshot unless configuration says so.
	Personal bool
	// Identifies marks a person's identifier (student_id): published only
	// as a keyed pseudonym (PseudonymSQL) unless configuration says so.
	Identifies bool
	// NotFuture: the date may not lie after the load date.
	NotFuture bool
	Doc       string
}

// Dataset is one kind of input file.
type Dataset struct {
	Name       string
	Reference  bool     // loaded before the datasets that refer to it
	Restricted bool     // the whole dataset is restricted (hr_flags)
	Key        []string // columns that identify a row; a new row with an existing key replaces it
	// Linked datasets carry identity columns and are linked to students.
	Linked  bool
	Columns []Column
	// DateOrder lists pairs (earlier, later) that must hold when both are set.
	DateOrder [][2]string
	// RowRules are the dataset's rules that involve more than one column or
	// another table; ingest checks them and the dictionary prints them.
	RowRules []RowRule
	Doc      string
}

// RowRule is a rule about a whole row. Its SQL reads the row being loaded
// as t, with every column trimmed, codes upper-cased and defaults applied
// (text, before typing), the typed value of a date or number column as
// <column>__v, and its line as _line; t is also the name of the whole file's
// rows, so a rule may compare a row with the others of its file (overlap).
type RowRule struct {
	Rule   string // the quarantine rule it reports: one of Rules
	Column string // the column the quarantine row names
	Value  string // SQL: the offending value
	When   string // SQL: true when the row breaks the rule
	Reason string // SQL text: the reason a person reads
	Doc    string // the dictionary's sentence
}

// linkable is the rule of the datasets linked to students by identity.
var linkable = RowRule{Rule: "linkable", Column: "student_id", Value: "NULL",
	When:   "t.student_id IS NULL AND (t.country_code IS NULL OR t.family_name IS NULL)",
	Reason: "'no student_id, and without both country_code and family_name the row cannot be linked to a student: add one or the other'",
	Doc:    "A row without `student_id` needs `country_code` and `family_name` to be linked."}

// PostLevels are the senior posts of post_holders; UniquePostLevels are
// those a country fills with one holder at a time (per post_title), so two
// holdings of one of them may not overlap.
var (
	PostLevels       = []string{"CHOD", "SERVICE_CHIEF", "MINISTER", "GENERAL_OFFICER"}
	UniquePostLevels = []string{"CHOD", "SERVICE_CHIEF", "MINISTER"}
)

// overlappingHolding is the cross-row rule of post_holders: a holding of a
// unique post (UniquePostLevels) may not overlap another holding of the same
// country, post level and post_title (compared case-insensitively). The
// other holding is a stored one that this file does not resend, or one of
// the file that comes first in load order: a holding already stored (resent,
// perhaps with corrected dates) before a new one, then by line. So of two
// overlapping holdings the later-loaded one is quarantined and the one
// already accepted stays, and a file that corrects a stored holding's end
// date and adds its successor is judged by the corrected dates. Holdings touching at a day (one ends
// the day the next starts) do not overlap.
func overlappingHolding() RowRule {
	others := `(SELECT holding_id, country_code, post_level, post_title, start_date, end_date, 0 AS _new, 0 AS _line FROM post_holders h
		WHERE NOT EXISTS (SELECT 1 FROM t AS f WHERE f.holding_id = h.holding_id)
		UNION ALL SELECT holding_id, country_code, post_level, post_title, start_date__v, end_date__v,
			CASE WHEN holding_id IN (SELECT holding_id FROM post_holders) THEN 0 ELSE 1 END, _line FROM t AS f)`
	isNew := "CASE WHEN t.holding_id IN (SELECT holding_id FROM post_holders) THEN 0 ELSE 1 END"
	match := `o.holding_id <> t.holding_id AND (o._new < ` + isNew + ` OR (o._new = ` + isNew + ` AND o._line < t._line))
		AND o.country_code = t.country_code AND o.post_level = t.post_level
		AND lower(coalesce(o.post_title, '')) = lower(coalesce(t.post_title, ''))
		AND (o.end_date IS NULL OR o.end_date >= o.start_date)
		AND o.start_date < coalesce(t.end_date__v, DATE '9999-12-31') AND t.start_date__v < coalesce(o.end_date, DATE '9999-12-31')`
	first := fmt.Sprintf(`(SELECT arg_min(o.holding_id || ' (' || o.start_date || ' to ' || coalesce(o.end_date::VARCHAR, 'in office') || ')', (o._new, o._line)) FROM %s AS o WHERE %s)`, others, match)
	return RowRule{Rule: "overlap", Column: "start_date", Value: "t.start_date",
		When: fmt.Sprintf("t.post_level IN (%s) AND t.start_date__v IS NOT NULL AND (t.end_date__v IS NULL OR t.end_date__v >= t.start_date__v) AND %s IS NOT NULL",
			"'"+strings.Join(UniquePostLevels, "', '")+"'", first),
		Reason: fmt.Sprintf(`t.post_level || ' ' || coalesce('"' || t.post_title || '" ', '') || 'of ' || t.country_code || ' from ' || t.start_date || ' to ' || coalesce(t.end_date, 'in office')
			|| ' overlaps holding ' || %s || ': a ' || t.post_level || ' post has one holder at a time; correct the dates (the earlier holding''s end_date, or this one''s start_date)'`, first),
		Doc: "A " + strings.Join(UniquePostLevels, ", ") + " holding may not overlap another holding of the same country, `post_level` and `post_title` (a stored one, or one the file sends before it: resent stored holdings first, then by line): the later-loaded holding is quarantined and the earlier one kept; one ending on the day the next starts is no overlap."}
}

// references is the rule that a column names a row of another dataset.
// The reason quotes the value unless it identifies a person (Discloses):
// then it names the column only.
func references(c Column, table, what string) RowRule {
	col := c.Name
	reason := fmt.Sprintf(`'%s "' || left(t.%s, 60) || '" is not in %s: load the %s first, or correct it'`, col, col, table, what)
	if c.Identifies || c.Personal {
		reason = fmt.Sprintf(`'%s is not in %s: load the %s first, or correct it'`, col, table, what)
	}
	return RowRule{Rule: "reference", Column: col, Value: "t." + col,
		When:   fmt.Sprintf("t.%s NOT IN (SELECT %s FROM %s)", col, col, table),
		Reason: reason,
		Doc:    fmt.Sprintf("`%s` must exist in `%s`.", col, table)}
}

// Column returns the named column.
func (d *Dataset) Column(name string) (Column, bool) {
	for _, c := range d.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// PersonID is the name of the column that identifies the person a row is
// about (the Identifies column), or "" when the dataset names nobody.
func (d *Dataset) PersonID() string {
	for _, c := range d.Columns {
		if c.Identifies {
			return c.Name
		}
	}
	return ""
}

// ColumnNames lists the contract's columns in order.
func (d *Dataset) ColumnNames() []string {
	out := make([]string, len(d.Columns))
	for i, c := range d.Columns {
		out[i] = c.Name
	}
	return out
}

func rng(lo, hi float64) (*float64, *float64) { return &lo, &hi }

func minOnly(lo float64) (*float64, *float64) { return &lo, nil }

var (
	regions           = []string{"AF", "EAP", "EUR", "NEA", "SCA", "WHA"}
	combatantCommands = []string{"AFRICOM", "CENTCOM", "EUCOM", "INDOPACOM", "NORTHCOM", "SOUTHCOM"}
	courseCategories  = []string{"PME", "TECHNICAL", "ELT", "EIMET", "MTT", "OTHER"}
	functionalAreas   = []string{"LEADERSHIP", "LEGAL", "LOGISTICS", "INTELLIGENCE", "MEDICAL", "MARITIME", "AVIATION", "RESOURCE_MANAGEMENT", "HUMAN_RIGHTS", "PEACEKEEPING", "CYBER", "OTHER"}
	programs          = []string{"IMET", "FMS", "CTFP", "NATO", "UN", "OTHER"}
	eventTypes        = []string{"PROMOTION", "ASSIGNMENT", "DEPLOYMENT", "SEPARATION", "RETIREMENT", "DEATH", "VERIFIED"}
	positionLevels    = []string{"STRATEGIC", "SENIOR", "MID", "JUNIOR"}
	operationTypes    = []string{"UN", "COALITION", "NATO", "AU", "NATIONAL"}
	eventSources      = []string{"SCO", "MOD", "OPEN_SOURCE", "OTHER"}
)

func col(name string, t Type, doc string) Column { return Column{Name: name, Type: t, Doc: doc} }

func req(c Column) Column { c.Required = true; return c }

func personal(c Column) Column { c.Personal = true; return c }

func identifies(c Column) Column { c.Identifies = true; return c }

// Discloses reports whether a value of column c of d may be shown outside
// the warehouse as sent: not personal, not a person's identifier, not in a
// restricted dataset. It is the one rule behind the published quarantine's
// value column (blanked, or a pseudonym, where it is false) and the reason
// texts (which name such a column instead of quoting its value).
func (d *Dataset) Discloses(c Column) bool { return !d.Restricted && !c.Personal && !c.Identifies }

// DisclosesColumn is Discloses by column name; a name the contract does
// not have (a header of the file's own) is not disclosed.
func (d *Dataset) DisclosesColumn(name string) bool {
	c, ok := d.Column(name)
	return ok && d.Discloses(c)
}

func notFuture(c Column) Column { c.NotFuture = true; return c }

func code(name string, allowed []string, doc string) Column {
	return Column{Name: name, Type: Code, Allowed: allowed, Doc: doc}
}

func ranged(c Column, lo, hi *float64) Column { c.Min, c.Max = lo, hi; return c }

func withDefault(c Column, d string) Column { c.Default = d; return c }

// identity columns shared by career_events and hr_flags, used for linking.
func identityColumns() []Column {
	lo, hi := rng(1930, 2015)
	return []Column{
		col("country_code", ISOCountry, "identity for linking: the person's country"),
		personal(col("family_name", Text, "identity for linking; may be spelled differently from the students file")),
		personal(col("given_names", Text, "identity for linking")),
		personal(ranged(col("birth_year", Integer, "identity for linking"), lo, hi)),
	}
}

// holderIdentity is identityColumns with country_code required: a holding
// counts for its country whether or not it is linked.
func holderIdentity() []Column {
	cols := identityColumns()
	cols[0] = req(col("country_code", ISOCountry, "the country whose post it is; identity for linking"))
	return cols
}

// Datasets is the input contract, in load order: reference datasets first,
// then the ones that refer to them.
var Datasets = func() []*Dataset {
	byLo, byHi := rng(1930, 2015)
	eclLo, eclHi := rng(0, 100)
	fyLo, fyHi := rng(1976, 2100)
	zero, _ := minOnly(0)
	studentRef := req(identifies(col("student_id", Text, "must exist in students")))
	courseRef := req(col("course_code", Text, "must exist in courses"))
	return []*Dataset{
		{
			Name: "countries", Reference: true, Key: []string{"country_code"},
			Doc: "Reference. The project ships a built-in row for every ISO 3166-1 country (and Kosovo); a file supplied here replaces the built-in row of each country it names.",
			Columns: []Column{
				req(col("country_code", ISOCountry, "ISO 3166-1 alpha-3, e.g. `KEN`")),
				col("country_name", Text, ""),
				req(code("region", regions, "State Department regional bureau, as in the Foreign Military Training Report")),
				code("combatant_command", combatantCommands, ""),
			},
		},
		{
			Name: "courses", Reference: true, Key: []string{"course_code"},
			Doc: "Reference. One row per course.",
			Columns: []Column{
				req(col("course_code", Text, "Military Articles and Services List (MASL) identifier or local code")),
				col("course_title", Text, ""),
				req(code("category", courseCategories, "professional military education, technical training, English language training, Expanded IMET (civil-military, military justice, human rights, defense resource management), mobile training team")),
				col("school", Text, ""),
				code("functional_area", functionalAreas, ""),
				ranged(col("duration_weeks", Decimal, ""), zero, nil),
				col("human_rights_content", Boolean, "course carries human-rights instruction"),
			},
		},
		{
			Name: "students", Key: []string{"student_id"},
			Doc: "One row per person: participants, and comparison peers who never attended.",
			Columns: []Column{
				req(identifies(col("student_id", Text, "stable identifier from the training management system"))),
				req(col("country_code", ISOCountry, "must exist in countries")),
				personal(col("family_name", Text, "personal data (restricted)")),
				personal(col("given_names", Text, "personal data (restricted)")),
				personal(ranged(col("birth_year", Integer, ""), byLo, byHi)),
				code("sex", []string{"F", "M", "X", "U"}, ""),
				code("service", []string{"ARMY", "NAVY", "AIR_FORCE", "MARINES", "COAST_GUARD", "POLICE", "CIVILIAN", "OTHER"}, ""),
				withDefault(code("cohort", []string{"PARTICIPANT", "COMPARISON"}, "COMPARISON = a peer who never attended the program, supplied by the partner nation for comparison; empty means PARTICIPANT"), "PARTICIPANT"),
				col("index_date", Date, "COMPARISON only: the date from which the peer is followed (matched to a participant's graduation). Required for COMPARISON rows."),
				col("rank_code_at_index", NATORank, "COMPARISON only: rank at index_date"),
			},
			RowRules: []RowRule{
				{Rule: "required", Column: "index_date", Value: "NULL",
					When:   "t.cohort = 'COMPARISON' AND t.index_date IS NULL",
					Reason: "'index_date is empty; it is required for COMPARISON rows'",
					Doc:    "A COMPARISON row needs `index_date`."},
				{Rule: "cohort", Column: "index_date", Value: "coalesce(t.index_date, t.rank_code_at_index)",
					When:   "t.cohort = 'PARTICIPANT' AND (t.index_date IS NOT NULL OR t.rank_code_at_index IS NOT NULL)",
					Reason: "'index_date and rank_code_at_index are for COMPARISON rows only; this row is PARTICIPANT: remove them or set cohort'",
					Doc:    "`index_date` and `rank_code_at_index` are for COMPARISON rows only."},
			},
		},
		{
			Name: "enrollments", Key: []string{"enrollment_id"},
			Doc:       "One row per attendance of one person at one course.",
			DateOrder: [][2]string{{"start_date", "end_date"}},
			Columns: []Column{
				req(col("enrollment_id", Text, "unique per attendance of one person at one course")),
				studentRef,
				courseRef,
				withDefault(code("program", programs, "funding program; empty means IMET"), "IMET"),
				ranged(col("fiscal_year", Integer, "U.S. fiscal year; when empty, derived from start_date (FY N runs 1 Oct N-1 to 30 Sep N)"), fyLo, fyHi),
				req(col("start_date", Date, "")),
				col("end_date", Date, "on or after start_date"),
				req(code("status", []string{"COMPLETED", "WITHDRAWN", "FAILED", "IN_PROGRESS", "CANCELLED"}, "")),
				col("rank_at_entry", Text, "rank as the partner nation names it"),
				col("rank_code_at_entry", NATORank, ""),
				ranged(col("ecl_score", Integer, "English Comprehension Level test"), eclLo, eclHi),
				ranged(col("cost_usd", Decimal, "U.S. cost: tuition plus travel and living allowance"), zero, nil),
				ranged(col("partner_cost_usd", Decimal, "cost borne by the partner nation"), zero, nil),
				code("vetting_status", []string{"APPROVED", "DENIED", "PENDING", "NOT_REQUIRED"}, "human-rights (Leahy) vetting"),
				col("vetting_date", Date, ""),
			},
			RowRules: []RowRule{references(studentRef, "students", "student"), references(courseRef, "courses", "course")},
		},
		{
			Name: "career_events", Key: []string{"event_id"}, Linked: true,
			Doc:       "One row per observed career event. Rows without a student_id are linked to students by identity (see Linking).",
			DateOrder: [][2]string{{"event_date", "reported_date"}},
			Columns: append(append([]Column{
				col("event_id", Text, "when empty, a deterministic hash of the row's content (so a re-sent row is the same event)"),
				identifies(col("student_id", Text, "when empty, the identity columns must allow linking")),
			}, identityColumns()...),
				req(notFuture(col("event_date", Date, ""))),
				req(code("event_type", eventTypes, "VERIFIED = confirmed still serving on event_date, nothing else changed")),
				col("rank_code", NATORank, "rank held from event_date on (PROMOTION requires it)"),
				col("position_title", Text, ""),
				code("position_level", positionLevels, "STRATEGIC: minister, chief of defence, service chief; SENIOR: general staff, major command. Together: \"position of prominence\""),
				code("functional_area", functionalAreas, "as in courses"),
				col("operation_name", Text, "DEPLOYMENT"),
				code("operation_type", operationTypes, "DEPLOYMENT"),
				code("source", eventSources, "who reported it (SCO = U.S. security cooperation office)"),
				notFuture(col("reported_date", Date, "when it was reported; not before event_date")),
			),
			RowRules: []RowRule{linkable,
				{Rule: "required", Column: "rank_code", Value: "NULL",
					When:   "t.event_type = 'PROMOTION' AND t.rank_code IS NULL",
					Reason: "'rank_code is empty; a PROMOTION needs the rank reached'",
					Doc:    "A PROMOTION needs `rank_code`."}},
		},
		{
			Name: "hr_flags", Key: []string{"flag_id"}, Linked: true, Restricted: true,
			Doc: "Restricted. Human-rights flags about a person; never exported in detail.",
			Columns: append(append([]Column{
				req(col("flag_id", Text, "")),
				identifies(col("student_id", Text, "or identity columns as in career_events")),
			}, identityColumns()...),
				req(notFuture(col("flag_date", Date, "date of the alleged conduct"))),
				req(code("severity", []string{"LOW", "MEDIUM", "HIGH"}, "")),
				req(code("status", []string{"ALLEGED", "SUBSTANTIATED", "CLEARED"}, "")),
				col("source", Text, ""),
			),
			RowRules: []RowRule{linkable},
		},
		{
			Name: "post_holders", Key: []string{"holding_id"}, Linked: true,
			Doc:       "Who held a country's senior posts, and when, from a source independent of the training records (official biographies, gazettes): one row per holding of one post by one person. Rows without a student_id are linked to students by identity, as career events are (see Linking). The denominator of LEAD_PENETRATION.",
			DateOrder: [][2]string{{"start_date", "end_date"}},
			Columns: append(append([]Column{
				req(col("holding_id", Text, "unique per holding of one post by one person")),
				identifies(col("student_id", Text, "when empty, the identity columns must allow linking")),
			}, holderIdentity()...),
				req(code("post_level", PostLevels, "CHOD: chief of defence; SERVICE_CHIEF: head of a service; MINISTER: minister of defence (or of the interior for police forces); GENERAL_OFFICER: any general or flag officer post. "+strings.Join(UniquePostLevels, ", ")+" posts have one holder at a time per country and post_title")),
				col("post_title", Text, "the post as the source names it, e.g. Chief of the Army Staff; with country_code and post_level it names one unique post"),
				req(col("start_date", Date, "the first day in office")),
				col("end_date", Date, "the day the holder left office; empty: still in office. Not before start_date"),
				col("source", Text, "where the holding is documented (gazette, official biography)"),
			),
			RowRules: []RowRule{linkable, overlappingHolding()},
		},
		{
			Name: "allocations", Key: []string{"fiscal_year", "country_code", "program"},
			Doc: "Funds allocated per fiscal year, country and program.",
			Columns: []Column{
				req(ranged(col("fiscal_year", Integer, ""), fyLo, fyHi)),
				req(col("country_code", ISOCountry, "")),
				req(code("program", programs, "as in enrollments")),
				req(ranged(col("allocated_usd", Decimal, ""), zero, nil)),
			},
		},
	}
}()

// Lookup returns the dataset with the given name.
func Lookup(name string) (*Dataset, error) {
	for _, d := range Datasets {
		if d.Name == name {
			return d, nil
		}
	}
	return nil, fmt.Errorf("no dataset %q: the datasets are %s", name, strings.Join(DatasetNames(), ", "))
}

// DatasetNames lists the dataset names in load order.
func DatasetNames() []string {
	out := make([]string, len(Datasets), len(Datasets)+1)
	for i, d := range Datasets {
		out[i] = d.Name
	}
	return append(out, FMTRActivities)
}

// FMTRActivities is the Foreign Military Training Report import: files in
// the formats Security Force Monitor publishes, read by their own reader
// (ingest/fmtr, docs/fmtr.md) rather than by the contract above.
const FMTRActivities = "fmtr_activities"

// NormalizeHeader maps a header cell to a column name: letters and digits
// are kept (lower-cased) and every run of anything else becomes one
// underscore, so `Student ID`, `student-id`, ` STUDENT_ID ` and
// all become `student_id`, and `Cost (USD)` becomes
// `cost_usd`.
func NormalizeHeader(h string) string {
	h = strings.TrimPrefix(h, "\ufeff")
	h = strings.ToLower(strings.TrimSpace(h))
	var b strings.Builder
	lastSep := false
	for _, r := range h {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			lastSep = false
			continue
		}
		if !lastSep && b.Len() > 0 {
			b.WriteByte('_')
		}
		lastSep = true
	}
	return strings.TrimSuffix(b.String(), "_")
}
