-- Webhooks: an agency's endpoint that Joinery POSTs the changes it may see to. The messages
-- table is the outbox: each webhook keeps the sequence number up to which its changes were
-- delivered, advanced only after its endpoint answered 2xx, so a crash loses nothing (the
-- changes after the cursor are sent again) and what is sent is decided by the sharing policy at
-- the time of sending.
CREATE TABLE webhooks (
    id               INTEGER PRIMARY KEY,
    agency           TEXT NOT NULL REFERENCES agencies (code),
    url              TEXT NOT NULL,
    secret           TEXT NOT NULL,
    delivered_to     INTEGER NOT NULL DEFAULT 0,
    failures         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT,
    created_at       TEXT NOT NULL
) STRICT;

-- Every attempt, for the agency's administrator to see.
CREATE TABLE webhook_deliveries (
    id            INTEGER PRIMARY KEY,
    webhook_id    INTEGER NOT NULL REFERENCES webhooks (id),
    attempted_at  TEXT NOT NULL,
    changes       INTEGER NOT NULL,
    first_seq     INTEGER,
    last_seq      INTEGER,
    status        INTEGER,
    error         TEXT
) STRICT;
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, id);
