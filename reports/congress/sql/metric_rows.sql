-- The metric_values rows the congressional summary can show: one transform
-- (D = $1, vintage = $2), as-of-D metrics (period ALL) and the fiscal year's
-- flow metrics (period $3; every period when $3 is ''), whole graduation cohorts, both sexes and every
-- post level (LEAD_PENETRATION's rows by post level have a sheet of their own). Which
-- disaggregations each sheet shows is decided in Go (build.go).
SELECT metric_id, period, cohort, ecl_band, program, region, country_code, course_category,
       n, events, numerator, denominator, value, ci_low, ci_high, p_value, p_adjusted, coalesce(note, '')
FROM metric_values
WHERE as_of = $1::DATE
  AND vintage = $2
  AND ($3 = '' OR period IN ('ALL', $3))
  AND graduation_cohort = 'ALL'
  AND sex = 'ALL'
  AND post_level = 'ALL'
ORDER BY metric_id, period, cohort, ecl_band, program, region, country_code, course_category
