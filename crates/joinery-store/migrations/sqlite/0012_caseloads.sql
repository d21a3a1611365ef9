-- The caseload read model: for each case, what each class of reader may see of it as far as a
-- caseload needs (stage, latest item, hearings to come, open work), decided by the sharing
-- agreement and kept by the projection in the transaction that changes the case. A class is an
-- agency and a role (or one judge); only classes that may see something of a case have a row.
-- `caseload_digest` is the version of the agreement the rows were decided under: when another
-- is loaded, or cases were written with no one deciding rows, every case is decided again.
CREATE TABLE caseload_digest (
    digest  TEXT NOT NULL
) STRICT;
INSERT INTO caseload_digest (digest) VALUES ('');

CREATE TABLE caseload_classes (
    class_no  INTEGER PRIMARY KEY,
    key       TEXT NOT NULL UNIQUE
) STRICT;

CREATE TABLE caseload (
    class_no  INTEGER NOT NULL,
    case_no   INTEGER NOT NULL,
    stage     TEXT NOT NULL,
    latest    INTEGER NOT NULL,
    PRIMARY KEY (class_no, case_no)
) STRICT, WITHOUT ROWID;
CREATE INDEX caseload_by_latest ON caseload (class_no, latest);
CREATE INDEX caseload_by_stage ON caseload (class_no, stage, latest);
CREATE INDEX caseload_by_case ON caseload (case_no);

CREATE TABLE caseload_hearings (
    class_no   INTEGER NOT NULL,
    case_no    INTEGER NOT NULL,
    starts_at  TEXT NOT NULL
) STRICT;
CREATE INDEX caseload_hearings_by_class ON caseload_hearings (class_no, case_no, starts_at);
CREATE INDEX caseload_hearings_by_time ON caseload_hearings (class_no, starts_at, case_no);
CREATE INDEX caseload_hearings_by_case ON caseload_hearings (case_no);

CREATE TABLE caseload_actions (
    class_no  INTEGER NOT NULL,
    case_no   INTEGER NOT NULL,
    due_on    TEXT NOT NULL
) STRICT;
CREATE INDEX caseload_actions_by_class ON caseload_actions (class_no, case_no, due_on);
CREATE INDEX caseload_actions_by_due ON caseload_actions (class_no, due_on, case_no);
CREATE INDEX caseload_actions_by_case ON caseload_actions (case_no);
