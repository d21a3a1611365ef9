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

-- Every accepted message, whole, with its provenance.
CREATE TABLE messages (
    seq          INTEGER PRIMARY KEY,
    agency       TEXT NOT NULL,
    message_id   TEXT NOT NULL,
    system       TEXT NOT NULL,
    format       TEXT NOT NULL,
    case_id      TEXT NOT NULL,
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
    case_id      TEXT NOT NULL,
    kind         TEXT NOT NULL,
    order_key    TEXT NOT NULL,
    event        TEXT
) STRICT;
CREATE INDEX events_by_case ON events (case_id, order_key);

-- The projection: each case's state, folded from its events. Derived, so it may be rebuilt.
-- A rowid table, not WITHOUT ROWID: states run to kilobytes, too large for index leaves.
CREATE TABLE cases (
    id           TEXT PRIMARY KEY,
    stage        TEXT NOT NULL,
    state        TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) STRICT;

-- The references that name a case: URNs and ASNs.
CREATE TABLE case_refs (
    kind     TEXT NOT NULL,
    value    TEXT NOT NULL,
    case_id  TEXT NOT NULL,
    PRIMARY KEY (kind, value)
) STRICT, WITHOUT ROWID;

-- Which agencies work on which cases ("team" in the sharing agreement).
CREATE TABLE case_agencies (
    agency   TEXT NOT NULL,
    case_id  TEXT NOT NULL,
    PRIMARY KEY (agency, case_id)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER messages_append_only_update BEFORE UPDATE ON messages
BEGIN SELECT RAISE(ABORT, 'messages are append-only'); END;
CREATE TRIGGER messages_append_only_delete BEFORE DELETE ON messages
BEGIN SELECT RAISE(ABORT, 'messages are append-only'); END;
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
