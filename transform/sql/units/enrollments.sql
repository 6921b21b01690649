-- Enrollments that started on or before D, once for each period they count
-- in (their fiscal year; and their quarter when that year holds D).
SELECT unnest(periods) AS period, 'ALL' AS cohort, program, region, country_code, course_category, sex, ecl_band,
       enrollment_id, student_id, course_code, status, start_date, end_date, cost_usd, partner_cost_usd,
       vetting_status, vetting_date
FROM enrollment_facts
