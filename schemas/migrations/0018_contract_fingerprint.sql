-- The contract's column comments are code: imet writes them into the
-- catalog when a release changes them. Comparing every comment with the
-- catalog on every open cost about as much as the open itself; the
-- fingerprint of the words last written says whether there is anything to
-- compare.
CREATE TABLE schema_contract (fingerprint VARCHAR NOT NULL);
COMMENT ON TABLE schema_contract IS 'the fingerprint (SHA-256) of the contract''s column comments last written into the catalog; imet compares the catalog with the contract again when it differs';
COMMENT ON COLUMN schema_contract.fingerprint IS 'SHA-256 of every dataset table''s column comments as the contract words them';
