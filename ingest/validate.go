package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/imet-project/imet/schemas"
)

// MaxText is the longest text value accepted; longer ones are quarantined
// (rule too_long) rather than stored.
const MaxText = 1000

// validationSQL builds the one statement that turns the staging view `src`
// into `chk`: every contract column normalised and typed, a content hash,
// and `_errs`, the list of problems of each row (empty for a good row). It is
// generated from the contract so every column gets exactly its rules.
// trim says whether a value may need trimming (stage's staged.unpadded).
func validationSQL(ds *schemas.Dataset, from, dateFormat string, loadDate time.Time, trim bool) string {
	var norm, typed []string
	var checks []check
	for _, c := range ds.Columns {
		q := ident(c.Name)
		norm = append(norm, normalise(c, trim)+" AS "+q)
		if hasTypedValue(c) {
			typed = append(typed, typedExpr(c, dateFormat)+" AS "+ident(c.Name+"__v"))
		}
		checks = append(checks, columnChecks(ds, c, dateFormat, loadDate)...)
	}
	// One scan of a row's text for control characters; the per-column
	// check (rule control) runs only on the rare row that has one.
	var texts []string
	for _, c := range ds.Columns {
		if c.Type == schemas.Text {
			texts = append(texts, "n."+ident(c.Name))
		}
	}
	if len(texts) > 0 {
		typed = append(typed, fmt.Sprintf("regexp_matches(concat_ws(' ', %s), '%s') AS _ctl", strings.Join(texts, ", "), controlChar))
	}
	checks = append(checks, datasetChecks(ds)...)
	for _, o := range ds.DateOrder {
		a, b := value(ds, o[0]), value(ds, o[1])
		ca, _ := ds.Column(o[0])
		cb, _ := ds.Column(o[1])
		checks = append(checks, problem(o[1], b+"::VARCHAR", "date_order",
			fmt.Sprintf(`'%s%s is before %s%s'`, o[1], said(ds, cb, b, false), o[0], said(ds, ca, a, false)),
			fmt.Sprintf("%s < %s", b, a)))
	}
	// Derived values: what an empty cell means by the contract.
	final := make([]string, len(ds.Columns))
	for i, c := range ds.Columns {
		final[i] = value(ds, c.Name) + " AS " + ident(c.Name)
	}
	switch ds.Name {
	case "enrollments":
		final[indexOf(ds, "fiscal_year")] = `coalesce(t.fiscal_year__v, fiscal_year_of(t.start_date__v)::INTEGER) AS fiscal_year`
	case "career_events":
		var parts []string
		for _, c := range ds.Columns[1:] {
			parts = append(parts, "coalesce("+value(ds, c.Name)+"::VARCHAR, '')")
		}
		// A re-sent row without an id must get the same id again.
		final[0] = `coalesce(t.event_id, 'H' || left(md5(concat_ws('|', ` + strings.Join(parts, ", ") + `)), 16)) AS event_id`
	}
	conds, list := errorList(checks)
	return fmt.Sprintf(`CREATE TEMP TABLE chk AS
WITH n AS (SELECT _line, %s FROM %s AS src),
t AS (SELECT n.*, %s FROM n),
k AS (SELECT t.*, %s FROM t),
f AS (SELECT _line, %s,
  %s AS _errs
FROM k AS t)
SELECT *, %s AS _row_hash FROM f`,
		strings.Join(norm, ",\n  "), from, strings.Join(typed, ",\n  "), conds, strings.Join(final, ", "),
		list, schemas.RowHashSQL(ds, ""))
}

// The struct every check yields; list elements must share one type.
type check struct{ cond, expr string }

func problem(col, value, rule, msg, cond string) check {
	return check{cond, fmt.Sprintf("{'col': '%s', 'val': left(%s, 200)::VARCHAR, 'rule': '%s', 'msg': %s}", col, value, rule, msg)}
}

