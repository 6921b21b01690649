package transform

import (
	"fmt"
	"slices"
	"strings"

	"github.com/imet-project/imet/schemas"
)

// Estimator names how a metric's value is computed from its population.
type Estimator string

const (
	KMAttainment Estimator = "Kaplan-Meier: 1 − S(horizon), log-scale 95% limits"
	KMRetention  Estimator = "Kaplan-Meier: S(horizon), log-scale 95% limits"
	KMMedian     Estimator = "Kaplan-Meier median time, 95% limits as R's survfit"
	CoxHR        Estimator = "Cox hazard ratio (Efron ties, stratified by country), Wald 95% limits; stratified log-rank p"
	Wilson       Estimator = "proportion, Wilson score 95% interval"
	Garwood      Estimator = "rate per 1,000 person-years, exact Poisson (Garwood) 95% limits"
	Count        Estimator = "count"
	Sum          Estimator = "sum"
	Ratio        Estimator = "ratio"
	Median       Estimator = "median"

	// Version 2 (evidence.md): competing exits, adjustment for selection,
	// sensitivity and power.
	AJIncidence    Estimator = "Aalen-Johansen cumulative incidence at the horizon, exits competing; infinitesimal jackknife SE, log-scale 95% limits"
	AJExit         Estimator = "Aalen-Johansen cumulative incidence of leaving first (the competing exit) at the horizon; log-scale 95% limits"
	FineGraySHR    Estimator = "Fine-Gray subdistribution hazard ratio (stratified by country, clustered by person), robust Wald 95% limits"
	CoxHRIPW       Estimator = "Cox hazard ratio weighted by stabilised inverse-probability (ATE) weights, stratified by country, clustered by person, robust Wald 95% limits"
	AJIncidenceIPW Estimator = "Aalen-Johansen cumulative incidence at the horizon per arm, weighted by stabilised inverse-probability (ATE) weights, exits competing"
	AJDiffIPW      Estimator = "difference of the two arms' weighted Aalen-Johansen cumulative incidences (participant − comparison), 95% limits from the arms' standard errors as independent"
	EValue         Estimator = "E-value of a hazard ratio (VanderWeele and Ding 2017): value for the estimate, ci_low for the limit nearest 1"
	MinDetectable  Estimator = "minimum detectable hazard ratio at 80% power, two-sided α = 0.05, from the events and the participant share (Schoenfeld)"
	Shrunk         Estimator = "DerSimonian-Laird random-effects shrinkage of the countries' shares: logit shares with 0.5 added to both cells when x = 0 or x = n, random-effects pooling (DL) and each country's BLUP with its 95% limits, back-transformed; exactly metafor's escalc(measure = \"PLO\"), rma(method = \"DL\") and blup(transf = transf.ilogit)"
)

// Code is the estimator's stable name, apart from its prose: products and
// exports may switch on it.
func (e Estimator) Code() string {
	return map[Estimator]string{KMAttainment: "km_attainment", KMRetention: "km_retention", KMMedian: "km_median",
		CoxHR: "cox_hr", Wilson: "wilson", Garwood: "garwood", Count: "count", Sum: "sum", Ratio: "ratio", Median: "median",
		AJIncidence: "aj_cif", AJExit: "aj_cif_exit", FineGraySHR: "fine_gray_shr", CoxHRIPW: "cox_hr_ipw",
		AJIncidenceIPW: "aj_cif_ipw", AJDiffIPW: "aj_cif_diff_ipw", EValue: "evalue_hr", MinDetectable: "mde_hr", Shrunk: "dl_shrunk"}[e]
}

// HazardRatio says whether the estimator's value is a hazard ratio of the
// two cohorts (a contrast).
func (e Estimator) HazardRatio() bool { return e == CoxHR || e == FineGraySHR || e == CoxHRIPW }

// Measure is what kind of number a value, numerator or denominator is;
// products format and label numbers by it.
type Measure string

const (
	Share       Measure = "share" // 0..1
	Dollars     Measure = "dollars"
	Days        Measure = "days"
	People      Measure = "count" // a count of people, enrollments or events
	HazardRatio Measure = "ratio"
	Rate        Measure = "rate" // per 1,000 person-years
	Number      Measure = "number"
)

// Reading is how a metric's numbers read: the measure of its value,
// numerator and denominator, and the value's unit in words.
type Reading struct {
	Value, Numerator, Denominator Measure
	Label                         string
}

// Timing says which D-relative window a metric looks at.
const (
	AsOfD     = "as of D" // period ALL: everything up to D
	PerPeriod = "per period"
)

// Keys are the disaggregation columns of metric_values, in their order.
// post_level is ALL in every row but LEAD_PENETRATION's by post level.
var Keys = []string{"period", "graduation_cohort", "cohort", "program", "region", "country_code", "course_category", "sex", "ecl_band", "post_level"}

