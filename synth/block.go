package synth

import (
	"slices"
	"strconv"
	"sync"
	"unicode/utf8"
)

// Datasets, in the order their files are written.
const (
	dsCourses = iota
	dsStudents
	dsEnrollments
	dsEvents
	dsFlags
	dsAllocations
	dsHolders
	nDatasets
)

var datasetNames = [nDatasets]string{"courses", "students", "enrollments", "career_events", "hr_flags", "allocations", "post_holders"}

// column kinds that matter to the writers: NDJSON writes integer and decimal
// values as JSON numbers.
const (
	kText = iota
	kNumber
)

type column struct {
	name string
	kind int
}

// datasetColumns is the contract's column order for every dataset.
var datasetColumns = [nDatasets][]column{
	dsCourses: {{"course_code", kText}, {"course_title", kText}, {"category", kText}, {"school", kText},
		{"functional_area", kText}, {"duration_weeks", kNumber}, {"human_rights_content", kText}},
	dsStudents: {{"student_id", kText}, {"country_code", kText}, {"family_name", kText}, {"given_names", kText},
		{"birth_year", kNumber}, {"sex", kText}, {"service", kText}, {"cohort", kText}, {"index_date", kText},
		{"rank_code_at_index", kText}},
	dsEnrollments: {{"enrollment_id", kText}, {"student_id", kText}, {"course_code", kText}, {"program", kText},
		{"fiscal_year", kNumber}, {"start_date", kText}, {"end_date", kText}, {"status", kText},
		{"rank_at_entry", kText}, {"rank_code_at_entry", kText}, {"ecl_score", kNumber}, {"cost_usd", kNumber},
		{"partner_cost_usd", kNumber}, {"vetting_status", kText}, {"vetting_date", kText}},
	dsEvents: {{"event_id", kText}, {"student_id", kText}, {"country_code", kText}, {"family_name", kText},
		{"given_names", kText}, {"birth_year", kNumber}, {"event_date", kText}, {"event_type", kText},
		{"rank_code", kText}, {"position_title", kText}, {"position_level", kText}, {"functional_area", kText},
		{"operation_name", kText}, {"operation_type", kText}, {"source", kText}, {"reported_date", kText}},
	dsFlags: {{"flag_id", kText}, {"student_id", kText}, {"country_code", kText}, {"family_name", kText},
		{"given_names", kText}, {"birth_year", kNumber}, {"flag_date", kText}, {"severity", kText},
		{"status", kText}, {"source", kText}},
	dsAllocations: {{"fiscal_year", kNumber}, {"country_code", kText}, {"program", kText}, {"allocated_usd", kNumber}},
	dsHolders: {{"holding_id", kText}, {"student_id", kText}, {"country_code", kText}, {"family_name", kText},
		{"given_names", kText}, {"birth_year", kNumber}, {"post_level", kText}, {"post_title", kText},
		{"start_date", kText}, {"end_date", kText}, {"source", kText}},
}

// Column positions used when rows are built or broken.
const (
	cStuID, cStuCountry, cStuFamily, cStuGiven, cStuBirth, cStuSex, cStuService, cStuCohort, cStuIndex, cStuRank = 0, 1, 2, 3, 4, 5, 6, 7, 8, 9
)

const (
	cEnrID = iota
	cEnrStudent
	cEnrCourse
	cEnrProgram
	cEnrFY
	cEnrStart
	cEnrEnd
	cEnrStatus
	cEnrRankTitle
	cEnrRank
	cEnrECL
	cEnrCost
	cEnrPartner
	cEnrVet
	cEnrVetDate
)

const (
	cEvID = iota
	cEvStudent
	cEvCountry
	cEvFamily
	cEvGiven
	cEvBirth
	cEvDate
	cEvType
	cEvRank
	cEvTitle
	cEvLevel
	cEvFA
	cEvOpName
	cEvOpType
	cEvSource
	cEvReported
)

const (
	cFlID = iota
	cFlStudent
	cFlCountry
	cFlFamily
	cFlGiven
	cFlBirth
	cFlDate
	cFlSeverity
	cFlStatus
	cFlSource
)

