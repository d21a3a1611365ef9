-- Management information's counts, kept by the projection in the append's transaction: how many
-- of each thing a case counts (`joinery_domain::measures::tallies`: ended stretches, trials by
-- how they went and why, adjournments by reason and side responsible) fell in each month, at each
-- court and with each police force. Only the court-by-force cells are kept: a report reads the
-- cells of the quarters it shows and protects their grid whole (`disclosure.rs`), so a total is
-- always added up here, never kept apart from the cells it could give away.
CREATE TABLE mi_tallies (
    measure  TEXT NOT NULL,
    month    TEXT NOT NULL,
    court    TEXT NOT NULL,
    force    TEXT NOT NULL,
    value    TEXT NOT NULL,
    detail   TEXT NOT NULL,
    cases    INTEGER NOT NULL,
    PRIMARY KEY (measure, month, court, force, value, detail)
) STRICT, WITHOUT ROWID;
