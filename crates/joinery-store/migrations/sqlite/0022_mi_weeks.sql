-- Management information by ISO week as well as by month: each cell of what happened is kept
-- by the piece of its week that falls in its month (`week`, e.g. `2026-W40`; a week that spans
-- two months is two pieces), so a month adds up its pieces and a week its one or two. The
-- week comes last in each key: a report of a month or a quarter reads the same ranges as
-- before, and a week's reads its months' and keeps its own pieces. The cells are counted
-- again from the stored states (projection version 8), so they are made afresh here.
DROP TABLE mi_tallies;
CREATE TABLE mi_tallies (
    measure       TEXT NOT NULL,
    month         TEXT NOT NULL,
    court         TEXT NOT NULL,
    force         TEXT NOT NULL,
    offence_type  TEXT NOT NULL,
    value         TEXT NOT NULL,
    detail        TEXT NOT NULL,
    week          TEXT NOT NULL,
    cases         INTEGER NOT NULL,
    PRIMARY KEY (measure, month, court, force, offence_type, value, detail, week)
) STRICT, WITHOUT ROWID;
DROP TABLE mi_timeliness;
CREATE TABLE mi_timeliness (
    stretch       TEXT NOT NULL,
    month         TEXT NOT NULL,
    court         TEXT NOT NULL,
    force         TEXT NOT NULL,
    offence_type  TEXT NOT NULL,
    days          INTEGER NOT NULL,
    week          TEXT NOT NULL,
    cases         INTEGER NOT NULL,
    PRIMARY KEY (stretch, month, court, force, offence_type, days, week)
) STRICT, WITHOUT ROWID;
