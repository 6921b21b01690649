package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"
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
// text file is UTF-8, where each CSV record starts, and the lines that
// must be split out before the reader sees the file.
type scan struct {
	sha256 string
	bytes  int64
	// runs map read_csv's record numbers (1 = the header) to physical
	// lines, one run per stretch of one-line records on consecutive lines
	// (a record spanning lines is a run of its own). A blank line is a
	// record read_csv skips but counts; so is a split-out line, blanked in
	// the copy the reader reads.
	runs   []recRun
	simple bool // every record one line, none empty: line = row + 1
	delim  byte

	lines       int64    // physical lines of the text
	headerLines int64    // lines of the header record
	dataRows    int64    // records after the header that are neither blank nor split out
	blankLines  int64    // blank lines (and, for CSV, blank records)
	spanLines   int64    // lines beyond the first of records spanning lines
	split       []badRow // lines quarantined by the scan: unterminated quotes, over-long lines
	splitLine   map[int64]bool
	// padded: a value of the CSV text may begin or end with a character
	// trim() removes (see padded); false lets validation skip trim.
	padded bool
}

type recRun struct {
	rec, line, n int64
	blank, multi bool // multi: one record spanning lines
}

// Rejection is a file that cannot be read at all: it is moved aside whole
// with this message and nothing of it loads.
type Rejection struct{ Msg string }

func (r *Rejection) Error() string { return r.Msg }

func reject(format string, a ...any) error { return &Rejection{Msg: fmt.Sprintf(format, a...)} }

// prescan hashes the file and, for text formats, checks UTF-8, maps CSV
// records (fields separated by delim) to lines and finds the lines to split
// out, in one read. dataset names the setting that would declare another
// encoding.
func prescan(ctx context.Context, path string, f Format, delim byte, dataset string, lim Limits) (*scan, error) {
	lim = lim.withDefaults()
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	h := sha256.New()
	counted := &countingReader{r: fh, ctx: ctx}
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
		text = &inflateGuard{r: gz, packed: counted, lim: lim}
	}
	if text != nil {
		if err := s.scanText(text, f != NDJSON, lim); err != nil {
			var rj *Rejection
			switch {
			case ctx.Err() != nil:
				return nil, ctx.Err()
			case errors.Is(err, errNotUTF8):
				return nil, reject("%s: %v, or, if the source cannot, name its encoding in imet.toml: [ingest] encodings = { %s = \"windows-1252\" } (or \"latin-1\")", filepath.Base(path), err, dataset)
			case errors.As(err, &rj):
				return nil, reject("%s: %v", filepath.Base(path), err)
			}
			return nil, reject("%s cannot be read (%v): check that the file is complete", filepath.Base(path), err)
		}
	}
	// Hash whatever the text scan did not consume (all of a binary file).
	if _, err := io.Copy(io.Discard, tee); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	s.sha256 = hex.EncodeToString(h.Sum(nil))
	s.bytes = counted.n
	return s, nil
}

