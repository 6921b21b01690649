// Package estimate owns the statistical estimators behind the outcome
// metrics: Kaplan-Meier survival with Greenwood standard errors and
// log-scale 95% limits, the Kaplan-Meier median, a one-covariate stratified
// Cox model (Efron ties), the stratified two-group log-rank test, the
// Wilson score interval for proportions and the Garwood exact Poisson
// interval for rates.
//
// The package is pure: plain slices in, plain structs out, no database, no
// I/O, no dependency beyond the standard library. Deciding who is in a
// cohort, what the follow-up is and how results are stored belongs to the
// callers in transform; this package only does arithmetic.
//
// It exists so that every number the product reports can be traced to, and
// checked against, the reference implementation that analysts trust: R's
// survival package (survfit, coxph, survdiff) and stats (prop.test,
// poisson.test). The tests compare every estimator to goldens that
// testdata/goldens.R writes, to 1e-6, including where R says NA; the tests
// themselves do not need R. Where R has a quirk (how the median is read off
// a flat segment, what the limits are when S reaches 0, what coxph does
// when the coefficient diverges) the code follows R's source and says
// which function it follows.
//
// Undefined values are math.NaN(), never a sentinel number.
package estimate
