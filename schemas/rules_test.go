package schemas_test

import (
	"testing"

	"github.com/imet-project/imet/schemas"
)

// Every rule a dataset declares is a quarantine rule of the rule book.
func TestRowRulesAreInTheRuleBook(t *testing.T) {
	t.Parallel()
	known := map[string]bool{}
	for _, r := range schemas.Rules {
		known[r.Name] = true
	}
	for _, d := range schemas.Datasets {
		for _, r := range d.RowRules {
			if !known[r.Rule] || r.Doc == "" || r.When == "" || r.Reason == "" {
				t.Errorf("%s: row rule %+v is not a documented rule of the book", d.Name, r)
			}
			if _, ok := d.Column(r.Column); !ok {
				t.Errorf("%s: row rule %s names column %s, not in the dataset", d.Name, r.Rule, r.Column)
			}
		}
	}
}
