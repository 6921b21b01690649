-- A source student_id that exists in students links directly.
UPDATE {{.Table}} SET student_id = source_student_id, link_method = 'id', link_score = 1, _link_batch_id = $batch
WHERE student_id IS NULL{{if .Scoped}} AND {{.Key}} IN (SELECT record_id FROM link_scope){{end}}
  AND source_student_id IN (SELECT student_id FROM students);
