package web

import (
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/duckdb/duckdb-go/v2"

	"github.com/imet-project/imet/reports/congress"
	"github.com/imet-project/imet/schemas"
)

// The snapshot is opened with external access off, so a console result
// cannot be COPY'd to Parquet by DuckDB: it is written here, in Go, as
// reports/congress writes the workbook's Parquet files. Unlike those, a
// console result has any DuckDB type; each column's arrow type follows
// its DuckDB type, and what has no plain Parquet twin (lists, structs,
// intervals, HUGEINT) is written as text, JSON for the nested ones.

// arrowType is the arrow type a console column of DuckDB type t is written as.
func arrowType(t string) arrow.DataType {
	switch {
	case t == "BOOLEAN":
		return arrow.FixedWidthTypes.Boolean
	case t == "TINYINT", t == "SMALLINT", t == "INTEGER", t == "BIGINT", t == "UTINYINT", t == "USMALLINT", t == "UINTEGER":
		return arrow.PrimitiveTypes.Int64
	case t == "UBIGINT":
		return arrow.PrimitiveTypes.Uint64
	case t == "FLOAT", t == "DOUBLE", strings.HasPrefix(t, "DECIMAL"):
		return arrow.PrimitiveTypes.Float64
	case t == "DATE":
		return arrow.FixedWidthTypes.Date32
	case strings.HasPrefix(t, "TIMESTAMP"):
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	}
	return arrow.BinaryTypes.String
}

// writeResultParquet writes a console result (normalised by normalise) as
// one Parquet file.
func writeResultParquet(res *schemas.Result, rows [][]any, w io.Writer) error {
	mem := memory.DefaultAllocator
	fields := make([]arrow.Field, len(res.Columns))
	builders := make([]array.Builder, len(res.Columns))
	for j, c := range res.Columns {
		typ := arrowType(res.Types[j])
		fields[j] = arrow.Field{Name: c, Type: typ, Nullable: true}
		builders[j] = array.NewBuilder(mem, typ)
	}
	defer func() {
		for _, b := range builders {
			b.Release()
		}
	}()
	for _, row := range rows {
		for j, v := range row {
			if v == nil {
				builders[j].AppendNull()
				continue
			}
			if err := appendValue(builders[j], v); err != nil {
				return fmt.Errorf("column %s: %w", res.Columns[j], err)
			}
		}
	}
	schema := arrow.NewSchema(fields, nil)
	cols := make([]arrow.Array, len(builders))
	for j, b := range builders {
		cols[j] = b.NewArray()
	}
	rec := array.NewRecordBatch(schema, cols, int64(len(rows)))
	for _, c := range cols {
		c.Release()
	}
	defer rec.Release()
	return congress.WriteRecord(w, rec, "imet serve")
}

func appendValue(b array.Builder, v any) error {
	switch b := b.(type) {
	case *array.BooleanBuilder:
		x, ok := v.(bool)
		if !ok {
			return fmt.Errorf("%T is not a boolean", v)
		}
		b.Append(x)
	case *array.Int64Builder:
		x, ok := number(v)
		if !ok {
			if n, isInt := toInt64(v); isInt {
				b.Append(n)
				return nil
			}
			return fmt.Errorf("%T is not an integer", v)
		}
		b.Append(int64(x))
	case *array.Uint64Builder:
		x, ok := v.(uint64)
		if !ok {
			return fmt.Errorf("%T is not an unsigned integer", v)
		}
		b.Append(x)
	case *array.Float64Builder:
		x, ok := number(v)
		if !ok {
			return fmt.Errorf("%T is not a number", v)
		}
		b.Append(x)
	case *array.Date32Builder:
		x, ok := v.(time.Time)
		if !ok {
			return fmt.Errorf("%T is not a date", v)
		}
		b.Append(arrow.Date32FromTime(x))
	case *array.TimestampBuilder:
		x, ok := v.(time.Time)
		if !ok {
			return fmt.Errorf("%T is not a timestamp", v)
		}
		b.Append(arrow.Timestamp(x.UnixMicro()))
	case *array.StringBuilder:
		b.Append(schemas.NeutraliseFormula(cellText(v)))
	default:
		return fmt.Errorf("no writer for %T", b)
	}
	return nil
}

func toInt64(v any) (int64, bool) {
	switch x := v.(type) {
	case int8:
		return int64(x), true
	case int16:
		return int64(x), true
	case uint8:
		return int64(x), true
	case uint16:
		return int64(x), true
	case uint32:
		return int64(x), true
	}
	return 0, false
}

// normalise turns what DuckDB gives a console query into what JSON, CSV
// and Parquet can all hold, the same in each: DECIMAL as a number, UUID
// and INTERVAL as text.
func normalise(res *schemas.Result) {
	for _, row := range res.Rows {
		for i, v := range row {
			switch x := v.(type) {
			case duckdb.Decimal:
				row[i] = x.Float64()
			case duckdb.Interval:
				row[i] = fmt.Sprintf("%d months %d days %d microseconds", x.Months, x.Days, x.Micros)
			case []byte:
				if res.Types[i] == "UUID" && len(x) == 16 {
					var u duckdb.UUID
					copy(u[:], x)
					row[i] = u.String()
				} else {
					row[i] = string(x)
				}
			case duckdb.Map, []any, map[string]any:
				row[i] = jsonValue(x)
			case int8, int16, uint8, uint16, uint32:
				n, _ := toInt64(x)
				row[i] = n
			}
		}
	}
}

// cellText is a console value as CSV and Parquet text hold it: scalars
// as the pages write them, nested values (lists, structs, maps) as JSON.
func cellText(v any) string {
	switch x := v.(type) {
	case nil, string, bool, time.Time, float64, float32, int, int8, int16, int32, int64, uint8, uint16, uint32, uint64:
		return text(v)
	case *big.Int:
		return x.String()
	}
	if b, err := json.Marshal(jsonValue(v)); err == nil {
		return string(b)
	}
	return text(v)
}

// jsonValue makes a duckdb.Map (keys of any type) encodable.
func jsonValue(v any) any {
	switch x := v.(type) {
	case duckdb.Map:
		m := map[string]any{}
		for k, e := range x {
			m[text(k)] = jsonValue(e)
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonValue(e)
		}
		return out
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			out[k] = jsonValue(e)
		}
		return out
	}
	return v
}
