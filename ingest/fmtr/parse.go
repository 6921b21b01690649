package fmtr

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/imet-project/imet/schemas"
)

// Kind of a parsed row.
type Kind string

const (
	KindActivity Kind = "activity" // a training activity
	KindTotal    Kind = "total"    // the report's printed control total of a country and program
	KindBad      Kind = "bad"      // quarantined: Rule, Column and Reason say why
)

// Formats Parse recognises.
const (
	FormatRawScrape = "raw-scrape" // Security Force Monitor's per-region scrape (country, program, … source)
	FormatSFMFinal  = "sfm-final"  // Security Force Monitor's published final dataset (training:… columns)
)

// Row is one record of a report file: an activity, a printed total or a
// quarantined row.
type Row struct {
	// Line is the physical line number of the record in the file (the
	// header is line 1); LastLine is its last line. They differ only for a
	// record continued on following lines (rule continuation_line) or, in a
	// CSV file, a quoted value holding a newline.
	Line, LastLine int
	Kind           Kind
	Raw            []string   // the fields of line Line as read
	Continued      [][]string // the fields of the continuation lines merged into this record
	ID             string     // sfm-final: Security Force Monitor's training:id:admin; "" otherwise

	CountryName string // as printed
	CountryCode string // ISO 3166-1 alpha-3 (schemas.ResolveCountry)
	Program     string // normalised program code (Programs)
	SubProgram  string // IMET-1, IMET-2, IMET-X as printed; "" otherwise
	FiscalYear  int    // from the program string
	Department  string // DOS, DOD, DHS; "" when the program string names none
	ProgramText string // the program string as printed

	CourseTitle, USUnit, StudentUnit, Location string

	Start, End *time.Time // UTC dates; nil when empty
	Quantity   *int64     // trainees
	Cost       *float64   // U.S. dollars
	Source     string     // the report's document number (155997 = documents/organization/155997.pdf)

	Repairs  []string // repair rules applied (docs/fmtr.md)
	Warnings []string // "rule: message" for oddities kept as printed (start after end, …)

	// Kind bad: a short rule name, the column at fault and what is wrong
	// and what to fix. A bad row keeps the fields that did parse, for
	// diagnosis only.
	Rule, Column, Reason string

	// Fingerprint is a hash of the row's normalised fields (for a bad row,
	// of its raw fields); Occurrence numbers rows with the same Kind and
	// Fingerprint in file order from 1. Source + Fingerprint + Occurrence
	// identifies a row of a report across reloads of the same file.
	Fingerprint string
	Occurrence  int

	costPlaceholder bool          // the cost cell printed no amount: 0 or nil, as the group's printed total says (judge)
	alts            []alternative // other readings of an ambiguous row, for the judge
}

// Report is a parsed file.
type Report struct {
	Name      string
	Format    string // FormatRawScrape or FormatSFMFinal
	Header    []string
	DataLines int // records read after the header: physical lines for TSV, CSV records for CSV
	Rows      []Row
	// Notes are file-level remarks kept with the load: a column the
	// report never printed (its values are nil), the fiscal year taken
	// from the report for program strings that print none.
	Notes []string
}

// Counts returns the number of rows of each kind.
func (r *Report) Counts() (activities, totals, bad int) {
	for i := range r.Rows {
		switch r.Rows[i].Kind {
		case KindActivity:
			activities++
		case KindTotal:
			totals++
		default:
			bad++
		}
	}
	return
}

// line is one record as read: its physical line numbers and fields.
type line struct {
	first, last int
	fields      []string
}

// Parse reads one report file: Security Force Monitor's raw per-region
// scrape (TSV, header country, program, course_title, us_unit,
// student_unit, start_date, end_date, location, quantity, total_cost,
// source) or its final published dataset (TSV or CSV, training:… columns).
// Every record becomes exactly one Row: an activity, a printed total, or a
// bad row with a reason (nothing is dropped). The error is reserved for a
// file that cannot be read as a whole (empty, not UTF-8, not TSV or CSV, no
// recognisable header): then nothing of it loads.
func Parse(r io.Reader, name string) (*Report, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("fmtr: %s: cannot be read: %w", name, err)
	}
	data, err = checkText(data, name)
	if err != nil {
		return nil, err
	}
	header, lines, err := splitRecords(data, name)
	if err != nil {
		return nil, err
	}
	cols, dup := headerColumns(header)
	rep := &Report{Name: name, Header: header, DataLines: len(lines), Format: FormatRawScrape}
	required := rawRequired
	if isSFMFinal(cols) {
		rep.Format, required = FormatSFMFinal, sfmRequired
	}
	if err := requireColumns(name, cols, required); err != nil {
		return nil, err
	}
	if dup != "" {
		return nil, fmt.Errorf("fmtr: %s: the header names column %q twice: rename or remove one", name, dup)
	}
	if rep.Format == FormatSFMFinal {
		rep.Rows = parseSFM(lines, cols, len(header))
	} else {
		p := newRawParser(lines, cols, len(header), name)
		rep.Rows, rep.Notes = p.parse(), p.notes
	}
	formulas(rep.Rows, header)
	number(rep.Rows)
	return rep, nil
}

