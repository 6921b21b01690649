-- name_skeleton: a rough sound key for transliterations of one name
-- (Mohammed, Muhammad, Mohamed -> mhmd; Youssef, Yusuf -> ysf; Aleksandr,
-- Alexander -> alksndr): the first letter, then the consonants without h, w,
-- y, with x read as ks and doubled letters once. Takes a folded name.
CREATE MACRO name_skeleton_chars(s) AS
    list_filter(string_split(s, ''), (c, i) -> i = 1 OR c <> string_split(s, '')[i - 1]);
CREATE MACRO name_skeleton(x) AS
    CASE WHEN x IS NOT NULL AND x <> '' THEN
        array_to_string(name_skeleton_chars(
            left(replace(x, ' ', ''), 1) ||
            regexp_replace(replace(substr(replace(x, ' ', ''), 2), 'x', 'ks'), '[aeiouyhw]', '', 'g')), '')
    END;
