-- Each cell is kept by the CPS area and the probation service on its case as well (after the
-- police force): a CPS area's or a probation service's managers see where their cases wait,
-- and any report is narrowed by either. A data-quality problem a CPS area or probation service
-- sent counts at it. The cells are counted again from the stored states (projection version
-- 15), so they are made afresh here.
DROP TABLE mi_tallies;
DROP TABLE mi_open;
CREATE TABLE mi_tallies (
    measure       TEXT NOT NULL,
    month         TEXT NOT NULL,
    court         TEXT NOT NULL,
    force         TEXT NOT NULL,
    prosecutor    TEXT NOT NULL,
    probation     TEXT NOT NULL,
    offence_type  TEXT NOT NULL,
    value         TEXT NOT NULL,
    detail        TEXT NOT NULL,
    days          INTEGER NOT NULL,
    week          TEXT NOT NULL,
    cases         INTEGER NOT NULL,
    PRIMARY KEY (measure, month, court, force, prosecutor, probation, offence_type, value,
                 detail, days, week)
) STRICT, WITHOUT ROWID;
CREATE TABLE mi_open (
    measure       TEXT NOT NULL,
    court         TEXT NOT NULL,
    force         TEXT NOT NULL,
    prosecutor    TEXT NOT NULL,
    probation     TEXT NOT NULL,
    offence_type  TEXT NOT NULL,
    value         TEXT NOT NULL,
    detail        TEXT NOT NULL,
    day           INTEGER NOT NULL,
    cases         INTEGER NOT NULL,
    PRIMARY KEY (measure, court, force, prosecutor, probation, offence_type, value, detail, day)
) STRICT, WITHOUT ROWID;
