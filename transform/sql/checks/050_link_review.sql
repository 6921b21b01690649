-- warn: %d records wait in link_review
SELECT count(*) FROM link_review
