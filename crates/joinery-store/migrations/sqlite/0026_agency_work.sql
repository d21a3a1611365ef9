-- Work asked of each agency and still open, by the day it is due, for the agency's worklist:
-- kept by the projection with the case's state (filled for stores that had cases before it by
-- the fold, version 13). `work_claims` says who in the agency is handling a piece: one person
-- at a time, by its key; a claim goes when its work is done.
CREATE TABLE agency_work (
    owner      TEXT NOT NULL,
    due_on     TEXT NOT NULL,
    case_no    INTEGER NOT NULL,
    action_id  TEXT NOT NULL,
    kind       TEXT NOT NULL,
    PRIMARY KEY (owner, due_on, case_no, action_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE work_claims (
    case_no     INTEGER NOT NULL,
    action_id   TEXT NOT NULL,
    username    TEXT NOT NULL,
    claimed_at  TEXT NOT NULL,
    PRIMARY KEY (case_no, action_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX work_claims_by_person ON work_claims (username);
