-- Management information's timeliness, kept by the projection in the append's transaction:
-- how many cases took each number of days over each stretch of the journey (`measures.rs`), by
-- the month the stretch ended, the court that first listed the case and the police force on it,
-- with cells for every court (`*`) by force and for the whole country (`*`, `*`), so that a
-- report adds up a few cells' day counts and never reads the cases. A case's stretches move
-- only when a milestone does; the cells they left lose them in the same transaction.
CREATE TABLE mi_timeliness (
    stretch  TEXT NOT NULL,
    month    TEXT NOT NULL,
    court    TEXT NOT NULL,
    force    TEXT NOT NULL,
    days     INTEGER NOT NULL,
    cases    INTEGER NOT NULL,
    PRIMARY KEY (stretch, month, court, force, days)
) STRICT, WITHOUT ROWID;
