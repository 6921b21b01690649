package schemas

import (
	_ "embed"
	"encoding/csv"
	"strings"
)

//go:embed reference/countries.csv
var countriesCSV string

// Country is one row of the built-in country reference.
type Country struct {
	Code, Name, Region, CombatantCommand, Notes string
	// Former marks a country that no longer exists (its notes begin
	// "Former country (ISO 3166-3 …"): it is in the reference so that rows
	// which name it load under its former code, and nothing that stands for
	// today's world (synthetic partners, say) should draw it.
	Former bool
}

// formerNote begins the notes of a former country in countries.csv.
const formerNote = "Former country (ISO 3166-3 "

// Countries is the built-in reference: every ISO 3166-1 country and
// territory, plus Kosovo (XKX), plus the former countries that reports
// still name (Yugoslavia YUG, Serbia and Montenegro SCG, the Netherlands
// Antilles ANT: the alpha-3 codes they had in ISO 3166-1, now in ISO
// 3166-3, marked Former), with its State Department regional bureau and
// combatant command, so a user who supplies no countries file still gets
// regions right. The former countries come last, so every other row keeps
// its place (_row) in warehouses seeded before they were added.
var Countries = func() []Country {
	recs, err := csv.NewReader(strings.NewReader(countriesCSV)).ReadAll()
	if err != nil {
		panic("schemas: built-in countries.csv: " + err.Error())
	}
	out := make([]Country, 0, len(recs)-1)
	for _, r := range recs[1:] {
		out = append(out, Country{Code: r[0], Name: r[1], Region: r[2], CombatantCommand: r[3], Notes: r[4],
			Former: strings.HasPrefix(r[4], formerNote)})
	}
	return out
}()
