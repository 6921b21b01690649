package estimate

import (
	"fmt"
	"sort"
)

// Term is one covariate of a model: a factor (Factor set) or a numeric
// covariate (Numeric set), with one value per person.
type Term struct {
	Name    string
	Factor  []string
	Numeric []float64
}

// Design is a model matrix, column by column.
type Design struct {
	// Names are R's column names: "(Intercept)", then for a factor the term
	// name followed by the level ("countryFRA"), for a numeric the name.
	Names []string
	Cols  [][]float64 // Cols[j][i]
	N     int         // rows

	// rows are the non-zero entries of Cols row by row (a factor's
	// indicators are mostly 0, and a propensity model has up to a million
	// rows), and indicator marks the columns of factor levels, 0 or 1 by
	// construction.
	rows      sparseRows
	indicator []bool
}

// NewDesign builds the model matrix of glm(y ~ t1 + t2 + ...) with R's
// defaults: an intercept, then the terms in order; a factor gets treatment
// contrasts, one 0/1 column per level except the first, its levels in
// sort order of the strings (R's factor() levels; Go's byte order, which
// is R's in the C locale and the same in any locale for upper-case codes,
// digits and "-"). A numeric term is one column.
//
// Errors: a term with neither or both of Factor and Numeric, a length that
// is not that of the other terms, a numeric value that is not finite, a
// factor with a single level (R: "contrasts can be applied only to factors
// with 2 or more levels"), no terms.
func NewDesign(terms []Term) (Design, error) {
	return buildDesign(terms, true)
}

// BalanceColumns is the design without intercept and with every level of
// every factor as a 0/1 column (the reference level too), the columns a
// balance table reports: R's model.matrix(~ ..., contrasts.arg = lapply(
// factors, contrasts, contrasts = FALSE)) without "(Intercept)".
func BalanceColumns(terms []Term) (Design, error) {
	return buildDesign(terms, false)
}

func buildDesign(terms []Term, treatment bool) (Design, error) {
	if len(terms) == 0 {
		return Design{}, fmt.Errorf("design: no terms")
	}
	n := termLen(terms[0])
	d := Design{N: n}
	if treatment {
		d.Names = append(d.Names, "(Intercept)")
		d.Cols = append(d.Cols, ones(n))
	}
	for _, t := range terms {
		if (t.Factor == nil) == (t.Numeric == nil) {
			return Design{}, fmt.Errorf("design: term %q must be either a factor or numeric", t.Name)
		}
		if termLen(t) != n {
			return Design{}, fmt.Errorf("design: term %q has %d values, the first term %d", t.Name, termLen(t), n)
		}
		if t.Numeric != nil {
			for i, v := range t.Numeric {
				if !finite(v) {
					return Design{}, fmt.Errorf("design: term %q row %d is %v", t.Name, i, v)
				}
			}
			d.Names = append(d.Names, t.Name)
			d.Cols = append(d.Cols, t.Numeric)
			continue
		}
		levels := Levels(t.Factor)
		if len(levels) < 2 && treatment {
			return Design{}, fmt.Errorf("design: factor %q has %d level(s); a factor needs at least 2", t.Name, len(levels))
		}
		if treatment {
			levels = levels[1:]
		}
		pos := map[string]int{}
		for k, l := range levels {
			pos[l] = k
			d.Names = append(d.Names, t.Name+l)
		}
		cols := make([][]float64, len(levels))
		for k := range cols {
			cols[k] = make([]float64, n)
		}
		for i, v := range t.Factor {
			if k, ok := pos[v]; ok {
				cols[k][i] = 1
			}
		}
		d.Cols = append(d.Cols, cols...)
	}
	if treatment { // a model's design, not the balance table's columns
		d.indicator = make([]bool, len(d.Cols))
		d.rows = termRows(terms, d)
	}
	return d, nil
}

// termRows lays out the non-zero entries of NewDesign's design row by row
// from its terms, without reading its columns: the intercept, each
// numeric term's value where it is not 0, each factor's one level column
// (none for the level left out). It marks the level columns in
// d.indicator.
func termRows(terms []Term, d Design) sparseRows {
	type source struct {
		first int            // the term's first column
		pos   map[string]int // a factor's column of each level
	}
	var src []source
	j := 1 // after the intercept
	for _, t := range terms {
		s := source{first: j}
		if t.Numeric != nil {
			j++
		} else {
			levels := Levels(t.Factor)[1:]
			s.pos = make(map[string]int, len(levels))
			for k, l := range levels {
				s.pos[l] = j + k
				d.indicator[j+k] = true
			}
			j += len(levels)
		}
		src = append(src, s)
	}
	n := d.N
	r := sparseRows{start: make([]int, n+1), ent: make([]entry, 0, n*(len(terms)+1))}
	for i := range n {
		r.ent = append(r.ent, entry{0, 1})
		for k, t := range terms {
			if t.Numeric != nil {
				if v := t.Numeric[i]; v != 0 {
					r.ent = append(r.ent, entry{src[k].first, v})
				}
			} else if c, ok := src[k].pos[t.Factor[i]]; ok {
				r.ent = append(r.ent, entry{c, 1})
			}
		}
		r.start[i+1] = len(r.ent)
	}
	return r
}

// Levels returns the distinct values of a factor in R's level order (sort
// order of the strings; see NewDesign).
func Levels(values []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range values {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out
}

func termLen(t Term) int {
	if t.Factor != nil {
		return len(t.Factor)
	}
	return len(t.Numeric)
}

func ones(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = 1
	}
	return s
}
