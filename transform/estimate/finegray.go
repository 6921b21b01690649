package estimate

import (
	"errors"
	"fmt"
	"sort"
)

// ErrNoEvents is returned (wrapped) by FineGrayRows and FineGray when no
// one has the event (status 1): there is nothing to fit. R's finegray fails
// then with "attempt to set an attribute on NULL".
var ErrNoEvents = errors.New("no events of the type being modelled")

// FGRow is one row of the Fine-Gray expanded data, as finegray() returns
// it: (Start, Stop] with Status (1 the event, 0 otherwise) and the weight
// fgwt. Row is the index of the input row it came from.
type FGRow struct {
	Row         int
	Start, Stop float64
	Status      int
	Weight      float64
}

// FineGrayRows expands competing-risk data for the Fine-Gray model exactly
// as survival's
//
//	finegray(Surv(time, factor(status, 0:2)) ~ ., data = d, etype = "1"
//	         [, weights = weight])
//
// with no strata in the formula, so the censoring distribution G is one
// Kaplan-Meier curve over the whole input. Rows come out in input order,
// each followed by its added rows:
//
//   - status 0 and 1 rows are copied: (0, time], weight 1;
//   - a status 2 row (competing exit at T) is kept at risk after T: its
//     first row ends at the first censoring time >= T (or the largest
//     time), weight 1, and it gets one more row for each later interval
//     between censoring times that holds an event, weight G(c-)/G(T-),
//     where c is the interval's end.
//
// G is the Kaplan-Meier curve of censoring, unweighted even when weights
// are given, with events counted before censorings at the same time (R
// moves event times 0.2 of a time index earlier). The user weight
// multiplies fgwt. The start of every row is 0, or 2 min(time) - 1 when
// some time is 0 (R's "zero").
//
// Errors: invalid input as AalenJohansen, and ErrNoEvents when no status
// is 1.
func FineGrayRows(time []float64, status []int, weight []float64) ([]FGRow, error) {
	if err := checkCR("fine-gray", time, status, weight); err != nil {
		return nil, err
	}
	n := len(time)
	var events []float64
	zero, maxtime := 0.0, 0.0
	for i, t := range time {
		if status[i] == 1 {
			events = append(events, t)
		}
		if i == 0 || t < zero {
			zero = t
		}
		if t > maxtime {
			maxtime = t
		}
	}
	if len(events) == 0 {
		return nil, fmt.Errorf("fine-gray: %w", ErrNoEvents)
	}
	if zero > 0 {
		zero = 0
	} else {
		zero = 2*zero - 1
	}
	ctime, cprob := censoringKM(time, status)
	// ct2 = c(ctime, maxtime), cp2 = c(1, cprob): interval j is
	// (ct2[j-1], ct2[j]] with G = cp2[j] in it.
	ct2 := append(append([]float64(nil), ctime...), maxtime)
	cp2 := append([]float64{1}, cprob...)
	keep := make([]bool, len(ct2))
	keep[0] = true
	for _, e := range events {
		// findInterval(e, ct2, left.open = TRUE): ct2 elements < e.
		if j := sort.SearchFloat64s(ct2, e); j >= 1 && j < len(keep) {
			keep[j] = true
		}
	}
	w := func(i int) float64 {
		if weight == nil {
			return 1
		}
		return weight[i]
	}
	rows := make([]FGRow, 0, n)
	for i := 0; i < n; i++ {
		r := FGRow{Row: i, Start: zero, Stop: time[i], Weight: w(i)}
		if status[i] == 1 {
			r.Status = 1
		}
		if status[i] != 2 {
			rows = append(rows, r)
			continue
		}
		j := 0
		for j < len(ct2) && ct2[j] < time[i] {
			j++
		}
		r.Stop = ct2[j]
		rows = append(rows, r)
		base := cp2[j]
		for j++; j < len(ct2); j++ {
			if keep[j] {
				rows = append(rows, FGRow{Row: i, Start: ct2[j-1], Stop: ct2[j], Weight: cp2[j] / base * w(i)})
			}
		}
	}
	return rows, nil
}

