-- fail: %d enrollment ids appear more than once
SELECT count(*) FROM (SELECT enrollment_id FROM enrollments GROUP BY ALL HAVING count(*) > 1)
