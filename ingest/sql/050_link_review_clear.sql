-- The review list is rebuilt for the dataset on every linking pass.
DELETE FROM link_review WHERE dataset = '{{.Table}}';
