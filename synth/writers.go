package synth

import (
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/xuri/excelize/v2"
)

// sink writes one dataset file. It writes to name.tmp and renames on close,
// so a reader never sees a half-written file.
type sink interface {
	// write adds rows. enc is the chunk's encoding for text formats (nil
	// for Parquet and XLSX, which encode the block themselves).
	write(b *block, rows int, enc, raw []byte) error
	close() error
	abort()
}

// extensions by format.
var formatExt = map[string]string{"csv": "csv", "csv.gz": "csv.gz", "ndjson": "ndjson", "parquet": "parquet", "xlsx": "xlsx"}

func datasetPath(dir string, ds int, format string) string {
	name := datasetNames[ds]
	return filepath.Join(dir, name, name+"."+formatExt[format])
}

func openSink(path string, ds int, format string) (sink, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	f, err := os.Create(path + ".tmp")
	if err != nil {
		return nil, err
	}
	base := fileSink{f: f, path: path}
	switch format {
	case "csv":
		s := &csvSink{fileSink: base}
		s.w = bufio.NewWriterSize(f, 1<<20)
		_, err = s.w.Write(appendCSVHeader(nil, ds))
		return s, err
	case "ndjson":
		s := &csvSink{fileSink: base}
		s.w = bufio.NewWriterSize(f, 1<<20)
		return s, nil
	case "csv.gz":
		s := &gzSink{fileSink: base}
		s.w = bufio.NewWriterSize(f, 1<<20)
		// gzip header: deflate, no name, no mtime (so output is
		// reproducible), OS unknown.
		if _, err := s.w.Write([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}); err != nil {
			return s, err
		}
		hdr := appendCSVHeader(nil, ds)
		return s, s.write(nil, 0, deflateSegment(nil, hdr), hdr)
	case "parquet":
		return newParquetSink(base, ds)
	case "xlsx":
		return newXLSXSink(base, ds)
	}
	f.Close()
	os.Remove(path + ".tmp")
	return nil, fmt.Errorf("synth: unknown format %q", format)
}

type fileSink struct {
	f    *os.File
	path string
}

func (s *fileSink) finish() error {
	if err := s.f.Close(); err != nil {
		os.Remove(s.path + ".tmp")
		return err
	}
	return os.Rename(s.path+".tmp", s.path)
}

func (s *fileSink) abort() {
	s.f.Close()
	os.Remove(s.path + ".tmp")
}

// csvSink writes pre-encoded CSV or NDJSON.
type csvSink struct {
	fileSink
	w *bufio.Writer
}

func (s *csvSink) write(_ *block, _ int, enc, _ []byte) error {
	_, err := s.w.Write(enc)
	return err
}

func (s *csvSink) close() error {
	if err := s.w.Flush(); err != nil {
		s.abort()
		return err
	}
	return s.finish()
}

// gzSink assembles one gzip member from deflate segments that chunks
// compressed in parallel. Each segment ends with a sync flush, so the
// segments concatenate into one valid deflate stream; the sink adds the
// final block, the CRC-32 and the length.
type gzSink struct {
	fileSink
	w    *bufio.Writer
	crc  uint32
	size uint32
}

func (s *gzSink) write(_ *block, _ int, enc, raw []byte) error {
	s.crc = crc32.Update(s.crc, crc32.IEEETable, raw)
	s.size += uint32(len(raw))
	_, err := s.w.Write(enc)
	return err
}

func (s *gzSink) close() error {
	var tail [13]byte
	copy(tail[:], []byte{0x01, 0x00, 0x00, 0xff, 0xff}) // final empty stored block
	binary.LittleEndian.PutUint32(tail[5:], s.crc)
	binary.LittleEndian.PutUint32(tail[9:], s.size)
	if _, err := s.w.Write(tail[:]); err != nil {
		s.abort()
		return err
	}
	if err := s.w.Flush(); err != nil {
		s.abort()
		return err
	}
	return s.finish()
}

var flaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(io.Discard, flate.DefaultCompression)
	return w
}}

// deflateSegment compresses p as a non-final, byte-aligned deflate segment.
func deflateSegment(dst []byte, p []byte) []byte {
	buf := bytes.NewBuffer(dst)
	w := flaters.Get().(*flate.Writer)
	w.Reset(buf)
	w.Write(p)
	w.Flush()
	flaters.Put(w)
	return buf.Bytes()
}

// encodeChunk turns a chunk's blocks into the bytes of a text format, in
// the chunk's own goroutine, and recycles the blocks.
func encodeChunk(out *chunkOut, format string) {
	for ds, b := range out.blocks {
		if b == nil {
			continue
		}
		out.rows[ds] = b.rows()
		switch format {
		case "csv":
			out.enc[ds] = appendCSV(slices.Grow(getBytes(), len(b.buf)+len(b.ends)*9/8), b)
		case "ndjson":
			out.enc[ds] = appendNDJSON(slices.Grow(getBytes(), len(b.buf)*2+len(b.ends)*12), b, ds)
		case "csv.gz":
			out.raw[ds] = appendCSV(slices.Grow(getBytes(), len(b.buf)+len(b.ends)*9/8), b)
			out.enc[ds] = deflateSegment(slices.Grow(getBytes(), len(out.raw[ds])/4), out.raw[ds])
		default:
			continue // Parquet and XLSX encode in the writer
		}
		releaseBlock(b)
		out.blocks[ds] = nil
	}
}

// release hands a written chunk's buffers back for reuse.
func (out *chunkOut) release() {
	for ds := range out.blocks {
		releaseBlock(out.blocks[ds])
		releaseBytes(out.enc[ds])
		releaseBytes(out.raw[ds])
		out.blocks[ds], out.enc[ds], out.raw[ds] = nil, nil, nil
	}
}

// xlsxSink writes the first sheet with excelize's stream writer, every cell a
// plain string.
type xlsxSink struct {
	fileSink
	x    *excelize.File
	sw   *excelize.StreamWriter
	row  int
	vals []any
}

const xlsxMaxRows = 1048576

func newXLSXSink(base fileSink, ds int) (sink, error) {
	x := excelize.NewFile()
	sw, err := x.NewStreamWriter("Sheet1")
	if err != nil {
		base.abort()
		return nil, err
	}
	s := &xlsxSink{fileSink: base, x: x, sw: sw, row: 1}
	cols := datasetColumns[ds]
	s.vals = make([]any, len(cols))
	for i, c := range cols {
		s.vals[i] = c.name
	}
	if err := sw.SetRow("A1", s.vals); err != nil {
		s.abort()
		return nil, err
	}
	return s, nil
}

func (s *xlsxSink) write(b *block, _ int, _, _ []byte) error {
	for r := 0; r < b.rows(); r++ {
		s.row++
		if s.row > xlsxMaxRows {
			return fmt.Errorf("synth: %s has more rows than an XLSX sheet holds (%d); use another format", filepath.Base(s.path), xlsxMaxRows-1)
		}
		for c := 0; c < b.ncol; c++ {
			cell := b.cell(r, c)
			if len(cell) == 0 {
				s.vals[c] = nil
			} else {
				s.vals[c] = string(cell)
			}
		}
		cellName, err := excelize.CoordinatesToCellName(1, s.row)
		if err != nil {
			return err
		}
		if err := s.sw.SetRow(cellName, s.vals); err != nil {
			return err
		}
	}
	return nil
}

func (s *xlsxSink) close() error {
	if err := s.sw.Flush(); err != nil {
		s.abort()
		return err
	}
	if _, err := s.x.WriteTo(s.f); err != nil {
		s.abort()
		return err
	}
	s.x.Close()
	return s.finish()
}

func (s *xlsxSink) abort() {
	s.x.Close()
	s.fileSink.abort()
}
