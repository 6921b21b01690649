-- fail: %d career events are linked to a student the warehouse does not have
SELECT count(*) FROM career_events c
WHERE c.student_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM students s WHERE s.student_id = c.student_id)
