package synth

import (
	"bufio"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// parquetRowGroup is the number of rows buffered into one record batch and
// written as one row group.
const parquetRowGroup = 100_000

// parquetSink writes every column as a nullable UTF-8 string, an empty cell
// as null, as the loader reads every format into text first.
type parquetSink struct {
	fileSink
	schema   *arrow.Schema
	fw       *pqarrow.FileWriter
	w        *bufio.Writer // not an io.Closer: pqarrow would close the file itself
	builders []*array.StringBuilder
	pending  int
}

func newParquetSink(base fileSink, ds int) (sink, error) {
	cols := datasetColumns[ds]
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: c.name, Type: arrow.BinaryTypes.String, Nullable: true}
	}
	schema := arrow.NewSchema(fields, nil)
	props := parquet.NewWriterProperties(
		parquet.WithMaxRowGroupLength(parquetRowGroup),
		parquet.WithCompression(compress.Codecs.Snappy),
		parquet.WithCreatedBy("imet synth"),
	)
	w := bufio.NewWriterSize(base.f, 1<<20)
	fw, err := pqarrow.NewFileWriter(schema, w, props, pqarrow.DefaultWriterProps())
	if err != nil {
		base.abort()
		return nil, err
	}
	s := &parquetSink{fileSink: base, schema: schema, fw: fw, w: w}
	for range cols {
		s.builders = append(s.builders, array.NewStringBuilder(memory.DefaultAllocator))
	}
	return s, nil
}

func (s *parquetSink) write(b *block, _ int, _, _ []byte) error {
	for r := 0; r < b.rows(); r++ {
		for c, sb := range s.builders {
			cell := b.cell(r, c)
			if len(cell) == 0 {
				sb.AppendNull()
			} else {
				sb.BinaryBuilder.Append(cell)
			}
		}
		s.pending++
		if s.pending == parquetRowGroup {
			if err := s.flush(); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *parquetSink) flush() error {
	if s.pending == 0 {
		return nil
	}
	cols := make([]arrow.Array, len(s.builders))
	for i, sb := range s.builders {
		cols[i] = sb.NewArray()
	}
	rec := array.NewRecordBatch(s.schema, cols, int64(s.pending))
	for _, c := range cols {
		c.Release()
	}
	defer rec.Release()
	s.pending = 0
	return s.fw.Write(rec)
}

func (s *parquetSink) close() error {
	if err := s.flush(); err != nil {
		s.abort()
		return err
	}
	if err := s.fw.Close(); err != nil {
		s.abort()
		return err
	}
	if err := s.w.Flush(); err != nil {
		s.abort()
		return err
	}
	return s.finish()
}

func (s *parquetSink) abort() {
	for _, sb := range s.builders {
		sb.Release()
	}
	s.fileSink.abort()
}
