-- Career events linked to a student and dated on or before D, without the
-- identity columns they were linked by.
CREATE OR REPLACE TABLE career_timeline AS
SELECT
    e.student_id,
    e.event_id,
    e.event_date,
    e.event_type,
    e.rank_code,
    rank_order(e.rank_code) AS rank_order,
    e.position_level,
    e.functional_area,
    e.operation_type,
    e.source,
    e.reported_date,
    e.link_method
FROM v_career_events e
CROSS JOIN params p
WHERE e.student_id IS NOT NULL AND e.event_date <= p.d
