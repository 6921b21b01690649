-- What the warehouse holds: rows per dataset (and how many students are
-- comparison peers), what quarantine and link review hold.
SELECT 'students' AS "table", count(*) AS "rows", count(*) FILTER (WHERE cohort = 'COMPARISON') AS "of which comparison peers" FROM students
UNION ALL SELECT 'enrollments', count(*), NULL FROM enrollments
UNION ALL SELECT 'courses', count(*), NULL FROM courses
UNION ALL SELECT 'career_events', count(*), NULL FROM career_events
UNION ALL SELECT 'hr_flags', count(*), NULL FROM hr_flags
UNION ALL SELECT 'allocations', count(*), NULL FROM allocations
UNION ALL SELECT 'fmtr_activities', count(*), NULL FROM fmtr_activities
UNION ALL SELECT 'quarantine', count(*), NULL FROM quarantine
UNION ALL SELECT 'link_review', count(*), NULL FROM link_review
