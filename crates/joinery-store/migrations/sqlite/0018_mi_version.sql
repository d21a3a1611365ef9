-- How many times each measure's cells of each month have moved: raised in every transaction
-- that moves one, so that a reader may keep what it built from a quarter's cells (a protected
-- grid) for as long as they stand. Never reset: a refold raises every month's.
CREATE TABLE mi_versions (
    measure  TEXT NOT NULL,
    month    TEXT NOT NULL,
    version  INTEGER NOT NULL,
    PRIMARY KEY (measure, month)
) STRICT, WITHOUT ROWID;
