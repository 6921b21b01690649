package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// Format is an input file format, known from the file's extension.
type Format string

const (
	CSV     Format = "csv"
	CSVGz   Format = "csv.gz"
	NDJSON  Format = "ndjson"
	Parquet Format = "parquet"
	XLSX    Format = "xlsx"
)

// FormatOf returns the format of a file name, or an error naming the
// extensions that are read.
func FormatOf(name string) (Format, error) {
	n := strings.ToLower(name)
	switch {
	case strings.HasSuffix(n, ".csv.gz"):
		return CSVGz, nil
	case strings.HasSuffix(n, ".csv"):
		return CSV, nil
	case strings.HasSuffix(n, ".ndjson"), strings.HasSuffix(n, ".jsonl"):
		return NDJSON, nil
	case strings.HasSuffix(n, ".parquet"):
		return Parquet, nil
	case strings.HasSuffix(n, ".xlsx"):
		return XLSX, nil
	}
	return "", reject("%s is not a format imet reads: use .csv, .csv.gz, .ndjson, .jsonl, .parquet or .xlsx", filepath.Base(name))
}

// scan is what one pass over the bytes tells: the file's identity, whether a
// text file is UTF-8, and where each CSV record starts.
type scan struct {
	sha256 string
	bytes  int64
	// recLine[k] is the physical line where DuckDB's record k+1 starts
	// (record 1 is the header); recBlank[k] marks an empty record, which
	// read_csv skips but counts.
	recLine  []int32
	recBlank []bool
	simple   bool // every record one line, none empty: line = row + 1
	delim    byte
}

// Rejection is a file that cannot be read at all: it is moved aside whole
// with this message and nothing of it loads.
type Rejection struct{ Msg string }

func (r *Rejection) Error() string { return r.Msg }

func reject(format string, a ...any) error { return &Rejection{Msg: fmt.Sprintf(format, a...)} }

// prescan hashes the file and, for text formats, checks UTF-8 and maps CSV
// records (fields separated by delim) to lines, in one read. dataset names
// the setting that would declare another encoding.
func prescan(path string, f Format, delim byte, dataset string) (*scan, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	h := sha256.New()
	counted := &countingReader{r: fh}
	s := &scan{delim: delim}
	tee := io.TeeReader(counted, h)
	var text io.Reader
	switch f {
	case CSV, NDJSON:
		text = tee
	case CSVGz:
		gz, err := gzip.NewReader(bufio.NewReaderSize(tee, 1<<16))
		if err != nil {
			return nil, reject("%s is not a readable gzip file (%v): compress it again with gzip", filepath.Base(path), err)
		}
		text = gz
	}
	if text != nil {
		if err := s.scanText(text, f != NDJSON); err != nil {
			if _, ok := err.(*Rejection); ok {
				return nil, reject("%s: %v, or, if the source cannot, name its encoding in imet.toml: [ingest] encodings = { %s = \"windows-1252\" } (or \"latin-1\")", filepath.Base(path), err, dataset)
			}
			return nil, reject("%s cannot be read (%v): check that the file is complete", filepath.Base(path), err)
		}
	}
	// Hash whatever the text scan did not consume (all of a binary file).
	if _, err := io.Copy(io.Discard, tee); err != nil {
		return nil, err
	}
	s.sha256 = hex.EncodeToString(h.Sum(nil))
	s.bytes = counted.n
	return s, nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// scanText checks UTF-8 and, for CSV, tracks RFC 4180 quote state to know
// where each record starts: a quoted field may hold newlines, and read_csv
// numbers records, not lines.
func (s *scan) scanText(r io.Reader, csv bool) error {
	br := bufio.NewReaderSize(r, 1<<20)
	line := int32(1) // physical line at the current byte
	var carry []byte // an incomplete rune cut off by the buffer
	recOpen, recEmpty, state := false, true, fieldStart
	recStartLine := int32(0)
	s.simple = true
	for {
		chunk, err := br.ReadSlice('\n')
		if len(chunk) > 0 {
			buf := chunk
			if len(carry) > 0 {
				buf = append(carry, chunk...)
				carry = nil
			}
			check := buf
			if err == bufio.ErrBufferFull {
				cut := incompleteTail(buf)
				check = buf[:len(buf)-cut]
				carry = append([]byte(nil), buf[len(buf)-cut:]...)
			}
			if !utf8.Valid(check) {
				return reject("line %d is not UTF-8 text: save the file as UTF-8 and drop it in the inbox again", line)
			}
			if csv && state != inQuoted && err == nil && bytes.IndexByte(chunk, '"') < 0 {
				// Fast path: a line without quotes ends the open record
				// (usually one it begins).
				if !recOpen {
					s.recLine = append(s.recLine, line)
					recStartLine, recEmpty = line, true
				}
				if len(bytes.TrimRight(chunk, "\r\n")) > 0 {
					recEmpty = false
				}
				s.recBlank = append(s.recBlank, recEmpty)
				if recEmpty || recStartLine != line {
					s.simple = false
				}
				recOpen = false
				line++
				continue
			}
			if !csv {
				line += int32(bytes.Count(chunk, []byte{'\n'}))
				continue
			}
			for _, b := range chunk {
				if csv && !recOpen {
					s.recLine = append(s.recLine, line)
					recOpen, recEmpty, recStartLine, state = true, true, line, fieldStart
				}
				if b == '\n' {
					if csv && state != inQuoted {
						s.recBlank = append(s.recBlank, recEmpty)
						if recEmpty || line != recStartLine {
							s.simple = false
						}
						recOpen = false
					}
					line++
					continue
				}
				if b != '\r' {
					recEmpty = false
				}
				state = nextCSVState(state, b, s.delim)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil && err != bufio.ErrBufferFull {
			return err
		}
	}
	if len(carry) > 0 {
		return reject("line %d is not UTF-8 text: save the file as UTF-8 and drop it in the inbox again", line)
	}
	if csv && recOpen {
		s.recBlank = append(s.recBlank, recEmpty)
		if line != recStartLine {
			s.simple = false
		}
	}
	return nil
}

// CSV field states, as read_csv reads RFC 4180: a quote opens a quoted
// field only at the start of a field; elsewhere it is an ordinary character.
const (
	fieldStart = iota
	unquoted
	inQuoted
	quoteSeen // a quote inside a quoted field: closing, or the first of ""
)

func nextCSVState(state int, b, delim byte) int {
	switch state {
	case fieldStart:
		switch b {
		case '"':
			return inQuoted
		case delim:
			return fieldStart
		}
		return unquoted
	case unquoted:
		if b == delim {
			return fieldStart
		}
		return unquoted
	case inQuoted:
		if b == '"' {
			return quoteSeen
		}
		return inQuoted
	default: // quoteSeen
		switch b {
		case '"':
			return inQuoted
		case delim:
			return fieldStart
		}
		return unquoted
	}
}

// incompleteTail is the number of bytes at the end of b that begin a rune
// not yet complete.
func incompleteTail(b []byte) int {
	for i := 1; i <= utf8.UTFMax-1 && i <= len(b); i++ {
		c := b[len(b)-i]
		if utf8.RuneStart(c) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return i
			}
			return 0
		}
	}
	return 0
}
