package fmtr

import (
	"fmt"
	"regexp"
	"strings"
)

const dateRx = `\d{1,2}/\d{1,2}/\d{2,4}`

var (
	totalTitle = regexp.MustCompile(`(?i)^(?:FY|Fiscal\s+Year)\s*(\d{4})\s+Program\s+Totals?$`)
	// "6/16/2009 7/2/2009" in start_date.
	twoDates = regexp.MustCompile(`^(` + dateRx + `)\s+(` + dateRx + `)$`)
	// "32141 8/7/2009" or "0 10/1/2008 9/30/2009" in total_cost.
	costDates = regexp.MustCompile(`^(\$?[\d,]+(?:\.\d+)?)\s+(` + dateRx + `)(?:\s+(` + dateRx + `))?$`)
	// "Ministry of Foreign Affairs 37711", "… AIR SERVICE 8217 9/29/2008" in student_unit.
	unitCost = regexp.MustCompile(`^(.*\S)\s+(\d+)(?:\s+(` + dateRx + `))?(?:\s+(` + dateRx + `))?$`)
	// "NEWPORT, RI Gendarmerie 22301" in location.
	trailingNumber = regexp.MustCompile(`^(.*\S)\s+(\d+)$`)
	// "1 Garmisch," or "1 39529-7099" in quantity.
	qtyText = regexp.MustCompile(`^(\d+)\s+(\S.*)$`)
	// A date anywhere in a value.
	anyDate    = regexp.MustCompile(dateRx)
	stateToken = regexp.MustCompile(`^[A-Z]{2}$`)
)

type rawParser struct {
	lines  []line
	width  int
	c      rawCols
	units  map[string]bool // every student_unit of the file, trimmed
	prefix []string        // the same, for the prefix test of cost_in_student_unit
}

type rawCols struct {
	country, program, title, usUnit, studentUnit, start, end, location, qty, cost, source int
}

func newRawParser(lines []line, cols map[string]int, width int) *rawParser {
	p := &rawParser{lines: lines, width: width, units: map[string]bool{}}
	p.c = rawCols{
		country: colIndex(cols, "country"), program: colIndex(cols, "program"),
		title: colIndex(cols, "course_title"), usUnit: colIndex(cols, "us_unit"),
		studentUnit: colIndex(cols, "student_unit"), start: colIndex(cols, "start_date"),
		end: colIndex(cols, "end_date"), location: colIndex(cols, "location"),
		qty: colIndex(cols, "quantity"), cost: colIndex(cols, "total_cost"),
		source: colIndex(cols, "source"),
	}
	for _, l := range lines {
		if u := field(l.fields, p.c.studentUnit); u != "" && !p.units[u] {
			p.units[u] = true
			p.prefix = append(p.prefix, u)
		}
	}
	return p
}

func (p *rawParser) blank(l line) bool {
	return len(l.fields) == 1 && strings.TrimSpace(l.fields[0]) == ""
}

// fragment: a line with text but no dates, quantity or cost — the rest of
// the record above it that the PDF printed on a second line.
func (p *rawParser) fragment(l line) bool {
	if len(l.fields) != p.width {
		return false
	}
	for _, i := range []int{p.c.start, p.c.end, p.c.qty, p.c.cost} {
		if field(l.fields, i) != "" {
			return false
		}
	}
	_, total := totalFY(field(l.fields, p.c.title))
	return !total
}

// continues reports whether fragment l continues record g: same country,
// same program (the department prefix of FY2002/FY2005 strings may differ),
// and g is an activity line.
func (p *rawParser) continues(g []line, l line) bool {
	head := g[0]
	if p.blank(head) || len(head.fields) != p.width || p.fragment(head) {
		return false
	}
	if _, total := totalFY(field(head.fields, p.c.title)); total {
		return false
	}
	if field(head.fields, p.c.country) != field(l.fields, p.c.country) {
		return false
	}
	a, okA := parseProgram(field(head.fields, p.c.program))
	b, okB := parseProgram(field(l.fields, p.c.program))
	return okA && okB && a.Program == b.Program && a.Sub == b.Sub && a.FY == b.FY
}

