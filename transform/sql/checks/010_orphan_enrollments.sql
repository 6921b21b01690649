-- fail: %d enrollments name a student the warehouse does not have
SELECT count(*) FROM enrollments e
WHERE NOT EXISTS (SELECT 1 FROM students s WHERE s.student_id = e.student_id)