// Metric is one definition: what the methodology prints, and how the
// engine computes it. The engine reads the rows of Unit (a SELECT in
// sql/units/), keeps those matching Where, and groups them by Base plus, in
// turn, each of By (GROUPING SETS); N, Events, Num, Den and Val are SQL
// aggregates over the group's rows that feed the estimator.
type Metric struct {
	ID         string
	Title      string
	Definition string // plain language, one or two sentences
	Population string
	Event      string
	Estimator  Estimator
	Timing     string
	Caveats    []string

	Unit    string
	Where   string
	Base    []string
	By      []string
	N       string
	Events  string
	Num     string
	Den     string
	Val     string
	Horizon int // days, for Kaplan-Meier at a horizon

	// Needs, when set, is the input value the metric adds up: a group in
	// which every input lacks it is unknown (value NULL, with a note),
	// never 0; a group in which some lack it says how many the value leaves
	// out.
	Needs *Needs
	// Pending is an SQL aggregate counting the group's inputs still under
	// way at D and therefore left out; a row with any is provisional.
	Pending string
	// Counted are SQL aggregates over the group's inputs that its note
	// states when not zero (holdings awaiting link review).
	Counted []CountNote
	// Crossed are grouping sets beyond Base plus each of By in turn: Base
	// plus all of a set's keys together (country and post level).
	Crossed [][]string

	// What products need to know about the metric's meaning, as fields
	// they switch on (never on the id or the prose):
	// Reads overrides the reading the estimator implies (Reading()).
	Reads *Reading
	// ReadBeside names the metric a reader must see beside this one
	// (TRACK_24M for outcome rates that censor the untracked).
	ReadBeside string
	// Associational: the metric compares participants with comparison
	// peers, an association and not an effect. Contrast: its value itself
	// is the comparison (a hazard ratio of the two cohorts).
	Associational, Contrast bool
	// MatureYears: a graduation cohort's rows are immature until D is this
	// many years after the end of the cohort's fiscal year (0: always mature).
	MatureYears int
	// ShownAfter names the metric products place this one right after.
	ShownAfter string

	// CompetingExits: the value is an Aalen-Johansen cumulative incidence
	// in which leaving the service (separation, retirement, death) is a
	// competing event, so someone who left is never counted as still able
	// to reach the event. IfNobodyLeft: the value is 1 − Kaplan-Meier, in
	// which those who left are censored, as if nobody left the service;
	// products label it with schemas.IfNobodyLeftLabel. CompetingExitsAs names its
	// competing-exits counterpart.
	CompetingExits, IfNobodyLeft bool
	CompetingExitsAs             string
	// Adjusted: the comparison is weighted by inverse-probability weights
	// for the covariates of AdjustedFor; products show AdjustedCaveat
	// beside it (it is among its Caveats).
	Adjusted bool
	// Of names the metric whose estimate this one is computed from (an
	// E-value or a minimum detectable effect of that hazard ratio), for
	// the same group.
	Of string
	// From names the metric whose stored rows this one is computed from,
	// in Go after every SQL metric (Estimator Shrunk: its country rows,
	// pooled within each group of the other keys).
	From string
}

// AdjustedCaveat is what every adjusted (IPW) result says beside it.
const AdjustedCaveat = "Associational, adjusted for the listed covariates; not a randomised comparison."

// AdjustedFor lists, in words, the covariates of the propensity model.
const AdjustedFor = "country, service, rank at the index date (OF-1 to OF-5), sex (F, M, other/unknown), age at the index date (index year − birth year; a missing birth year takes the median, with an indicator) and the index fiscal year"

// Reading is how the metric's numbers read: its Reads, or what its
// estimator implies.
func (m Metric) Reading() Reading {
	if m.Reads != nil {
		return *m.Reads
	}
	switch m.Estimator {
	case KMAttainment, KMRetention, Wilson, Shrunk:
		return Reading{Share, People, People, "share"}
	case KMMedian, Median:
		return Reading{Days, People, People, "days (median)"}
	case CoxHR, CoxHRIPW:
		return Reading{HazardRatio, People, People, "hazard ratio"}
	case FineGraySHR:
		return Reading{HazardRatio, People, People, "subdistribution hazard ratio"}
	case AJIncidence, AJExit, AJIncidenceIPW:
		return Reading{Share, People, People, "share"}
	case AJDiffIPW:
		return Reading{Share, People, People, "difference of shares"}
	case EValue:
		return Reading{Number, People, People, "E-value (risk ratio)"}
	case MinDetectable:
		return Reading{HazardRatio, People, People, "minimum detectable hazard ratio"}
	case Garwood:
		return Reading{Rate, People, Number, "per 1,000 person-years"}
	case Count, Sum:
		return Reading{People, People, People, "count"}
	}
	return Reading{Number, Number, Number, "ratio"}
}

// CountNote is a count a row's note states: Agg, an SQL aggregate, and
// the words with %d for it, for one and for more.
type CountNote struct{ Agg, One, Many string }

// Needs is an input value a metric cannot do without.
type Needs struct {
	Column  string // e.g. cost_usd
	Of      string // what the inputs are, plural: "enrollments"
	Missing string // SQL aggregate: inputs without the value
	Inputs  string // SQL aggregate: all inputs
	// Effect says what the value does with an input that lacks it;
	// default "which the value leaves out".
	Effect string
}

// Disaggregations common to several metrics.
var (
	personBy     = []string{"region", "country_code", "course_category", "graduation_cohort"}
	enrollmentBy = []string{"region", "country_code", "course_category"}
)

const (
	fiveYears = 1826
	tenYears  = 3652
	twoYears  = 730

	associational = "Participants are compared with peers supplied by partner nations, not a randomised control: the difference is an association, not an effect of the training."
	coverage      = "Read beside TRACK_24M for the same group: a person whose career stopped being reported is censored, and a low coverage means the rate rests on few people."
	smallCells    = "Groups with few people give wide intervals; Congress-facing exports suppress groups below the minimum cell size."
	ifNobodyLeft  = "1 − Kaplan-Meier censors those who leave the service, as if they might still reach it: the share if nobody left the service, above its _CIF metric, which counts leaving as competing."
	competing     = "Leaving the service (separation, retirement, death) first is a competing event: the person can no longer reach it."
	adjustedPop   = "As LEAD_RANK_HR, less the countries in which every member is a participant or every member a comparison peer (positivity: counted in the note and in ipw_overlap); weighted by stabilised inverse-probability (ATE) weights from a logistic propensity model of taking part on " + AdjustedFor + ". The model is fitted once, over the whole population: a region's or country's row applies the same weights to its people. The balance of every covariate level before and after weighting is in ipw_balance, the overlap of the propensity scores in ipw_overlap."
)

