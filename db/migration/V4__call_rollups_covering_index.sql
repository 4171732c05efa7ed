-- The analytics read a range of an account's rollup days without an assistant filter (a year
-- is some 50,000 rows for the largest account of the reference data set): from this index
-- alone, without visiting the table.
CREATE INDEX call_rollups_account_day_idx ON call_rollups (account_id, day)
    INCLUDE (assistant_id, phone_bucket, calls, minutes);
