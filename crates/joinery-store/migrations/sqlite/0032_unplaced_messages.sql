-- Messages in an agency's own format that name no case Joinery could find (no usable URN or
-- ASN), kept whole with their problems until the agency's administrator places them on their
-- case. The same message sent again is the same row. Kept as received; a placement is a row of
-- its own, so neither table is ever changed.
CREATE TABLE unplaced (
    unplaced_no  INTEGER PRIMARY KEY,
    agency       TEXT NOT NULL,
    format       TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    body_sha256  BLOB NOT NULL,
    body         TEXT NOT NULL,
    -- The data-quality problems found, as JSON: what the agency's administrator resolves.
    problems     TEXT NOT NULL,
    UNIQUE (agency, body_sha256)
) STRICT;

CREATE INDEX unplaced_by_agency ON unplaced (agency, unplaced_no);

CREATE TABLE unplaced_placements (
    unplaced_no  INTEGER PRIMARY KEY REFERENCES unplaced (unplaced_no),
    case_id      TEXT NOT NULL,
    placed_by    TEXT NOT NULL,
    placed_at    TEXT NOT NULL
) STRICT;

CREATE TRIGGER unplaced_append_only_update BEFORE UPDATE ON unplaced
BEGIN SELECT RAISE(ABORT, 'unplaced messages are kept as received'); END;
CREATE TRIGGER unplaced_append_only_delete BEFORE DELETE ON unplaced
BEGIN SELECT RAISE(ABORT, 'unplaced messages are kept as received'); END;
CREATE TRIGGER unplaced_placements_append_only_update BEFORE UPDATE ON unplaced_placements
BEGIN SELECT RAISE(ABORT, 'placements are kept as made'); END;
CREATE TRIGGER unplaced_placements_append_only_delete BEFORE DELETE ON unplaced_placements
BEGIN SELECT RAISE(ABORT, 'placements are kept as made'); END;
