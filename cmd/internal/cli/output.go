package cli

import (
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// table is a result to print: column names and rows of values as text
// (nil is NULL) or native values for JSON.
type table struct {
	cols []string
	rows [][]any
}

func readTable(rows *sql.Rows) (*table, error) {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	t := &table{cols: cols}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		t.rows = append(t.rows, vals)
	}
	return t, rows.Err()
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

var formats = []string{"table", "csv", "json", "markdown"}

// write prints the table in one of formats.
func (t *table) write(w io.Writer, format string) error {
	switch format {
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write(t.cols)
		for _, r := range t.rows {
			rec := make([]string, len(r))
			for i, v := range r {
				rec[i] = text(v)
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

// writeAligned prints columns padded to their width, values cut at 60
// characters so one long value does not wreck the screen.
func (t *table) writeAligned(w io.Writer) error {
	const maxw = 60
	cells := make([][]string, len(t.rows))
	width := make([]int, len(t.cols))
	for i, c := range t.cols {
		width[i] = utf8.RuneCountInString(c)
	}
	for i, r := range t.rows {
		cells[i] = make([]string, len(r))
		for j, v := range r {
			s := strings.NewReplacer("\n", " ", "\t", " ").Replace(text(v))
			if utf8.RuneCountInString(s) > maxw {
				s = string([]rune(s)[:maxw-1]) + "…"
			}
			cells[i][j] = s
			width[j] = max(width[j], utf8.RuneCountInString(s))
		}
	}
	line := func(vals []string) {
		var b strings.Builder
		for j, v := range vals {
			if j > 0 {
				b.WriteString("  ")
			}
			b.WriteString(v)
			if j < len(vals)-1 {
				b.WriteString(strings.Repeat(" ", width[j]-utf8.RuneCountInString(v)))
			}
		}
		fmt.Fprintln(w, b.String())
	}
	line(t.cols)
	rule := make([]string, len(t.cols))
	for j := range rule {
		rule[j] = strings.Repeat("-", width[j])
	}
	line(rule)
	for _, r := range cells {
		line(r)
	}
	fmt.Fprintf(w, "(%d row%s)\n", len(t.rows), plural(len(t.rows)))
	return nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
