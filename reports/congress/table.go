package congress

import (
	"fmt"
	"math"
	"strconv"
	"strings"
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

// Neutralise makes text that a spreadsheet could evaluate as a formula inert
// by prefixing an apostrophe: text beginning with =, +, -, @, a tab or a
// carriage return. It is idempotent (the result begins with an apostrophe).
func Neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

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
				ok = c.Kind != Text && c.Kind != Bool
			case string:
				ok = c.Kind == Text
			case int64:
				ok = c.Kind == Integer
			case float64:
				ok = c.Kind.numeric() && finite(x)
			case Quantity:
				ok = c.Kind.numeric() && x.Kind != Text && x.Kind != Bool && finite(x.V)
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

// text is the plain-text form of a cell, as CSV writes it: full precision,
// no rounding, no exponent; empty for nil and Withheld.
func text(v any) string {
	switch x := v.(type) {
	case string:
		return Neutralise(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case Quantity:
		return strconv.FormatFloat(x.V, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}

// display approximates how the workbook shows a cell, to size its column.
func display(v any, k Kind) string {
	switch x := v.(type) {
	case string:
		return Neutralise(x)
	case int64:
		return thousands(strconv.FormatInt(x, 10))
	case Quantity:
		return display(x.V, x.Kind)
	case float64:
		switch k {
		case Percent:
			return strconv.FormatFloat(100*x, 'f', 1, 64) + "%"
		case Dollars:
			return "$" + thousands(strconv.FormatFloat(x, 'f', 0, 64))
		case Days, Integer:
			return thousands(strconv.FormatFloat(x, 'f', 0, 64))
		default:
			return strconv.FormatFloat(x, 'f', 3, 64)
		}
	case bool:
		return "FALSE"
	}
	return ""
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
