package reports

import (
	"fmt"
	"math"
	"strconv"
)

// A share estimated from a group in which nothing happened (no one reached
// general rank, no one left) has a Kaplan-Meier interval of zero width:
// Greenwood's variance is 0. metric_values keeps those exact, R-equal
// limits, but no product shows them as if they were certainty. Products show
// the share in words ("none of 120") with the one-sided bound below instead, and say how
// it was computed (BoundMethod).

// OneSidedLevel is the confidence of the one-sided bound.
const OneSidedLevel = 0.95

// BoundMethod is the sentence products print beside (or in the methodology
// for) a one-sided bound.
const BoundMethod = "Where nothing happened in a group (0 events, or everyone still serving), the 95% interval of a Kaplan-Meier share has zero width; products then show the count and a one-sided 95% bound instead: the exact binomial bound 1 − 0.05^(1/n) for a share of 0 (0.05^(1/n) for a share of 1), as if all n people had been followed to the horizon. People censored before the horizon carry less information, so the true bound is wider than the one shown."

// ZeroWidth says whether the row's interval reads as certainty for a
// share: limits present and equal, or, for a share of exactly 0 or 1, no
// limits at all (the Aalen-Johansen log-scale limits are undefined there).
func ZeroWidth(unit string, value, low, high float64, hasLimits bool) bool {
	if unit != "share" {
		return false
	}
	if hasLimits {
		return low == high
	}
	return value == 0 || value == 1
}

// OneSidedBound is the one-sided 95% exact binomial bound for a share
// observed at 0 (an upper bound) or 1 (a lower bound) among n people. It
// returns ok=false when n < 1 or value is neither 0 nor 1.
func OneSidedBound(value float64, n int64) (bound float64, upper bool, ok bool) {
	if n < 1 {
		return 0, false, false
	}
	b := math.Pow(1-OneSidedLevel, 1/float64(n))
	switch value {
	case 0:
		return 1 - b, true, true
	case 1:
		return b, false, true
	}
	return 0, false, false
}

// ZeroWidthText is how a zero-width share reads in a product: "none of
// 120; one-sided 95% upper bound 2.5% were all 120 followed to the horizon
// (wider if fewer were)" for a share of 0, "all of 40; one-sided 95% lower
// bound 92.8% …" for a share of 1. It describes the share itself, never the
// events column (a horizon metric's events count the whole follow-up, so
// "2 events" could stand beside a share of 0), and it says the assumption
// the bound rests on: people censored before the horizon make it wider.
func ZeroWidthText(value float64, n int64) string {
	cell, ok := zeroWidth(value, n)
	if !ok {
		return cell
	}
	looser := "wider"
	if value == 1 {
		looser = "lower"
	}
	return fmt.Sprintf("%s were all %s followed to the horizon (%s if fewer were)", cell, thousands(n), looser)
}

// zeroWidth is the share in words and its bound: "none of 120; one-sided
// 95% upper bound 2.5%" (ok false when there is no bound to give).
func zeroWidth(value float64, n int64) (string, bool) {
	b, upper, ok := OneSidedBound(value, n)
	if !ok {
		return fmt.Sprintf("an interval of zero width among %s", thousands(n)), false
	}
	who, side := "none", "upper"
	if !upper {
		who, side = "all", "lower"
	}
	return fmt.Sprintf("%s of %s; one-sided 95%% %s bound %s%%", who, thousands(n), side, strconv.FormatFloat(100*b, 'f', 1, 64)), true
}

// ZeroWidthCell is ZeroWidthText for a table cell where the interval
// stands: "none of 120; one-sided 95% upper bound 2.5%". The table that
// shows one says, once, what the bound assumes (BoundMethod).
func ZeroWidthCell(value float64, n int64) string {
	cell, _ := zeroWidth(value, n)
	return cell
}
