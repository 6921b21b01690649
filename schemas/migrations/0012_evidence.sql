-- Evidence that stands up (evidence.md): the Benjamini-Hochberg adjusted
-- p-value beside every p-value, and the balance and overlap diagnostics of
-- the adjusted (inverse-probability weighted) comparison, kept per
-- (as_of, vintage) like metric_values.

ALTER TABLE metric_values ADD COLUMN p_adjusted DOUBLE;
COMMENT ON COLUMN metric_values.p_value IS 'two-sided p-value of a participant-vs-comparison contrast: stratified log-rank (LEAD_RANK_HR), robust Wald (LEAD_RANK_SHR, LEAD_RANK_HR_IPW)';
COMMENT ON COLUMN metric_values.p_adjusted IS 'Benjamini-Hochberg adjusted p-value across the rows of the same metric, period and disaggregation level (e.g. all countries), as R''s p.adjust(p, "BH")';

-- The balance table of the adjusted comparison: each covariate level of the
-- propensity model (numeric covariates as themselves), before and after
-- weighting.
CREATE TABLE ipw_balance (
    position          INTEGER NOT NULL,
    covariate         VARCHAR NOT NULL,
    level             VARCHAR,
    mean_participant  DOUBLE,
    mean_comparison   DOUBLE,
    smd_before        DOUBLE,
    smd_after         DOUBLE,
    balanced          BOOLEAN,
    as_of             DATE NOT NULL,
    vintage           BIGINT NOT NULL
);
COMMENT ON COLUMN ipw_balance.position IS 'order of the covariate level in the propensity model';
COMMENT ON COLUMN ipw_balance.covariate IS 'country_code, service, rank (at the index date), sex (F, M, OTHER), age (at the index date), age_missing (birth year missing: age set to the median) or index_fy (fiscal year of the index date)';
COMMENT ON COLUMN ipw_balance.level IS 'the level of a factor covariate (e.g. OF-3); empty for a numeric covariate';
COMMENT ON COLUMN ipw_balance.mean_participant IS 'unweighted mean among participants (for a level: the share having it)';
COMMENT ON COLUMN ipw_balance.mean_comparison IS 'unweighted mean among comparison peers';
COMMENT ON COLUMN ipw_balance.smd_before IS 'standardised mean difference before weighting: (m1 - m0) / sqrt((s1^2 + s0^2) / 2), unweighted SDs of each arm';
COMMENT ON COLUMN ipw_balance.smd_after IS 'standardised mean difference after weighting (weighted means, the same unweighted SDs)';
COMMENT ON COLUMN ipw_balance.balanced IS 'true when |smd_after| < 0.1';
COMMENT ON COLUMN ipw_balance.as_of IS 'D, the period end of the transform';
COMMENT ON COLUMN ipw_balance.vintage IS 'the last batch whose data the transform used';

-- The overlap of the propensity scores by arm, and what positivity dropped.
CREATE TABLE ipw_overlap (
    cohort            VARCHAR NOT NULL,
    n                 BIGINT NOT NULL,
    ps_min            DOUBLE,
    ps_max            DOUBLE,
    share_outside     DOUBLE,
    kish_ess          DOUBLE,
    max_weight        DOUBLE,
    countries_dropped BIGINT,
    people_dropped    BIGINT,
    as_of             DATE NOT NULL,
    vintage           BIGINT NOT NULL
);
COMMENT ON COLUMN ipw_overlap.cohort IS 'PARTICIPANT, COMPARISON or ALL (both arms)';
COMMENT ON COLUMN ipw_overlap.n IS 'people analysed (after the positivity drop)';
COMMENT ON COLUMN ipw_overlap.ps_min IS 'smallest propensity score (probability of taking part given the covariates)';
COMMENT ON COLUMN ipw_overlap.ps_max IS 'largest propensity score';
COMMENT ON COLUMN ipw_overlap.share_outside IS 'share of people with a propensity score outside [0.1, 0.9]';
COMMENT ON COLUMN ipw_overlap.kish_ess IS 'Kish effective sample size of the weights, (sum w)^2 / sum w^2';
COMMENT ON COLUMN ipw_overlap.max_weight IS 'largest stabilised weight';
COMMENT ON COLUMN ipw_overlap.countries_dropped IS 'countries left out because all their members are in one arm (positivity)';
COMMENT ON COLUMN ipw_overlap.people_dropped IS 'people of this arm left out with those countries';
COMMENT ON COLUMN ipw_overlap.as_of IS 'D, the period end of the transform';
COMMENT ON COLUMN ipw_overlap.vintage IS 'the last batch whose data the transform used';

