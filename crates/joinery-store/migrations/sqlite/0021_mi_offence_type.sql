-- Management information by offence type as well: each cell is kept by the type of its case's
-- principal offence (`indictable_only`, `either_way`, `summary_non_motoring`,
-- `summary_motoring`, `unclassified`; `-` for data-quality problems, which are about messages,
-- not cases). The cells are counted again by the refold (projection version 6), so they are
-- made afresh here.
--
-- The offences' types are Joinery's reading of the standing data as a charge came in, not the
-- sender's: kept beside the message as sent (`body` stays whole), as `[[sequence, type], ...]`,
-- so that a case folded again from its messages has them. Messages stored before have none.
ALTER TABLE messages ADD COLUMN offence_types TEXT;
DROP TABLE mi_tallies;
CREATE TABLE mi_tallies (
    measure       TEXT NOT NULL,
    month         TEXT NOT NULL,
    court         TEXT NOT NULL,
    force         TEXT NOT NULL,
    offence_type  TEXT NOT NULL,
    value         TEXT NOT NULL,
    detail        TEXT NOT NULL,
    cases         INTEGER NOT NULL,
    PRIMARY KEY (measure, month, court, force, offence_type, value, detail)
) STRICT, WITHOUT ROWID;
DROP TABLE mi_timeliness;
CREATE TABLE mi_timeliness (
    stretch       TEXT NOT NULL,
    month         TEXT NOT NULL,
    court         TEXT NOT NULL,
    force         TEXT NOT NULL,
    offence_type  TEXT NOT NULL,
    days          INTEGER NOT NULL,
    cases         INTEGER NOT NULL,
    PRIMARY KEY (stretch, month, court, force, offence_type, days)
) STRICT, WITHOUT ROWID;
DROP TABLE mi_open;
CREATE TABLE mi_open (
    measure       TEXT NOT NULL,
    court         TEXT NOT NULL,
    force         TEXT NOT NULL,
    offence_type  TEXT NOT NULL,
    value         TEXT NOT NULL,
    detail        TEXT NOT NULL,
    day           INTEGER NOT NULL,
    cases         INTEGER NOT NULL,
    PRIMARY KEY (measure, court, force, offence_type, value, detail, day)
) STRICT, WITHOUT ROWID;
