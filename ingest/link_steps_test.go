package ingest

import (
	"strings"
	"testing"

	"github.com/imet-project/imet/schemas/schemastest"
)

// Linking tells the Step callback each of its sub-steps as it begins, so a
// progress display moves through a long linking pass instead of sitting on
// "linking".
func TestLinkingReportsItsSteps(t *testing.T) {
	db := schemastest.Memory(t)
	l := newLoader(t, db)
	dir := t.TempDir()
	loadReference(t, l, dir)
	var steps []string
	l.Step = func(file, step string) { steps = append(steps, file+": "+step) }
	body := eventsHeader +
		"V1,,COL,NUNEZ,Jose Maria,1978,2020-01-01,PROMOTION,OF-5,,,,,,MOD,\n" +
		"V2,,KEN,Kipchoge,Eliud,1984,2020-01-01,VERIFIED,,,,,,,MOD,\n"
	load(t, l, writeFile(t, dir, "career_events.csv", body), "career_events")
	got := strings.Join(steps, "\n")
	for _, want := range []string{
		"career_events.csv: linking career_events (2 waiting): by id",
		"career_events.csv: linking career_events (2 waiting): candidates",
		"career_events.csv: linking career_events (2 waiting): deciding",
		"career_events.csv: linking career_events (2 waiting): applying",
		"career_events.csv: linking career_events (2 waiting): review list",
	} {
		if !strings.Contains(got, want+"\n") && !strings.HasSuffix(got, want) {
			t.Errorf("no step %q in:\n%s", want, got)
		}
	}
	if i, j := strings.Index(got, "candidates"), strings.Index(got, "applying"); i < 0 || j < i {
		t.Errorf("steps out of order:\n%s", got)
	}
}
