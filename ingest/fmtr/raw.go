package fmtr

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

const dateRx = `\d{1,2}/\d{1,2}/\d{2,4}`

var (
	totalTitle = regexp.MustCompile(`(?i)^(?:(?:FY|Fiscal\s+Year)\s*(\d{4})\s+)?Program\s+Totals?\s*:?$`)
	// "6/16/2009 7/2/2009" in start_date; "1/8/20061/11/2006" (FY2006) glued.
	twoDates = regexp.MustCompile(`^(` + dateRx + `)\s*(` + dateRx + `)$`)
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
	fy     int             // the report's fiscal year, for program strings that print none
	notes  []string        // Report.Notes
	units  map[string]bool // every student_unit of the file, trimmed
	prefix []string        // the same, for the prefix test of cost_in_student_unit
}

type rawCols struct {
	country, program, title, usUnit, studentUnit, start, end, location, qty, cost, source int
}

var fileYear = regexp.MustCompile(`(?:^|[^0-9])((?:19|20)\d\d)_(?:19|20)\d\d_`)

func newRawParser(lines []line, cols map[string]int, width int, name string) *rawParser {
	p := &rawParser{lines: lines, width: width, units: map[string]bool{}}
	col := func(name string) int {
		i := colIndex(cols, rawColumns[name]...)
		if i < 0 {
			p.notes = append(p.notes, fmt.Sprintf("column_missing: the file has no %s column: the report did not print it, so it is empty (NULL) on every row", name))
		}
		return i
	}
	p.c = rawCols{
		country: col("country"), program: col("program"), title: col("course_title"), usUnit: col("us_unit"),
		studentUnit: col("student_unit"), start: col("start_date"), end: col("end_date"), location: col("location"),
		qty: col("quantity"), cost: col("total_cost"), source: col("source"),
	}
	for _, l := range lines {
		if u := field(l.fields, p.c.studentUnit); u != "" && !p.units[u] {
			p.units[u] = true
			p.prefix = append(p.prefix, u)
		}
	}
	p.fy = p.reportYear(name)
	return p
}

// reportYear is the fiscal year most program strings of the file print,
// else the year of the file name (2006_2007_Europe_fmtrpt.tsv: 2006): the
// year of a program printed without one ("Democracy Building", FY2006).
func (p *rawParser) reportYear(name string) int {
	n := map[int]int{}
	best := 0
	for _, l := range p.lines {
		if info, ok := parseProgram(field(l.fields, p.c.program), ""); ok && info.FY > 0 {
			n[info.FY]++
			if n[info.FY] > n[best] || (n[info.FY] == n[best] && info.FY < best) {
				best = info.FY
			}
		}
	}
	if best == 0 {
		if m := fileYear.FindStringSubmatch(name); m != nil {
			best, _ = strconv.Atoi(m[1])
		}
	}
	return best
}

func (p *rawParser) blank(l line) bool {
	return len(l.fields) == 1 && strings.TrimSpace(l.fields[0]) == ""
}

// titleAbove reports whether line i is the course title of the record
// below it, printed on a line of its own: a fragment holding only a course
// title, followed by an activity line of the same country and program
// whose course title is empty (FY2017 Africa 57–58, Benin: `Horizontal
// Engineering training` above `| NDNG - 2 | Composite Unit | 3/13/2017 …`).
func (p *rawParser) titleAbove(i int) bool {
	l := p.lines[i]
	if i+1 >= len(p.lines) || !p.fragment(l) || field(l.fields, p.c.title) == "" {
		return false
	}
	for _, c := range []int{p.c.usUnit, p.c.studentUnit, p.c.location} {
		if field(l.fields, c) != "" {
			return false
		}
	}
	next := p.lines[i+1]
	if len(next.fields) != p.width || p.fragment(next) || field(next.fields, p.c.title) != "" {
		return false
	}
	return p.continues([]line{next}, l)
}

// head is the index of a group's record line: 1 when a title above it
// (titleAbove) comes first, else 0.
func (p *rawParser) head(g []line) int {
	if len(g) > 1 && p.fragment(g[0]) && !p.fragment(g[1]) {
		return 1
	}
	return 0
}

// empty: a line of the header's width whose text columns are all empty.
func (p *rawParser) empty(l line) bool {
	for _, i := range []int{p.c.title, p.c.usUnit, p.c.studentUnit, p.c.location} {
		if field(l.fields, i) != "" {
			return false
		}
	}
	return true
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
	a, okA := parseProgram(field(head.fields, p.c.program), field(head.fields, p.c.country))
	b, okB := parseProgram(field(l.fields, p.c.program), field(l.fields, p.c.country))
	return okA && okB && a.Program == b.Program && a.Sub == b.Sub && a.FY == b.FY
}

func (p *rawParser) parse() []Row {
	var groups [][]line
	leading := false // the last group is a title waiting for its record (titleAbove)
	for i, l := range p.lines {
		n := len(groups)
		switch {
		case leading:
			groups[n-1] = append(groups[n-1], l)
			leading = false
		case p.titleAbove(i):
			groups = append(groups, []line{l})
			leading = true
		// A line with no text at all continues nothing: it is a line whose
		// values the scrape lost (FY2017: after a total that took the last
		// activity's units and dates), quarantined so the loss shows.
		case n > 0 && p.fragment(l) && !p.empty(l) && p.continues(groups[n-1], l):
			groups[n-1] = append(groups[n-1], l)
		default:
			groups = append(groups, []line{l})
		}
	}
	rows := make([]Row, 0, len(groups))
	for _, g := range groups {
		rows = append(rows, p.row(g))
	}
	judge(rows)
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