// errorList builds the problems of a row only for rows with any: building
// a list per row is what costs, and almost every row is good. Each condition
// is computed once, as a column _kN of the layer k (a reference check is a
// join; writing it twice would run it twice).
func errorList(checks []check) (conds, list string) {
	cs := make([]string, len(checks))
	ks := make([]string, len(checks))
	exprs := make([]string, len(checks))
	for i, c := range checks {
		k := fmt.Sprintf("_k%d", i)
		cs[i] = fmt.Sprintf("coalesce(%s, false) AS %s", c.cond, k)
		ks[i] = k
		exprs[i] = fmt.Sprintf("CASE WHEN %s THEN %s END", k, c.expr)
	}
	list = fmt.Sprintf("CASE WHEN %s\n  THEN list_filter([%s], x -> x IS NOT NULL)\n  ELSE []::%s[] END",
		strings.Join(ks, " OR "), strings.Join(exprs, ",\n    "), errStruct)
	return strings.Join(cs, ",\n  "), list
}

const errStruct = "STRUCT(col VARCHAR, val VARCHAR, rule VARCHAR, msg VARCHAR)"

func indexOf(ds *schemas.Dataset, name string) int {
	for i, c := range ds.Columns {
		if c.Name == name {
			return i
		}
	}
	panic("ingest: no column " + name + " in " + ds.Name)
}

// hasTypedValue: the column's stored value differs from its text.
func hasTypedValue(c schemas.Column) bool {
	switch c.Type {
	case schemas.Date, schemas.Integer, schemas.Decimal, schemas.Boolean:
		return true
	}
	return false
}

// value is the expression of a column's typed value in the t layer.
func value(ds *schemas.Dataset, name string) string {
	c, _ := ds.Column(name)
	if hasTypedValue(c) {
		return "t." + ident(name+"__v")
	}
	return "t." + ident(name)
}

// normalise is a column's text as validation reads it: trimmed (unless
// the file is known to have nothing to trim: trim() costs a third of the
// validation of a large file), empty as NULL, codes upper-cased, ranks in
// their canonical form, the default for an empty cell.
func normalise(c schemas.Column, trim bool) string {
	v := fmt.Sprintf("NULLIF(src.%s, '')", ident(c.Name))
	if trim {
		v = fmt.Sprintf("NULLIF(trim(src.%s), '')", ident(c.Name))
	}
	switch c.Type {
	case schemas.Code, schemas.ISOCountry:
		v = "upper(" + v + ")"
	case schemas.NATORank:
		v = schemas.RankNormalizeSQL(v)
	}
	if c.Default != "" {
		v = fmt.Sprintf("coalesce(%s, '%s')", v, c.Default)
	}
	return v
}

func dateParse(v, format string) string {
	// The contract's form is strict: a cast would also take 2019-1-2.
	// (Ten bytes in that pattern: half the cost of comparing the string's
	// fifth and eighth characters, and no other date casts.)
	iso := fmt.Sprintf("CASE WHEN strlen(%[1]s) = 10 AND %[1]s LIKE '____-__-__' THEN TRY_CAST(%[1]s AS DATE) END", v)
	if format == "" || format == "%Y-%m-%d" {
		return iso
	}
	return fmt.Sprintf("coalesce(try_strptime(%s, %s)::DATE, %s)", v, literal(format), iso)
}

func typedExpr(c schemas.Column, dateFormat string) string {
	v := "n." + ident(c.Name)
	switch c.Type {
	case schemas.Date:
		return dateParse(v, dateFormat)
	case schemas.Integer:
		// A cast alone would round 1980.5 to 1981 and read 0x7BC, 1_980
		// and 1.98e3 as 1980: only digits (and a fraction of zeros, as a
		// floating-point export writes 1980.0) are a whole number.
		return fmt.Sprintf("CASE WHEN regexp_full_match(%[1]s, '%[2]s') THEN TRY_CAST(%[1]s AS INTEGER) END", v, wholeNumber)
	case schemas.Decimal:
		// More decimals than the column keeps are rule precision: the cast
		// would round 100.005 to 100.01 without a word. An exponent is no
		// form of the contract's and would hide them (12.5e-3 is 0.0125,
		// stored 0.01): rule type.
		return fmt.Sprintf("CASE WHEN strpos(%[1]s, 'e') = 0 AND strpos(%[1]s, 'E') = 0 THEN TRY_CAST(%[1]s AS DECIMAL(18,2)) END", v)
	case schemas.Boolean:
		return fmt.Sprintf("CASE WHEN lower(%[1]s) IN ('true','t','yes','y','1') THEN true WHEN lower(%[1]s) IN ('false','f','no','n','0') THEN false END", v)
	}
	return v
}

