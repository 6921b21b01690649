package ingest

import (
	"context"
	"strings"
	"testing"
	"unicode"

	"github.com/imet-project/imet/schemas/schemastest"
)

// Validation skips trim() for a CSV file the scan found nothing to trim
// in (scan.padded), so padded must see every character trim() removes.
// The set comes from DuckDB itself: every code point trim() takes off a
// string's end. Should a DuckDB upgrade trim a character Go's unicode.Zs
// does not hold, this fails instead of a value keeping its padding.
func TestPaddedCoversTrim(t *testing.T) {
	t.Parallel()
	db := schemastest.Memory(t)
	rows, err := db.Query(`SELECT i FROM range(1, 1114112) r(i)
		WHERE (i < 55296 OR i > 57343) AND trim('a' || chr(i::INTEGER)) = 'a'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var trimmed []rune
	for rows.Next() {
		var i int64
		if err := rows.Scan(&i); err != nil {
			t.Fatal(err)
		}
		trimmed = append(trimmed, rune(i))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(trimmed) < 10 || trimmed[0] != ' ' {
		t.Fatalf("DuckDB trims %q: expected the space and the other space separators", string(trimmed))
	}
	for _, r := range trimmed {
		if r != ' ' && (r < 0x80 || !unicode.Is(unicode.Zs, r)) {
			t.Errorf("trim() removes U+%04X, which padded does not look for", r)
		}
		for _, line := range []string{"a,b" + string(r) + ",c\n", string(r) + "b,c\n", "a,b" + string(r) + "\n", "a,b" + string(r), `a,"` + string(r) + `b",c` + "\n"} {
			if !padded([]byte(line), ',') {
				t.Errorf("padded(%q) = false: trim() would change a value", line)
			}
		}
	}
}

func TestPadded(t *testing.T) {
	t.Parallel()
	cases := []struct {
		line  string
		delim byte
		want  bool
	}{
		{"S1,KEN,Otieno,James,1980\n", ',', false},
		{"S1,KEN,Otieno,James Mwangi,1980\r\n", ',', false}, // a space inside a value
		{"S1,KEN,Núñez,José,1980\n", ',', false},            // letters outside ASCII
		{"S1, KEN,Otieno\n", ',', true},
		{"S1,KEN ,Otieno\n", ',', true},
		{" S1,KEN\n", ',', true},
		{"S1,KEN \n", ',', true},
		{"S1,KEN \r\n", ',', true},
		{"S1,KEN ", ',', true}, // the last line, without a line break
		{`S1,"KEN ",Otieno` + "\n", ',', true},
		{`S1," KEN",Otieno` + "\n", ',', true},
		{"S1;KEN ;Otieno\n", ';', true},
		{"S1\t KEN\tOtieno\n", '\t', true},
		{"S1,KE\u00a0N,Otieno\n", ',', true}, // a no-break space anywhere: trim's concern, perhaps
		{"S1,KEN,\u3000Otieno\n", ',', true},
		{"S1,KEN,Oti\teno\n", ',', false}, // trim() keeps tabs
	}
	for _, c := range cases {
		if got := padded([]byte(c.line), c.delim); got != c.want {
			t.Errorf("padded(%q, %q) = %v, want %v", c.line, c.delim, got, c.want)
		}
	}
}

// Through the real loader: a file with padded values stores them trimmed,
// whichever space separator pads them and wherever; a file with none is
// scanned as unpadded (so validation skips trim) and stores its values
// as sent.
func TestPaddedValuesTrimmed(t *testing.T) {
	t.Parallel()
	const header = "student_id,country_code,family_name,given_names,birth_year\n"
	cases := []struct {
		name, row string
		padded    bool
	}{
		{"plain", "S1,KEN,Otieno,James Mwangi,1980\n", false},
		{"spaces", " S1 , KEN ,  Otieno,James Mwangi  , 1980\n", true},
		{"quoted", `"S1 ",KEN,"  Otieno","James Mwangi ",1980` + "\n", true},
		{"no-break space", "S1,KEN,Otieno\u00a0,\u00a0James Mwangi,1980\n", true},
		{"ideographic space", "S1,KEN,\u3000Otieno,James Mwangi\u3000,1980\n", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "students.csv", header+c.row)
			sc, err := prescan(context.Background(), path, CSV, ',', "students", Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if sc.padded != c.padded {
				t.Errorf("scan.padded = %v, want %v", sc.padded, c.padded)
			}
			db := schemastest.Memory(t)
			r := load(t, newLoader(t, db), path, "students")
			if r.Status != StatusLoaded || r.Loaded != 1 {
				t.Fatalf("status %s, loaded %d: %s", r.Status, r.Loaded, r.Reason)
			}
			got := dump(t, db, "SELECT student_id, country_code, family_name, given_names, birth_year FROM students")
			if want := "S1 KEN Otieno James Mwangi 1980\n"; got != want {
				t.Errorf("stored %q, want %q", got, want)
			}
			var n int
			if err := db.QueryRow("SELECT count(*) FROM students WHERE " + strings.Join([]string{
				"strlen(student_id) <> 2", "strlen(family_name) <> 6", "strlen(given_names) <> 12"}, " OR ")).Scan(&n); err != nil || n != 0 {
				t.Errorf("%d rows keep padding (%v)", n, err)
			}
		})
	}
}

// The contract's date form is YYYY-MM-DD exactly: the forms a cast alone
// would also take are no dates of the contract's (rule type), and a
// declared layout adds its own form to it.
func TestStrictDates(t *testing.T) {
	t.Parallel()
	db := schemastest.Memory(t)
	cases := []struct {
		v, format, want string // want "" is not a date
	}{
		{"2019-01-02", "", "2019-01-02"},
		{"1900-12-31", "", "1900-12-31"},
		{"2019-1-2", "", ""},
		{"2019-01-2", "", ""},
		{"2019/01/02", "", ""},
		{"2019.01.02", "", ""},
		{"2019 01 02", "", ""},
		{"02-01-2019", "", ""},
		{"2019-02-30", "", ""},
		{"2019-01-02T00:00", "", ""},
		{"2019-01-02 00:00:00", "", ""},
		{"２０１９-01-02", "", ""}, // full-width digits: ten characters, more bytes
		{"2019–01–02", "", ""}, // en dashes
		{"01/02/2019", "%m/%d/%Y", "2019-01-02"},
		{"2019-01-02", "%m/%d/%Y", "2019-01-02"},
		{"2019-1-2", "%m/%d/%Y", ""},
	}
	for _, c := range cases {
		var got *string
		q := "SELECT strftime(" + dateParse("v", c.format) + ", '%Y-%m-%d') FROM (SELECT ?::VARCHAR AS v)"
		if err := db.QueryRow(q, c.v).Scan(&got); err != nil {
			t.Fatalf("%q: %v", c.v, err)
		}
		if g := deref(got); g != c.want {
			t.Errorf("date %q (layout %q) = %q, want %q", c.v, c.format, g, c.want)
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