// block is a run of rows of one dataset in a format-neutral form: the cell
// bytes back to back and the end offset of every cell. Chunks build blocks in
// parallel; the writers turn them into CSV, NDJSON, Parquet or XLSX. An empty
// cell is a NULL.
type block struct {
	ncol int
	buf  []byte
	ends []uint32 // end offset of each cell; quoteFlag set when CSV must quote it
}

// quoteFlag marks a cell holding a comma, quote or line break, so the CSV
// encoder need not scan every cell again.
const (
	quoteFlag  uint32 = 1 << 31
	offsetMask uint32 = quoteFlag - 1
)

// Blocks and byte buffers are recycled: a run at a million students would
// otherwise allocate (and clear) gigabytes for the garbage collector.
var (
	blockPool = sync.Pool{New: func() any { return new(block) }}
	bytesPool = sync.Pool{New: func() any { return new([]byte) }}
)

func newBlock(ds int, rowsHint int) *block {
	b := blockPool.Get().(*block)
	b.ncol = len(datasetColumns[ds])
	if cap(b.ends) < rowsHint*b.ncol {
		b.ends = make([]uint32, 0, rowsHint*b.ncol)
	}
	if cap(b.buf) < rowsHint*b.ncol*8 {
		b.buf = make([]byte, 0, rowsHint*b.ncol*8)
	}
	b.buf, b.ends = b.buf[:0], b.ends[:0]
	return b
}

func releaseBlock(b *block) {
	if b != nil {
		blockPool.Put(b)
	}
}

func getBytes() []byte { return (*bytesPool.Get().(*[]byte))[:0] }

func releaseBytes(p []byte) {
	if p != nil {
		bytesPool.Put(&p)
	}
}

func (b *block) end() { b.ends = append(b.ends, uint32(len(b.buf))) }

// str appends a cell of free text.
func (b *block) str(s string) {
	b.buf = append(b.buf, s...)
	e := uint32(len(b.buf))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ',' || c == '"' || c == '\n' || c == '\r' {
			e |= quoteFlag
			break
		}
	}
	b.ends = append(b.ends, e)
}

// code appends a cell known to need no CSV quoting (ids, codes).
func (b *block) code(s string) { b.buf = append(b.buf, s...); b.end() }

func (b *block) empty() { b.end() }

func (b *block) int(n int) { b.buf = strconv.AppendInt(b.buf, int64(n), 10); b.end() }

func (b *block) date(d day) {
	if d != noDay {
		b.buf = appendDate(b.buf, d)
	}
	b.end()
}

// money writes cents as a decimal with two places.
func (b *block) money(cents int64) {
	b.buf = appendMoney(b.buf, cents)
	b.end()
}

func appendMoney(dst []byte, cents int64) []byte {
	if cents < 0 {
		dst = append(dst, '-')
		cents = -cents
	}
	dst = strconv.AppendInt(dst, cents/100, 10)
	c := cents % 100
	return append(dst, '.', byte('0'+c/10), byte('0'+c%10))
}

func (b *block) rows() int { return len(b.ends) / b.ncol }

func (b *block) cell(row, col int) []byte {
	i := row*b.ncol + col
	start := uint32(0)
	if i > 0 {
		start = b.ends[i-1] & offsetMask
	}
	return b.buf[start : b.ends[i]&offsetMask]
}

// copyCell appends cell (row, col) of src, keeping its quoting mark.
func (b *block) copyCell(src *block, row, col int) {
	b.buf = append(b.buf, src.cell(row, col)...)
	b.ends = append(b.ends, uint32(len(b.buf))|src.ends[row*src.ncol+col]&quoteFlag)
}

// appendRow copies row r of src into b.
func (b *block) appendRow(src *block, r int) { b.appendRows(src, r, r+1) }

// appendRows copies rows [from, to) of src into b in one go.
func (b *block) appendRows(src *block, from, to int) {
	if from >= to {
		return
	}
	n := src.ncol
	start := uint32(0)
	if from*n > 0 {
		start = src.ends[from*n-1] & offsetMask
	}
	end := src.ends[to*n-1] & offsetMask
	base := uint32(len(b.buf))
	b.buf = append(b.buf, src.buf[start:end]...)
	for _, e := range src.ends[from*n : to*n] {
		b.ends = append(b.ends, (e&offsetMask-start+base)|e&quoteFlag)
	}
}

// edit replaces one cell when a row is copied.
type edit struct {
	col int
	val string
}