// The forms of a number validation accepts, as RE2 patterns.
const (
	wholeNumber = `[+-]?[0-9]+(\.0*)?`
	// controlChar is a C0 control character other than tab and line breaks
	// (a leading tab or carriage return is rule formula), or DEL.
	controlChar = `[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]`
)

// decimalPlaces is the number of decimal places schemas.Decimal keeps.
const decimalPlaces = 2

func quoted(v string) string { return `'"' || left(` + v + `, 60) || '"'` }

// said is how a reason shows the value v of column c: quoted (or as is,
// for a typed value) where the contract discloses it, and not at all where
// it is personal, a person's identifier or of a restricted dataset
// (Dataset.Discloses, the rule the published quarantine's value column
// follows): "birth_year is not a whole number", not the value. The result
// is an SQL text expression that begins with a space, or is empty.
func said(ds *schemas.Dataset, c schemas.Column, v string, quote bool) string {
	if !ds.Discloses(c) {
		return ""
	}
	if quote {
		v = quoted(v)
	}
	return ` ' || ` + v + ` || '`
}

// columnChecks are one column's checks, by its type in the contract:
// required, then the checks of text, codes, ranks, countries, dates,
// numbers and booleans.
func columnChecks(ds *schemas.Dataset, c schemas.Column, dateFormat string, loadDate time.Time) []check {
	name := c.Name
	q := ident(name)
	raw := "t." + q // the normalised text, before typing
	typed := value(ds, name)
	var out []check
	if c.Required {
		out = append(out, problem(name, "NULL::VARCHAR", "required", fmt.Sprintf("'%s is empty; it is required'", name), raw+" IS NULL"))
	}
	switch c.Type {
	case schemas.Text:
		shown := fmt.Sprintf("regexp_replace(%s, '%s', '\uFFFD', 'g')", raw, controlChar)
		out = append(out,
			problem(name, raw, "formula", fmt.Sprintf(`'%s%s begins with ' || %s || ' and would run as a spreadsheet formula: remove the leading character'`, name, said(ds, c, raw, true), schemas.FormulaLeadSQL(raw)),
				schemas.FormulaSQL(raw)),
			problem(name, shown, "control", fmt.Sprintf(`'%s holds ' || CASE WHEN strpos(%[2]s, chr(0)) > 0 THEN 'a NUL byte' ELSE 'the control character ' || printf('U+%%04X', ascii(regexp_extract(%[2]s, '%[3]s'))) END || ' at character ' || strpos(%[2]s, regexp_extract(%[2]s, '%[3]s')) || ' (shown as �): remove it; a binary or damaged export is the usual cause'`, name, raw, controlChar),
				fmt.Sprintf("CASE WHEN t._ctl THEN regexp_matches(%s, '%s') END", raw, controlChar)),
			problem(name, raw, "too_long", fmt.Sprintf(`'%s is ' || length(%s) || ' characters long; the limit is %d'`, name, raw, MaxText),
				fmt.Sprintf("length(%s) > %d", raw, MaxText)))
	case schemas.Code:
		out = append(out, problem(name, raw, "allowed", fmt.Sprintf(`'%s%s is not one of %s'`, name, said(ds, c, raw, true), strings.Join(c.Allowed, ", ")),
			fmt.Sprintf("%s NOT IN (%s)", raw, sqlList(c.Allowed))))
	case schemas.NATORank:
		out = append(out, problem(name, raw, "allowed", fmt.Sprintf(`'%s%s is not a NATO rank code (OR-1…OR-9, WO-1…WO-5, OF-1…OF-10, CIV)'`, name, said(ds, c, raw, true)),
			fmt.Sprintf("%s NOT IN (%s)", raw, sqlList(schemas.RankCodes))))
	case schemas.ISOCountry:
		if ds.Name == "countries" {
			// The countries file is where new codes come from.
			out = append(out, problem(name, raw, "type", fmt.Sprintf(`'%s%s is not a three-letter code (ISO 3166-1 alpha-3)'`, name, said(ds, c, raw, true)),
				fmt.Sprintf("NOT regexp_full_match(%s, '[A-Z]{3}')", raw)))
			break
		}
		out = append(out, problem(name, raw, "reference", fmt.Sprintf(`'%s%s is not in countries: use an ISO 3166-1 alpha-3 code, or load a countries row for it first'`, name, said(ds, c, raw, true)),
			raw+" NOT IN (SELECT country_code FROM countries)"))
	case schemas.Date:
		out = append(out, dateChecks(ds, c, raw, typed, dateFormat, loadDate)...)
	case schemas.Integer, schemas.Decimal:
		out = append(out, numberChecks(ds, c, raw, typed)...)
	case schemas.Boolean:
		out = append(out, problem(name, raw, "type", fmt.Sprintf(`'%s%s is not true or false'`, name, said(ds, c, raw, true)), raw+" IS NOT NULL AND "+typed+" IS NULL"))
	}
	return out
}