// timeToEvent is a Kaplan-Meier metric over one outcome of model 050.
func timeToEvent(id, title, def, pop, event, outcome string, est Estimator, horizon int, caveats ...string) Metric {
	if est == KMAttainment {
		title += " (" + schemas.IfNobodyLeftLabel + ")"
		caveats = append(caveats, ifNobodyLeft)
	}
	var counterpart string
	if est == KMAttainment {
		counterpart = strings.Replace(id, "_5Y", "_CIF_5Y", 1)
		counterpart = strings.Replace(counterpart, "_10Y", "_CIF_10Y", 1)
	}
	return Metric{IfNobodyLeft: est == KMAttainment, CompetingExitsAs: counterpart,
		ID: id, Title: title, Definition: def, Population: pop, Event: event, Estimator: est, Timing: AsOfD,
		Caveats: append([]string{coverage}, caveats...),
		Unit:    "outcomes", Where: outcomeWhere(outcome),
		Base: []string{"period", "cohort"}, By: personBy,
		N: "count(*)", Events: eventsTo("status", horizon), Horizon: horizon,
	}
}

// outcomeWhere is the Where of a metric over one outcome of model 050.
func outcomeWhere(outcome string) string { return "outcome = '" + outcome + "'" }

// overOneOutcome says whether a metric's Where is one outcome's, all of
// its people (outcomeWhere).
func overOneOutcome(m Metric) bool {
	o, ok := strings.CutPrefix(m.Where, "outcome = '")
	return ok && m.Unit == "outcomes" && strings.HasSuffix(o, "'") && !strings.ContainsAny(o[:len(o)-1], "' ")
}

// eventsTo counts the events (rows matching event) up to the horizon, as
// summary(survfit, times = h) accumulates them (evidence.md, "Output");
// all of them when there is no horizon.
func eventsTo(event string, horizon int) string {
	if horizon == 0 {
		return "count(*) FILTER (WHERE " + event + ")"
	}
	return fmt.Sprintf("count(*) FILTER (WHERE %s AND time <= %d)", event, horizon)
}

const (
	leadRankPop  = "Graduates (and, separately, comparison members) whose rank at the index date is OF-1 to OF-5 and who have follow-up."
	leadRankEvt  = "The first date after the index date on which the person's rank is at or above OF-6 (general/flag rank; the threshold is configurable)."
	leadPosPop   = "Graduates (and comparison members) with follow-up who held no STRATEGIC or SENIOR position on or before the index date."
	leadPosEvt   = "The first career event after the index date with position level STRATEGIC or SENIOR."
	periodNote   = "Counted in the period in which the enrollment started (its fiscal year, and its quarter in the fiscal year that holds D)."
	fmtrPop      = "Enrollments of every program starting in the period, except CANCELLED ones."
	imetEnrolled = "IMET enrollments starting in the period"
)

// cif is the competing-exits (Aalen-Johansen) counterpart of a 1 − KM
// attainment: the same outcome, population, disaggregations and cohorts.
func cif(id, title, def, pop, event, outcome string, est Estimator, horizon int, caveats ...string) Metric {
	m := timeToEvent(id, title, def, pop, event, outcome, est, horizon, append([]string{competing}, caveats...)...)
	m.CompetingExits = true
	state := "cr_status = 1"
	if est == AJExit {
		state = "cr_status = 2"
	}
	m.Events = eventsTo(state, horizon)
	return m
}

// contrast is a comparison of the two cohorts over the LEAD_RANK
// population (unit), by region and country like LEAD_RANK_HR.
func contrast(id, title, def, pop, unit string, est Estimator, caveats ...string) Metric {
	return Metric{
		ID: id, Title: title, Definition: def, Population: pop, Event: leadRankEvt,
		Estimator: est, Timing: AsOfD, Caveats: append([]string{associational, coverage}, caveats...), Contrast: true,
		Unit: unit, Where: "outcome = 'LEAD_RANK'",
		Base: []string{"period"}, By: []string{"region", "country_code"},
		N: "count(*)", Events: "count(*) FILTER (WHERE status)",
	}
}

// derived is a number computed from another metric's estimate (Of), for
// the same groups.
func derived(of Metric, id, title, def string, est Estimator, caveats ...string) Metric {
	m := of
	m.ID, m.Title, m.Definition, m.Estimator, m.Of, m.Contrast = id, title, def, est, of.ID, false
	m.Population = "As " + of.ID + "."
	m.Caveats = []string{associational}
	if of.Adjusted {
		m.Caveats = append(m.Caveats, AdjustedCaveat)
	}
	m.Caveats = append(m.Caveats, caveats...)
	return m
}

// perArm is a metric over the people and weights of the adjusted
// comparison.
func perArm(id, title, def string, est Estimator, base ...string) Metric {
	m := leadRankHRIPW
	m.ID, m.Title, m.Definition, m.Estimator, m.Horizon, m.Contrast = id, title, def, est, tenYears, est == AJDiffIPW
	m.Population = "As LEAD_RANK_HR_IPW: the same people and weights."
	m.Base = append([]string{"period"}, base...)
	m.Caveats = []string{associational, AdjustedCaveat, competing}
	m.CompetingExits = true
	m.Events = eventsTo("cr_status = 1", tenYears)
	return m
}