// appendRowEdited copies row r of src with some cells replaced (how bad rows
// are made from good ones).
func (b *block) appendRowEdited(src *block, r int, edits ...edit) {
	for c := 0; c < src.ncol; c++ {
		replaced := false
		for _, e := range edits {
			if e.col == c {
				b.str(e.val)
				replaced = true
				break
			}
		}
		if !replaced {
			b.copyCell(src, r, c)
		}
	}
}

// splice interleaves bad rows into good rows: bad row i is placed before good
// row pos[i] (pos == good.rows() appends it). It returns the merged block and
// each bad row's 0-based index in it.
func splice(good, bad *block, pos []int) (*block, []int) {
	if bad == nil || bad.rows() == 0 {
		return good, nil
	}
	order := make([]int, len(pos))
	for i := range order {
		order[i] = i
	}
	// stable insertion sort by position: few bad rows per block
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && pos[order[j]] < pos[order[j-1]]; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	out := blockPool.Get().(*block)
	out.ncol = good.ncol
	out.buf = slices.Grow(out.buf[:0], len(good.buf)+len(bad.buf))
	out.ends = slices.Grow(out.ends[:0], len(good.ends)+len(bad.ends))
	at := make([]int, len(pos))
	prev := 0
	for _, i := range order {
		out.appendRows(good, prev, pos[i])
		prev = pos[i]
		at[i] = out.rows()
		out.appendRow(bad, i)
	}
	out.appendRows(good, prev, good.rows())
	releaseBlock(good)
	releaseBlock(bad)
	return out, at
}

// appendCSV encodes rows as RFC 4180 CSV with \n line ends, quoting only
// cells that hold a comma, quote or line break.
func appendCSV(dst []byte, b *block) []byte {
	start := uint32(0)
	col := 0
	for _, e := range b.ends {
		end := e & offsetMask
		cell := b.buf[start:end]
		start = end
		if e&quoteFlag != 0 {
			dst = append(dst, '"')
			for _, c := range cell {
				if c == '"' {
					dst = append(dst, '"')
				}
				dst = append(dst, c)
			}
			dst = append(dst, '"')
		} else {
			dst = append(dst, cell...)
		}
		col++
		if col == b.ncol {
			dst = append(dst, '\n')
			col = 0
		} else {
			dst = append(dst, ',')
		}
	}
	return dst
}

func needsQuote(cell []byte) bool {
	for _, c := range cell {
		if c == ',' || c == '"' || c == '\n' || c == '\r' {
			return true
		}
	}
	return false
}

func appendCSVHeader(dst []byte, ds int) []byte {
	for i, c := range datasetColumns[ds] {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, c.name...)
	}
	return append(dst, '\n')
}

// appendNDJSON encodes rows as one JSON object per line; empty cells are
// left out, and numeric columns holding a valid number are JSON numbers.
func appendNDJSON(dst []byte, b *block, ds int) []byte {
	cols := datasetColumns[ds]
	for r := 0; r < b.rows(); r++ {
		dst = append(dst, '{')
		first := true
		for c, col := range cols {
			cell := b.cell(r, c)
			if len(cell) == 0 {
				continue
			}
			if !first {
				dst = append(dst, ',')
			}
			first = false
			dst = append(dst, '"')
			dst = append(dst, col.name...)
			dst = append(dst, '"', ':')
			if col.kind == kNumber && isJSONNumber(cell) {
				dst = append(dst, cell...)
			} else {
				dst = appendJSONString(dst, cell)
			}
		}
		dst = append(dst, '}', '\n')
	}
	return dst
}

// isJSONNumber reports whether s is a number in JSON's grammar.
func isJSONNumber(s []byte) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	if i >= len(s) {
		return false
	}
	if s[i] == '0' {
		i++
	} else if s[i] >= '1' && s[i] <= '9' {
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	} else {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == j {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == j {
			return false
		}
	}
	return i == len(s)
}

const hexDigits = "0123456789abcdef"

func appendJSONString(dst, s []byte) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				dst = append(dst, '\\', c)
			case c < 0x20:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && n == 1 {
			dst = append(dst, `\ufffd`...)
		} else {
			dst = append(dst, s[i:i+n]...)
		}
		i += n
	}
	return append(dst, '"')
}
