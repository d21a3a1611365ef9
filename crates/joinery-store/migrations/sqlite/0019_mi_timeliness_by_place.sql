-- The day counts kept by place before month: a report asks for one court, force or the whole
-- country over a run of months, so the cells it adds up lie together (with the month first, a
-- court's months were spread among every other court's).
CREATE TABLE mi_timeliness_by_place (
    stretch  TEXT NOT NULL,
    court    TEXT NOT NULL,
    force    TEXT NOT NULL,
    month    TEXT NOT NULL,
    days     INTEGER NOT NULL,
    cases    INTEGER NOT NULL,
    PRIMARY KEY (stretch, court, force, month, days)
) STRICT, WITHOUT ROWID;
INSERT INTO mi_timeliness_by_place (stretch, court, force, month, days, cases)
    SELECT stretch, court, force, month, days, cases FROM mi_timeliness;
DROP TABLE mi_timeliness;
ALTER TABLE mi_timeliness_by_place RENAME TO mi_timeliness;
