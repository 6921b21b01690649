package schemas

import (
	_ "embed"
	"encoding/csv"
	"regexp"
	"strings"

	"golang.org/x/text/unicode/norm"
	"unicode"
)

//go:embed reference/country_aliases.csv
var countryAliasesCSV string

// Retired names that no current code stands for: resolving them would be a
// guess, so they are refused with this reason.
var retiredCountries = map[string]string{
	"serbia and montenegro": "Serbia and Montenegro split in 2006 into Serbia (SRB) and Montenegro (MNE): the row does not say which",
	"netherlands antilles":  "the Netherlands Antilles were dissolved in 2010 into Curaçao (CUW), Sint Maarten (SXM) and Bonaire, Sint Eustatius and Saba (BES): the row does not say which",
}

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
// to its ISO 3166-1 alpha-3 code. It never guesses: an unknown or retired
// name returns "" and a reason to show the user.
func ResolveCountry(name string) (code, reason string) {
	k := countryKey(name)
	if k == "" {
		return "", "the country is empty"
	}
	if c, ok := countryNames[k]; ok {
		return c, ""
	}
	if r, ok := retiredCountries[k]; ok {
		return "", r
	}
	if c, ok := countryNames[strings.TrimSpace(qualifiers.ReplaceAllString(k, ""))]; ok {
		return c, ""
	}
	return "", "the country " + `"` + name + `"` + " is not a name imet knows: add it to a countries file, or correct it"
}
