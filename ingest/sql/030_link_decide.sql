-- The best candidate links when it clears the threshold and beats the
-- runner-up by the margin; otherwise the row waits (ambiguous when two or
-- more clear the threshold together, unmatched when none does).
CREATE OR REPLACE TEMP TABLE link_decide AS
WITH ranked AS (
    SELECT *, row_number() OVER (PARTITION BY record_id ORDER BY score DESC, student_id) AS rk
    FROM link_cand
)
SELECT b.record_id, b.student_id, b.score, b.exact, r.score AS runner_up,
       CASE WHEN b.score >= $threshold AND (r.score IS NULL OR b.score - r.score >= $margin) THEN 'link'
            WHEN b.score >= $threshold THEN 'ambiguous'
            ELSE 'unmatched' END AS decision
FROM ranked b LEFT JOIN ranked r ON r.record_id = b.record_id AND r.rk = 2
WHERE b.rk = 1;
