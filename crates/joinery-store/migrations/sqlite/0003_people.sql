-- People and their sessions, and break-glass grants. Passwords are kept as Argon2id hashes in
-- PHC string form; session tokens as SHA-256 hashes, like API keys.
CREATE TABLE users (
    username         TEXT PRIMARY KEY,
    agency           TEXT NOT NULL REFERENCES agencies (code),
    role             TEXT NOT NULL,
    password_hash    TEXT NOT NULL,
    must_change      INTEGER NOT NULL DEFAULT 0,
    failed_sign_ins  INTEGER NOT NULL DEFAULT 0,
    locked_until     TEXT,
    created_at       TEXT NOT NULL
) STRICT;

CREATE TABLE sessions (
    token_hash    BLOB PRIMARY KEY,
    username      TEXT NOT NULL REFERENCES users (username),
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    ended_at      TEXT
) STRICT;

-- A grant of time-limited access to one category of one case, with the reason given.
CREATE TABLE break_glass (
    id          INTEGER PRIMARY KEY,
    username    TEXT NOT NULL REFERENCES users (username),
    case_no     INTEGER NOT NULL REFERENCES cases (case_no),
    category    TEXT NOT NULL,
    reason      TEXT NOT NULL,
    granted_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
) STRICT;
CREATE INDEX break_glass_by_user_case ON break_glass (username, case_no);

CREATE TRIGGER break_glass_append_only_update BEFORE UPDATE ON break_glass
BEGIN SELECT RAISE(ABORT, 'break-glass grants are kept as given'); END;
CREATE TRIGGER break_glass_append_only_delete BEFORE DELETE ON break_glass
BEGIN SELECT RAISE(ABORT, 'break-glass grants are kept as given'); END;

-- Who has seen a case: disclosures are found by their subject.
CREATE INDEX audit_by_subject ON audit_log (subject) WHERE subject IS NOT NULL;
