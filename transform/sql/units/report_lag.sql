-- REPORT_LAG_DAYS: career events with a reported date on or before D, in
-- the period of their reported date, with the days between event and report.
-- Unlinked events count too (they were reported), by their own country.
-- Each event counts in its fiscal year, and in its quarter when that year
-- holds D: two selections of one join rather than a list of periods per
-- event unnested (which cost twice the join).
WITH e AS (
    SELECT fiscal_year_of(e.reported_date) AS fy, e.reported_date, c.region,
           coalesce(s.country_code, e.country_code) AS country_code,
           date_diff('day', e.event_date, e.reported_date) AS lag_days
    FROM v_career_events e
    LEFT JOIN v_students s ON s.student_id = e.student_id
    LEFT JOIN v_countries c ON c.country_code = coalesce(s.country_code, e.country_code)
    WHERE e.reported_date IS NOT NULL AND e.reported_date <= period_end() AND e.event_date <= period_end()
)
SELECT 'FY' || e.fy AS period, 'ALL' AS cohort, region, country_code, lag_days FROM e
UNION ALL
SELECT 'FY' || e.fy || 'Q' || fiscal_quarter_of(e.reported_date), 'ALL', region, country_code, lag_days
FROM e WHERE e.fy = fiscal_year_of(period_end())
