// Package estimate owns the statistical estimators behind the outcome
// metrics.
//
// Version 1 (metrics.md): Kaplan-Meier survival with Greenwood standard
// errors and log-scale 95% limits, the Kaplan-Meier median, a
// one-covariate stratified Cox model (Efron ties), the stratified
// two-group log-rank test, the Wilson score interval for proportions and
// the Garwood exact Poisson interval for rates.
//
// Version 2 (evidence.md): the Aalen-Johansen cumulative incidence of an
// event with a competing exit, weighted or not, with infinitesimal
// jackknife standard errors (AalenJohansen, CIFDifference); the general
// Cox model with case weights, counting-process (start, stop] data, strata
// and the robust variance (CoxModel); the Fine-Gray expansion and
// subdistribution hazard ratio (FineGrayRows, FineGray); logistic
// regression for propensity scores with a model-matrix builder for factor
// and numeric covariates (NewDesign, Logistic); stabilised ATE weights,
// the standardised mean difference and Kish's effective sample size
// (ATEWeights, SMD, BalanceColumns, KishESS); E-values, the minimum
// detectable hazard ratio and Benjamini-Hochberg adjusted p-values
// (EValueHR, MinDetectableHR, BenjaminiHochberg); the DerSimonian-Laird
// shrinkage of the countries' shares of senior posts held by graduates
// (ShrinkProportions, metafor's escalc "PLO", rma "DL" and blup) and the
// exact binomial funnel limits around a share (QBinom, FunnelLimit).
//
// The package is pure: plain slices in, plain structs out, no database, no
// I/O, no dependency beyond the standard library (the small dense linear
// algebra the fits need is in linalg.go and irls.go). Deciding who is in
// a cohort, what the follow-up is and how results are stored belongs to
// the callers in transform; this package only does arithmetic.
//
// It exists so that every number the product reports can be traced to, and
// checked against, the reference implementation that analysts trust: R's
// survival package (survfit, coxph, survdiff, finegray), stats
// (prop.test, poisson.test, glm, p.adjust, qbinom) and metafor (escalc,
// rma, blup). The tests compare every
// estimator to goldens, to 1e-6, including where R says NA; the tests
// themselves do not need R. testdata/goldens.R writes version 1's goldens
// and testdata/evidence.R version 2's, testdata/shrink.R (with metafor)
// the shrinkage's and the funnel limits' (each script lists its files). Where
// R has a quirk (how the median is read off a flat segment, what the limits
// are when S reaches 0, what coxph does when the coefficient diverges,
// that coxph makes the variance robust when weights are fractional, that
// finegray's censoring curve ignores the weights) the code follows R's
// source and says which function it follows.
//
// Undefined values are math.NaN(), never a sentinel number. The version 1
// functions panic on input that is a caller bug; the version 2 functions
// return an error that says what was wrong.
package estimate
