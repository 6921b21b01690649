package fmtr

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/imet-project/imet/schemas"
)

// cells are the text values of one record of the raw scrape, continuation
// lines merged, as the repairs move them between columns.
type cells struct {
	title, usUnit, su, loc string
	st, en, qty, cst       string
}

// choices are the readings of the ambiguous repairs (docs/fmtr.md,
// "Printed totals are the judge"). The zero value is the default reading;
// each field set reads the row the other way.
type choices struct {
	unitNumberIsCost      bool // a student unit ending with a number that starts another unit's name: the number is the cost after all
	unitNumberNotCost     bool // the number at the end of the student unit is part of its name, not the cost (cost_in_student_unit undone)
	locationNumberNotCost bool // the number at the end of the location is part of it, not the cost (cost_in_location undone)
	titleNumberIsQty      bool // quantity empty, a number both in the location and at the end of the course title: the title's is the quantity
}

// name is the repair that names a choice in Row.Repairs.
func (ch choices) name() string {
	switch {
	case ch.unitNumberIsCost:
		return "unit_number_is_cost"
	case ch.unitNumberNotCost:
		return "unit_number_not_cost"
	case ch.locationNumberNotCost:
		return "location_number_not_cost"
	}
	return "title_number_is_quantity"
}

// alternative is a reading of a row other than the default one, kept for
// the judge.
type alternative struct {
	row    Row
	repair string // the repair that names the choice
}

// programInCountry: the country cell holds the country and then a program
// string ("Fiji   IMET - FY 2006 DoS Training", FY2006): the country is
// what precedes the longest tail that reads as a program string with a
// year, when the whole cell is not a country name.
func programInCountry(s string) (string, bool) {
	if code, _ := schemas.ResolveCountry(s); code != "" {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' || i == 0 || s[i-1] == ' ' {
			continue
		}
		head, tail := strings.TrimSpace(s[:i]), strings.TrimSpace(s[i:])
		if p, ok := parseProgram(tail, ""); ok && p.Generation != GenBare {
			if code, _ := schemas.ResolveCountry(head); code != "" {
				return head, true
			}
		}
	}
	return "", false
}

// record starts the Row of a group of lines: provenance, and the checks on
// the line as a whole (blank_line, field_count).
func (p *rawParser) record(g []line) (Row, bool) {
	h := p.head(g)
	head := g[h]
	row := Row{Line: g[0].first, LastLine: g[len(g)-1].last, Raw: head.fields}
	for i, l := range g {
		if i != h {
			row.Continued = append(row.Continued, l.fields)
		}
	}
	if p.blank(head) {
		bad(&row, "blank_line", "", "the line is empty: delete it")
		return row, false
	}
	if len(head.fields) != p.width {
		bad(&row, "field_count", "", fmt.Sprintf("the line has %d tab-separated fields, the header %d: a tab inside a value or a lost one shifted the columns; correct the line so that it has %d fields", len(head.fields), p.width, p.width))
		return row, false
	}
	return row, true
}

// cellsOf merges the text columns of a group's lines (continuation_line).
func (p *rawParser) cellsOf(g []line) cells {
	h := p.head(g)
	c, f := p.c, func(i int) string { return field(g[h].fields, i) }
	v := cells{title: f(c.title), usUnit: f(c.usUnit), su: f(c.studentUnit), loc: f(c.location),
		st: f(c.start), en: f(c.end), qty: f(c.qty), cst: f(c.cost)}
	if h == 1 {
		v.title = joinText(field(g[0].fields, c.title), v.title)
	}
	for _, l := range g[h+1:] {
		v.title = joinText(v.title, field(l.fields, c.title))
		v.usUnit = joinText(v.usUnit, field(l.fields, c.usUnit))
		v.su = joinText(v.su, field(l.fields, c.studentUnit))
		v.loc = joinText(v.loc, field(l.fields, c.location))
	}
	return v
}