-- Aalen-Johansen curves of the outcomes with a competing exit (LEAD_RANK,
-- LEAD_POS, INTEROP), whole population, by cohort: the stacked picture of
-- reached, left first, and neither (still serving, or unknown). Replaced per
-- (as_of, vintage) like km_curves.
CREATE TABLE cif_curves (
    outcome    VARCHAR NOT NULL,
    cohort     VARCHAR NOT NULL,
    time       DOUBLE NOT NULL,
    n_risk     BIGINT NOT NULL,
    n_event    BIGINT NOT NULL,
    n_exit     BIGINT NOT NULL,
    n_censor   BIGINT NOT NULL,
    p_event    DOUBLE NOT NULL,
    p_exit     DOUBLE NOT NULL,
    p_neither  DOUBLE NOT NULL,
    se_event   DOUBLE,
    ci_low     DOUBLE,
    ci_high    DOUBLE,
    as_of      DATE NOT NULL,
    vintage    BIGINT NOT NULL
);
COMMENT ON COLUMN cif_curves.outcome IS 'LEAD_RANK, LEAD_POS or INTEROP (see docs/metrics.md)';
COMMENT ON COLUMN cif_curves.cohort IS 'PARTICIPANT (attended) or COMPARISON (a peer supplied by the partner nation who did not)';
COMMENT ON COLUMN cif_curves.time IS 'days since the index date';
COMMENT ON COLUMN cif_curves.n_risk IS 'people neither with the event nor exited and still followed just before this time';
COMMENT ON COLUMN cif_curves.n_event IS 'events at this time';
COMMENT ON COLUMN cif_curves.n_exit IS 'exits (separation, retirement, death) before any event, at this time';
COMMENT ON COLUMN cif_curves.n_censor IS 'people whose follow-up ended at this time with neither';
COMMENT ON COLUMN cif_curves.p_event IS 'cumulative incidence of the event (Aalen-Johansen): the share who reached it by this time';
COMMENT ON COLUMN cif_curves.p_exit IS 'cumulative incidence of leaving first: the share who left the service without reaching it';
COMMENT ON COLUMN cif_curves.p_neither IS 'the share with neither yet: still serving without the event (1 - p_event - p_exit)';
COMMENT ON COLUMN cif_curves.se_event IS 'standard error of p_event (infinitesimal jackknife, as survfit)';
COMMENT ON COLUMN cif_curves.ci_low IS 'lower log-scale 95% limit of p_event';
COMMENT ON COLUMN cif_curves.ci_high IS 'upper log-scale 95% limit of p_event';
COMMENT ON COLUMN cif_curves.as_of IS 'D, the period end of the transform';
COMMENT ON COLUMN cif_curves.vintage IS 'the last batch whose data the transform used';

-- DuckDB fixes a view's columns when it is created: metric_latest again,
-- with p_adjusted, and its comments.
DROP VIEW metric_latest;
CREATE VIEW metric_latest AS
SELECT * FROM metric_values
WHERE (as_of, vintage) = (SELECT (as_of, vintage) FROM headline_transform);
COMMENT ON COLUMN metric_latest.metric_id IS 'the metric (docs/metrics.md, ''imet metrics list'')';
COMMENT ON COLUMN metric_latest.period IS 'ALL (measured as of D), a fiscal year (FY2025) or a quarter (FY2026Q3)';
COMMENT ON COLUMN metric_latest.graduation_cohort IS 'ALL or the graduation cohort the row is about';
COMMENT ON COLUMN metric_latest.cohort IS 'ALL, PARTICIPANT or COMPARISON';
COMMENT ON COLUMN metric_latest.program IS 'ALL or the program the row is about';
COMMENT ON COLUMN metric_latest.region IS 'ALL or the region the row is about';
COMMENT ON COLUMN metric_latest.country_code IS 'ALL or the country the row is about';
COMMENT ON COLUMN metric_latest.course_category IS 'ALL or the course category the row is about';
COMMENT ON COLUMN metric_latest.sex IS 'ALL or the sex the row is about';
COMMENT ON COLUMN metric_latest.ecl_band IS 'ALL or the English test band the row is about';
COMMENT ON COLUMN metric_latest.n IS 'population size';
COMMENT ON COLUMN metric_latest.events IS 'events observed (time-to-event metrics, flags)';
COMMENT ON COLUMN metric_latest.numerator IS 'numerator of a proportion, rate or ratio';
COMMENT ON COLUMN metric_latest.denominator IS 'denominator (for rates: person-years)';
COMMENT ON COLUMN metric_latest.value IS 'the estimate, unrounded';
COMMENT ON COLUMN metric_latest.ci_low IS 'lower 95% confidence limit';
COMMENT ON COLUMN metric_latest.ci_high IS 'upper 95% confidence limit';
COMMENT ON COLUMN metric_latest.suppressed IS 'set by Congress-facing exports only; always false in the warehouse';
COMMENT ON COLUMN metric_latest.note IS 'small n, insufficient follow-up, immature cohort, median not reached, …';
COMMENT ON COLUMN metric_latest.as_of IS 'D, the period end of the transform';
COMMENT ON COLUMN metric_latest.vintage IS 'the last batch whose data the transform used';
COMMENT ON COLUMN metric_latest.p_value IS 'two-sided p-value of a participant-vs-comparison contrast: stratified log-rank (LEAD_RANK_HR), robust Wald (LEAD_RANK_SHR, LEAD_RANK_HR_IPW)';
COMMENT ON COLUMN metric_latest.p_adjusted IS 'Benjamini-Hochberg adjusted p-value across the rows of the same metric, period and disaggregation level (e.g. all countries), as R''s p.adjust(p, "BH")';
