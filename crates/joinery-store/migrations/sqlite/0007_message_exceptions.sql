-- Data-quality problems in canonical messages (codes the standing data does not know), by the
-- message they were found in, beside those of source messages.
CREATE TABLE message_exceptions (
    id           INTEGER PRIMARY KEY,
    agency       TEXT NOT NULL,
    message_id   TEXT NOT NULL,
    code         TEXT NOT NULL,
    field        TEXT NOT NULL,
    value        TEXT NOT NULL,
    explanation  TEXT NOT NULL,
    raised_at    TEXT NOT NULL,
    resolved_at  TEXT
) STRICT;
CREATE INDEX message_exceptions_by_agency ON message_exceptions (agency, id);
