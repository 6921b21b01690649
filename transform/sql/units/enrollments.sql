-- Enrollments that started on or before D, once for each period they count
-- in (their fiscal year; and their quarter when that year holds D).
-- ended: the enrollment was over by D (not IN_PROGRESS, and its end, or its
-- start when it has no end, on or before D): only then are its cost and its
-- outcome both known.
SELECT unnest(periods) AS period, 'ALL' AS cohort, program, region, country_code, course_category, sex, ecl_band,
       enrollment_id, student_id, course_code, status, start_date, end_date, cost_usd, partner_cost_usd,
       vetting_status, vetting_date,
       status <> 'IN_PROGRESS' AND coalesce(end_date, start_date) <= period_end() AS ended
FROM enrollment_facts
