-- Messages refused at the door: not stored, only why, for the sending agency's administrator.
-- The reasons name fields and what is wrong with them; the message itself is kept nowhere.
CREATE TABLE rejections (
    id           INTEGER PRIMARY KEY,
    agency       TEXT NOT NULL,
    format       TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    reasons      TEXT NOT NULL
) STRICT;
CREATE INDEX rejections_by_agency ON rejections (agency, id);
