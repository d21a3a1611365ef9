-- The event store. Messages and events are append-only: triggers refuse updates and deletes,
-- so a correction can only ever be a new message.

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

-- Every accepted message, whole, with its provenance. Tables refer to a case by `case_no`, the
-- cases table's integer key: small, and growing, so that index pages fill in order.
CREATE TABLE messages (
    seq          INTEGER PRIMARY KEY,
    agency       TEXT NOT NULL,
    message_id   TEXT NOT NULL,
    system       TEXT NOT NULL,
    format       TEXT NOT NULL,
    case_no      INTEGER NOT NULL,
    occurred_at  TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    body_sha256  BLOB NOT NULL,
    body         TEXT NOT NULL,
    UNIQUE (agency, message_id)
) STRICT;

-- The canonical events each message became, in the order they happened. `event` is NULL when
-- the event is the message itself (a canonical message), so its text is not stored twice.
CREATE TABLE events (
    seq          INTEGER PRIMARY KEY,
    message_seq  INTEGER NOT NULL REFERENCES messages(seq),
    case_no      INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    order_key    TEXT NOT NULL,
    event        TEXT
) STRICT;
-- By case only: a case has few events, sorted by `order_key` when read; a wide index entry
-- per event would dirty many more pages per commit.
CREATE INDEX events_by_case ON events (case_no);

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
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
