UPDATE {{.Table}} SET student_id = d.student_id,
       link_method = CASE WHEN d.exact THEN 'exact_name' ELSE 'fuzzy' END,
       link_score = d.score,
       _link_batch_id = $batch
FROM link_decide d
WHERE {{.Table}}.{{.Key}} = d.record_id AND {{.Table}}.student_id IS NULL AND d.decision = 'link';