// countingReader counts the bytes read and stops a read whose context is
// cancelled.
type countingReader struct {
	r   io.Reader
	n   int64
	ctx context.Context
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.ctx != nil && c.ctx.Err() != nil {
		return 0, c.ctx.Err()
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// inflateGuard stops a compressed file that unpacks to more text than the
// limits allow, before the text is scanned, let alone stored.
type inflateGuard struct {
	r      io.Reader
	packed *countingReader
	n      int64
	lim    Limits
	err    error // once over a limit, always
}

func (g *inflateGuard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.r.Read(p)
	g.n += int64(n)
	g.err = g.check()
	if g.err != nil {
		return 0, g.err
	}
	return n, err
}

func (g *inflateGuard) check() error {
	if g.n > g.lim.MaxDecompressedBytes {
		return reject("it unpacks to more than %s, the limit (imet.toml [limits] max_decompressed_bytes): split the file, or raise the limit if it is genuine", bytesText(g.lim.MaxDecompressedBytes))
	}
	if g.n > ratioFloor && g.n > g.lim.MaxCompressionRatio*g.packed.n {
		return reject("it unpacks to more than %d times its compressed size (a compression bomb, or rows repeated beyond belief; imet.toml [limits] max_compression_ratio): send the file uncompressed if it is genuine", g.lim.MaxCompressionRatio)
	}
	return nil
}

var errNotUTF8 = errors.New("not UTF-8")

type notUTF8 struct{ Rejection }

func (notUTF8) Is(target error) bool { return target == errNotUTF8 }

func (n *notUTF8) Unwrap() error { return &n.Rejection }

func notUTF8At(line int64) error {
	return &notUTF8{Rejection{Msg: fmt.Sprintf("line %d is not UTF-8 text: save the file as UTF-8 and drop it in the inbox again", line)}}
}

// lineReader reads physical lines of at most max bytes whole; a longer
// line is read through (and checked as UTF-8) but only its first rawBound
// bytes are kept.
type lineReader struct {
	br   *bufio.Reader
	max  int
	buf  []byte
	line int64 // the line last read
	err  error // a read error blanks met
}

// next returns the next line with its terminator, its full length, and
// whether it is longer than max. At the end it returns io.EOF with no line.
func (lr *lineReader) next() (text []byte, size int64, long bool, err error) {
	if lr.err != nil {
		return nil, 0, false, lr.err
	}
	lr.buf = lr.buf[:0]
	var carry []byte
	for {
		chunk, err := lr.br.ReadSlice('\n')
		if size == 0 && err == nil && len(chunk) <= lr.max {
			// The usual case: a whole line in the buffer.
			lr.line++
			if !utf8.Valid(chunk) {
				return nil, 0, false, notUTF8At(lr.line)
			}
			return chunk, int64(len(chunk)), false, nil
		}
		if size == 0 && len(chunk) == 0 && err == io.EOF {
			return nil, 0, false, io.EOF
		}
		if size == 0 {
			lr.line++
		}
		size += int64(len(chunk))
		check := chunk
		if len(carry) > 0 {
			check = append(carry, chunk...)
			carry = nil
		}
		if err == bufio.ErrBufferFull {
			cut := incompleteTail(check)
			carry = append([]byte(nil), check[len(check)-cut:]...)
			check = check[:len(check)-cut]
		}
		if !utf8.Valid(check) {
			return nil, 0, false, notUTF8At(lr.line)
		}
		keep := lr.max
		if size > int64(lr.max) {
			long, keep = true, rawBound
		}
		if room := keep - len(lr.buf); room > 0 {
			lr.buf = append(lr.buf, chunk[:min(room, len(chunk))]...)
		}
		if long && len(lr.buf) > rawBound {
			lr.buf = lr.buf[:rawBound]
		}
		switch err {
		case bufio.ErrBufferFull:
			continue
		case nil, io.EOF:
			if len(carry) > 0 {
				return nil, 0, false, notUTF8At(lr.line)
			}
			if long {
				// The kept text may end inside a rune.
				lr.buf = lr.buf[:len(lr.buf)-incompleteTail(lr.buf)]
			}
			return lr.buf, size, long, nil
		default:
			return nil, 0, false, err
		}
	}
}

// blanks reads the empty lines ("\n") that come next, all at once: a
// file of a billion newlines costs a count, not a billion steps.
func (lr *lineReader) blanks() int64 {
	var n int64
	for {
		if lr.br.Buffered() == 0 {
			if _, err := lr.br.Peek(1); err != nil {
				if err != io.EOF {
					lr.err = err // bufio forgets it once told
				}
				return n
			}
		}
		b, _ := lr.br.Peek(lr.br.Buffered())
		k := 0
		for k < len(b) && b[k] == '\n' {
			k++
		}
		lr.br.Discard(k)
		n += int64(k)
		lr.line += int64(k)
		if k < len(b) {
			return n
		}
	}
}

func newLineReader(r io.Reader, max int) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 1<<20), max: max}
}

