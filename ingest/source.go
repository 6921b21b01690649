package ingest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"

	"github.com/imet-project/imet/schemas"
)

// Source is how one dataset's files are written, for a source that cannot
// change its export (imet.toml, [ingest]). The zero value is the contract:
// UTF-8, comma-separated, ISO dates, the contract's column names.
type Source struct {
	// DateFormat is a strptime layout tried before ISO 8601.
	DateFormat string
	// Delimiter separates CSV fields: one character, default ",".
	Delimiter string
	// Encoding of CSV and NDJSON files: "" or "utf-8", "latin-1"
	// (ISO-8859-1) or "windows-1252".
	Encoding string
	// Aliases maps a file's header name to a contract column; both sides
	// are compared after schemas.NormalizeHeader.
	Aliases map[string]string
}

// encodings are the encodings a Source may name, by their folded names.
var encodings = map[string]encoding.Encoding{
	"latin1": charmap.ISO8859_1, "iso88591": charmap.ISO8859_1,
	"windows1252": charmap.Windows1252, "cp1252": charmap.Windows1252,
}

func foldName(s string) string { return strings.ReplaceAll(schemas.NormalizeHeader(s), "_", "") }

// Check says what is wrong with a dataset's source settings, in words that
// name the setting.
func (s Source) Check(dataset string) error {
	ds, err := schemas.Lookup(dataset)
	if err != nil {
		if dataset == schemas.FMTRActivities {
			return nil
		}
		return err
	}
	if s.Delimiter != "" {
		r := []rune(s.Delimiter)
		if len(r) != 1 || r[0] > 127 || r[0] == '"' || r[0] == '\n' || r[0] == '\r' {
			return fmt.Errorf("delimiters.%s = %q: use one ASCII character other than a quote or a line break, e.g. \";\" or \"\\t\"", dataset, s.Delimiter)
		}
	}
	if s.Encoding != "" && foldName(s.Encoding) != "utf8" {
		if _, ok := encodings[foldName(s.Encoding)]; !ok {
			return fmt.Errorf("encodings.%s = %q: use \"utf-8\", \"latin-1\" or \"windows-1252\"", dataset, s.Encoding)
		}
	}
	for from, to := range s.Aliases {
		if _, ok := ds.Column(schemas.NormalizeHeader(to)); !ok {
			return fmt.Errorf("aliases.%s: %q = %q: %q is not a column of %s (%s)", dataset, from, to, to, dataset, strings.Join(ds.ColumnNames(), ", "))
		}
	}
	return nil
}

func (s Source) delim() byte {
	if s.Delimiter == "" {
		return ','
	}
	return s.Delimiter[0]
}

// decoder is the encoding to turn into UTF-8, or nil for UTF-8 itself.
func (s Source) decoder() encoding.Encoding {
	return encodings[foldName(s.Encoding)]
}

// column maps a normalised header name through the aliases.
func (s Source) column(name string) string {
	for from, to := range s.Aliases {
		if schemas.NormalizeHeader(from) == name {
			return schemas.NormalizeHeader(to)
		}
	}
	return name
}

// looksUTF8 says whether a file is UTF-8 beyond doubt: a byte-order mark,
// or non-ASCII bytes that are all valid UTF-8.
func looksUTF8(path string) (bool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	if bytes.HasPrefix(b, []byte("\ufeff")) {
		return true, nil
	}
	ascii := true
	for _, c := range b {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	return !ascii && utf8.Valid(b), nil
}

// toUTF8 writes a UTF-8 copy of a file in another encoding into a new
// temporary folder and returns its path; the caller removes the folder.
func toUTF8(path string, enc encoding.Encoding) (string, error) {
	in, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer in.Close()
	// The copy keeps the file's name (in a folder of its own), since
	// messages about it name it.
	dir, err := os.MkdirTemp("", "imet-utf8-")
	if err != nil {
		return "", err
	}
	out, err := os.Create(filepath.Join(dir, filepath.Base(path)))
	if err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	w := bufio.NewWriterSize(out, 1<<20)
	_, err = io.Copy(w, enc.NewDecoder().Reader(bufio.NewReaderSize(in, 1<<20)))
	if err == nil {
		err = w.Flush()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("convert %s to UTF-8: %w", filepath.Base(path), err)
	}
	return out.Name(), nil
}

// suggest names, for each unknown header name, the contract column it most
// likely means, among those the file lacks: `did you mean cost_usd?`. A
// renamed column is otherwise dropped without a word while the file loads.
func suggest(ds *schemas.Dataset, unknown []string, present map[string]bool) map[string]string {
	out := map[string]string{}
	for _, u := range unknown {
		best, bestD := "", 1<<30
		fu := foldName(u)
		for _, c := range ds.Columns {
			if present[c.Name] {
				continue
			}
			fc := foldName(c.Name)
			d := editDistance(fu, fc)
			// Close in spelling, or one name inside the other
			// (cost -> cost_usd, student_identifier -> student_id).
			limit := max(1, min(len(fu), len(fc))/4)
			if d > limit && !(len(fu) >= 4 && len(fc) >= 4 && (strings.Contains(fu, fc) || strings.Contains(fc, fu))) {
				continue
			}
			if d < bestD {
				best, bestD = c.Name, d
			}
		}
		if best != "" {
			out[u] = best
		}
	}
	return out
}

// unknownWarning is the summary's line about columns the contract does not
// know, with the likely meant column where there is one.
func unknownWarning(ds *schemas.Dataset, unknown []string, present map[string]bool) string {
	hints := suggest(ds, unknown, present)
	parts := make([]string, len(unknown))
	for i, u := range unknown {
		parts[i] = u
		if h, ok := hints[u]; ok {
			parts[i] = fmt.Sprintf("%s (did you mean %s? map it in imet.toml: [ingest.aliases.%s] %q = %q)", u, h, ds.Name, u, h)
		}
	}
	return "unknown columns not loaded (kept only in quarantined rows' raw data): " + strings.Join(parts, ", ") +
		fmt.Sprintf("; if one of them is a column of %s under another name, map it in imet.toml ([ingest.aliases.%s] \"name\" = \"column\") and send the file again with imet ingest --force", ds.Name, ds.Name)
}

// editDistance is the Levenshtein distance of two short strings.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
