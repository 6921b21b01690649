package congress

import (
	"encoding/csv"
	"io"
	"path/filepath"

	"github.com/imet-project/imet/schemas"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/imet-project/imet/reports"
)

func fileName(dir, prefix, file, ext string) string {
	if prefix != "" {
		file = prefix + "-" + file
	}
	return filepath.Join(dir, file+"."+ext)
}

// WriteCSV writes one CSV file per table, <prefix>-<file>.csv in dir, with
// a header of column names, numbers as the workbook displays them (Display:
// shares as percentages with one decimal, 25.3%; dollars, days and counts
// as whole numbers; other numbers with three decimals; no currency signs or
// thousands separators), suppressed and empty cells empty, booleans
// true/false. It returns the paths written.
func WriteCSV(tables []Table, dir, prefix string) ([]string, error) {
	var paths []string
	for i := range tables {
		t := &tables[i]
		if err := t.check(); err != nil {
			return paths, err
		}
		path := fileName(dir, prefix, t.File, "csv")
		err := reports.WriteFile(path, func(w io.Writer) error {
			cw := csv.NewWriter(w)
			rec := make([]string, len(t.Columns))
			for j, c := range t.Columns {
				rec[j] = c.Name
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
			for _, row := range t.Rows {
				for j, v := range row {
					rec[j] = text(v, t.Columns[j].Kind)
				}
				if err := cw.Write(rec); err != nil {
					return err
				}
			}
			cw.Flush()
			return cw.Error()
		})
		if err != nil {
			return paths, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}

// WriteParquet writes one Parquet file per table, <prefix>-<file>.parquet
// in dir: Text as UTF-8 strings, Integer and Year as int64, the numeric
// kinds as double at full precision (unlike the CSV files, unrounded),
// Bool as boolean, every column nullable; suppressed and empty cells are
// null. Same tables, same bytes. It returns the paths written.
func WriteParquet(tables []Table, dir, prefix string) ([]string, error) {
	var paths []string
	for i := range tables {
		t := &tables[i]
		if err := t.check(); err != nil {
			return paths, err
		}
		path := fileName(dir, prefix, t.File, "parquet")
		if err := reports.WriteFile(path, func(w io.Writer) error { return writeParquet(t, w) }); err != nil {
			return paths, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}

// noClose hides the Close of a writer: pqarrow closes its sink itself,
// and the file must stay open to be synced.
type noClose struct{ io.Writer }

func writeParquet(t *Table, w io.Writer) error {
	mem := memory.DefaultAllocator
	fields := make([]arrow.Field, len(t.Columns))
	builders := make([]array.Builder, len(t.Columns))
	for j, c := range t.Columns {
		var typ arrow.DataType
		switch {
		case c.Kind == Text:
			typ = arrow.BinaryTypes.String
		case c.Kind == Integer, c.Kind == Year:
			typ = arrow.PrimitiveTypes.Int64
		case c.Kind == Bool:
			typ = arrow.FixedWidthTypes.Boolean
		default:
			typ = arrow.PrimitiveTypes.Float64
		}
		fields[j] = arrow.Field{Name: c.Name, Type: typ, Nullable: true}
		builders[j] = array.NewBuilder(mem, typ)
	}
	defer func() {
		for _, b := range builders {
			b.Release()
		}
	}()
	for _, row := range t.Rows {
		for j, v := range row {
			switch x := v.(type) {
			case string:
				builders[j].(*array.StringBuilder).Append(schemas.NeutraliseFormula(x))
			case int64:
				builders[j].(*array.Int64Builder).Append(x)
			case float64:
				builders[j].(*array.Float64Builder).Append(x)
			case Quantity:
				builders[j].(*array.Float64Builder).Append(x.V)
			case bool:
				builders[j].(*array.BooleanBuilder).Append(x)
			default: // nil, Withheld
				builders[j].AppendNull()
			}
		}
	}
	schema := arrow.NewSchema(fields, nil)
	cols := make([]arrow.Array, len(builders))
	for j, b := range builders {
		cols[j] = b.NewArray()
	}
	rec := array.NewRecordBatch(schema, cols, int64(len(t.Rows)))
	for _, c := range cols {
		c.Release()
	}
	defer rec.Release()
	return WriteRecord(w, rec, "imet congress")
}

// WriteRecord writes rec to w as one Parquet file, zstd-compressed, in
// one row group, naming createdBy as its writer: the congressional
// tables' files and imet serve's console downloads.
func WriteRecord(w io.Writer, rec arrow.RecordBatch, createdBy string) error {
	props := parquet.NewWriterProperties(
		parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithCreatedBy(createdBy),
		parquet.WithMaxRowGroupLength(max(rec.NumRows(), 1)),
	)
	fw, err := pqarrow.NewFileWriter(rec.Schema(), noClose{w}, props, pqarrow.DefaultWriterProps())
	if err != nil {
		return err
	}
	if err := fw.Write(rec); err != nil {
		fw.Close()
		return err
	}
	return fw.Close()
}