// dateChecks are a date column's checks: its type (naming the setting that
// reads a file of other dates), the earliest date, and, where the contract
// says so, not after the day it is loaded.
func dateChecks(ds *schemas.Dataset, c schemas.Column, raw, typed, dateFormat string, loadDate time.Time) []check {
	name := c.Name
	var out []check
	form := "YYYY-MM-DD"
	if dateFormat != "" {
		form = strings.ReplaceAll(dateFormat, "'", "''") + " or YYYY-MM-DD"
	}
	// The setting that fixes a whole file of other dates is named, and
	// how to send the file again once it is set.
	hint := fmt.Sprintf(`; if the source writes dates another way, declare its layout in imet.toml ([ingest] date_formats = { %s = "%%m/%%d/%%Y" } for month first, "%%d/%%m/%%Y" for day first, "%%d.%%m.%%Y", …) and send the file again with imet ingest --force`, ds.Name)
	if dateFormat != "" {
		hint = fmt.Sprintf(`; it matches neither the layout declared for %s in imet.toml ([ingest] date_formats) nor YYYY-MM-DD: correct the value, or the layout`, ds.Name)
	}
	out = append(out, problem(name, raw, "type", fmt.Sprintf(`'%s%s is not a date (%s)%s'`, name, said(ds, c, raw, true), form, hint), raw+" IS NOT NULL AND "+typed+" IS NULL"),
		problem(name, raw, "range", fmt.Sprintf(`'%s%s is before %s, the earliest date a record can hold: correct the year'`, name, said(ds, c, typed, false), schemas.EarliestDate),
			fmt.Sprintf("%s < DATE '%s'", typed, schemas.EarliestDate)))
	if c.NotFuture {
		d := loadDate.Format("2006-01-02")
		out = append(out, problem(name, raw, "range", fmt.Sprintf(`'%s%s is after the day it was loaded (%s)'`, name, said(ds, c, typed, false), d),
			fmt.Sprintf("%s > DATE '%s'", typed, d)))
	}
	return out
}

// numberChecks are an integer or decimal column's checks: its type, a
// decimal's places, and its range.
func numberChecks(ds *schemas.Dataset, c schemas.Column, raw, typed string) []check {
	name := c.Name
	var out []check
	what := "a whole number: write digits only (no decimal point, exponent, hex prefix or digit separator)"
	if c.Type == schemas.Decimal {
		what = "a number (digits, an optional point, no currency sign, thousands separator or exponent): correct it"
	}
	out = append(out, problem(name, raw, "type", fmt.Sprintf(`'%s%s is not %s'`, name, said(ds, c, raw, true), what), raw+" IS NOT NULL AND "+typed+" IS NULL"))
	if c.Type == schemas.Decimal {
		stored := ""
		if ds.Discloses(c) {
			stored = " (it would store ' || " + typed + " || ')"
		}
		out = append(out, problem(name, raw, "precision", fmt.Sprintf(`'%s%s has more than %d decimal places, and the warehouse keeps %d%s: round it in the source'`, name, said(ds, c, raw, true), decimalPlaces, decimalPlaces, stored),
			// the cheap test first: almost no value has a point that far left
			fmt.Sprintf("CASE WHEN length(%[2]s) - strpos(%[2]s, '.') > %[3]d AND strpos(%[2]s, '.') > 0 AND %[1]s IS NOT NULL THEN length(rtrim(regexp_extract(%[2]s, '\\.([0-9]*)', 1), '0')) > %[3]d END", typed, raw, decimalPlaces)))
	}
	if c.Min != nil || c.Max != nil {
		var conds []string
		desc := ""
		switch {
		case c.Min != nil && c.Max != nil:
			desc = fmt.Sprintf("outside %g to %g", *c.Min, *c.Max)
		case c.Min != nil && *c.Min == 0:
			desc = "negative"
		case c.Min != nil:
			desc = fmt.Sprintf("below %g", *c.Min)
		}
		if c.Min != nil {
			conds = append(conds, fmt.Sprintf("%s < %g", typed, *c.Min))
		}
		if c.Max != nil {
			conds = append(conds, fmt.Sprintf("%s > %g", typed, *c.Max))
		}
		out = append(out, problem(name, raw, "range", fmt.Sprintf(`'%s%s is %s'`, name, said(ds, c, typed, false), desc), strings.Join(conds, " OR ")))
	}
	return out
}

