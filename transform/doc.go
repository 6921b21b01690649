// Package transform will own the ordered SQL models over the warehouse
// (graduates, comparison members, person timelines, follow-up), the metric
// registry and the estimators (Kaplan-Meier, Wilson, Garwood, Cox, log-rank)
// that turn them into metric_values. It imports schemas only and never
// writes canonical tables. Not built yet: see the metrics issue.
package transform