// scanText checks UTF-8 and line lengths and, for CSV, tracks RFC 4180
// quote state to know where each record starts: a quoted field may hold
// newlines, and read_csv numbers records, not lines. A quote still open
// after lim.MaxRecordLines lines, and a line over lim.MaxLineBytes, are
// split out: quarantined, and blanked in the copy read_csv reads.
func (s *scan) scanText(r io.Reader, csv bool, lim Limits) error {
	lr := newLineReader(r, lim.MaxLineBytes)
	rs := &recScanner{s: s, lim: lim}
	for {
		if !csv || len(rs.pending) == 0 {
			if k := lr.blanks(); k > 0 {
				s.lines += k
				if csv {
					rs.blank(s.lines-k+1, k)
				} else {
					s.blankLines += k
				}
			}
		}
		text, size, long, err := lr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		s.lines++
		if !csv {
			if long {
				s.dataRows++ // NDJSON: quarantined by its reader
			} else if len(bytes.TrimSpace(text)) == 0 {
				s.blankLines++
			} else {
				s.dataRows++
			}
			continue
		}
		if !s.padded && !long {
			s.padded = padded(text, s.delim)
		}
		if err := rs.push(pline{n: s.lines, text: text, size: size, long: long}); err != nil {
			return err
		}
	}
	if csv {
		if err := rs.flush(); err != nil {
			return err
		}
		s.simple = len(s.split) == 0 && len(s.runs) <= 1 && (len(s.runs) == 0 || !s.runs[0].blank)
	}
	return nil
}

// pline is one physical line as the record scanner sees it.
type pline struct {
	n    int64
	text []byte // with its line terminator; the first rawBound bytes of a long line
	size int64
	long bool
}

// recScanner groups lines into records. A record still open after
// MaxRecordLines lines gives up: its first line (where the open quote is)
// is split out and the lines after it are read again from a field start.
type recScanner struct {
	s       *scan
	lim     Limits
	pending []pline // lines of the record still open, inside a quoted value
	state   int
}

func (rs *recScanner) push(l pline) error {
	if !l.long && len(rs.pending) == 0 && bytes.IndexByte(l.text, '"') < 0 {
		// Fast path: a line without quotes is a record.
		rs.record(l.n, 1, len(bytes.TrimRight(l.text, "\r\n")) == 0)
		return nil
	}
	queue := []pline{l}
	for len(queue) > 0 {
		l := queue[0]
		queue = queue[1:]
		if l.long {
			if len(rs.pending) > 0 {
				rest, err := rs.unterminated()
				if err != nil {
					return err
				}
				queue = append(append(rest, l), queue...)
				continue
			}
			if err := rs.splitOut(l.n, fmt.Sprintf("line %d is %s long, over the limit of %s (imet.toml [limits] max_line_bytes): a value is far too long, or line breaks are missing; split the line, or correct the value (raw text: its first %d bytes)",
				l.n, bytesText(l.size), bytesText(int64(rs.lim.MaxLineBytes)), rawBound), l.text); err != nil {
				return err
			}
			continue
		}
		if len(rs.pending) == 0 {
			if bytes.IndexByte(l.text, '"') < 0 {
				// Fast path: a line without quotes is a record.
				rs.record(l.n, 1, len(bytes.TrimRight(l.text, "\r\n")) == 0)
				continue
			}
			rs.state = fieldStart
		}
		st := rs.state
		body := bytes.TrimSuffix(l.text, []byte{'\n'})
		for _, b := range body {
			st = nextCSVState(st, b, rs.s.delim)
		}
		rs.state = st
		if st == inQuoted {
			rs.pending = append(rs.pending, pline{n: l.n, text: append([]byte(nil), l.text...), size: l.size})
			if len(rs.pending) >= rs.lim.MaxRecordLines {
				rest, err := rs.unterminated()
				if err != nil {
					return err
				}
				queue = append(rest, queue...)
			}
			continue
		}
		first := l.n
		if len(rs.pending) > 0 {
			first = rs.pending[0].n
		}
		rs.record(first, l.n-first+1, false)
		rs.pending = rs.pending[:0]
	}
	return nil
}

// flush ends the text: a quote open at the end is unterminated.
func (rs *recScanner) flush() error {
	for len(rs.pending) > 0 {
		rest, err := rs.unterminated()
		if err != nil {
			return err
		}
		for _, l := range rest {
			if err := rs.push(l); err != nil {
				return err
			}
		}
	}
	return nil
}