var (
	leadRankHR = contrast("LEAD_RANK_HR", "Participants vs comparison peers: general/flag rank",
		"How much faster graduates reach general or flag rank than comparison peers of the same country, as a hazard ratio (above 1: faster). The cause-specific hazard ratio: among those still serving and not yet general, how much more often graduates are promoted to general.",
		"As LEAD_RANK, graduates and comparison members together.", "outcomes", CoxHR)
	leadRankSHR = contrast("LEAD_RANK_SHR", "Participants vs comparison peers: general/flag rank, with exits competing",
		"The Fine-Gray subdistribution hazard ratio of reaching general or flag rank, graduates against comparison peers of the same country (above 1: more reach it): unlike LEAD_RANK_HR it counts those who left the service as no longer able to reach it, so it compares how many actually get there.",
		"As LEAD_RANK_HR; the censoring distribution is estimated over the whole group.", "outcomes", FineGraySHR, competing)
	leadRankHRIPW = func() Metric {
		m := contrast("LEAD_RANK_HR_IPW", "Participants vs comparison peers: general/flag rank, adjusted for selection",
			"LEAD_RANK_HR weighted so that the comparison peers resemble the participants in country, service, rank, sex, age and year at the index date: the hazard ratio once who gets selected is taken into account (above 1: faster).",
			adjustedPop, "lead_rank_ipw", CoxHRIPW, AdjustedCaveat)
		m.Adjusted = true
		return m
	}()
)

