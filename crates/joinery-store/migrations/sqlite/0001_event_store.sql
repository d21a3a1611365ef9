-- The event store. Messages are append-only: triggers refuse updates and deletes, so a
-- correction can only ever be a new message. A canonical message is one event on one case, so
-- the message is stored as that event; formats whose messages carry several events will add a
-- table of derived events beside it.

CREATE TABLE agencies (
    code        TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE api_keys (
    key_hash    BLOB PRIMARY KEY,
    agency      TEXT NOT NULL REFERENCES agencies(code),
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
) STRICT, WITHOUT ROWID;

-- Every accepted message, whole, with its provenance, as the event it reports. Tables refer to a
-- case by `case_no`, the cases table's integer key: small, and growing, so that index pages
-- fill in order.
CREATE TABLE messages (
    seq          INTEGER PRIMARY KEY,
    agency       TEXT NOT NULL,
    message_id   TEXT NOT NULL,
    system       TEXT NOT NULL,
    format       TEXT NOT NULL,
    kind         TEXT NOT NULL,
    case_no      INTEGER NOT NULL,
    occurred_at  TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    body_sha256  BLOB NOT NULL,
    body         TEXT NOT NULL,
    UNIQUE (agency, message_id)
) STRICT;
-- By case only: a case has few events, put in the order they happened when read; a wider
-- index entry per message would dirty more pages per commit.
CREATE INDEX messages_by_case ON messages (case_no);

-- The projection: each case's state, folded from its events. Derived, so it may be rebuilt.
CREATE TABLE cases (
    case_no      INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    stage        TEXT NOT NULL,
    state        TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) STRICT;

-- The references that name a case: URNs and ASNs.
CREATE TABLE case_refs (
    kind     TEXT NOT NULL,
    value    TEXT NOT NULL,
    case_no  INTEGER NOT NULL,
    PRIMARY KEY (kind, value)
) STRICT, WITHOUT ROWID;

-- Which agencies work on which cases ("team" in the sharing agreement).
CREATE TABLE case_agencies (
    agency   TEXT NOT NULL,
    case_no  INTEGER NOT NULL,
    PRIMARY KEY (agency, case_no)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER messages_append_only_update BEFORE UPDATE ON messages
BEGIN SELECT RAISE(ABORT, 'messages are append-only'); END;
CREATE TRIGGER messages_append_only_delete BEFORE DELETE ON messages
BEGIN SELECT RAISE(ABORT, 'messages are append-only'); END;