func (p *rawParser) parse() []Row {
	var groups [][]line
	for _, l := range p.lines {
		if n := len(groups); n > 0 && p.fragment(l) && p.continues(groups[n-1], l) {
			groups[n-1] = append(groups[n-1], l)
			continue
		}
		groups = append(groups, []line{l})
	}
	rows := make([]Row, 0, len(groups))
	for _, g := range groups {
		rows = append(rows, p.row(g))
	}
	return rows
}

// unitContinues reports whether another student unit of the file starts
// with s and goes on with a letter or sign (not a space or digit): then the
// number at the end of s is part of a unit's name ("1st CTE, 31" of
// "1st CTE, 31ºRIM, Kati"), not a cost.
func (p *rawParser) unitContinues(s string) bool {
	for _, u := range p.prefix {
		if len(u) > len(s) && strings.HasPrefix(u, s) {
			c := u[len(s)]
			if c != ' ' && (c < '0' || c > '9') {
				return true
			}
		}
	}
	return false
}

func joinText(a, b string) string {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " " + b
}

func (p *rawParser) row(g []line) Row {
	head := g[0]
	row := Row{Line: head.first, LastLine: g[len(g)-1].last, Raw: head.fields}
	for _, l := range g[1:] {
		row.Continued = append(row.Continued, l.fields)
	}
	if p.blank(head) {
		bad(&row, "blank_line", "", "the line is empty: delete it")
		return row
	}
	if len(head.fields) != p.width {
		bad(&row, "field_count", "", fmt.Sprintf("the line has %d tab-separated fields, the header %d: a tab inside a value or a lost one shifted the columns; correct the line so that it has %d fields", len(head.fields), p.width, p.width))
		return row
	}
	c := p.c
	f := func(i int) string { return field(head.fields, i) }
	title, usUnit, su, loc := f(c.title), f(c.usUnit), f(c.studentUnit), f(c.location)
	for _, l := range g[1:] {
		title = joinText(title, field(l.fields, c.title))
		usUnit = joinText(usUnit, field(l.fields, c.usUnit))
		su = joinText(su, field(l.fields, c.studentUnit))
		loc = joinText(loc, field(l.fields, c.location))
	}
	if len(g) > 1 {
		row.Repairs = append(row.Repairs, "continuation_line")
	}
	st, en, qty, cst := f(c.start), f(c.end), f(c.qty), f(c.cost)
	row.Source = f(c.source)
	set := func() { row.CourseTitle, row.USUnit, row.StudentUnit, row.Location = title, usUnit, su, loc }
	set()
	if !setCountry(&row, f(c.country)) || !setProgram(&row, f(c.program)) {
		return row
	}
	if fy, total := totalFY(title); total {
		setTotal(&row, fy, qty, cst)
		return row
	}
	row.Kind = KindActivity
	if p.fragment(head) && len(g) == 1 {
		bad(&row, "orphan_fragment", "course_title", fmt.Sprintf("the line holds only text (%q) and no dates, quantity or cost, and the line above is not an activity of the same country and program: it is a piece of a record the scrape split; join it to its record", clip(strings.Join(nonEmpty(title, usUnit, su, loc), " | "))))
		return row
	}
	repair := func(name string) { row.Repairs = append(row.Repairs, name) }

	// two_dates_in_start: "6/16/2009 7/2/2009" in start_date, end_date empty.
	if m := twoDates.FindStringSubmatch(st); m != nil && en == "" {
		st, en = m[1], m[2]
		repair("two_dates_in_start")
	}
	// dates_in_cost: "32141 8/7/2009" in total_cost, start_date empty.
	if m := costDates.FindStringSubmatch(cst); m != nil {
		if st != "" || (m[3] != "" && en != "") {
			bad(&row, "misplaced_value", "total_cost", fmt.Sprintf("total_cost %q holds a cost and a date, but start_date (%q) and end_date (%q) are already filled: which value is right is ambiguous; correct the row from the report", cst, st, en))
			return row
		}
		cst, st = m[1], m[2]
		if m[3] != "" {
			en = m[3]
		}
		repair("dates_in_cost")
	}
	// cost_in_student_unit: total_cost empty, "… AIR SERVICE 8217 9/29/2008"
	// in student_unit (the cost, and the dates whose columns are empty).
	if cst == "" {
		if m := unitCost.FindStringSubmatch(su); m != nil &&
			(m[3] == "" || st == "") && (m[4] == "" || en == "") &&
			!p.unitContinues(m[1]+" "+m[2]) {
			su, cst = m[1], m[2]
			if m[3] != "" {
				st = m[3]
			}
			if m[4] != "" {
				en = m[4]
			}
			repair("cost_in_student_unit")
		}
	}
	// cost_in_location: total_cost and student_unit empty, dates present,
	// "NEWPORT, RI Gendarmerie 22301" in location (not a ZIP code after a
	// state: "FT BENNING GA 31905").
	if cst == "" && su == "" && st != "" && en != "" {
		if m := trailingNumber.FindStringSubmatch(loc); m != nil && !zipCode(m[1], m[2]) {
			loc, cst = m[1], m[2]
			repair("cost_in_location")
		}
	}
	// location_in_quantity: "1 Garmisch," in quantity.
	if m := qtyText.FindStringSubmatch(qty); m != nil {
		qty, loc = m[1], joinText(loc, m[2])
		repair("location_in_quantity")
	}
	// quantity_in_title: quantity empty, "… (PASS) 08-7 2" in course_title.
	if qty == "" {
		if m := trailingNumber.FindStringSubmatch(title); m != nil {
			title, qty = m[1], m[2]
			repair("quantity_in_title")
		}
	}
	set()

	var lost []string
	if cst == "" {
		lost = append(lost, "total_cost")
	}
	if qty == "" {
		lost = append(lost, "quantity")
	}
	if st == "" && en != "" {
		lost = append(lost, "start_date")
	}
	if en == "" && st != "" {
		lost = append(lost, "end_date")
	}
	if len(lost) > 0 {
		hint := ""
		if su == "" && loc != "" {
			hint = fmt.Sprintf(" (student_unit is empty too: its words were probably glued to the location %q)", loc)
		}
		src := ""
		if row.Source != "" {
			src = " (document " + row.Source + ")"
		}
		// Keep what did survive, for diagnosis and reconciliation.
		if n, ok := parseQuantity(qty); ok {
			row.Quantity = &n
		}
		if c, ok := parseCost(cst); ok {
			row.Cost = &c
		}
		bad(&row, "value_lost", lost[0], fmt.Sprintf("%s of this activity is empty and no other column holds it: the PDF scrape lost it%s; copy it from the report%s into the row", strings.Join(lost, " and "), hint, src))
		return row
	}
	if col, reason := setDates(&row, st, en); col != "" {
		rule := "date_unparseable"
		if len(anyDate.FindAllString(fieldOf(col, st, en), -1)) > 1 {
			rule = "misplaced_value"
			reason += " (it holds two dates and the other date column is filled: which is which is ambiguous)"
		}
		bad(&row, rule, col, reason)
		return row
	}
	if col, reason := setValues(&row, qty, cst); col != "" {
		bad(&row, strings.TrimPrefix(col, "total_")+"_unparseable", col, reason)
		return row
	}
	return row
}

func fieldOf(col, st, en string) string {
	if col == "start_date" {
		return st
	}
	return en
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// zipCode: a five-digit number after a two-letter state ("GA 31905").
func zipCode(before, num string) bool {
	if len(num) != 5 {
		return false
	}
	toks := strings.Fields(before)
	return len(toks) > 0 && stateToken.MatchString(toks[len(toks)-1])
}
