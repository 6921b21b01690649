package reports

// Document is a report's content, independent of how it is drawn: the HTML
// and PDF renderers walk the same Document, so both carry the same tables,
// charts and words.
type Document struct {
	Title    string
	Subtitle string
	Facts    [][2]string // label, value: period end, vintage, run, version
	Sections []Section
}

// Section is one numbered part of a report.
type Section struct {
	ID     string // anchor
	Title  string
	Blocks []Block
}

// Block is one paragraph, caveat, table or chart (exactly one is set).
type Block struct {
	Text  string
	Note  string // a caveat the reader must not miss
	Table *Table
	Chart *Chart
}

// Table is a table with a caption and header; cells are already formatted
// for display (values are rounded here, never in the warehouse).
type Table struct {
	Caption string
	Columns []string
	Numeric []bool // right-aligned columns
	Rows    [][]string
}

// Chart is a step chart of Kaplan-Meier curves with confidence bands.
type Chart struct {
	Title  string
	Desc   string // the text alternative: what the chart shows, in words
	XLabel string
	YLabel string
	XMax   float64
	YMax   float64
	Series []Series
}

// Series is one curve.
type Series struct {
	Name   string
	Color  string // CSS hex colour
	Points []Point
}

// Point is one step: from X on, the curve is at Y with band [Lo, Hi].
type Point struct{ X, Y, Lo, Hi float64 }

// MetricDoc is what reports print about a metric: the registry's words,
// passed in by the caller (reports does not import transform).
type MetricDoc struct {
	ID, Title, Definition, Population, Event, Estimator, Unit string
	Caveats                                                   []string
}
