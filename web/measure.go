package web

import (
	"database/sql"
	"math"
	"strconv"

	"github.com/imet-project/imet/reports"
)

// measured is a cell that carries its own unit, for tables whose rows are
// of different metrics (the overview's value, interval and change
// columns: a share beside a hazard ratio beside dollars). It stays a
// number in JSON, CSV and sorting, and reads in its unit in the HTML; its
// column's Unit is "row".
type measured struct {
	v    float64
	unit string // a registry measure, or "p" for a p-value
	// change: v is a difference of two values ("+1.2 pts").
	change bool
}

func (m measured) MarshalJSON() ([]byte, error) {
	if math.IsNaN(m.v) || math.IsInf(m.v, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, m.v, 'f', -1, 64), nil
}

// display is the cell as the HTML shows it.
func (m measured) display() string {
	switch {
	case math.IsNaN(m.v) || math.IsInf(m.v, 0):
		return "–"
	case m.change:
		return reports.FormatChange(m.unit, m.v)
	}
	return formatValue(m.unit, m.v)
}

// formatValue writes a value in its unit: reports.Format, except a
// p-value ("0.008", "< 0.001") and a plain number that is not whole
// (an E-value of 2.52 is not 3).
func formatValue(unit string, v float64) string {
	switch {
	case unit == "p":
		if v < 0.001 {
			return "< 0.001"
		}
		return strconv.FormatFloat(v, 'f', 3, 64)
	case unit == "number" && v != math.Trunc(v):
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return reports.Format(unit, sql.NullFloat64{Float64: v, Valid: true})
}

// measure is a nullable value as a cell: nil when missing.
func measure(unit string, v sql.NullFloat64) any {
	if !v.Valid || math.IsNaN(v.Float64) || math.IsInf(v.Float64, 0) {
		return nil
	}
	return measured{v: v.Float64, unit: unit}
}

// countCell is a nullable count as a cell: nil when missing.
func countCell(v sql.NullInt64) any {
	if !v.Valid {
		return nil
	}
	return v.Int64
}

// limits are a row's 95% limits as cells, and note joined with what
// stands in for them when a share's interval has zero width (nothing
// happened in the group): no limits, the count and a one-sided bound
// (reports.ZeroWidthText), as the congressional summary does, never a
// certainty like "0.0% – 0.0%".
func limits(unit string, m metricRow) (lo, hi any, note string, zeroWidth bool) {
	note = m.Note
	if !m.Suppressed && m.Value.Valid && m.N.Valid && reports.ZeroWidth(unit, m.Value.Float64, m.Low.Float64, m.High.Float64, m.Low.Valid && m.High.Valid) {
		return nil, nil, joinNote(reports.ZeroWidthText(m.Value.Float64, m.N.Int64), note), true
	}
	return measure(unit, m.Low), measure(unit, m.High), note, false
}

// joinNote joins two notes with "; ".
func joinNote(a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	return a + "; " + b
}
