package schemas

import (
	_ "embed"
	"encoding/csv"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

//go:embed reference/country_aliases.csv
var countryAliasesCSV string

var countryNames = func() map[string]string {
	m := map[string]string{}
	for _, c := range Countries {
		m[countryKey(c.Name)] = c.Code
		m[strings.ToLower(c.Code)] = c.Code
	}
	recs, err := csv.NewReader(strings.NewReader(countryAliasesCSV)).ReadAll()
	if err != nil {
		panic("schemas: built-in country_aliases.csv: " + err.Error())
	}
	for _, r := range recs[1:] {
		m[countryKey(r[0])] = r[1]
	}
	return m
}()

var (
	nonAlnum   = regexp.MustCompile(`[^a-z0-9]+`)
	qualifiers = regexp.MustCompile(`^(the )?(republic of )?|( the)?( republic of)?$`)
)

// countryKey folds a country name for lookup: accents and case removed,
// & read as "and", Saint as St, punctuation to single spaces.
func countryKey(s string) string {
	s = norm.NFKD.String(strings.ReplaceAll(strings.ReplaceAll(s, "&", " and "), "’", "'"))
	var b strings.Builder
	for _, r := range s {
		if !unicode.Is(unicode.Mn, r) && r != '\'' {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	k := strings.TrimSpace(nonAlnum.ReplaceAllString(b.String(), " "))
	k = strings.ReplaceAll(" "+k+" ", " saint ", " st ")
	return strings.TrimSpace(k)
}

// ResolveCountry maps a country as written by a source (`Cote D’Ivoire,
// Republic of`, `Burma`, `Congo, Democratic Republic of (Kinshasa)`, `KEN`)
// to its ISO 3166-1 alpha-3 code, or, for a former country (Yugoslavia,
// Serbia and Montenegro, the Netherlands Antilles), to the former alpha-3
// code the built-in reference keeps it under (YUG, SCG, ANT): a row that
// names a former country is never split among its successors nor guessed
// to be one of them. Besides the names and aliases it reads the ways
// reports write a name: inverted ("Tanzania, United Republic of", "Korea -
// South"), with a parenthesised note ("Belize (UK)", "Macedonia (FYROM)"),
// a dash for "and" ("Trinidad -Tobago"), with state forms ("Federal
// Republic of Yugoslavia", "Yugoslavia, Federal Republic of"). It never
// guesses: an unknown name returns "" and a reason to show the user.
func ResolveCountry(name string) (code, reason string) {
	if r, ok := resolved.Load(name); ok {
		r := r.([2]string)
		return r[0], r[1]
	}
	code, reason = resolveCountry(name)
	if resolvedN.Add(1) <= maxResolved {
		resolved.Store(name, [2]string{code, reason})
	}
	return code, reason
}

// resolved remembers ResolveCountry's answers (a report names a few
// hundred countries over tens of thousands of rows), up to maxResolved
// names so that no input can grow it without bound.
var (
	resolved  sync.Map
	resolvedN atomic.Int64
)

const maxResolved = 100_000

func resolveCountry(name string) (code, reason string) {
	k := countryKey(name)
	if k == "" {
		return "", "the country is empty"
	}
	for _, v := range countryVariants(name) {
		k := countryKey(v)
		if c, ok := countryNames[k]; ok {
			return c, ""
		}
		if c, ok := countryNames[strings.TrimSpace(qualifiers.ReplaceAllString(k, ""))]; ok {
			return c, ""
		}
	}
	return "", "the country " + `"` + name + `"` + " is not a name imet knows: add it to a countries file, or correct it"
}

var (
	parenNote  = regexp.MustCompile(`^(.*\S)\s*\(([^()]*)\)\s*$`)
	dashSplit  = regexp.MustCompile(`\s*-\s*`)
	commaSplit = regexp.MustCompile(`\s*,\s*`)
	stateForms = regexp.MustCompile(`(?i)^(?:(?:the|republic|of|united|kingdom|commonwealth|state|federal|federated|states|islamic|arab|hashemite|sultanate|principality|grand|duchy)\s*)+$`)
	// "United Republic of Tanzania", "Kingdom of Eswatini": state forms up to "of".
	leadingForm = regexp.MustCompile(`(?i)^(?:(?:the|republic|united|kingdom|commonwealth|state|federal|federated|states|islamic|arab|hashemite|sultanate|principality|grand|duchy)\s+)+of\s+(?:the\s+)?(\S.*)$`)
	noteAbbrev  = regexp.MustCompile(`^[A-Z]{2,6}$`)
)

// countryVariants lists the readings of a name to try, most literal first:
// as written; a trailing parenthesised note moved to the front ("Korea
// (Democratic People's Republic of)" as "Democratic People's Republic of
// Korea") or, when the note names nothing (an abbreviation such as "UK" or
// "FYROM", or state forms only: "Republic of"), dropped; each of those
// un-inverted at a comma or a dash ("A, B" and "A - B" as "B A"), with the
// dash read as "and", with a trailing state form after a comma dropped
// ("Tanzania, United Republic of" → "Tanzania"; not "Korea, Democratic
// People's Republic of", whose words are not all state forms) and a leading
// one ("United Republic of Tanzania", "Kingdom of Eswatini").
func countryVariants(name string) []string {
	name = strings.TrimSpace(name)
	bases := []string{name}
	if m := parenNote.FindStringSubmatch(name); m != nil {
		note := strings.TrimSpace(m[2])
		bases = append(bases, note+" "+m[1])
		if noteAbbrev.MatchString(note) || stateForms.MatchString(note) {
			bases = append(bases, m[1])
		}
	}
	var out []string
	for _, b := range bases {
		out = append(out, b)
		for _, sep := range []*regexp.Regexp{commaSplit, dashSplit} {
			parts := sep.Split(b, 2)
			if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
				continue
			}
			out = append(out, parts[1]+" "+parts[0])
			if stateForms.MatchString(parts[1]) {
				out = append(out, parts[0])
			}
		}
		if dashSplit.MatchString(b) {
			out = append(out, dashSplit.ReplaceAllString(b, " and "))
		}
	}
	for _, v := range out {
		if m := leadingForm.FindStringSubmatch(v); m != nil {
			out = append(out, m[1])
		}
	}
	return out
}
