-- Messages in an agency's own format (SPI Results XML, ...): kept whole, once, beside the
-- canonical events they were translated into (`messages` rows whose id starts with the source
-- id), with what Joinery does not model yet and the data-quality problems found.
CREATE TABLE sources (
    source_no    INTEGER PRIMARY KEY,
    agency       TEXT NOT NULL,
    source_id    TEXT NOT NULL,
    format       TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    body_sha256  BLOB NOT NULL,
    body         TEXT NOT NULL,
    unmodelled   TEXT NOT NULL,
    UNIQUE (agency, source_id)
) STRICT;

CREATE TRIGGER sources_append_only_update BEFORE UPDATE ON sources
BEGIN SELECT RAISE(ABORT, 'source messages are append-only'); END;
CREATE TRIGGER sources_append_only_delete BEFORE DELETE ON sources
BEGIN SELECT RAISE(ABORT, 'source messages are append-only'); END;

-- Data-quality problems, for the sending agency's administrator to resolve.
CREATE TABLE exceptions (
    id           INTEGER PRIMARY KEY,
    source_no    INTEGER NOT NULL REFERENCES sources (source_no),
    agency       TEXT NOT NULL,
    code         TEXT NOT NULL,
    field        TEXT NOT NULL,
    value        TEXT NOT NULL,
    explanation  TEXT NOT NULL,
    raised_at    TEXT NOT NULL,
    resolved_at  TEXT
) STRICT;
CREATE INDEX exceptions_by_agency ON exceptions (agency, id);
