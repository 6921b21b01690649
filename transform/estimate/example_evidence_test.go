package estimate_test

import (
	"fmt"

	"github.com/imet-project/imet/transform/estimate"
)

// The cumulative incidence of reaching general rank by 10 years, with the
// competing exit, as evidence.md's LEAD_RANK_CIF_10Y and EXIT_BEFORE_RANK_10Y
// (R: summary(survfit(Surv(time, factor(status, 0:2)) ~ 1, id = id),
// times = 3652) gives 0.4809524 (0.2328474, 0.9934198) and 0.2142857).
func ExampleAalenJohansen() {
	time := []float64{400, 900, 900, 1500, 2000, 2600, 3100, 3652, 4000, 4100}
	status := []int{2, 1, 0, 1, 2, 1, 0, 1, 2, 0} // 0 censored, 1 reached OF-6, 2 left first
	aj, err := estimate.AalenJohansen(time, status, nil)
	if err != nil {
		panic(err)
	}
	cif, ok := aj.At(3652)
	if !ok {
		fmt.Println("insufficient follow-up")
		return
	}
	r, x := cif[estimate.StateEvent], cif[estimate.StateExit]
	fmt.Printf("reached %.4f (%.4f-%.4f), %d events\n", r.P, r.Lower, r.Upper, r.Events)
	fmt.Printf("left first %.4f\n", x.P)
	// Output:
	// reached 0.4810 (0.2328-0.9934), 4 events
	// left first 0.2143
}

// The Fine-Gray subdistribution hazard ratio of participants, stratified by
// country, clustered by person, as LEAD_RANK_SHR (R: finegray then coxph
// gives 16 rows, 1.986118 (0.3783679, 10.42547), robust se 0.8459697).
func ExampleFineGray() {
	d := estimate.FGData{
		Time:    []float64{400, 900, 900, 1500, 2000, 2600, 3100, 3652, 4000, 4100, 700, 1200},
		Status:  []int{2, 1, 0, 1, 2, 1, 0, 1, 2, 0, 1, 2},
		X:       [][]float64{{1, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1}}, // participant
		Strata:  []string{"FRA", "FRA", "FRA", "GHA", "GHA", "GHA", "FRA", "GHA", "FRA", "GHA", "FRA", "GHA"},
		Cluster: []string{"s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "s12"},
	}
	fit, err := estimate.FineGray(d)
	if err != nil {
		panic(err)
	}
	c := fit.Cox
	fmt.Printf("%d expanded rows, SHR %.3f (%.3f-%.3f), robust se %.3f\n", fit.Rows, c.HR[0], c.Lower[0], c.Upper[0], c.RobustSE[0])
	// Output:
	// 16 expanded rows, SHR 1.986 (0.378-10.425), robust se 0.846
}
