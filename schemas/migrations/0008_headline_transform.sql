-- The headline transform: the latest period end D transformed, with its
-- newest vintage (and, for that pair, its newest run, whose settings made
-- the current metric_values). "The current numbers" everywhere: the model
-- tables (people, outcomes, …) are always this transform's, the published
-- snapshot's metric_latest holds its metric_values, and exports default to
-- it. Not the most recent run: a quarterly report also transforms the
-- quarter before and the same quarter a year earlier, after D.
CREATE VIEW headline_transform AS
SELECT run_id, as_of, vintage, settings
FROM transform_runs
ORDER BY as_of DESC, vintage DESC, run_id DESC
LIMIT 1;

-- The headline numbers: the metric_values rows of the headline transform
-- only, one per metric, period and disaggregation. The snapshot publishes
-- it as a table. (DuckDB fixes a view's columns when it is created: a
-- migration that changes metric_values' columns recreates this view.)
CREATE VIEW metric_latest AS
SELECT * FROM metric_values
WHERE (as_of, vintage) = (SELECT (as_of, vintage) FROM headline_transform);