// formulas quarantines a row any of whose values, trimmed as the tables
// store them, would run as a spreadsheet formula (schemas.Formula, rule
// formula): =HYPERLINK(…) in a course title reaches every product that
// prints it, so it is refused where it enters, as in every other reader.
func formulas(rows []Row, header []string) {
	for i := range rows {
		r := &rows[i]
		if r.Kind == KindBad {
			continue
		}
		for _, fields := range append([][]string{r.Raw}, r.Continued...) {
			for j, f := range fields {
				v := strings.TrimSpace(f)
				if !schemas.Formula(v) {
					continue
				}
				col := ""
				if j < len(header) {
					col = header[j]
				}
				bad(r, "formula", col, fmt.Sprintf("%s %q begins with %s and would run as a spreadsheet formula: remove the leading character", col, clip(v), schemas.FormulaLead(v)))
				break
			}
			if r.Kind == KindBad {
				break
			}
		}
	}
}

// checkText drops a byte-order mark and refuses an empty or non-UTF-8 file.
func checkText(data []byte, name string) ([]byte, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("fmtr: %s is empty: send the report file with its header line", name)
	}
	if !utf8.Valid(data) {
		at := 0
		for at < len(data) {
			r, n := utf8.DecodeRune(data[at:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			at += n
		}
		ln := bytes.Count(data[:at], []byte("\n")) + 1
		return nil, fmt.Errorf("fmtr: %s is not UTF-8 (line %d, byte %d is %#x): save the file as UTF-8 and send it again", name, ln, at, data[at])
	}
	return data, nil
}

// splitRecords reads the header and the records: the raw scrape split on
// tabs and newlines, anything quoted as CSV or TSV.
func splitRecords(data []byte, name string) ([]string, []line, error) {
	headerLine, _, _ := strings.Cut(string(data), "\n")
	headerLine = strings.TrimSuffix(headerLine, "\r")
	var delim rune
	switch {
	case strings.Contains(headerLine, "\t"):
		delim = '\t'
	case strings.Contains(headerLine, ","):
		delim = ','
	default:
		return nil, nil, fmt.Errorf("fmtr: %s is not a TSV or CSV file: its first line %q has no tab or comma; the first line must be the header", name, clip(headerLine))
	}
	var header []string
	var lines []line
	if delim == '\t' && !strings.HasPrefix(strings.TrimSpace(headerLine), `"`) {
		// The raw scrape is tab-separated without quoting: a '"' is a
		// character of the value ("COLOMBIAN NAVY ACADEMY " Almirante Padilla"").
		all := strings.Split(string(data), "\n")
		if all[len(all)-1] == "" {
			all = all[:len(all)-1]
		}
		for i, l := range all {
			fields := strings.Split(strings.TrimSuffix(l, "\r"), "\t")
			if i == 0 {
				header = fields
				continue
			}
			lines = append(lines, line{first: i + 1, last: i + 1, fields: fields})
		}
		return header, lines, nil
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = delim
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("fmtr: %s cannot be read as CSV: %w", name, err)
		}
		first, _ := cr.FieldPos(0)
		last, _ := cr.FieldPos(len(rec) - 1)
		if header == nil {
			header = rec
			continue
		}
		lines = append(lines, line{first: first, last: last, fields: rec})
	}
	return header, lines, nil
}

// headerColumns normalises the header names in place (trimmed, lower case,
// spaces and hyphens as "_": "Total Cost" is total_cost) and maps each to
// its first position; dup is the first name seen twice.
func headerColumns(header []string) (cols map[string]int, dup string) {
	cols = map[string]int{}
	for i, h := range header {
		k := strings.ToLower(strings.Trim(strings.TrimSpace(h), `"`))
		k = headerSep.ReplaceAllString(strings.TrimSpace(k), "_")
		header[i] = k
		if k == "" {
			continue
		}
		if _, seen := cols[k]; seen && dup == "" {
			dup = k
		}
		if _, seen := cols[k]; !seen {
			cols[k] = i
		}
	}
	return cols, dup
}