// unterminated splits out the first line of the open record and returns
// the lines after it, to be read again.
func (rs *recScanner) unterminated() ([]pline, error) {
	p := rs.pending[0]
	rest := append([]pline(nil), rs.pending[1:]...)
	rs.pending = rs.pending[:0]
	return rest, rs.splitOut(p.n, fmt.Sprintf("an unterminated quote on line %d: the quoted value that opens there is not closed within %d lines (imet.toml [limits] max_record_lines), so the line was read alone and the lines after it on their own; close the quote, or double a quote that belongs to the value (\"\")",
		p.n, rs.lim.MaxRecordLines), p.text)
}

func (rs *recScanner) splitOut(line int64, reason string, raw []byte) error {
	s := rs.s
	if line == 1 || (len(s.runs) == 0) {
		return reject("the header cannot be read: %s", strings.Replace(reason, fmt.Sprintf("line %d", line), fmt.Sprintf("line %d (the header)", line), 1))
	}
	if int64(len(s.split)) >= rs.lim.MaxQuarantined {
		return reject("more than %d lines cannot be read as rows (the limit of quarantined rows per file, imet.toml [limits] max_quarantined); the first: line %d: %s", rs.lim.MaxQuarantined, s.split[0].line, s.split[0].reason)
	}
	if s.splitLine == nil {
		s.splitLine = map[int64]bool{}
	}
	s.splitLine[line] = true
	s.split = append(s.split, badRow{line: line, reason: reason, raw: string(bytes.TrimRight(raw, "\r\n"))})
	rs.record(line, 1, true)
	s.blankLines-- // counted as split out, not blank
	return nil
}

// blank adds n blank records, from line on, to the runs.
func (rs *recScanner) blank(line, n int64) {
	s := rs.s
	if len(s.runs) == 0 {
		// A file that begins with blank lines: one by one, so that the
		// header stays record 1 of the runs.
		for i := int64(0); i < n; i++ {
			rs.record(line+i, 1, true)
		}
		return
	}
	last := &s.runs[len(s.runs)-1]
	if last.blank && last.line+last.n == line {
		last.n += n
	} else {
		s.runs = append(s.runs, recRun{rec: last.rec + last.n, line: line, n: n, blank: true})
	}
	s.blankLines += n
}

// record adds read_csv's next record, which starts at line and spans span
// lines.
func (rs *recScanner) record(line, span int64, blank bool) {
	s := rs.s
	rec := int64(1)
	if n := len(s.runs); n > 0 {
		last := &s.runs[n-1]
		rec = last.rec + last.n
		if span == 1 && !last.multi && last.blank == blank && last.line+last.n == line {
			last.n++
		} else {
			s.runs = append(s.runs, recRun{rec: rec, line: line, n: 1, blank: blank, multi: span > 1})
		}
	} else {
		s.runs = append(s.runs, recRun{rec: rec, line: line, n: 1, blank: blank, multi: span > 1})
	}
	switch {
	case rec == 1:
		s.headerLines = span
	case blank:
		s.blankLines++
	default:
		s.dataRows++
		s.spanLines += span - 1
	}
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

// padded reports whether a value on the line may begin or end with a
// character DuckDB's trim() removes (the space separators, Unicode's Zs:
// TestPaddedCoversTrim holds DuckDB's set within Go's): an ASCII space next
// to a delimiter, a quote, a line break or either end of the line, or a
// space separator outside ASCII anywhere. It errs towards true: a space
// after a delimiter inside a quoted value only costs the trim.
func padded(line []byte, delim byte) bool {
	edge := func(b byte) bool { return b == delim || b == '"' || b == '\r' || b == '\n' }
	for i := 0; i < len(line); {
		k := bytes.IndexByte(line[i:], ' ')
		if k < 0 {
			break
		}
		k += i
		if k == 0 || k == len(line)-1 || edge(line[k-1]) || edge(line[k+1]) {
			return true
		}
		i = k + 1
	}
	for i := 0; i < len(line); i++ {
		if line[i] < utf8.RuneSelf {
			continue
		}
		r, n := utf8.DecodeRune(line[i:])
		if unicode.Is(unicode.Zs, r) {
			return true
		}
		i += n - 1
	}
	return false
}
