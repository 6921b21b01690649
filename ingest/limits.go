package ingest

import "fmt"

// Limits bound the work and memory one input file can cost, so that no
// file, however made, freezes the pipeline or fills the disk. A zero field
// takes its default (DefaultLimits).
type Limits struct {
	// MaxColumns is the most fields a header may have: a wider header is
	// refused before anything else is read (the widest dataset of the
	// contract has about 20 columns).
	MaxColumns int
	// MaxLineBytes is the longest physical line: a longer one is
	// quarantined (its raw text cut to rawBound bytes), a longer header
	// refuses the file.
	MaxLineBytes int
	// MaxRecordLines is the most physical lines one CSV record may span
	// (line breaks inside a quoted value, in any column). A quote still
	// open after that many lines is an unterminated quote: its line is
	// quarantined and the lines after it are read on their own.
	MaxRecordLines int
	// MaxDecompressedBytes is the most text a compressed file (.csv.gz)
	// may unpack to.
	MaxDecompressedBytes int64
	// MaxCompressionRatio refuses a compressed file whose text grows to
	// more than this many times its compressed bytes (once past
	// ratioFloor bytes): honest CSV compresses 3 to 20 times, a
	// compression bomb about 1,000 times.
	MaxCompressionRatio int64
	// MaxQuarantined is the most rows one file may have quarantined; a
	// file with more is refused whole, with a sample of the reasons.
	MaxQuarantined int64
}

// DefaultLimits are the limits of a workspace whose imet.toml sets none.
var DefaultLimits = Limits{
	MaxColumns:           1000,
	MaxLineBytes:         1 << 20,
	MaxRecordLines:       5,
	MaxDecompressedBytes: 4 << 30,
	MaxCompressionRatio:  100,
	MaxQuarantined:       100_000,
}

// rawBound is how much of a split-out line's text quarantine keeps: a
// contract row is well under 1 KiB, and a file of 100,000 over-long lines
// must not hold 100,000 MiB in memory.
const rawBound = 8 << 10

// ratioFloor is the text a compressed file may always unpack to, whatever
// its ratio: a small file of very repetitive rows is no threat.
const ratioFloor = 16 << 20

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxColumns > 0 {
		d.MaxColumns = l.MaxColumns
	}
	if l.MaxLineBytes > 0 {
		d.MaxLineBytes = l.MaxLineBytes
	}
	if l.MaxRecordLines > 0 {
		d.MaxRecordLines = l.MaxRecordLines
	}
	if l.MaxDecompressedBytes > 0 {
		d.MaxDecompressedBytes = l.MaxDecompressedBytes
	}
	if l.MaxCompressionRatio > 0 {
		d.MaxCompressionRatio = l.MaxCompressionRatio
	}
	if l.MaxQuarantined > 0 {
		d.MaxQuarantined = l.MaxQuarantined
	}
	return d
}

// Check says which limit is out of range, naming its imet.toml key.
func (l Limits) Check() error {
	switch {
	case l.MaxColumns < 0, l.MaxLineBytes < 0, l.MaxRecordLines < 0, l.MaxDecompressedBytes < 0, l.MaxCompressionRatio < 0, l.MaxQuarantined < 0:
		return fmt.Errorf("[limits] values must not be negative (0, or no value, takes the default)")
	case l.MaxLineBytes > 0 && l.MaxLineBytes < 1024:
		return fmt.Errorf("[limits] max_line_bytes = %d: use at least 1024", l.MaxLineBytes)
	case l.MaxRecordLines > 1000:
		return fmt.Errorf("[limits] max_record_lines = %d: use at most 1000", l.MaxRecordLines)
	}
	return nil
}

// bytesText writes a byte count for a reason: 41943040 bytes (40 MiB).
func bytesText(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d bytes (%d GiB)", n, n>>30)
	case n >= 1<<30:
		return fmt.Sprintf("%d bytes (%.1f GiB)", n, float64(n)/(1<<30))
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d bytes (%d MiB)", n, n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%d bytes (%.1f MiB)", n, float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d bytes", n)
}
