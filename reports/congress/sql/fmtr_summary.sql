-- The Foreign Military Training Report's columns as imet export fmtr
-- writes them: fmtr_summary, every fiscal year ($1 = 0) or one.
SELECT fiscal_year, region, country_code, program, sub_program, sessions, course_count,
       dollar_value, printed_sessions, printed_dollars, reconciliation, individual_students, note
FROM fmtr_summary
WHERE $1 = 0 OR fiscal_year = $1
ORDER BY fiscal_year, region, country_code, program, sub_program NULLS FIRST
