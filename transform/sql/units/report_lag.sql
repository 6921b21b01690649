-- REPORT_LAG_DAYS: career events with a reported date on or before D, in
-- the period of their reported date, with the days between event and report.
-- Unlinked events count too (they were reported), by their own country.
WITH p AS (SELECT * FROM params)
SELECT unnest(CASE WHEN fiscal_year_of(e.reported_date) = fiscal_year_of(p.d)
                   THEN ['FY' || fiscal_year_of(e.reported_date),
                         'FY' || fiscal_year_of(e.reported_date) || 'Q' || fiscal_quarter_of(e.reported_date)]
                   ELSE ['FY' || fiscal_year_of(e.reported_date)] END) AS period,
       'ALL' AS cohort, c.region, coalesce(s.country_code, e.country_code) AS country_code,
       date_diff('day', e.event_date, e.reported_date) AS lag_days
FROM v_career_events e CROSS JOIN p
LEFT JOIN v_students s ON s.student_id = e.student_id
LEFT JOIN v_countries c ON c.country_code = coalesce(s.country_code, e.country_code)
WHERE e.reported_date IS NOT NULL AND e.reported_date <= p.d AND e.event_date <= p.d
