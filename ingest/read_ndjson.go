package ingest

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/imet-project/imet/schemas"
)

// stageNDJSON reads the file twice: once to learn the keys (any line may
// add one), once to append. A line that is not a JSON object is a malformed
// row, never a reason to drop the file: read_json would turn it into NULLs
// without a word.
func stageNDJSON(ctx context.Context, conn *sql.Conn, path string, ds *schemas.Dataset, src Source, lim Limits) (*staged, error) {
	st := &staged{present: map[string]bool{}}
	names, index, err := jsonKeys(ctx, path, ds, src, lim, st)
	if err != nil {
		return nil, err
	}
	if err := createTextStage(ctx, conn, names); err != nil {
		return nil, err
	}
	row := make([]driver.Value, len(names)+1)
	err = appendRows(ctx, conn, "stg", func(app *duckdb.Appender) error {
		return eachJSONLine(ctx, path, lim.MaxLineBytes, func(line int64, obj map[string]any, raw []byte, perr error) error {
			st.rows++
			if perr != nil {
				st.malformed = append(st.malformed, badRow{line: line, reason: perr.Error(), raw: truncate(string(raw), rawBound)})
				return nil
			}
			clear(row)
			row[0] = line
			from := make(map[int]string, len(obj))
			for k, v := range obj {
				i := index[src.column(schemas.NormalizeHeader(k))]
				if prev, twice := from[i]; twice {
					// "Family Name" and "family_name" are one column: which
					// value is meant the line does not say.
					a, b := min(prev, k), max(prev, k)
					st.malformed = append(st.malformed, badRow{line: line, raw: truncate(string(raw), rawBound),
						reason: fmt.Sprintf("the keys %q and %q both name column %s, and which value is meant the line does not say: keep one", a, b, names[i])})
					return nil
				}
				from[i] = k
				if i < len(ds.Columns) && nestedJSON(v) {
					// Marshalled to text, it would load as {"a":1} or [1,2].
					st.malformed = append(st.malformed, badRow{line: line, raw: truncate(string(raw), rawBound),
						reason: fmt.Sprintf("the value of %s is a JSON object or array; each column holds one plain value (a string, number or boolean): write it as one", names[i])})
					return nil
				}
				row[i+1] = jsonText(v)
			}
			return app.AppendRow(row...)
		})
	})
	if err != nil {
		return nil, err
	}
	return st, createSrc(ctx, conn, ds, present(names), st.unknown, "stg._line", "stg")
}

// jsonKeys reads the file once for its keys (any line may add one): the
// contract's columns first, then the file's other keys (st.unknown), with
// each key's position; st.present says which of the contract's columns
// some line has. A file that no line gives a required key is refused.
func jsonKeys(ctx context.Context, path string, ds *schemas.Dataset, src Source, lim Limits, st *staged) ([]string, map[string]int, error) {
	file := filepath.Base(path)
	index := map[string]int{}
	var names []string
	for _, c := range ds.Columns {
		index[c.Name] = len(names)
		names = append(names, c.Name)
	}
	seen := map[string]bool{}
	err := eachJSONLine(ctx, path, lim.MaxLineBytes, func(line int64, obj map[string]any, raw []byte, perr error) error {
		if perr != nil {
			return nil
		}
		for k := range obj {
			n := src.column(schemas.NormalizeHeader(k))
			seen[n] = true
			if _, ok := index[n]; !ok {
				if len(names) >= lim.MaxColumns {
					return reject("%s: line %d brings the keys to more than %d (imet.toml [limits] max_columns): the objects must use the dataset's columns (%s)", file, line, lim.MaxColumns, strings.Join(ds.ColumnNames(), ", "))
				}
				index[n] = len(names)
				names = append(names, n)
				st.unknown = append(st.unknown, n)
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	var missing []string
	for _, c := range ds.Columns {
		if c.Required && !seen[c.Name] {
			missing = append(missing, c.Name)
		}
	}
	if len(missing) > 0 {
		return nil, nil, reject("%s: no line has the required key %s; add it, or check that the file is in the right dataset folder (%s)", file, strings.Join(missing, ", "), ds.Name)
	}
	for _, c := range ds.Columns {
		st.present[c.Name] = seen[c.Name] // a key on no line is absent from the file
	}
	return names, index, nil
}

// eachJSONLine calls fn for each non-blank line, with the parsed object
// or why the line is not one; a line over maxLine bytes is not parsed.
func eachJSONLine(ctx context.Context, path string, maxLine int, fn func(line int64, obj map[string]any, raw []byte, err error) error) error {
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	lr := newLineReader(&countingReader{r: fh, ctx: ctx}, maxLine)
	for {
		b, size, long, err := lr.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		line := lr.line
		if long {
			perr := fmt.Errorf("line %d is %s long, over the limit of %s (imet.toml [limits] max_line_bytes): write one {…} object per line (raw text: its first %d bytes)",
				line, bytesText(size), bytesText(int64(maxLine)), rawBound)
			if ferr := fn(line, nil, bytes.TrimRight(b, "\r\n"), perr); ferr != nil {
				return ferr
			}
			continue
		}
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		if line == 1 {
			b = bytes.TrimPrefix(b, []byte("\ufeff"))
		}
		var obj map[string]any
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		perr := d.Decode(&obj)
		if perr == nil && d.More() {
			perr = errors.New("more than one JSON value on the line")
		}
		if perr == nil && obj == nil {
			perr = errors.New("not a JSON object")
		}
		if perr != nil {
			perr = fmt.Errorf("the line is not one JSON object (%v): write one {…} object per line", perr)
		} else if k, dup := repeatedKey(b); dup {
			// Decoding keeps the last of two equal keys without a word.
			perr = fmt.Errorf("the key %q appears twice in the object, and which value is meant the line does not say: keep one", k)
		}
		if ferr := fn(line, obj, bytes.TrimRight(b, "\r\n"), perr); ferr != nil {
			return ferr
		}
	}
}

// repeatedKey finds a key that a JSON object (already known to decode)
// names twice at its top level.
func repeatedKey(b []byte) (string, bool) {
	d := json.NewDecoder(bytes.NewReader(b))
	if _, err := d.Token(); err != nil { // {
		return "", false
	}
	seen := map[string]bool{}
	for d.More() {
		t, err := d.Token()
		if err != nil {
			return "", false
		}
		k, _ := t.(string)
		if seen[k] {
			return k, true
		}
		seen[k] = true
		var skip json.RawMessage
		if err := d.Decode(&skip); err != nil {
			return "", false
		}
	}
	return "", false
}

// nestedJSON: an object or array, more than one value.
func nestedJSON(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return true
	}
	return false
}

func jsonText(v any) driver.Value {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}
