-- One metric's whole-population rows of the headline transform (the
-- snapshot's metric_latest) for period $2, participants first.
SELECT cohort, value, ci_low, ci_high, n FROM metric_latest
WHERE metric_id = $1 AND period = $2 AND graduation_cohort = 'ALL' AND program = 'ALL'
  AND region = 'ALL' AND country_code = 'ALL' AND course_category = 'ALL' AND sex = 'ALL' AND ecl_band = 'ALL' AND post_level = 'ALL'
ORDER BY cohort DESC