var headerSep = regexp.MustCompile(`[\s-]+`)

// rawColumns: the names each column of the raw scrape has had in the
// header generations (FY2006 calls total_cost "cost"), most usual first.
// Only country and program are required: a column the report never printed
// reads as nil, with a note on the report (Report.Notes).
var rawColumns = map[string][]string{
	"country":      {"country"},
	"program":      {"program"},
	"course_title": {"course_title", "course", "title"},
	"us_unit":      {"us_unit"},
	"student_unit": {"student_unit"},
	"start_date":   {"start_date", "start"},
	"end_date":     {"end_date", "end"},
	"location":     {"location"},
	"quantity":     {"quantity", "qty"},
	"total_cost":   {"total_cost", "cost", "cost_usd"},
	"source":       {"source"},
}

var rawRequired = [][]string{rawColumns["country"], rawColumns["program"]}

func requireColumns(name string, cols map[string]int, req [][]string) error {
	var missing []string
	for _, alts := range req {
		if colIndex(cols, alts...) < 0 {
			missing = append(missing, alts[0])
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("fmtr: %s has no recognisable header: columns %s are missing (a report file starts with the header country, program, course_title, us_unit, student_unit, start_date, end_date, location, quantity, total_cost, source, or the training:… header of Security Force Monitor's final dataset)", name, strings.Join(missing, ", "))
}

func colIndex(cols map[string]int, names ...string) int {
	for _, n := range names {
		if i, ok := cols[n]; ok {
			return i
		}
	}
	return -1
}

func field(f []string, i int) string {
	if i < 0 || i >= len(f) {
		return ""
	}
	return strings.TrimSpace(f[i])
}

func clip(s string) string {
	if r := []rune(s); len(r) > 80 {
		return string(r[:80]) + "…"
	}
	return s
}

// tidy collapses runs of white space to one space and trims.
func tidy(s string) string {
	// as strings.TrimSpace(regexp `\s+` → " "), without the regexp: the
	// parser tidies every cell of every row
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		space := c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
		if !space {
			if b != nil {
				b = append(b, c)
			}
			continue
		}
		if b == nil {
			b = append(make([]byte, 0, len(s)), s[:i]...)
		}
		if len(b) > 0 && b[len(b)-1] != ' ' {
			b = append(b, ' ')
		}
	}
	if b == nil {
		return strings.TrimSpace(s)
	}
	return strings.TrimSpace(string(b))
}

// number sets Fingerprint and Occurrence.
func number(rows []Row) {
	seen := map[string]int{}
	for i := range rows {
		r := &rows[i]
		h := sha256.New()
		var parts []string
		if r.Kind == KindBad {
			parts = append(parts, string(r.Kind))
			parts = append(parts, r.Raw...)
			for _, c := range r.Continued {
				parts = append(parts, c...)
			}
		} else {
			parts = []string{string(r.Kind), r.CountryCode, r.Program, r.SubProgram, strconv.Itoa(r.FiscalYear),
				tidy(r.CourseTitle), tidy(r.USUnit), tidy(r.StudentUnit), tidy(r.Location),
				fmtDate(r.Start), fmtDate(r.End), fmtInt(r.Quantity), fmtCost(r.Cost)}
		}
		for _, p := range parts {
			h.Write([]byte(p))
			h.Write([]byte{0x1f})
		}
		r.Fingerprint = hex.EncodeToString(h.Sum(nil)[:16])
		seen[r.Fingerprint]++
		r.Occurrence = seen[r.Fingerprint]
	}
}

func fmtDate(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format("2006-01-02")
}

func fmtInt(n *int64) string {
	if n == nil {
		return ""
	}
	return strconv.FormatInt(*n, 10)
}

func fmtCost(c *float64) string {
	if c == nil {
		return ""
	}
	return strconv.FormatFloat(*c, 'f', 2, 64)
}

// setValues parses quantity and cost into the row; it returns the column
// and reason of the first value that does not parse.
func setValues(row *Row, qty, cst string) (col, reason string) {
	if qty != "" {
		n, ok := parseQuantity(qty)
		if !ok {
			return "quantity", fmt.Sprintf("the quantity %q is not a whole number of trainees: correct it", qty)
		}
		row.Quantity = &n
	}
	if cst != "" {
		c, ok := parseCost(cst)
		if !ok {
			return "total_cost", fmt.Sprintf("the total_cost %q is not a dollar amount ($27,778 or 27778): correct it", cst)
		}
		row.Cost = &c
	}
	return "", ""
}

// setDates parses start and end into the row.
func setDates(row *Row, st, en string) (col, reason string) {
	for _, d := range []struct {
		col, v string
		dst    **time.Time
	}{{"start_date", st, &row.Start}, {"end_date", en, &row.End}} {
		if d.v == "" {
			continue
		}
		t, ok := parseDate(d.v)
		if !ok {
			return d.col, fmt.Sprintf("the %s %q is not a date in the calendar (m/d/yyyy, m/d/yy or yyyy-mm-dd): correct it", d.col, d.v)
		}
		*d.dst = &t
	}
	if row.Start != nil && row.End != nil && row.Start.After(*row.End) {
		row.Warnings = append(row.Warnings, fmt.Sprintf("start_after_end: the report prints start %s after end %s; kept as printed", st, en))
	}
	return "", ""
}

func bad(row *Row, rule, col, reason string) {
	row.Kind, row.Rule, row.Column, row.Reason = KindBad, rule, col, reason
}

// setCountry resolves the country name; false when the row went bad.
func setCountry(row *Row, name string) bool {
	row.CountryName = name
	code, reason := schemas.ResolveCountry(name)
	if code == "" {
		bad(row, "country_unresolved", "country", reason)
		return false
	}
	row.CountryCode = code
	return true
}

// setProgram parses the program string; false when the row went bad. A
// program name not in the list is kept as itself with a warning
// (program_unknown); a string that prints no year takes the report's year
// fy (program_without_year).
func setProgram(row *Row, text string, fy int) bool {
	row.ProgramText = text
	p, ok := parseProgram(text, row.CountryName)
	if !ok {
		bad(row, "program_unrecognised", "program", fmt.Sprintf("the program %q is in none of the report formats (\"IMET-1 - FY 2009 DoS Training\", \"IMET-1 - Fiscal Year 2013 Department of State Training\", \"DoS Africa Region, Senegal, International Military Education and Training (IMET), FY02\", or a program name alone): correct it", text))
		return false
	}
	row.Program, row.SubProgram, row.FiscalYear, row.Department = p.Program, p.Sub, p.FY, p.Dept
	if !p.Known {
		row.Warnings = append(row.Warnings, fmt.Sprintf("program_unknown: %q is not a program imet knows; kept as %s", p.Name, programLabel(p)))
	}
	if row.FiscalYear == 0 {
		if fy == 0 {
			bad(row, "program_unrecognised", "program", fmt.Sprintf("the program %q names no fiscal year and neither do the report's other rows or its file name: correct it", text))
			return false
		}
		row.FiscalYear = fy
		row.Warnings = append(row.Warnings, fmt.Sprintf("program_without_year: %q prints no fiscal year; the report's year %d is used", text, fy))
	}
	if p.Country != "" && row.CountryCode != "" {
		if c, _ := schemas.ResolveCountry(p.Country); c != "" && c != row.CountryCode {
			row.Warnings = append(row.Warnings, fmt.Sprintf("program_country_differs: the program string names %s (%s), the country column %s (%s); the country column is used", p.Country, c, row.CountryName, row.CountryCode))
		}
	}
	return true
}

func programLabel(p programInfo) string {
	if p.Sub != "" {
		return p.Program + " " + p.Sub
	}
	return p.Program
}

// totalFY reports whether a course title is that of a printed total row
// ("FY 2009 Program Totals", "Fiscal Year 2013 Program Totals", "Program
// Totals:") and its year (0 when the title prints none).
func totalFY(title string) (int, bool) {
	m := totalTitle.FindStringSubmatch(strings.TrimSpace(title))
	if m == nil {
		return 0, false
	}
	fy, _ := strconv.Atoi(m[1])
	return fy, true
}

// setTotal fills a printed total row. A total's cost printed as a dash
// ("$ -", "-": how an accounting format prints zero) is 0; an empty one
// was lost.
func setTotal(row *Row, fy int, qty, cst string) {
	row.Kind = KindTotal
	if cst != "" && placeholderCost(cst) && strings.ContainsAny(cst, "$-\u2013\u2014") {
		cst = "0"
		row.Repairs = append(row.Repairs, "placeholder_cost_zero")
	}
	if qty == "" || cst == "" {
		col := "quantity"
		if qty != "" {
			col = "total_cost"
		}
		bad(row, "total_unparseable", col, fmt.Sprintf("the printed total has no %s: copy it from the report", col))
		return
	}
	if col, reason := setValues(row, qty, cst); col != "" {
		bad(row, "total_unparseable", col, reason)
		return
	}
	if fy != 0 && fy != row.FiscalYear {
		row.Warnings = append(row.Warnings, fmt.Sprintf("total_year_differs: the total is titled FY %d, the program string says %d", fy, row.FiscalYear))
	}
}
