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

// Design is a model matrix. Its columns are kept as their terms give
// them (a factor level's 0/1 column as the factor's level codes), not as
// n × p numbers: a propensity model of a million people has some 150
// columns, a gigabyte and more written out.
type Design struct {
	// Names are R's column names: "(Intercept)", then for a factor the term
	// name followed by the level ("countryFRA"), for a numeric the name.
	Names []string
	N     int // rows

	cols []designCol
	// rows are the non-zero entries row by row (a factor's indicators are
	// mostly 0), for NewDesign's designs.
	rows sparseRows
}

// designCol is one column: a numeric term's values, the intercept, or
// the indicator of one level of a factor (its rows' level codes).
type designCol struct {
	values    []float64
	intercept bool
	codes     []int32 // the factor's level of each row, shared by its columns
	level     int32
	term      int // the term's position (a factor's columns share it)
}

// P is the number of columns.
func (d Design) P() int { return len(d.cols) }

// Col writes column j out, one value per row.
func (d Design) Col(j int) []float64 {
	c := d.cols[j]
	switch {
	case c.values != nil:
		return c.values
	case c.intercept:
		return ones(d.N)
	}
	out := make([]float64, d.N)
	for i, k := range c.codes {
		if k == c.level {
			out[i] = 1
		}
	}
	return out
}

// allOnes says whether every value of column j is 1.
func (d Design) allOnes(j int) bool {
	c := d.cols[j]
	switch {
	case c.intercept:
		return d.N > 0
	case c.values != nil:
		return allEqual(c.values, 1)
	}
	for _, k := range c.codes {
		if k != c.level {
			return false
		}
	}
	return d.N > 0
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
	d, err := buildDesign(terms, true)
	if err == nil {
		d.rows = designRows(d)
	}
	return d, err
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
		d.cols = append(d.cols, designCol{intercept: true})
	}
	for ti, t := range terms {
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
			d.cols = append(d.cols, designCol{values: t.Numeric, term: ti})
			continue
		}
		levels := Levels(t.Factor)
		if len(levels) < 2 && treatment {
			return Design{}, fmt.Errorf("design: factor %q has %d level(s); a factor needs at least 2", t.Name, len(levels))
		}
		pos := make(map[string]int32, len(levels))
		for k, l := range levels {
			pos[l] = int32(k)
		}
		codes := make([]int32, n)
		for i, v := range t.Factor {
			codes[i] = pos[v]
		}
		first := 0
		if treatment {
			first = 1 // the first level is left out
		}
		for k := first; k < len(levels); k++ {
			d.Names = append(d.Names, t.Name+levels[k])
			d.cols = append(d.cols, designCol{codes: codes, level: int32(k), term: ti})
		}
	}
	return d, nil
}

// designRows lays out the design's non-zero entries row by row, in column
// order, from its columns' terms: the intercept's 1, a numeric term's
// value where it is not 0, the one level column of each factor whose
// level the row has.
func designRows(d Design) sparseRows {
	// A factor's columns are consecutive, one per level from its first
	// column's: the column of level k is base + k.
	type source struct {
		j     int // the column, or the factor's base
		col   designCol
		first int32 // a factor's first level with a column
	}
	var src []source
	for j, c := range d.cols {
		switch {
		case c.codes == nil:
			src = append(src, source{j: j, col: c})
		case j == 0 || d.cols[j-1].codes == nil || d.cols[j-1].term != c.term:
			src = append(src, source{j: j - int(c.level), col: c, first: c.level})
		}
	}
	r := sparseRows{start: make([]int, d.N+1), ent: make([]entry, 0, d.N*len(src))}
	for i := range d.N {
		for _, s := range src {
			switch {
			case s.col.intercept:
				r.ent = append(r.ent, entry{s.j, 1})
			case s.col.values != nil:
				if v := s.col.values[i]; v != 0 {
					r.ent = append(r.ent, entry{s.j, v})
				}
			default:
				if k := s.col.codes[i]; k >= s.first {
					r.ent = append(r.ent, entry{s.j + int(k), 1})
				}
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
