-- fold_name: the form in which names are compared when linking, and a
-- macro analysts can use too. Diacritics removed (and the letters that
-- strip_accents leaves alone spelled out), case folded, punctuation and
-- spacing normalised to single spaces.
CREATE MACRO fold_name(x) AS nullif(trim(regexp_replace(lower(strip_accents(
    replace(replace(replace(replace(replace(replace(
        translate(x, 'ŁłØøĐđıİÞþŠšŽž', 'LlOoDdiITtSsZz'),
        'ß', 'ss'), 'Æ', 'AE'), 'æ', 'ae'), 'Œ', 'OE'), 'œ', 'oe'), '''', ''))),
    '[^a-z0-9]+', ' ', 'g')), '');
