-- The denied-vetting alarm (VET_DENIED_ATTENDED): enrollments whose
-- human-rights vetting was DENIED yet the student attended, for every fiscal
-- year of the transform (D, vintage) that has any, whatever the year. imet
-- run warns with their sum; the quarterly report lists each year. One home
-- for the question, so the run's message and the report cannot disagree.
-- Parameters: D, vintage.
SELECT period AS fiscal_year, value::BIGINT AS enrollments
FROM metric_values
WHERE metric_id = 'VET_DENIED_ATTENDED' AND as_of = ? AND vintage = ?
  AND period LIKE 'FY____'
  AND graduation_cohort = 'ALL' AND cohort = 'ALL' AND program = 'ALL' AND region = 'ALL'
  AND country_code = 'ALL' AND course_category = 'ALL' AND sex = 'ALL' AND ecl_band = 'ALL' AND post_level = 'ALL'
  AND value > 0
ORDER BY period