// Registry lists every metric of metrics.md and evidence.md, in the order
// reports show them.
var Registry = []Metric{
	cif("LEAD_RANK_CIF_5Y", "General/flag rank within 5 years",
		"Share of officers who reach general or flag rank within five years of graduating (for comparison peers: of their index date), counting those who leave the service first as not reaching it.",
		leadRankPop, leadRankEvt, "LEAD_RANK", AJIncidence, fiveYears, associational),
	cif("LEAD_RANK_CIF_10Y", "General/flag rank within 10 years",
		"Share of officers who reach general or flag rank within ten years of graduating, counting those who leave the service first as not reaching it.",
		leadRankPop, leadRankEvt, "LEAD_RANK", AJIncidence, tenYears, associational),
	cif("EXIT_BEFORE_RANK_10Y", "Left the service before general/flag rank, within 10 years",
		"Share of officers who leave the service (separation, retirement, death) within ten years without having reached general or flag rank: the competing exit.",
		leadRankPop, "Exit (the earliest SEPARATION, RETIREMENT or DEATH) before reaching OF-6.", "LEAD_RANK", AJExit, tenYears, associational),
	timeToEvent("LEAD_RANK_5Y", "General/flag rank within 5 years",
		"Share of officers who reach general or flag rank within five years of graduating (for comparison peers: of their index date).",
		leadRankPop, leadRankEvt, "LEAD_RANK", KMAttainment, fiveYears, associational),
	timeToEvent("LEAD_RANK_10Y", "General/flag rank within 10 years",
		"Share of officers who reach general or flag rank within ten years of graduating.",
		leadRankPop, leadRankEvt, "LEAD_RANK", KMAttainment, tenYears, associational),
	cif("LEAD_POS_CIF_5Y", "Position of prominence within 5 years",
		"Share of graduates who reach a strategic or senior position within five years, counting those who leave the service first as not reaching it.",
		leadPosPop, leadPosEvt, "LEAD_POS", AJIncidence, fiveYears, associational),
	cif("LEAD_POS_CIF_10Y", "Position of prominence within 10 years",
		"Share of graduates who reach a strategic or senior position within ten years, counting those who leave the service first as not reaching it.",
		leadPosPop, leadPosEvt, "LEAD_POS", AJIncidence, tenYears, associational),
	timeToEvent("LEAD_POS_5Y", "Position of prominence within 5 years",
		"Share of graduates who reach a strategic or senior position (minister, chief of defence, service chief, general staff, major command) within five years.",
		leadPosPop, leadPosEvt, "LEAD_POS", KMAttainment, fiveYears, associational, "Always shown beside ALUMNI_PROMINENT, the traditional count without a denominator."),
	timeToEvent("LEAD_POS_10Y", "Position of prominence within 10 years",
		"Share of graduates who reach a strategic or senior position within ten years.",
		leadPosPop, leadPosEvt, "LEAD_POS", KMAttainment, tenYears, associational),
	timeToEvent("PROMO_MEDIAN_DAYS", "Median days to next promotion",
		"How long, in days, it takes half of the officers to be promoted above the rank they held at the index date.",
		"Graduates (and comparison members) with an ordered NATO rank at the index date and follow-up.",
		"The first PROMOTION event after the index date to a rank above the rank at the index date.",
		"PROMO", KMMedian, 0, associational),
	timeToEvent("RETAIN_5Y", "Still serving 5 years on",
		"Share of graduates still serving five years after graduating (not separated, retired or dead).",
		"Graduates (and comparison members) with follow-up.",
		"Exit: the earliest SEPARATION, RETIREMENT or DEATH event.",
		"RETAIN", KMRetention, fiveYears, associational),
	func() Metric {
		m := cif("INTEROP_CIF_5Y", "Multinational operations within 5 years",
			"Share of graduates who serve in a UN, coalition, NATO or African Union operation within five years, counting those who leave the service first as not serving in one.",
			"Graduates with follow-up.",
			"The first DEPLOYMENT after the index date with operation type UN, COALITION, NATO or AU.",
			"INTEROP", AJIncidence, fiveYears)
		m.Where += " AND cohort = 'PARTICIPANT'"
		return m
	}(),
	func() Metric {
		m := timeToEvent("INTEROP_5Y", "Multinational operations within 5 years",
			"Share of graduates who serve in a UN, coalition, NATO or African Union operation within five years.",
			"Graduates with follow-up.",
			"The first DEPLOYMENT after the index date with operation type UN, COALITION, NATO or AU.",
			"INTEROP", KMAttainment, fiveYears)
		m.Where += " AND cohort = 'PARTICIPANT'"
		return m
	}(),
	leadRankHR,
	leadRankSHR,
	leadRankHRIPW,
	perArm("LEAD_RANK_CIF_10Y_IPW", "General/flag rank within 10 years, per arm, adjusted for selection",
		"LEAD_RANK_CIF_10Y of participants and of comparison peers, each weighted to the whole analysed population's mix of country, service, rank, sex, age and year: what each arm's share would be with the same mix.",
		AJIncidenceIPW, "cohort"),
	perArm("LEAD_RANK_CIF_DIFF_10Y_IPW", "General/flag rank within 10 years: participants minus comparison peers, adjusted for selection",
		"LEAD_RANK_CIF_10Y_IPW of participants minus that of comparison peers: how many more officers in a hundred reach general or flag rank within ten years, once selection is adjusted for.",
		AJDiffIPW),
	derived(leadRankHR, "LEAD_RANK_HR_EVALUE", "E-value of LEAD_RANK_HR",
		"How strongly an unmeasured factor would have to be tied both to being selected and to reaching general rank (as a risk ratio, with each) to explain LEAD_RANK_HR away; ci_low: to move its confidence limit nearest 1 to 1. The larger, the harder to explain away.",
		EValue, evalueNote),
	derived(leadRankHRIPW, "LEAD_RANK_HR_IPW_EVALUE", "E-value of LEAD_RANK_HR_IPW",
		"How strongly an unmeasured factor, beyond the covariates adjusted for, would have to be tied both to being selected and to reaching general rank to explain LEAD_RANK_HR_IPW away; ci_low: to move its limit nearest 1 to 1.",
		EValue, evalueNote),
	derived(leadRankHR, "LEAD_RANK_HR_MDE", "Smallest detectable LEAD_RANK_HR",
		"The smallest hazard ratio the data could detect with 80% power at the 5% level (two-sided), given the events seen and the participant share: a ratio closer to 1 than this could easily go unnoticed.",
		MinDetectable, mdeNote),
	derived(leadRankSHR, "LEAD_RANK_SHR_MDE", "Smallest detectable LEAD_RANK_SHR",
		"The smallest subdistribution hazard ratio the data could detect with 80% power at the 5% level (two-sided), given the events seen and the participant share.",
		MinDetectable, mdeNote),
	derived(leadRankHRIPW, "LEAD_RANK_HR_IPW_MDE", "Smallest detectable LEAD_RANK_HR_IPW",
		"The smallest adjusted hazard ratio the data could detect with 80% power at the 5% level (two-sided), given the events seen and the participant share of the analysed population (weights not taken into account).",
		MinDetectable, mdeNote),
	{
		ID: "UTIL_2Y", Title: "Training used on the job within 2 years",
		Definition: "Share of completed courses with a specific functional area after which the graduate's next assignments within two years include one in the same functional area.",
		Population: "COMPLETED IMET enrollments that ended at least 730 days before D, in a course whose functional area is not LEADERSHIP, OTHER or empty, whose student had an assignment with a functional area within 730 days after the course ended.",
		Event:      "Any such assignment's functional area equals the course's.",
		Estimator:  Wilson, Timing: AsOfD, Caveats: []string{coverage},
		Unit: "utilization", Base: []string{"period", "cohort"}, By: append([]string{"program"}, enrollmentBy...),
		N: "count(*)", Num: "count(*) FILTER (WHERE used)", Den: "count(*)",
	},
	{
		ID: "TRACK_24M", Title: "Tracking coverage (24 months)",
		Definition: "Share of graduates still serving about whom at least one career event was reported in the last two years: how much of the population the outcome rates rest on.",
		Population: "Graduates (and, separately, comparison members) not exited by D.",
		Event:      "At least one career event in the 730 days up to D.",
		Estimator:  Wilson, Timing: AsOfD,
		Unit: "members", Where: "serving", Base: []string{"period", "cohort"}, By: personBy,
		N: "count(*)", Num: "count(*) FILTER (WHERE tracked_24m)", Den: "count(*)",
	},
	{
		ID: "UNTRACKED", Title: "Lost to follow-up",
		Definition: "Share of graduates of more than a year ago about whom nothing at all has been reported since graduation.",
		Population: "Graduates (and, separately, comparison members) with an index date at least 365 days before D.",
		Event:      "No career event after the index date.",
		Estimator:  Wilson, Timing: AsOfD,
		Unit: "members", Where: "untracked_eligible", Base: []string{"period", "cohort"}, By: personBy,
		N: "count(*)", Num: "count(*) FILTER (WHERE untracked)", Den: "count(*)",
	},
	{
		ID: "VET_COMPLIANCE", Title: "Human-rights vetting done in time",
		Definition: "Share of enrollments needing human-rights (Leahy) vetting that were approved on or before the course started.",
		Population: imetEnrolled + " whose vetting status is not NOT_REQUIRED (an empty status counts as not vetted).",
		Event:      "Vetting status APPROVED with a vetting date on or before the start date.",
		Estimator:  Wilson, Timing: PerPeriod, Caveats: []string{periodNote},
		Unit: "enrollments", Where: "program = 'IMET' AND coalesce(vetting_status, '') <> 'NOT_REQUIRED'",
		Base: []string{"period"}, By: enrollmentBy,
		N: "count(*)", Num: "count(*) FILTER (WHERE vetting_status = 'APPROVED' AND vetting_date <= start_date)", Den: "count(*)",
		Needs: &Needs{Column: "vetting_date", Of: "APPROVED enrollments", Missing: "count(*) FILTER (WHERE vetting_status = 'APPROVED' AND vetting_date IS NULL)", Inputs: "count(*) FILTER (WHERE vetting_status = 'APPROVED')",
			Effect: "which count as not vetted in time"},
	},
	{
		ID: "VET_DENIED_ATTENDED", Title: "Attended despite denied vetting (alarm)",
		Definition: "Enrollments whose human-rights vetting was DENIED yet the student attended (completed or in progress). Should be zero.",
		Population: "Enrollments of every program starting in the period.",
		Event:      "Vetting status DENIED and status COMPLETED or IN_PROGRESS.",
		Estimator:  Count, Timing: PerPeriod, Caveats: []string{periodNote},
		Unit: "enrollments", Base: []string{"period"}, By: append([]string{"program"}, enrollmentBy...),
		N:   "count(*) FILTER (WHERE vetting_status = 'DENIED' AND status IN ('COMPLETED', 'IN_PROGRESS'))",
		Num: "count(*) FILTER (WHERE vetting_status = 'DENIED' AND status IN ('COMPLETED', 'IN_PROGRESS'))",
	},
	{
		ID: "HR_FLAG_RATE", Title: "Substantiated human-rights flags per 1,000 person-years",
		Definition: "How often graduates are the subject of a substantiated human-rights flag after graduating, per 1,000 years of follow-up.",
		Population: "Graduates; person-years from the index date to the exit date or D, whichever is earlier (years of 365.25 days).",
		Event:      "SUBSTANTIATED flags dated after the index date and on or before D.",
		Estimator:  Garwood, Timing: AsOfD, Caveats: []string{"Flags reach the warehouse only when reported and linked to a student: a low rate can mean little reporting.", coverage},
		Unit: "members", Where: "cohort = 'PARTICIPANT'", Base: []string{"period", "cohort"}, By: personBy,
		N: "count(*)", Events: "sum(substantiated_flags)", Num: "sum(substantiated_flags)", Den: "sum(followup_days) / 365.25",
	},
	{
		ID: "COMPLETION", Title: "Course completion",
		Definition: "Share of students who finish the course they started.",
		Population: imetEnrolled + " with status COMPLETED, WITHDRAWN or FAILED.",
		Event:      "Status COMPLETED.",
		Estimator:  Wilson, Timing: PerPeriod, Caveats: []string{periodNote},
		Unit: "enrollments", Where: "program = 'IMET' AND status IN ('COMPLETED', 'WITHDRAWN', 'FAILED')",
		Base: []string{"period"}, By: append(append([]string{}, enrollmentBy...), "sex"),
		N: "count(*)", Num: "count(*) FILTER (WHERE status = 'COMPLETED')", Den: "count(*)",
	},
	{
		ID: "COMPLETION_BY_ECL", Title: "Course completion by English test score",
		Definition: "Completion split by the English Comprehension Level score at entry (<70, 70–79, ≥80, missing): the language barrier.",
		Population: "As COMPLETION, in each ECL band.", Event: "Status COMPLETED.",
		Estimator: Wilson, Timing: PerPeriod, Caveats: []string{periodNote},
		Unit: "enrollments", Where: "program = 'IMET' AND status IN ('COMPLETED', 'WITHDRAWN', 'FAILED')",
		Base: []string{"period", "ecl_band"}, By: enrollmentBy,
		N: "count(*)", Num: "count(*) FILTER (WHERE status = 'COMPLETED')", Den: "count(*)",
	},
	{
		ID: "WPS_SHARE", Title: "Women's participation",
		Definition: "Share of individual students who are women (Women, Peace and Security).",
		Population: "Distinct students of " + imetEnrolled + " whose sex is F, M or X (U is left out).",
		Event:      "Sex F.",
		Estimator:  Wilson, Timing: PerPeriod, Caveats: []string{periodNote, "Distinct students are counted at each level shown, never added across groups."},
		Unit: "enrollments", Where: "program = 'IMET' AND sex IN ('F', 'M', 'X')",
		Base: []string{"period"}, By: enrollmentBy,
		N: "count(DISTINCT student_id)", Num: "count(DISTINCT student_id) FILTER (WHERE sex = 'F')", Den: "count(DISTINCT student_id)",
	},
	{
		ID: "COST_PER_GRAD", Title: "Cost per graduate",
		Definition: "U.S. cost of the period's IMET training that had ended by D divided by the number of individual students who completed a course in it.",
		Population: "Distinct students with a COMPLETED IMET enrollment starting in the period and ended by D.",
		Event:      "Σ cost_usd of the IMET enrollments starting in the period that had ended by D (completed, failed, withdrawn or cancelled, and over by D).",
		Estimator:  Ratio, Timing: PerPeriod,
		Caveats: []string{periodNote,
			"Enrollments still under way at D are left out of both the cost and the graduates, so a fiscal year in progress is not inflated by the cost of people still in training; such rows are marked provisional with how many were left out.",
			"Unknown (no value) where no ended enrollment of the group has a cost_usd; where some lack it, the note says how many the value leaves out."},
		Unit: "enrollments", Where: "program = 'IMET'", Base: []string{"period"}, By: enrollmentBy,
		N: "count(DISTINCT student_id) FILTER (WHERE status = 'COMPLETED' AND ended)", Num: "sum(cost_usd) FILTER (WHERE ended)",
		Den:     "count(DISTINCT student_id) FILTER (WHERE status = 'COMPLETED' AND ended)",
		Reads:   &Reading{Dollars, Dollars, People, "US dollars per graduate"},
		Needs:   &Needs{Column: "cost_usd", Of: "ended enrollments", Missing: "count(*) FILTER (WHERE ended AND status <> 'CANCELLED' AND cost_usd IS NULL)", Inputs: "count(*) FILTER (WHERE ended AND status <> 'CANCELLED')"},
		Pending: "count(*) FILTER (WHERE NOT ended)",
	},
	{
		ID: "COST_PER_LEADER", Title: "Cost per general/flag officer",
		Definition: "U.S. cost of training a graduation cohort divided by the number of its graduates who have reached general or flag rank by D.",
		Population: "Graduates of a graduation cohort who reached OF-6 (the threshold) by D.",
		Event:      "Σ cost_usd of all IMET enrollments of the cohort's graduates.",
		Estimator:  Ratio, Timing: AsOfD,
		Caveats: []string{"Immature when D is less than 10 years after the end of the cohort's fiscal year: most of its future leaders have not reached the rank yet.", "NULL when no graduate of the group has reached the rank."},
		Unit:    "cost_per_leader", Base: []string{"period", "cohort"}, By: []string{"graduation_cohort", "region", "country_code", "course_category"},
		N: "count(*) FILTER (WHERE leader)", Num: "sum(cost_usd)", Den: "count(*) FILTER (WHERE leader)",
		Reads: &Reading{Dollars, Dollars, People, "US dollars per general/flag officer"}, MatureYears: 10,
		Needs: &Needs{Column: "cost_usd", Of: "IMET enrollments of the cohort's graduates", Missing: "sum(without_cost)", Inputs: "sum(enrollments)"},
	},
	{
		ID: "COST_SHARE_PARTNER", Title: "Partner nations' share of cost",
		Definition: "Share of the total cost of training borne by the partner nation (burden sharing).",
		Population: "Σ cost_usd + Σ partner_cost_usd of enrollments of every program starting in the period.",
		Event:      "Σ partner_cost_usd.",
		Estimator:  Ratio, Timing: PerPeriod, Caveats: []string{periodNote},
		Unit: "enrollments", Base: []string{"period"}, By: append([]string{"program"}, enrollmentBy...),
		N: "count(*)", Num: "sum(coalesce(partner_cost_usd, 0))", Den: "sum(coalesce(cost_usd, 0)) + sum(coalesce(partner_cost_usd, 0))",
		Reads: &Reading{Share, Dollars, Dollars, "share of dollars"},
		Needs: &Needs{Column: "partner_cost_usd", Of: "enrollments", Missing: "count(*) FILTER (WHERE status <> 'CANCELLED' AND partner_cost_usd IS NULL)", Inputs: "count(*) FILTER (WHERE status <> 'CANCELLED')"},
	},
	{
		ID: "ALLOC_EXECUTION", Title: "Allocation executed",
		Definition: "IMET spending of the fiscal year as a share of the IMET allocation.",
		Population: "allocated_usd of the fiscal year (IMET allocations).",
		Event:      "Σ cost_usd of IMET enrollments starting in the fiscal year.",
		Estimator:  Ratio, Timing: PerPeriod, Caveats: []string{"Fiscal years only: allocations are annual, so no quarter rows.", "NULL where nothing was allocated."},
		Unit: "allocation", Base: []string{"period"}, By: []string{"region", "country_code"},
		N: "count(*) FILTER (WHERE allocated > 0)", Num: "sum(spent)", Den: "sum(allocated)",
		Reads: &Reading{Share, Dollars, Dollars, "share of dollars"},
		Needs: &Needs{Column: "cost_usd", Of: "IMET enrollments", Missing: "count(*) FILTER (WHERE enrollment AND spent IS NULL)", Inputs: "count(*) FILTER (WHERE enrollment)"},
	},
	{
		ID: "REPORT_LAG_DAYS", Title: "Career reporting lag",
		Definition: "Median days between a career event and the day it was reported: how current the tracking is.",
		Population: "Career events with a reported date in the period (linked or not).",
		Event:      "reported_date − event_date, in days; numerator and denominator give how many were reported more than 365 days late out of all.",
		Estimator:  Median, Timing: PerPeriod, Caveats: []string{"Counted in the period of the reported date."},
		Unit: "report_lag", Base: []string{"period"}, By: []string{"region", "country_code"},
		N: "count(*)", Val: "median(lag_days)", Num: "count(*) FILTER (WHERE lag_days > 365)", Den: "count(*)",
	},
	{
		ID: "ALUMNI_PROMINENT", Title: "Prominent alumni (traditional count)",
		Definition: "The number of graduates now in a strategic or senior position: the traditional count of successes, kept for continuity. It has no denominator; read it beside LEAD_POS.",
		Population: "Graduates.", Event: "The latest position level reported on or before D is STRATEGIC or SENIOR, and the person has not exited.",
		Estimator: Count, Timing: AsOfD, Caveats: []string{"A count, not a rate: it grows with the number of graduates and with reporting. Always shown beside LEAD_POS_5Y."},
		Unit: "members", Where: "cohort = 'PARTICIPANT'", Base: []string{"period", "cohort"}, By: personBy,
		N: "count(*)", Num: "count(*) FILTER (WHERE prominent)", ShownAfter: "LEAD_POS_10Y",
	},
	{
		ID: "LEAD_PENETRATION", Title: "Senior posts held by graduates",
		Definition: "Of the holdings of a country's senior posts (chief of defence, service chiefs, ministers, general officer posts) in office on D, the share held by someone who graduated before taking up the post: of the people who lead the country's forces today, how many trained with the program. Unlike ALUMNI_PROMINENT it has a denominator, from a source independent of the training records.",
		Population: "Holdings in post_holders in office on D: start_date on or before D and end_date empty or after D.",
		Event:      "The holder is linked to a graduate (a participant with a COMPLETED IMET enrollment ending on or before D) whose index date, the graduation, is before the holding's start_date. A holder linked to a comparison peer is not a graduate; a holding not linked counts in the population and not as a graduate's, and the note says how many wait in link_review with candidate students (possible graduates) and how many holders resemble no student at all.",
		Estimator:  Wilson, Timing: AsOfD,
		Caveats: []string{"Holdings, not people: someone holding two posts on D counts twice.",
			"A holding waiting in link_review with candidate students may be a graduate's: the share is a lower bound until the review is done, by as many holdings as the note says.",
			smallCells},
		Unit: "holdings", Base: []string{"period"}, By: []string{"region", "country_code", "post_level"},
		Crossed: [][]string{{"country_code", "post_level"}},
		N:       "count(*)", Events: "count(*) FILTER (WHERE graduate)", Num: "count(*) FILTER (WHERE graduate)", Den: "count(*)",
		Counted: []CountNote{{"count(*) FILTER (WHERE awaiting_link)", "%d holding awaiting link review (a possible graduate)", "%d holdings awaiting link review (possible graduates)"},
			{"count(*) FILTER (WHERE unmatched)", "%d holder in no training record", "%d holders in no training record"},
			{"count(*) FILTER (WHERE comparison_peer)", "%d held by a comparison peer (not a graduate)", "%d held by comparison peers (not graduates)"}},
		ShownAfter: "ALUMNI_PROMINENT",
	},
	leadPenetrationShrunk,
	fmtr("FMTR_SESSIONS", "Training sessions (FMTR, from enrollments)", "The Foreign Military Training Report's training sessions, counted in the enrollments loaded: the number of enrollments.", "count(*)", Count),
	fmtr("FMTR_STUDENTS", "Individual students (FMTR, from enrollments)", "The Foreign Military Training Report's individual students: distinct people, counted at each level shown.", "count(DISTINCT student_id)", Count),
	fmtr("FMTR_COURSES", "Course count (FMTR, from enrollments)", "The Foreign Military Training Report's course count: distinct courses with both a start and an end date.", "count(DISTINCT course_code) FILTER (WHERE start_date IS NOT NULL AND end_date IS NOT NULL)", Count),
	func() Metric {
		m := fmtr("FMTR_DOLLARS", "Dollar value (FMTR, from enrollments)", "The Foreign Military Training Report's dollar value, summed over the enrollments loaded: their U.S. cost.", "sum(cost_usd)", Sum)
		m.Needs = &Needs{Column: "cost_usd", Of: "enrollments", Missing: "count(*) FILTER (WHERE cost_usd IS NULL)", Inputs: "count(*)"}
		m.Reads = &Reading{Dollars, Dollars, Number, "US dollars"}
		return m
	}(),
}

