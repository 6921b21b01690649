-- Career events linked to a student and dated on or before D, without the
-- identity columns they were linked by. A view model: a temporary view in
-- each transform, and in the warehouse a view of the headline's rows
-- (transform.model.keep). D is the macro period_end(), a constant, not a
-- column of params: the joins over the timeline then know its size
-- (transform.params.periodEnd).
CREATE OR REPLACE VIEW career_timeline AS
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
WHERE e.student_id IS NOT NULL AND e.event_date <= period_end();

-- The words the snapshot and docs carry for the columns this model makes
-- or means otherwise; the rest keep the words of the same column in the
-- models before it (transform.inheritComments).
COMMENT ON COLUMN career_timeline.event_id IS 'the career event''s identifier';
COMMENT ON COLUMN career_timeline.event_date IS 'the date of the career event';
COMMENT ON COLUMN career_timeline.event_type IS 'PROMOTION, ASSIGNMENT, DEPLOYMENT, SEPARATION, RETIREMENT, DEATH or VERIFIED';
COMMENT ON COLUMN career_timeline.rank_code IS 'NATO rank code';
COMMENT ON COLUMN career_timeline.rank_order IS 'position of the rank code in the comparison order (OR-1 = 1 … OF-10 = 24; 0 for CIV or none)';
COMMENT ON COLUMN career_timeline.position_level IS 'STRATEGIC, SENIOR, MID or JUNIOR';
COMMENT ON COLUMN career_timeline.functional_area IS 'the functional area of an assignment';
COMMENT ON COLUMN career_timeline.operation_type IS 'UN, COALITION, NATO, AU or NATIONAL (deployments)';
COMMENT ON COLUMN career_timeline.source IS 'who reported the event (SCO, MOD, OPEN_SOURCE, OTHER)';
COMMENT ON COLUMN career_timeline.reported_date IS 'when the event was reported';
COMMENT ON COLUMN career_timeline.link_method IS 'how the row was linked to a student: id, exact_name or fuzzy; empty while unlinked';
