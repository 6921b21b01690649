-- The review list is rebuilt for the dataset on every whole linking pass
-- (a scoped pass skips this step and keeps the rows of the rows it does
-- not decide).
DELETE FROM link_review WHERE dataset = '{{.Table}}';