// row reads one record (a group of lines) into exactly one Row: the
// checks on the whole line, the country and program, a printed total, or
// an activity read by the repairs with its other readings kept for the
// judge.
func (p *rawParser) row(g []line) Row {
	row, ok := p.record(g)
	if !ok {
		return row
	}
	v := p.cellsOf(g)
	h := p.head(g)
	if h == 1 {
		row.Repairs = append(row.Repairs, "title_above_record")
	}
	if len(g) > h+1 {
		row.Repairs = append(row.Repairs, "continuation_line")
	}
	head := g[h]
	row.Source = field(head.fields, p.c.source)
	row.CourseTitle, row.USUnit, row.StudentUnit, row.Location = v.title, v.usUnit, v.su, v.loc
	country := field(head.fields, p.c.country)
	if c, ok := programInCountry(country); ok {
		country = c
		row.Repairs = append(row.Repairs, "program_in_country")
	}
	if !setCountry(&row, country) || !setProgram(&row, field(head.fields, p.c.program), p.fy) {
		return row
	}
	if fy, total := totalFY(v.title); total {
		setTotal(&row, fy, v.qty, v.cst)
		return row
	}
	row.Kind = KindActivity
	if p.fragment(g[0]) && len(g) == 1 && p.empty(g[0]) {
		bad(&row, "value_lost", "course_title", fmt.Sprintf("the line holds the country and program and nothing else: the PDF scrape lost the line's values; copy them from the report%s, or delete the line", document(&row)))
		return row
	}
	if p.fragment(g[0]) && len(g) == 1 {
		bad(&row, "orphan_fragment", "course_title", fmt.Sprintf("the line holds only text (%q) and no dates, quantity or cost, and the line above is not an activity of the same country and program: it is a piece of a record the scrape split; join it to its record", clip(strings.Join(nonEmpty(v.title, v.usUnit, v.su, v.loc), " | "))))
		return row
	}
	out, flips := p.read(row, v, choices{})
	for _, ch := range flips {
		alt, _ := p.read(row, v, ch)
		out.alts = append(out.alts, alternative{row: alt, repair: ch.name()})
	}
	return out
}

// read applies the repairs to one record under the given choices and
// finishes the row. It also returns the choices that would read an
// ambiguous value the other way (for the judge).
func (p *rawParser) read(row Row, v cells, ch choices) (Row, []choices) {
	row.Repairs = append([]string(nil), row.Repairs...)
	row.Warnings = append([]string(nil), row.Warnings...)
	repair := func(name string) { row.Repairs = append(row.Repairs, name) }
	var flips []choices
	if notPrinted.MatchString(v.qty) {
		v.qty = "" // "-", "N/A": the quantity is not printed
	}
	if name, ok := valuesByShape(&v); ok {
		repair(name)
	}
	if m := twoDates.FindStringSubmatch(v.st); m != nil && v.en == "" {
		v.st, v.en = m[1], m[2]
		repair("two_dates_in_start")
	}
	if m := costDates.FindStringSubmatch(v.cst); m != nil {
		if v.st != "" || (m[3] != "" && v.en != "") {
			bad(&row, "misplaced_value", "total_cost", fmt.Sprintf("total_cost %q holds a cost and a date, but start_date (%q) and end_date (%q) are already filled: which value is right is ambiguous; correct the row from the report", v.cst, v.st, v.en))
			return row, nil
		}
		v.cst, v.st = m[1], m[2]
		if m[3] != "" {
			v.en = m[3]
		}
		repair("dates_in_cost")
	}
	flips = append(flips, p.costRepairs(&v, ch, repair)...)
	flips = append(flips, quantityRepairs(&v, ch, repair)...)
	row.CourseTitle, row.USUnit, row.StudentUnit, row.Location = v.title, v.usUnit, v.su, v.loc
	p.finish(&row, v)
	return row, flips
}

// costRepairs moves a cost printed at the end of the student unit or the
// location to total_cost (cost_in_student_unit, cost_in_location), and
// returns the other readings: the number is the cost after all, or is not.
func (p *rawParser) costRepairs(v *cells, ch choices, repair func(string)) []choices {
	var flips []choices
	if !ch.unitNumberNotCost {
		if applied, blocked := p.costInStudentUnit(v, ch.unitNumberIsCost); applied {
			repair("cost_in_student_unit")
			if !ch.unitNumberIsCost {
				flips = append(flips, choices{unitNumberNotCost: true})
			}
		} else if blocked {
			flips = append(flips, choices{unitNumberIsCost: true})
		}
	}
	if v.cst == "" && v.su == "" && v.st != "" && v.en != "" && !ch.locationNumberNotCost {
		if m := trailingNumber.FindStringSubmatch(v.loc); m != nil && !zipCode(m[1], m[2]) {
			v.loc, v.cst = m[1], m[2]
			repair("cost_in_location")
			flips = append(flips, choices{locationNumberNotCost: true})
		}
	}
	return flips
}

