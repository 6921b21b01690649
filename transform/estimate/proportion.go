package estimate

import "math"

// Wilson returns the proportion x/n and its 95% Wilson score interval, as
// R's prop.test(x, n, correct = FALSE)$conf.int (z = 1.959963984540054),
// including prop.test's clamps: lower is exactly 0 when x = 0 and upper
// exactly 1 when x = n. n <= 0, x < 0 or x > n give NaN for all three (R's
// prop.test refuses them).
func Wilson(x, n int) (p, lower, upper float64) {
	if n <= 0 || x < 0 || x > n {
		return math.NaN(), math.NaN(), math.NaN()
	}
	nf := float64(n)
	p = float64(x) / nf
	z22n := Z975 * Z975 / (2 * nf)
	half := Z975 * math.Sqrt(p*(1-p)/nf+z22n/(2*nf))
	upper, lower = 1, 0
	if p < 1 {
		upper = (p + z22n + half) / (1 + 2*z22n)
	}
	if p > 0 {
		lower = (p + z22n - half) / (1 + 2*z22n)
	}
	return p, lower, upper
}

// Garwood returns the event rate per 1000 person-years and its exact
// (Garwood) Poisson 95% interval, as R's poisson.test(x, T)$conf.int * 1000:
// lower = qgamma(0.025, x)/T (exactly 0 when x = 0), upper =
// qgamma(0.975, x + 1)/T; equivalently qchisq(0.025, 2x)/2 and
// qchisq(0.975, 2x + 2)/2 events. events < 0, or personYears not finite and
// > 0, give NaN for all three.
func Garwood(events int, personYears float64) (ratePer1000, lower, upper float64) {
	if events < 0 || !(personYears > 0) || math.IsInf(personYears, 0) {
		return math.NaN(), math.NaN(), math.NaN()
	}
	x := float64(events)
	per := 1000 / personYears
	lower = 0
	if events > 0 {
		lower = qgamma(0.025, x) * per
	}
	return x * per, lower, qgamma(0.975, x+1) * per
}

// qchisq is R's qchisq(p, df) (lower tail).
func qchisq(p, df float64) float64 { return 2 * qgamma(p, df/2) }

// qgamma is R's qgamma(p, shape) with scale 1 (lower tail): the q with
// P(shape, q) = p, P the regularized lower incomplete gamma function. It
// solves for log q by Newton's method, kept inside a bisection bracket,
// working on log P for p <= 1/2 and on log Q = log(1 - P) above, so that
// neither tail loses relative accuracy. Accurate to about 1e-13 relative.
func qgamma(p, shape float64) float64 {
	switch {
	case math.IsNaN(p) || math.IsNaN(shape) || p < 0 || p > 1 || !(shape > 0) || math.IsInf(shape, 0):
		return math.NaN()
	case p == 0:
		return 0
	case p == 1:
		return math.Inf(1)
	}
	upperTail := p > 0.5
	var target float64
	if upperTail {
		target = math.Log(1 - p) // exact for p in (0.5, 1)
	} else {
		target = math.Log(p)
	}
	// g(t) is increasing in t = log q and zero at the answer.
	g := func(t float64) (val, deriv float64) {
		q := math.Exp(t)
		lp, lq := logIncGamma(shape, q)
		lg, _ := math.Lgamma(shape)
		logDens := shape*t - q - lg // log(q * density(q))
		if upperTail {
			return target - lq, math.Exp(logDens - lq)
		}
		return lp - target, math.Exp(logDens - lp)
	}

	t := math.Log(qgammaStart(p, shape))
	lo, hi := math.Inf(-1), math.Inf(1)
	for i := 0; i < 200; i++ {
		val, deriv := g(t)
		if val == 0 {
			break
		}
		if val < 0 {
			lo = t
		} else {
			hi = t
		}
		next := t - val/deriv
		if math.IsNaN(next) || math.IsInf(next, 0) || next <= lo || next >= hi {
			// Newton left the bracket: bisect, or widen until bracketed.
			switch {
			case math.IsInf(lo, -1):
				next = hi - math.Max(1, math.Abs(hi))
			case math.IsInf(hi, 1):
				next = lo + math.Max(1, math.Abs(lo))
			default:
				next = (lo + hi) / 2
			}
		}
		if math.Abs(next-t) <= 1e-15*math.Max(1, math.Abs(t)) {
			t = next
			break
		}
		t = next
	}
	return math.Exp(t)
}

// qgammaStart is a starting value for qgamma: Wilson-Hilferty, or the
// small-q expansion P(a, q) ~ q^a / Gamma(a+1) when that fails.
func qgammaStart(p, a float64) float64 {
	z := -math.Sqrt2 * math.Erfcinv(2*p) // qnorm(p)
	c := 1 / (9 * a)
	wh := 1 - c + z*math.Sqrt(c)
	if wh > 0 {
		if q := a * wh * wh * wh; q > 0 && !math.IsInf(q, 0) {
			return q
		}
	}
	lg, _ := math.Lgamma(a + 1)
	q := math.Exp((math.Log(p) + lg) / a)
	if q > 0 && !math.IsInf(q, 0) {
		return q
	}
	return a
}

// logIncGamma returns log P(a, x) and log Q(a, x), the regularized lower
// and upper incomplete gamma functions. The one that is computed directly
// (series for P when x < a+1, Lentz continued fraction for Q otherwise) is
// accurate in relative terms even when it is tiny; the other is log1p of
// minus the first, which is then not small.
func logIncGamma(a, x float64) (logP, logQ float64) {
	if x <= 0 {
		return math.Inf(-1), 0
	}
	lga, _ := math.Lgamma(a)
	logPre := a*math.Log(x) - x - lga // log(x^a e^-x / Gamma(a))
	maxIter := 1000 + int(20*math.Sqrt(a)+2*x)
	if x < a+1 {
		// P = x^a e^-x / Gamma(a+1) * sum_n x^n / ((a+1)...(a+n))
		sum, term := 1.0, 1.0
		for n := 1; n < maxIter; n++ {
			term *= x / (a + float64(n))
			sum += term
			if term < sum*1e-17 {
				break
			}
		}
		logP = logPre - math.Log(a) + math.Log(sum)
		return logP, math.Log1p(-math.Exp(logP))
	}
	// Q = x^a e^-x / Gamma(a) * 1/(x+1-a- 1(1-a)/(x+3-a- 2(2-a)/(x+5-a- ...)))
	const tiny = 1e-300
	b := x + 1 - a
	c := 1 / tiny
	d := 1 / b
	h := d
	for i := 1; i < maxIter; i++ {
		an := -float64(i) * (float64(i) - a)
		b += 2
		d = an*d + b
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = b + an/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < 3e-16 {
			break
		}
	}
	logQ = logPre + math.Log(h)
	return math.Log1p(-math.Exp(logQ)), logQ
}