// leadPenetrationShrunk is LEAD_PENETRATION with each country's share
// shrunk towards the pooled share (evidence.md, "Small countries").
var leadPenetrationShrunk = Metric{
	ID: "LEAD_PENETRATION_SHRUNK", Title: "Senior posts held by graduates, small countries shrunk to the pool",
	Definition: "LEAD_PENETRATION with each country's share pulled towards the share of all countries together, the more the fewer its posts: " +
		"a country with three posts held by no graduate is not read as 0%. The all-countries row holds the random-effects pooled share, and its note tau², the spread between countries.",
	Population: "As LEAD_PENETRATION: the holdings of the country's senior posts in office on D; n and numerator are the raw row's.",
	Event:      "As LEAD_PENETRATION: the holding is held by a graduate whose index date is before its start date.",
	Estimator:  Shrunk, Timing: AsOfD, From: "LEAD_PENETRATION",
	Caveats: []string{
		"Read beside the raw share: the shrunken share is an estimate of the country's underlying share assuming countries resemble each other, not a count; a country far from the others is pulled less the more posts it has.",
		"Computed within each post level separately (and for all levels together); countries without a post in office on D take no part.",
		"Not a ranking: the report draws the raw shares on a funnel plot with exact binomial 95% and 99.8% limits around the share of all countries.",
	},
	Base: []string{"period"}, By: []string{"country_code"}, ShownAfter: "LEAD_PENETRATION",
}

