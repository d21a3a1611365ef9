-- A stretch's days are kept in its tally: `mi_tallies` gains `days` (the days a stretch or a
-- piece of requested work took; -1 for a measure without days) before the week, and
-- `mi_timeliness` goes. Each ended stretch was written twice, once counted and once by its
-- days; now once, and a measure's count is its cells added up over days (a round of
-- `joinery bench ingest` wrote 49,931 cells instead of 69,347). The cells are counted again
-- from the stored states (projection version 9), so they are made afresh here.
DROP TABLE mi_tallies;
DROP TABLE mi_timeliness;
CREATE TABLE mi_tallies (
    measure       TEXT NOT NULL,
    month         TEXT NOT NULL,
    court         TEXT NOT NULL,
    force         TEXT NOT NULL,
    offence_type  TEXT NOT NULL,
    value         TEXT NOT NULL,
    detail        TEXT NOT NULL,
    days          INTEGER NOT NULL,
    week          TEXT NOT NULL,
    cases         INTEGER NOT NULL,
    PRIMARY KEY (measure, month, court, force, offence_type, value, detail, days, week)
) STRICT, WITHOUT ROWID;
