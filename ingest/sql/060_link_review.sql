-- Every row still without a student waits here with its best candidates
-- (a scoped pass adds the rows it decided; the rest keep theirs).
INSERT INTO link_review
SELECT '{{.Table}}', t.{{.Key}}, t._batch_id, $batch,
       CASE WHEN d.decision = 'ambiguous' THEN 'ambiguous' ELSE 'unmatched' END,
       CASE
         WHEN d.decision = 'ambiguous' THEN 'several students match about equally well (best ' || round(d.score, 3)
              || ', runner-up ' || round(d.runner_up, 3) || '): add the student_id to the row'
         WHEN t.source_student_id IS NOT NULL AND d.record_id IS NULL THEN 'student_id "' || t.source_student_id
              || '" is not in students and no student has a similar name: load the student, or correct the id'
         WHEN d.record_id IS NULL THEN 'no student of ' || coalesce(t.country_code, '?')
              || ' has a similar name' || CASE WHEN t.birth_year IS NOT NULL THEN ' and birth year ' || t.birth_year ELSE '' END
              || ': load the student, or add the student_id to the row'
         ELSE 'the closest student scores ' || round(d.score, 3) || ', below the threshold ' || $threshold
              || ': check the candidates and add the student_id to the row'
       END,
       (SELECT to_json(list({'student_id': c.student_id, 'score': round(c.score, 4)} ORDER BY c.score DESC, c.student_id)[1:3])::VARCHAR
          FROM link_cand c WHERE c.record_id = t.{{.Key}})
FROM {{.Table}} t LEFT JOIN link_decide d ON d.record_id = t.{{.Key}}
WHERE t.student_id IS NULL{{if .Scoped}} AND t.{{.Key}} IN (SELECT record_id FROM link_scope){{end}};