const (
	evalueNote = "Common outcome (the hazard ratio read as a risk ratio first) when LEAD_RANK_CIF_10Y of both cohorts together exceeds 0.15; the note says which."
	mdeNote    = "exp((z0.975 + z0.8) / sqrt(E p (1 − p))), E the events, p the participant share."
)

// fmtrSource says where the FMTR_* numbers come from, since the published
// report's own figures sit beside them in fmtr_activities and fmtr_summary.
const fmtrSource = "From the enrollments loaded, not the published report (fmtr_summary holds that)."

func fmtr(id, title, def, agg string, est Estimator) Metric {
	return Metric{
		ID: id, Title: title, Definition: def, Population: fmtrPop, Event: def, Estimator: est, Timing: PerPeriod,
		Caveats: []string{fmtrSource, periodNote},
		Unit:    "enrollments", Where: "status <> 'CANCELLED'", Base: []string{"period"},
		By: append([]string{"program"}, enrollmentBy...),
		N:  "count(*)", Num: agg,
	}
}

// The registry's own caveats carry their meaning into fields, so the two
// cannot drift: a metric that says to read it beside TRACK_24M reads beside
// it; one that carries the associational caveat is associational.
func init() {
	for i := range Registry {
		m := &Registry[i]
		if slices.Contains(m.Caveats, coverage) {
			m.ReadBeside = "TRACK_24M"
		}
		if slices.Contains(m.Caveats, associational) {
			m.Associational = true
		}
	}
}

// Lookup returns the metric with the id, or false.
func Lookup(id string) (Metric, bool) {
	for _, m := range Registry {
		if m.ID == id {
			return m, true
		}
	}
	return Metric{}, false
}

// ValueUnit says how a metric's value reads: share (0..1), days, ratio (a
// hazard ratio), rate (per 1,000 person-years), count, dollars or number.
func (m Metric) ValueUnit() string { return string(m.Reading().Value) }
