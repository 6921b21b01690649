-- rank_order (migration 0005) as the code's position in the comparison
-- order, the way its Go twin schemas.RankOrder finds it: the same number
-- for every code (TestMacros). DuckDB plans each IN list of five or more
-- values as a join, so the three lists of the CASE were three hash joins
-- on every row that computed a rank order; the career timeline computes
-- one for each of its rows in every model that reads it (at a million
-- people 19.7M rows: 2.0 s for the CASE, 0.4 s for the position).
CREATE OR REPLACE MACRO rank_order(code) AS coalesce(list_position(
    ['OR-1', 'OR-2', 'OR-3', 'OR-4', 'OR-5', 'OR-6', 'OR-7', 'OR-8', 'OR-9',
     'WO-1', 'WO-2', 'WO-3', 'WO-4', 'WO-5',
     'OF-1', 'OF-2', 'OF-3', 'OF-4', 'OF-5', 'OF-6', 'OF-7', 'OF-8', 'OF-9', 'OF-10'], code), 0);
