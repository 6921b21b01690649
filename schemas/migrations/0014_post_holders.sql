-- Leadership penetration (evidence.md, "Leadership penetration"): who held
-- each country's senior posts, and when (dataset post_holders, linked to
-- students like career_events), and the post level as a key of
-- metric_values so LEAD_PENETRATION can be read by post level. The
-- contract's columns are commented from the contract (schemas/contract.go).

-- student_id is the linked student (NULL while the row waits in link_review);
-- source_student_id is what the source sent.
CREATE TABLE post_holders (
    holding_id    VARCHAR,
    student_id    VARCHAR,
    country_code  VARCHAR,
    family_name   VARCHAR,
    given_names   VARCHAR,
    birth_year    INTEGER,
    post_level    VARCHAR,
    post_title    VARCHAR,
    start_date    DATE,
    end_date      DATE,
    source        VARCHAR,
    _batch_id BIGINT, _file VARCHAR, _sha256 VARCHAR, _row BIGINT, _row_hash UBIGINT,
    source_student_id VARCHAR, link_method VARCHAR, link_score DOUBLE, _link_batch_id BIGINT
);
CREATE TABLE post_holders_history AS SELECT *, NULL::BIGINT AS _superseded_by FROM post_holders LIMIT 0;

-- Every metric row carries a post level: ALL, or one of CHOD,
-- SERVICE_CHIEF, MINISTER, GENERAL_OFFICER for LEAD_PENETRATION's rows by
-- post level. Rows written before this migration are ALL.
ALTER TABLE metric_values ADD COLUMN post_level VARCHAR DEFAULT 'ALL';
UPDATE metric_values SET post_level = 'ALL' WHERE post_level IS NULL;
COMMENT ON COLUMN metric_values.post_level IS 'ALL or the post level the row is about (LEAD_PENETRATION: CHOD, SERVICE_CHIEF, MINISTER, GENERAL_OFFICER)';

-- DuckDB fixes a view's columns when it is created: metric_latest again,
-- with post_level, and its comments.
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
COMMENT ON COLUMN metric_latest.post_level IS 'ALL or the post level the row is about (LEAD_PENETRATION: CHOD, SERVICE_CHIEF, MINISTER, GENERAL_OFFICER)';
