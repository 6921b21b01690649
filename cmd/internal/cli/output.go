package cli

import (
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/term"

	"github.com/imet-project/imet/schemas"
)

// table is a result to print: column names and rows of values as text
// (nil is NULL) or native values for JSON.
type table struct {
	cols []string
	rows [][]any
	// width is the screen's width for the table format (see writeAligned):
	// 0 is the width of the output when it is a terminal.
	width int
}

// readTable reads every row of rows.
func readTable(rows *sql.Rows) (*table, error) {
	res, err := schemas.ReadResult(rows, 0)
	if err != nil {
		return nil, err
	}
	return &table{cols: res.Columns, rows: res.Rows}, nil
}

func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case []byte:
		return string(x)
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04:05")
	case float64:
		// six significant digits, but never fewer than the whole number's:
		// a dollar figure of millions stays exact to the dollar
		s := fmt.Sprintf("%.6g", x)
		if strings.Contains(s, "e+") && math.Abs(x) < 1e15 {
			return strconv.FormatFloat(x, 'f', 0, 64)
		}
		return s
	default:
		return fmt.Sprint(x)
	}
}

// csvText is a value as a CSV cell: text a spreadsheet would run as a
// formula (=HYPERLINK(…), -2+3+cmd|…) gets a leading quote
// (schemas.NeutraliseFormula, as in the congressional products); numbers,
// dates and the tables themselves keep the value as it is.
func csvText(v any) string {
	switch x := v.(type) {
	case string:
		return schemas.NeutraliseFormula(x)
	case []byte:
		return schemas.NeutraliseFormula(string(x))
	}
	return text(v)
}

var formats = []string{"table", "csv", "json", "markdown"}

// write prints the table in one of formats.
func (t *table) write(w io.Writer, format string) error {
	switch format {
	case "csv":
		cw := csv.NewWriter(w)
		head := make([]string, len(t.cols))
		for i, c := range t.cols {
			head[i] = schemas.NeutraliseFormula(c)
		}
		cw.Write(head)
		for _, r := range t.rows {
			rec := make([]string, len(r))
			for i, v := range r {
				rec[i] = csvText(v)
			}
			cw.Write(rec)
		}
		cw.Flush()
		return cw.Error()
	case "json":
		out := make([]map[string]any, len(t.rows))
		for i, r := range t.rows {
			m := make(map[string]any, len(r))
			for j, v := range r {
				if tm, ok := v.(time.Time); ok {
					v = text(tm)
				}
				m[t.cols[j]] = v
			}
			out[i] = m
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	case "markdown":
		fmt.Fprintf(w, "| %s |\n|%s\n", strings.Join(t.cols, " | "), strings.Repeat("---|", len(t.cols)))
		for _, r := range t.rows {
			cells := make([]string, len(r))
			for i, v := range r {
				cells[i] = strings.ReplaceAll(text(v), "|", `\|`)
			}
			fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
		}
		return nil
	default:
		return t.writeAligned(w)
	}
}

// writeAligned prints columns padded to their width. On a screen (width > 0)
// the table fits it: the widest columns narrow and a value too long for its
// column wraps onto the following lines, each broken line marked with … .
// Elsewhere (width 0 and not a terminal) a value is cut at 60 characters,
// marked …, so one long value does not wreck a log; width < 0 keeps every
// value whole.
func (t *table) writeAligned(w io.Writer) error {
	const maxw = 60
	width := t.width
	if width == 0 {
		width = terminalWidth(w)
	}
	flat := strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ")
	cells := make([][]string, 0, len(t.rows)+1)
	cells = append(cells, t.cols)
	natural := make([]int, len(t.cols))
	for i, c := range t.cols {
		natural[i] = utf8.RuneCountInString(c)
	}
	for _, r := range t.rows {
		row := make([]string, len(r))
		for j, v := range r {
			s := flat.Replace(text(v))
			if width == 0 && utf8.RuneCountInString(s) > maxw {
				s = string([]rune(s)[:maxw-1]) + wrapMark
			}
			row[j] = s
			natural[j] = max(natural[j], utf8.RuneCountInString(s))
		}
		cells = append(cells, row)
	}
	col := natural
	if width > 0 {
		col = fit(natural, width)
	}
	line := func(vals []string) {
		pieces := make([][]string, len(vals))
		lines := 1
		for j, v := range vals {
			pieces[j] = wrap(v, col[j])
			lines = max(lines, len(pieces[j]))
		}
		for l := range lines {
			var b strings.Builder
			for j := range vals {
				piece, more := "", false
				if l < len(pieces[j]) {
					piece, more = pieces[j][l], l < len(pieces[j])-1
				}
				b.WriteString(piece)
				last := j == len(vals)-1
				if !last || more {
					b.WriteString(strings.Repeat(" ", max(0, col[j]-utf8.RuneCountInString(piece))))
				}
				switch {
				case more:
					b.WriteString(wrapMark)
				case !last:
					b.WriteString(" ")
				}
				if !last {
					b.WriteString(" ")
				}
			}
			fmt.Fprintln(w, b.String())
		}
	}
	line(cells[0])
	rule := make([]string, len(t.cols))
	for j := range rule {
		rule[j] = strings.Repeat("-", col[j])
	}
	line(rule)
	for _, r := range cells[1:] {
		line(r)
	}
	fmt.Fprintf(w, "(%d row%s)\n", len(t.rows), plural(len(t.rows)))
	return nil
}

// wrapMark marks a value cut short, or broken onto the next line.
const wrapMark = "…"

// fit narrows the widest columns until a row fits in width characters:
// two between columns, and one after the last for the wrap mark. A column
// keeps at least 8 characters (or its natural width, when narrower), so
// very many columns may still overflow.
func fit(natural []int, width int) []int {
	col := append([]int(nil), natural...)
	sum := 0
	for _, c := range col {
		sum += c
	}
	if sum+2*(len(col)-1) <= width {
		return col
	}
	avail := width - 2*(len(col)-1) - 1
	for sum > avail {
		j := 0
		for i := range col {
			if col[i] > col[j] {
				j = i
			}
		}
		if col[j] <= min(natural[j], 8) {
			break
		}
		col[j]--
		sum--
	}
	return col
}

// wrap breaks s into lines of at most width characters, at a space when
// there is one in the second half of the line; width <= 0 leaves s whole.
func wrap(s string, width int) []string {
	r := []rune(s)
	if width <= 0 || len(r) <= width {
		return []string{s}
	}
	var out []string
	for len(r) > width {
		cut, skip := width, 0
		for i := width; i > width/2; i-- {
			if r[i] == ' ' {
				cut, skip = i, 1
				break
			}
		}
		out = append(out, string(r[:cut]))
		r = r[cut+skip:]
	}
	return append(out, string(r))
}

// terminalWidth is w's width when w is a terminal, else 0.
func terminalWidth(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0
	}
	return width
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
