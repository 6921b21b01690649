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
-- Names are folded, and their skeletons and the parts the score compares
-- made, once per spelling, before the join, not once per candidate pair.
-- The rows that name the same person the same way (country, birth year and
-- spelling) have the same candidates, so each such identity is scored once
-- (a person's events usually repeat one spelling) and its candidates given
-- to each of its rows. Each row keeps its three best candidates (best,
-- below).
CREATE OR REPLACE TEMP TABLE link_cand AS
WITH waiting AS (
    SELECT {{.Key}} AS record_id, country_code, birth_year, family_name, given_names
    FROM {{.Table}}
    WHERE student_id IS NULL AND country_code IS NOT NULL{{if .Scoped}}
      AND {{.Key}} IN (SELECT record_id FROM link_scope){{end}}
),
-- Each identity once, with the rows that carry it.
identities AS MATERIALIZED (
    SELECT row_number() OVER () AS k, country_code, birth_year, family_name, given_names, records
    FROM (SELECT country_code, birth_year, family_name, given_names, list(record_id) AS records
          FROM waiting GROUP BY country_code, birth_year, family_name, given_names)
),
-- The students of the countries waiting: a candidate is of the row's
-- country, and folding every student's name cost most of a small file's
-- pass (a file of 14 flags: 87 of 97 ms, at 5,000 students).
students_here AS MATERIALIZED (
    SELECT student_id, country_code, birth_year, family_name, given_names
    FROM students
    WHERE country_code IN (SELECT country_code FROM identities)
),
-- Each spelling once: names repeat across rows, and folding them is the
-- dear part.
names AS MATERIALIZED (
    SELECT family_name, given_names, fam, giv, left(fam, 1) AS initial,
           name_skeleton(fam) AS fam_sk, name_skeleton(split_part(giv, ' ', 1)) AS giv_sk,
           replace(giv, ' ', '') AS giv_whole, split_part(giv, ' ', 1) AS giv_first,
           length(split_part(giv, ' ', 1)) = 1 AS giv_is_initial, left(giv, 1) AS giv_initial
    FROM (SELECT family_name, given_names,
                 replace(fold_name(family_name), ' ', '') AS fam, coalesce(fold_name(given_names), '') AS giv
          FROM (SELECT family_name, given_names FROM identities UNION SELECT family_name, given_names FROM students_here))
    WHERE fam IS NOT NULL
),
pending AS (
    SELECT w.k, w.country_code, w.birth_year, n.* EXCLUDE (family_name, given_names)
    FROM identities w JOIN names n ON n.family_name = w.family_name AND n.given_names IS NOT DISTINCT FROM w.given_names
),
people AS (
    SELECT s.student_id, row_number() OVER (ORDER BY s.student_id) AS sid_rank,
           s.country_code, s.birth_year, n.* EXCLUDE (family_name, given_names)
    FROM students_here s JOIN names n ON n.family_name = s.family_name AND n.given_names IS NOT DISTINCT FROM s.given_names
),
-- The blocks as three hash joins: same birth year; a waiting row without
-- one (any birth year); a student without one. A single join on country and
-- initial filtered by birth year afterwards compares every pair of a large
-- country's initial before keeping a few. Each carries both sides'
-- columns (joining the pairs' ids back to both sides cost a quarter of the
-- statement).
blocks AS (
    SELECT p.*, s.student_id, s.sid_rank, s.fam AS s_fam, s.giv AS s_giv, s.fam_sk AS s_fam_sk, s.giv_sk AS s_giv_sk,
           s.giv_whole AS s_giv_whole, s.giv_first AS s_giv_first, s.giv_is_initial AS s_giv_is_initial, s.giv_initial AS s_giv_initial
    FROM pending p JOIN people s
      ON s.country_code = p.country_code AND s.initial = p.initial AND s.birth_year = p.birth_year
    UNION ALL
    SELECT p.*, s.student_id, s.sid_rank, s.fam, s.giv, s.fam_sk, s.giv_sk, s.giv_whole, s.giv_first, s.giv_is_initial, s.giv_initial
    FROM (FROM pending WHERE birth_year IS NULL) p JOIN people s
      ON s.country_code = p.country_code AND s.initial = p.initial
    UNION ALL
    SELECT p.*, s.student_id, s.sid_rank, s.fam, s.giv, s.fam_sk, s.giv_sk, s.giv_whole, s.giv_first, s.giv_is_initial, s.giv_initial
    FROM (FROM pending WHERE birth_year IS NOT NULL) p JOIN (FROM people WHERE birth_year IS NULL) s
      ON s.country_code = p.country_code AND s.initial = p.initial
),
pairs AS (
    SELECT k, student_id, sid_rank,
           fam = s_fam AND giv = s_giv AS exact,
           jaro_winkler_similarity(fam, s_fam) AS fam_sim,
           jaro_winkler_similarity(giv_whole, s_giv_whole) AS whole_sim,
           jaro_winkler_similarity(giv_first, s_giv_first) AS first_sim,
           (giv_is_initial OR s_giv_is_initial) AND giv_initial = s_giv_initial AND giv <> '' AS initials,
           fam_sk = s_fam_sk AND giv_sk = s_giv_sk AS same_skeleton
    FROM blocks
),
scored AS (
SELECT k, student_id, sid_rank, exact,
       CASE WHEN exact THEN 1.0 ELSE greatest(
       0.5 * fam_sim + 0.5 * greatest(whole_sim, first_sim, CASE WHEN initials THEN 0.9 ELSE 0 END),
       CASE WHEN same_skeleton THEN 0.97 ELSE 0 END)
       END AS score
FROM pairs
),
-- Only each identity's three best candidates are kept (the highest scores,
-- then the lowest student_id): the decision reads the best two and the
-- review list the best three. Kept as they stream from the join, not after
-- every pair is stored: at a million people the pairs are hundreds of
-- millions.
best AS (
    SELECT k,
           max_by({'student_id': student_id, 'score': score, 'exact': exact}, {'score': score, 'sid': -sid_rank}, 3) AS top
    FROM scored
    GROUP BY k
)
SELECT r.record_id, b.c.student_id, b.c.score, b.c.exact
FROM (SELECT k, unnest(top) AS c FROM best) b
JOIN (SELECT k, unnest(records) AS record_id FROM identities) r ON r.k = b.k;
