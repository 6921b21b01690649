-- Name and region of every country: a countries file replaces the built-in
-- row of a country, so the latest batch wins.
SELECT country_code,
       arg_max(coalesce(country_name, ''), coalesce(_batch_id, -1)),
       arg_max(coalesce(region, ''), coalesce(_batch_id, -1))
FROM countries
WHERE country_code IS NOT NULL
GROUP BY country_code