// datasetChecks are the contract's rules that involve more than one column
// or another table, as the contract declares them.
func datasetChecks(ds *schemas.Dataset) []check {
	out := make([]check, len(ds.RowRules))
	for i, r := range ds.RowRules {
		out[i] = problem(r.Column, r.Value+"::VARCHAR", r.Rule, r.Reason, r.When)
	}
	return out
}

func sqlList(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = literal(v)
	}
	return strings.Join(q, ", ")
}

// keyText is a row's key as text: the key columns joined by |.
func keyText(ds *schemas.Dataset, prefix string) string {
	parts := make([]string, len(ds.Key))
	for i, k := range ds.Key {
		parts[i] = prefix + ident(k) + "::VARCHAR"
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "concat_ws('|', " + strings.Join(parts, ", ") + ")"
}

// markDuplicates runs duplicateSQL when a quick count finds a repeated key.
func markDuplicates(ctx context.Context, conn *sql.Conn, ds *schemas.Dataset) error {
	var repeated int64
	keys := strings.Join(quoteAll(ds.Key), ", ")
	q := fmt.Sprintf("SELECT count(*) - count(DISTINCT (%s)) FROM chk", keys)
	if len(ds.Key) == 1 {
		q = fmt.Sprintf("SELECT count(%[1]s) - count(DISTINCT %[1]s) FROM chk", keys)
	}
	if err := conn.QueryRowContext(ctx, q).Scan(&repeated); err != nil || repeated == 0 {
		return err
	}
	_, err := conn.ExecContext(ctx, duplicateSQL(ds))
	return err
}

// duplicateSQL marks rows whose key appears more than once in the file:
// identical copies after the first, and every row of a key sent with
// different contents (the file does not say which is right).
func duplicateSQL(ds *schemas.Dataset) string {
	keys := make([]string, len(ds.Key))
	on := make([]string, len(ds.Key))
	for i, k := range ds.Key {
		keys[i] = ident(k)
		on[i] = fmt.Sprintf("chk.%[1]s = d.%[1]s", ident(k))
	}
	keyText := "concat_ws(', ', " + strings.Join(prefixed("chk.", keys), ", ") + ")"
	// The key is quoted where the contract discloses every key column; a
	// person's identifier (students' student_id) or a restricted row's key
	// is named, not quoted.
	said := ` ' || ` + keyText + ` || '`
	for _, k := range ds.Key {
		if !ds.DisclosesColumn(k) {
			said = ""
		}
	}
	return fmt.Sprintf(`UPDATE chk SET _errs = list_append(_errs, {'col': '%[1]s', 'val': left(%[2]s, 200), 'rule': 'duplicate',
  'msg': CASE WHEN d.versions = 1 THEN '%[1]s%[6]s repeats line ' || d.first_line || ' exactly: keep one row per key'
         ELSE '%[1]s%[6]s appears on lines ' || d.lines || ' with different contents: keep the right one' END})
FROM (SELECT %[3]s, count(DISTINCT _row_hash) AS versions, min(_line) AS first_line,
             string_agg(_line::VARCHAR, ', ' ORDER BY _line) AS lines
      FROM chk WHERE %[4]s GROUP BY ALL HAVING count(*) > 1) d
WHERE %[5]s AND (d.versions > 1 OR chk._line > d.first_line)`,
		strings.Join(ds.Key, ", "), keyText, strings.Join(keys, ", "),
		strings.Join(suffixed(keys, " IS NOT NULL"), " AND "), strings.Join(on, " AND "), said)
}

func prefixed(p string, s []string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = p + x
	}
	return out
}

func suffixed(s []string, p string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = x + p
	}
	return out
}
