-- fail: the transform wrote no metric values although enrollments exist (%d)
SELECT CASE WHEN (SELECT count(*) FROM enrollments) > 0
    AND (SELECT count(*) FROM metric_values WHERE as_of = $1::DATE AND vintage = $2) = 0 THEN 1 ELSE 0 END
