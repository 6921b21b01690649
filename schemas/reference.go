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
}

// Countries is the built-in reference: every ISO 3166-1 country and
// territory, plus Kosovo (XKX), with its State Department regional bureau
// and combatant command, so a user who supplies no countries file still
// gets regions right.
var Countries = func() []Country {
	recs, err := csv.NewReader(strings.NewReader(countriesCSV)).ReadAll()
	if err != nil {
		panic("schemas: built-in countries.csv: " + err.Error())
	}
	out := make([]Country, 0, len(recs)-1)
	for _, r := range recs[1:] {
		out = append(out, Country{Code: r[0], Name: r[1], Region: r[2], CombatantCommand: r[3], Notes: r[4]})
	}
	return out
}()