// censoringKM is finegray's Gsurv: the Kaplan-Meier curve of censoring
// (status 0 is the "event"), unweighted, where those with an event or exit
// at a time are no longer at risk of being censored at it. It returns the
// distinct censoring times and G just after each.
func censoringKM(time []float64, status []int) (ctime, cprob []float64) {
	idx := make([]int, len(time))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return time[idx[a]] < time[idx[b]] })
	g := 1.0
	for k := 0; k < len(idx); {
		t := time[idx[k]]
		atRisk := len(idx) - k
		cens, other := 0, 0
		for ; k < len(idx) && time[idx[k]] == t; k++ {
			if status[idx[k]] == 0 {
				cens++
			} else {
				other++
			}
		}
		if cens == 0 {
			continue
		}
		n := float64(atRisk - other)
		g *= (n - float64(cens)) / n
		ctime = append(ctime, t)
		cprob = append(cprob, g)
	}
	return ctime, cprob
}

// FGData is the input of FineGray: one row per person.
type FGData struct {
	Time   []float64
	Status []int       // 0 censored, 1 event, 2 competing exit
	X      [][]float64 // covariates, X[j][i] as in CoxData
	Strata []string    // strata of the Cox model (not of G); nil: none
	Weight []float64   // user weights; nil: 1
	// Cluster labels the clusters of the robust variance (the person id);
	// nil makes each person (with all of their expanded rows) a cluster.
	Cluster []string
}

// FGFit is a Fine-Gray fit: the Cox fit on the expanded data, whose HR is
// the subdistribution hazard ratio (SHR), and the expanded data's size.
type FGFit struct {
	Rows int // rows of the expanded data
	Cox  CoxFit
}

// FineGray fits the Fine-Gray subdistribution hazards model exactly as
//
//	pd <- finegray(Surv(time, factor(status, 0:2)) ~ ., data = d, etype = "1")
//	coxph(Surv(fgstart, fgstop, fgstatus) ~ x + strata(s), weights = fgwt,
//	      data = pd, cluster = id)
//
// (FineGrayRows, then CoxModel on the expanded rows with their
// covariates, strata and clusters copied from the person). The variance is
// robust. Errors as FineGrayRows and CoxModel.
func FineGray(d FGData) (FGFit, error) {
	rows, err := FineGrayRows(d.Time, d.Status, d.Weight)
	if err != nil {
		return FGFit{}, err
	}
	n := len(d.Time)
	if d.Strata != nil && len(d.Strata) != n || d.Cluster != nil && len(d.Cluster) != n {
		return FGFit{}, fmt.Errorf("fine-gray: %d times, %d strata, %d clusters", n, len(d.Strata), len(d.Cluster))
	}
	cd := CoxData{Start: make([]float64, len(rows)), Stop: make([]float64, len(rows)),
		Event: make([]bool, len(rows)), Weight: make([]float64, len(rows)),
		X: make([][]float64, len(d.X)), Cluster: make([]string, len(rows))}
	if d.Strata != nil {
		cd.Strata = make([]string, len(rows))
	}
	for j, col := range d.X {
		if len(col) != n {
			return FGFit{}, fmt.Errorf("fine-gray: covariate %d has %d values for %d people", j, len(col), n)
		}
		cd.X[j] = make([]float64, len(rows))
	}
	for k, r := range rows {
		cd.Start[k], cd.Stop[k], cd.Event[k], cd.Weight[k] = r.Start, r.Stop, r.Status == 1, r.Weight
		for j, col := range d.X {
			cd.X[j][k] = col[r.Row]
		}
		if cd.Strata != nil {
			cd.Strata[k] = d.Strata[r.Row]
		}
		cd.Cluster[k] = fmt.Sprint(r.Row)
		if d.Cluster != nil {
			cd.Cluster[k] = d.Cluster[r.Row]
		}
	}
	fit, err := CoxModel(cd)
	if err != nil {
		return FGFit{}, fmt.Errorf("fine-gray: %w", err)
	}
	return FGFit{Rows: len(rows), Cox: fit}, nil
}
