package estimate

import (
	"math"
	"math/rand/v2"
	"testing"
)

func synthCR(n int) (time []float64, status []int, strata []string, arm []float64) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < n; i++ {
		a := float64(r.IntN(2))
		tev := math.Round(r.ExpFloat64()*8000*math.Exp(-0.3*a)) + 1
		tex := math.Round(r.ExpFloat64()*5000) + 1
		tce := float64(300 + r.IntN(5000))
		t, s := tce, 0
		if tev <= tex && tev <= tce {
			t, s = tev, 1
		} else if tex <= tce {
			t, s = tex, 2
		}
		time, status, arm = append(time, t), append(status, s), append(arm, a)
		strata = append(strata, string(rune('A'+r.IntN(20))))
	}
	return
}

func BenchmarkAalenJohansen20k(b *testing.B) {
	time, status, _, _ := synthCR(20000)
	for b.Loop() {
		if _, err := AalenJohansen(time, status, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFineGray20k(b *testing.B) {
	time, status, strata, arm := synthCR(20000)
	for b.Loop() {
		fit, err := FineGray(FGData{Time: time, Status: status, X: [][]float64{arm}, Strata: strata})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(fit.Rows), "rows")
	}
}

func BenchmarkLogistic50k(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	n := 50000
	var y []float64
	country, service, sex := make([]string, n), make([]string, n), make([]string, n)
	age, fy := make([]float64, n), make([]float64, n)
	for i := 0; i < n; i++ {
		country[i] = string(rune('A'+r.IntN(26))) + string(rune('A'+r.IntN(5)))
		service[i] = []string{"ARMY", "NAVY", "AIR_FORCE"}[r.IntN(3)]
		sex[i] = []string{"F", "M"}[r.IntN(2)]
		age[i] = 25 + float64(r.IntN(20))
		fy[i] = 2000 + float64(r.IntN(25))
		y = append(y, float64(r.IntN(2)))
	}
	x, err := NewDesign([]Term{{Name: "country", Factor: country}, {Name: "service", Factor: service},
		{Name: "sex", Factor: sex}, {Name: "age", Numeric: age}, {Name: "fy", Numeric: fy}})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(x.P()), "columns")
	for b.Loop() {
		if _, err := Logistic(y, x); err != nil {
			b.Fatal(err)
		}
	}
}
