-- The best candidate links when it clears the threshold and beats the
-- runner-up by the margin; otherwise the row waits (ambiguous when two or
-- more clear the threshold together, unmatched when none does). Best means
-- the highest score, then the lowest student_id: the two best of each row
-- come from one grouped top-2 (max_by with n), not a window over every
-- candidate pair.
CREATE OR REPLACE TEMP TABLE link_decide AS
WITH ranks AS (
    SELECT student_id, row_number() OVER (ORDER BY student_id) AS sid_rank
    FROM (SELECT DISTINCT student_id FROM link_cand)
),
top2 AS (
    SELECT c.record_id,
           max_by({'student_id': c.student_id, 'score': c.score, 'exact': c.exact},
                  {'score': c.score, 'sid': -r.sid_rank}, 2) AS best
    FROM link_cand c JOIN ranks r ON r.student_id = c.student_id
    GROUP BY c.record_id
)
SELECT record_id, best[1].student_id AS student_id, best[1].score AS score, best[1].exact AS exact,
       best[2].score AS runner_up,
       CASE WHEN best[1].score >= $threshold AND (best[2].score IS NULL OR best[1].score - best[2].score >= $margin) THEN 'link'
            WHEN best[1].score >= $threshold THEN 'ambiguous'
            ELSE 'unmatched' END AS decision
FROM top2;
