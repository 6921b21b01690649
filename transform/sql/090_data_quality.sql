-- The figures that say how far the metrics can be trusted, for the report's
-- data-quality section: how career events, flags and post holdings were
-- linked, what sits
-- in quarantine, and how fresh each source is. Tracking coverage by country
-- is the metric TRACK_24M. Kept per (as_of, vintage), like metric_values.
DELETE FROM data_quality WHERE (as_of, vintage) = (SELECT (d, vintage) FROM params);
INSERT INTO data_quality
WITH p AS (SELECT * FROM params),
linked AS (
    SELECT 'linking' AS topic, dataset, coalesce(link_method, 'unlinked') AS key, count(*) AS rows
    FROM (SELECT 'career_events' AS dataset, link_method FROM v_career_events
          UNION ALL SELECT 'hr_flags', link_method FROM v_hr_flags
          UNION ALL SELECT 'post_holders', link_method FROM v_post_holders)
    GROUP BY ALL
),
quarantined AS (
    SELECT 'quarantine' AS topic, q.dataset, q.rule AS key, count(*) AS rows
    FROM quarantine q CROSS JOIN p
    WHERE q.batch_id <= p.vintage AND (q.resolved_by IS NULL OR q.resolved_by > p.vintage)
    GROUP BY ALL
),
loads AS (
    SELECT dataset, max(finished_at) AS latest_load, count(*) AS files
    FROM batches CROSS JOIN p
    WHERE status = 'loaded' AND batch_id <= p.vintage AND batch_id > 0
    GROUP BY dataset
),
latest AS (
    SELECT 'enrollments' AS dataset, max(start_date) AS latest_date FROM enrollment_facts
    UNION ALL SELECT 'career_events', max(event_date) FROM career_timeline
    UNION ALL SELECT 'hr_flags', max(flag_date) FROM v_hr_flags, p WHERE flag_date <= p.d
    UNION ALL SELECT 'post_holders', max(start_date) FROM v_post_holders, p WHERE start_date <= p.d
)
SELECT topic, dataset, key, rows,
       rows / sum(rows) OVER (PARTITION BY topic, dataset) AS share,
       NULL::DATE AS latest_date, NULL::TIMESTAMP AS latest_load, p.d, p.vintage
FROM (SELECT * FROM linked UNION ALL SELECT * FROM quarantined), p
UNION ALL
SELECT 'freshness', coalesce(l.dataset, t.dataset), 'latest', l.files, NULL, t.latest_date, l.latest_load, p.d, p.vintage
FROM loads l FULL JOIN latest t ON t.dataset = l.dataset, p
