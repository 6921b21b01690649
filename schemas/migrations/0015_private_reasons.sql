-- Reasons written before imet named a personal column instead of quoting
-- its value (issue 17): the quarantine's reasons for the columns the
-- contract does not disclose (schemas.Dataset.Discloses when this was
-- written: family_name, given_names, birth_year, student_id, and every
-- column of hr_flags) lose the quoted value, and the rejections of files
-- whose first line was read as a header (perhaps a data row: a file sent
-- without one) lose the cells they listed. Later loads write reasons this
-- way already; the value column keeps what was sent.

UPDATE quarantine
SET reason = replace(replace(reason, ' "' || left(value, 60) || '"', ''), ' ' || value || ' ', ' ')
WHERE value IS NOT NULL AND value <> ''
  AND (dataset = 'hr_flags' OR column_name IN ('family_name', 'given_names', 'birth_year', 'student_id'));

UPDATE batches
SET message = regexp_replace(regexp_replace(regexp_replace(message,
        ' \(it has: [^)]*\)', ''),
        'the header is one column "[^"]*"', 'the header is one column'),
        'twice \("[^"]*" and "[^"]*"\)', 'twice')
WHERE status = 'rejected' AND message IS NOT NULL;
