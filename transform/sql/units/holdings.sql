-- Holdings of senior posts in office on D (post_holders as of the vintage:
-- start_date on or before D, end_date empty or after D), with what
-- LEAD_PENETRATION counts. A graduate is a PARTICIPANT of model 040_people
-- (a COMPLETED IMET enrollment ending on or before D) whose index date,
-- the graduation, is before the holding's start_date: training after taking
-- up the post does not count. A holder linked to a comparison peer is no
-- graduate, whatever the peer's dates; a holding not linked counts in the
-- population and not as a graduate's: awaiting_link when link_review holds
-- candidate students for it (ambiguous: it may be a graduate's, once
-- reviewed), unmatched when no student resembles its holder (the holder is
-- in no training record, so no graduate, unless a reviewer links them by
-- hand). link_review is the current review list: a rerun of an earlier
-- vintage after reviews may count a resolved holding as unmatched rather
-- than awaiting; n and the numerator do not change.
SELECT 'ALL' AS period, h.country_code, c.region, h.post_level, h.post_title, h.holding_id,
       h.student_id, h.link_method, h.start_date, h.end_date,
       h.student_id IS NULL AND coalesce(r.status = 'ambiguous', false) AS awaiting_link,
       h.student_id IS NULL AND NOT coalesce(r.status = 'ambiguous', false) AS unmatched,
       coalesce(s.cohort = 'COMPARISON', false) AS comparison_peer,
       coalesce(m.cohort = 'PARTICIPANT' AND m.index_date < h.start_date, false) AS graduate
FROM v_post_holders h
LEFT JOIN v_countries c ON c.country_code = h.country_code
LEFT JOIN v_students s ON s.student_id = h.student_id
LEFT JOIN people m ON m.student_id = h.student_id
LEFT JOIN link_review r ON r.dataset = 'post_holders' AND r.record_id = h.holding_id
WHERE h.start_date <= period_end() AND (h.end_date IS NULL OR h.end_date > period_end())
