-- The caseload read model, rebuilt for a national year.
--
-- "Most overdue first" is the work that has waited longest: each row keeps the day its class's
-- earliest open action fell due (`due_from`), so that the cases with overdue work come in that
-- order, and are counted, by one index, however many there are.
--
-- Hearings and actions are kept in the order a case's are read (class, case, time), with no
-- rowid and no index by case: the class's rows of a case are found through `caseload_by_case`,
-- since every class with hearings or actions of a case has a row of it. Each tree fewer is
-- one less written for every case a message touches. Actions due on one day are one row with
-- their count.
--
-- The rows are derived: emptying them and the digest makes the store decide every case again.
DROP TABLE caseload;
DROP TABLE caseload_hearings;
DROP TABLE caseload_actions;

CREATE TABLE caseload (
    class_no  INTEGER NOT NULL,
    case_no   INTEGER NOT NULL,
    stage     TEXT NOT NULL,
    latest    INTEGER NOT NULL,
    due_from  TEXT,
    PRIMARY KEY (class_no, case_no)
) STRICT, WITHOUT ROWID;
CREATE INDEX caseload_by_latest ON caseload (class_no, latest);
CREATE INDEX caseload_by_stage ON caseload (class_no, stage, latest);
CREATE INDEX caseload_by_case ON caseload (case_no);
CREATE INDEX caseload_by_due ON caseload (class_no, due_from, latest DESC)
    WHERE due_from IS NOT NULL;

CREATE TABLE caseload_hearings (
    class_no   INTEGER NOT NULL,
    case_no    INTEGER NOT NULL,
    starts_at  TEXT NOT NULL,
    PRIMARY KEY (class_no, case_no, starts_at)
) STRICT, WITHOUT ROWID;
CREATE INDEX caseload_hearings_by_time ON caseload_hearings (class_no, starts_at, case_no);

CREATE TABLE caseload_actions (
    class_no  INTEGER NOT NULL,
    case_no   INTEGER NOT NULL,
    due_on    TEXT NOT NULL,
    actions   INTEGER NOT NULL,
    PRIMARY KEY (class_no, case_no, due_on)
) STRICT, WITHOUT ROWID;

UPDATE caseload_digest SET digest = '';
