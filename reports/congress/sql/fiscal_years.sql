-- The fiscal years for which one transform (D = $1, vintage = $2) has flow
-- metrics with data: periods FY<year> with at least one row that counted
-- someone or something. A congressional summary of another year would be
-- empty.
SELECT DISTINCT CAST(substr(period, 3) AS INTEGER) AS fy
FROM metric_values
WHERE as_of = $1::DATE
  AND vintage = $2
  AND regexp_full_match(period, 'FY[0-9]{4}')
  AND (n > 0 OR denominator > 0)
ORDER BY fy