// quantityRepairs finds an empty quantity in the quantity cell's text
// (location_in_quantity), the location (quantity_in_location) or the end
// of the course title (quantity_in_title), and returns the other reading
// where both the location and the title hold a number.
func quantityRepairs(v *cells, ch choices, repair func(string)) []choices {
	var flips []choices
	if m := qtyText.FindStringSubmatch(v.qty); m != nil {
		v.qty, v.loc = m[1], joinText(v.loc, m[2])
		repair("location_in_quantity")
	}
	titleQty := v.qty == "" && trailingNumber.MatchString(v.title)
	if !ch.titleNumberIsQty {
		if name, ok := quantityInLocation(v); ok {
			repair(name)
			if titleQty {
				flips = append(flips, choices{titleNumberIsQty: true})
			}
		}
	}
	if v.qty == "" {
		if m := trailingNumber.FindStringSubmatch(v.title); m != nil {
			v.title, v.qty = m[1], m[2]
			repair("quantity_in_title")
		}
	}
	return flips
}

// costInStudentUnit: total_cost empty, "… AIR SERVICE 8217 9/29/2008" in
// student_unit (the cost, and the dates whose columns are empty). blocked
// reports a number that another unit's name goes on from ("1st CTE, 31" of
// "1st CTE, 31ºRIM, Kati"): not taken unless force.
func (p *rawParser) costInStudentUnit(v *cells, force bool) (applied, blocked bool) {
	if v.cst != "" {
		return false, false
	}
	m := unitCost.FindStringSubmatch(v.su)
	if m == nil || (m[3] != "" && v.st != "") || (m[4] != "" && v.en != "") {
		return false, false
	}
	if p.unitContinues(m[1]+" "+m[2]) && !force {
		return false, true
	}
	v.su, v.cst = m[1], m[2]
	if m[3] != "" {
		v.st = m[3]
	}
	if m[4] != "" {
		v.en = m[4]
	}
	return true, false
}

var (
	// A cell that prints a placeholder, not a value: no letter or digit, or N/A.
	notPrinted = regexp.MustCompile(`(?i)^(?:[^\pL\pN]*|n/?a)$`)
	bareNumber = regexp.MustCompile(`^\$?\d[\d,]*(?:\.\d+)?$`)
	oneDate    = regexp.MustCompile(`^` + dateRx + `$`)
	// "2 Libreville Gabon" (FY2001: the quantity printed in front of the location).
	leadingNumber = regexp.MustCompile(`^(\d{1,5})(?:\s+(\S.*))?$`)
)

// valuesByShape: the dates and the cost printed in the wrong columns as a
// block, the date columns not both holding a date and total_cost not
// holding a cost: when us_unit, student_unit, start_date, end_date and
// total_cost hold exactly two single dates and one bare number between
// them, those are the dates (earlier one the start) and the cost. FY2006
// Swaziland `4242 | - | 10/16/2005 | | … | 1 | 10/1/2005` (each value one
// column right), Zambia `4/24/2006 | 3012 | | | … | 1 | 6/1/2006` (the
// start and cost in the unit columns, the end in total_cost).
func valuesByShape(v *cells) (string, bool) {
	if (oneDate.MatchString(v.st) && oneDate.MatchString(v.en)) || bareNumber.MatchString(v.cst) {
		return "", false
	}
	slots := []*string{&v.usUnit, &v.su, &v.st, &v.en, &v.cst}
	var dates, numbers []*string
	for _, s := range slots {
		switch {
		case oneDate.MatchString(*s):
			dates = append(dates, s)
		case bareNumber.MatchString(*s):
			numbers = append(numbers, s)
		}
	}
	if len(dates) != 2 || len(numbers) != 1 {
		return "", false
	}
	a, b := *dates[0], *dates[1]
	if ta, okA := parseDate(a); !okA {
		return "", false
	} else if tb, okB := parseDate(b); !okB {
		return "", false
	} else if tb.Before(ta) {
		a, b = b, a
	}
	c := *numbers[0]
	for _, s := range append(dates, numbers...) {
		*s = ""
	}
	for _, s := range []*string{&v.usUnit, &v.su} {
		if strings.Trim(*s, "- ") == "" {
			*s = ""
		}
	}
	v.st, v.en, v.cst = a, b, c
	return "columns_shifted", true
}

