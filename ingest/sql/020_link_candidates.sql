-- Candidate students for every row still waiting (of a scoped pass, those
-- in link_scope): same country, same birth
-- year where both sides have one, and the same first letter of the folded
-- family name (blocking keeps the comparison set small). The score averages
-- Jaro-Winkler similarity of family names (spaces removed, so Abdul Rahman
-- = Abdulrahman) and of given names (the better of the whole given names and
-- their first names, so a dropped second name costs nothing; an initial
-- counts as 0.9 when it matches). Family and first given names that share
-- their name_skeleton (a transliteration) score 0.97: within the margin of
-- an exact match, so a record that names one person exactly and another in
-- another spelling waits for review instead of picking the spelling.
-- Names are folded and their skeletons made once per spelling, before the
-- join, not once per candidate pair. Each row keeps its three best
-- candidates (best, below).
CREATE OR REPLACE TEMP TABLE link_cand AS
WITH waiting AS (
    SELECT {{.Key}} AS record_id, country_code, birth_year, family_name, given_names
    FROM {{.Table}}
    WHERE student_id IS NULL AND country_code IS NOT NULL{{if .Scoped}}
      AND {{.Key}} IN (SELECT record_id FROM link_scope){{end}}
),
-- Each spelling once: names repeat across rows, and folding them is the
-- dear part.
names AS MATERIALIZED (
    SELECT family_name, given_names, fam, giv, left(fam, 1) AS initial,
           name_skeleton(fam) AS fam_sk, name_skeleton(split_part(giv, ' ', 1)) AS giv_sk
    FROM (SELECT family_name, given_names,
                 replace(fold_name(family_name), ' ', '') AS fam, coalesce(fold_name(given_names), '') AS giv
          FROM (SELECT family_name, given_names FROM waiting UNION SELECT family_name, given_names FROM students))
    WHERE fam IS NOT NULL
),
pending AS (
    SELECT w.record_id, w.country_code, w.birth_year, n.fam, n.giv, n.initial, n.fam_sk, n.giv_sk
    FROM waiting w JOIN names n ON n.family_name = w.family_name AND n.given_names IS NOT DISTINCT FROM w.given_names
),
people AS (
    SELECT s.student_id, row_number() OVER (ORDER BY s.student_id) AS sid_rank,
           s.country_code, s.birth_year, n.fam, n.giv, n.initial, n.fam_sk, n.giv_sk
    FROM students s JOIN names n ON n.family_name = s.family_name AND n.given_names IS NOT DISTINCT FROM s.given_names
),
-- The blocks as three hash joins: same birth year; a waiting row without
-- one (any birth year); a student without one. A single join on country and
-- initial filtered by birth year afterwards compares every pair of a large
-- country's initial before keeping a few.
pair_ids AS (
    SELECT p.record_id, s.student_id
    FROM pending p JOIN people s
      ON s.country_code = p.country_code AND s.initial = p.initial AND s.birth_year = p.birth_year
    UNION ALL
    SELECT p.record_id, s.student_id
    FROM (FROM pending WHERE birth_year IS NULL) p JOIN people s
      ON s.country_code = p.country_code AND s.initial = p.initial
    UNION ALL
    SELECT p.record_id, s.student_id
    FROM (FROM pending WHERE birth_year IS NOT NULL) p JOIN (FROM people WHERE birth_year IS NULL) s
      ON s.country_code = p.country_code AND s.initial = p.initial
),
pairs AS (
    SELECT p.record_id, s.student_id, s.sid_rank, p.fam AS p_fam, s.fam AS s_fam, p.giv AS p_giv, s.giv AS s_giv,
           p.fam_sk = s.fam_sk AND p.giv_sk = s.giv_sk AS same_skeleton
    FROM pair_ids i
    JOIN pending p ON p.record_id = i.record_id
    JOIN people s ON s.student_id = i.student_id
),
scored AS (
SELECT record_id, student_id, sid_rank,
       p_fam = s_fam AND p_giv = s_giv AS exact,
       CASE WHEN p_fam = s_fam AND p_giv = s_giv THEN 1.0 ELSE greatest(
       0.5 * jaro_winkler_similarity(p_fam, s_fam)
     + 0.5 * greatest(
           jaro_winkler_similarity(replace(p_giv, ' ', ''), replace(s_giv, ' ', '')),
           jaro_winkler_similarity(split_part(p_giv, ' ', 1), split_part(s_giv, ' ', 1)),
           CASE WHEN (length(split_part(p_giv, ' ', 1)) = 1 OR length(split_part(s_giv, ' ', 1)) = 1)
                 AND left(p_giv, 1) = left(s_giv, 1) AND p_giv <> '' THEN 0.9 ELSE 0 END),
       CASE WHEN same_skeleton THEN 0.97 ELSE 0 END)
       END AS score
FROM pairs
),
-- Only each row's three best candidates are kept (the highest scores, then
-- the lowest student_id): the decision reads the best two and the review
-- list the best three. Kept as they stream from the join, not after every
-- pair is stored: at a million people the pairs are hundreds of millions.
best AS (
    SELECT record_id,
           max_by({'student_id': student_id, 'score': score, 'exact': exact}, {'score': score, 'sid': -sid_rank}, 3) AS top
    FROM scored
    GROUP BY record_id
)
SELECT record_id, c.student_id, c.score, c.exact
FROM (SELECT record_id, unnest(top) AS c FROM best);
