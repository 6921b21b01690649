package congress

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/imet-project/imet/schemas"
)

// Kind says how a column is stored (Parquet) and displayed (workbook).
type Kind uint8

const (
	Text    Kind = iota // string
	Integer             // int64, displayed #,##0
	Number              // float64, displayed 0.000
	Percent             // float64 share (0.25 = 25%), displayed 0.0%
	Dollars             // float64, displayed $#,##0
	Days                // float64 number of days, displayed #,##0
	Bool                // bool, TRUE/FALSE
	Year                // int64 calendar or fiscal year, displayed 0 (2013, not 2,013)
)

func (k Kind) String() string {
	switch k {
	case Text:
		return "text"
	case Integer:
		return "integer"
	case Number:
		return "number"
	case Percent:
		return "percent"
	case Dollars:
		return "dollars"
	case Days:
		return "days"
	case Bool:
		return "bool"
	case Year:
		return "year"
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// numeric reports whether a column of the kind holds float64 values.
func (k Kind) numeric() bool {
	return k == Number || k == Percent || k == Dollars || k == Days
}

// Column is one column of a table: Name in CSV and Parquet, Header in the
// workbook.
type Column struct {
	Name, Header string
	Kind         Kind
}

// Table is one sheet of the workbook and one CSV and Parquet file. Every
// writer writes the same cells; a cell is one of
//
//	nil       empty (NULL in the warehouse)
//	string    text (Text columns)
//	int64     Integer columns
//	float64   Number, Percent, Dollars, Days columns, displayed by the column's kind
//	Quantity  a float64 in a Number column whose display kind varies by row
//	bool      Bool columns
//	Withheld  a value withheld by disclosure control
type Table struct {
	Sheet   string // workbook sheet name
	File    string // base name of the CSV and Parquet files
	Columns []Column
	Rows    [][]any
}

// Quantity is a number whose display format is chosen per row: the value
// column of a long table holds shares, dollars, days and counts.
type Quantity struct {
	V    float64
	Kind Kind
}

// Withheld is the cell of a value suppressed by disclosure control: empty
// with a grey fill in the workbook, empty in CSV, null in Parquet.
type Withheld struct{}

// check verifies that every cell has a type its column allows, so that the
// three writers can never disagree about a cell.
func (t *Table) check() error {
	for i, row := range t.Rows {
		if len(row) != len(t.Columns) {
			return fmt.Errorf("table %s row %d: %d cells for %d columns", t.File, i+1, len(row), len(t.Columns))
		}
		for j, v := range row {
			c := t.Columns[j]
			ok := false
			switch x := v.(type) {
			case nil:
				ok = true
			case Withheld:
				ok = c.Kind != Text && c.Kind != Bool && c.Kind != Year
			case string:
				ok = c.Kind == Text
			case int64:
				ok = c.Kind == Integer || c.Kind == Year
			case float64:
				ok = c.Kind.numeric() && finite(x)
			case Quantity:
				ok = c.Kind.numeric() && x.Kind != Text && x.Kind != Bool && x.Kind != Year && finite(x.V)
			case bool:
				ok = c.Kind == Bool
			}
			if !ok {
				return fmt.Errorf("table %s row %d column %s: a %T (%v) in a %s column", t.File, i+1, c.Name, v, v, c.Kind)
			}
		}
	}
	return nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// numberFormat is how a kind of number is displayed: the workbook's number
// format and the CSV text are both made from it, so they cannot drift.
type numberFormat struct {
	decimals int    // digits after the decimal point
	percent  bool   // shown ×100 with a percent sign
	prefix   string // currency sign, workbook only
	grouped  bool   // thousands separators, workbook only
}

// numberFormats are the display rules of the numeric kinds.
var numberFormats = map[Kind]numberFormat{
	Integer: {grouped: true},
	Number:  {decimals: 3},
	Percent: {decimals: 1, percent: true},
	Dollars: {prefix: "$", grouped: true},
	Days:    {grouped: true},
	Year:    {},
}

// code is the workbook's number format: #,##0, 0.000, 0.0%, $#,##0, 0.
func (f numberFormat) code() string {
	c := "0"
	if f.grouped {
		c = "#,##0"
	}
	if f.decimals > 0 {
		c += "." + strings.Repeat("0", f.decimals)
	}
	if f.percent {
		c += "%"
	}
	return f.prefix + c
}

// round is x as the format displays it, without the workbook's currency
// sign and thousands separators: rounded half away from zero to the
// format's decimals (of the percentage for a share), as a spreadsheet
// rounds for display, with a trailing % for a share. Rounding goes through
// 15 significant digits first, as spreadsheets do, so 0.285 shown with two
// decimals is 0.29 although its binary value is a little below 0.285.
func (f numberFormat) round(x float64) string {
	scale := math.Pow10(f.decimals)
	if f.percent {
		scale *= 100
	}
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x*scale, 'g', 15, 64), 64)
	v = math.Round(v)
	if v == 0 {
		v = 0 // no "-0.000"
	}
	s := strconv.FormatFloat(v/math.Pow10(f.decimals), 'f', f.decimals, 64)
	if f.percent {
		s += "%"
	}
	return s
}

// Display is a number of kind k as the workbook displays it and the CSV
// files write it: 0.2531 as a Percent is 25.3%, 15457639.12 as Dollars is
// 15457639, 1.5678 as a Number is 1.568. Other kinds: full precision.
func Display(x float64, k Kind) string {
	if f, ok := numberFormats[k]; ok {
		return f.round(x)
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// text is the plain-text form of a cell in a column of kind k, as CSV
// writes it: numbers as the workbook displays them (Display), empty for
// nil and Withheld.
func text(v any, k Kind) string {
	switch x := v.(type) {
	case string:
		return schemas.NeutraliseFormula(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return Display(x, k)
	case Quantity:
		return Display(x.V, x.Kind)
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}

// display approximates how the workbook shows a cell, to size its column.
func display(v any, k Kind) string {
	switch x := v.(type) {
	case string:
		return schemas.NeutraliseFormula(x)
	case int64:
		return decorate(strconv.FormatInt(x, 10), k)
	case Quantity:
		return display(x.V, x.Kind)
	case float64:
		return decorate(Display(x, k), k)
	case bool:
		return "FALSE"
	}
	return ""
}

// decorate adds the workbook's currency sign and thousands separators to
// a number's CSV text.
func decorate(s string, k Kind) string {
	f := numberFormats[k]
	if f.grouped {
		whole, frac, _ := strings.Cut(s, ".")
		s = thousands(whole)
		if frac != "" {
			s += "." + frac
		}
	}
	if neg, ok := strings.CutPrefix(s, "-"); ok {
		return "-" + f.prefix + neg
	}
	return f.prefix + s
}

// thousands inserts thousands separators into an integer's digits.
func thousands(s string) string {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