// quantityInLocation: quantity empty and the location starts with a whole
// number ("2 Libreville Gabon", FY2001) or, failing that, ends with one
// that is not a ZIP code after a state ("Libreville Gabon 2"), while the
// cost is where it belongs (else the number may be the cost:
// cost_in_location).
func quantityInLocation(v *cells) (string, bool) {
	if v.qty != "" {
		return "", false
	}
	if m := leadingNumber.FindStringSubmatch(v.loc); m != nil {
		v.qty, v.loc = m[1], m[2]
		return "quantity_in_location", true
	}
	if v.cst == "" {
		return "", false
	}
	if m := trailingNumber.FindStringSubmatch(v.loc); m != nil && len(m[2]) <= 5 && !zipCode(m[1], m[2]) {
		v.loc, v.qty = m[1], m[2]
		return "quantity_in_location", true
	}
	return "", false
}

// finish checks what is left after the repairs and parses the values. A
// row whose quantity the scrape lost is quarantined (value_lost): without
// it the row counts nothing. A lost date or cost leaves the row an
// activity with that value nil and a note (date_lost; cost_not_printed,
// or 0 when the group's printed total is 0: the judge decides after all
// rows are read), so its trainees and dollars still count.
func (p *rawParser) finish(row *Row, v cells) {
	placeholder := placeholderCost(v.cst)
	if v.qty == "" && p.c.qty >= 0 {
		p.lost(row, v, []string{"quantity"}, placeholder)
		return
	}
	for _, d := range []*string{&v.st, &v.en} {
		// "$4,181" in start_date (FY2017): the date is lost, the amount is
		// the cost printed twice.
		if bareNumber.MatchString(*d) && !anyDate.MatchString(*d) {
			*d = ""
		}
	}
	for _, d := range []struct{ col, v, other string }{{"start_date", v.st, v.en}, {"end_date", v.en, v.st}} {
		if d.v == "" && d.other != "" {
			row.Warnings = append(row.Warnings, fmt.Sprintf("date_lost: %s is empty and no other column holds it: the PDF scrape lost it; it is unknown (NULL)%s", d.col, document(row)))
		}
	}
	if col, reason := setDates(row, v.st, v.en); col != "" {
		rule := "date_unparseable"
		if len(anyDate.FindAllString(fieldOf(col, v.st, v.en), -1)) > 1 {
			rule = "misplaced_value"
			reason += " (it holds two dates and the other date column is filled: which is which is ambiguous)"
		}
		bad(row, rule, col, reason)
		return
	}
	cst := v.cst
	if placeholder {
		cst = ""
		row.costPlaceholder = p.c.cost >= 0
	}
	if col, reason := setValues(row, v.qty, cst); col != "" {
		bad(row, strings.TrimPrefix(col, "total_")+"_unparseable", col, reason)
	}
}

func document(row *Row) string {
	if row.Source == "" {
		return ""
	}
	return " (see document " + row.Source + ")"
}

// lost quarantines a row whose quantity or one of whose dates the scrape
// lost, keeping what did survive for diagnosis and reconciliation.
func (p *rawParser) lost(row *Row, v cells, lost []string, noCost bool) {
	if noCost && p.c.cost >= 0 {
		lost = append(lost, "total_cost")
	}
	hint := ""
	if v.su == "" && v.loc != "" {
		hint = fmt.Sprintf(" (student_unit is empty too: its words were probably glued to the location %q)", v.loc)
	}
	src := ""
	if row.Source != "" {
		src = " (document " + row.Source + ")"
	}
	if n, ok := parseQuantity(v.qty); ok {
		row.Quantity = &n
	}
	if c, ok := parseCost(v.cst); ok {
		row.Cost = &c
	}
	bad(row, "value_lost", lost[0], fmt.Sprintf("%s of this activity is empty and no other column holds it: the PDF scrape lost it%s; copy it from the report%s into the row", strings.Join(lost, " and "), hint, src))
}

// placeholderCost: a cost cell that prints no amount: empty, "$", "-",
// "$ -", "--", "N/A" (no digit at all).
func placeholderCost(s string) bool {
	return !strings.ContainsAny(s, "0123456789")
}
