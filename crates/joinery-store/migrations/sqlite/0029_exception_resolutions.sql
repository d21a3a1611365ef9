-- How each data-quality problem was resolved: by whom, when and with what note, for the agency's
-- history of its problems. The problem's code and field are kept with it (never its value).
-- Kept as given.
CREATE TABLE exception_resolutions (
    agency       TEXT NOT NULL,
    resolved_at  TEXT NOT NULL,
    exception    TEXT NOT NULL,
    code         TEXT NOT NULL,
    field        TEXT NOT NULL,
    resolved_by  TEXT NOT NULL,
    note         TEXT NOT NULL,
    PRIMARY KEY (agency, resolved_at, exception)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER exception_resolutions_append_only_update BEFORE UPDATE ON exception_resolutions
BEGIN SELECT RAISE(ABORT, 'resolutions are kept as given'); END;
CREATE TRIGGER exception_resolutions_append_only_delete BEFORE DELETE ON exception_resolutions
BEGIN SELECT RAISE(ABORT, 'resolutions are kept as given'); END;
