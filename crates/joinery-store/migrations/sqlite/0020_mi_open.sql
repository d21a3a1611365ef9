-- Management information of what is open now, kept by the projection in the append's
-- transaction: each open case's requested work not yet done (by the day it falls due), its
-- stage (by the day of its offence) and its stage with who holds the next step (by the day of
-- its latest event), at the court it is at now and with its police force. A day rather than a
-- number of days is kept, so the counts stay true as days pass; a report bands the days before
-- today as it reads them. A finished case holds nothing open: its cells go in the transaction
-- that finishes it. `day` is the Julian day number.
CREATE TABLE mi_open (
    measure  TEXT NOT NULL,
    court    TEXT NOT NULL,
    force    TEXT NOT NULL,
    value    TEXT NOT NULL,
    detail   TEXT NOT NULL,
    day      INTEGER NOT NULL,
    cases    INTEGER NOT NULL,
    PRIMARY KEY (measure, court, force, value, detail, day)
) STRICT, WITHOUT ROWID;
