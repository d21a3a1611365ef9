-- How many cases each class's caseload holds, by stage and by the day their earliest open work
-- fell due, kept by the projection as it writes the rows they count. As SQLite's migration 0034.
CREATE TABLE caseload_stage_counts (
    class_no  BIGINT NOT NULL,
    stage     TEXT COLLATE "C" NOT NULL,
    cases     BIGINT NOT NULL,
    PRIMARY KEY (class_no, stage)
);

CREATE TABLE caseload_due_counts (
    class_no  BIGINT NOT NULL,
    due_on    TEXT COLLATE "C" NOT NULL,
    cases     BIGINT NOT NULL,
    PRIMARY KEY (class_no, due_on)
);

INSERT INTO caseload_stage_counts (class_no, stage, cases)
    SELECT class_no, stage, COUNT(*) FROM caseload GROUP BY class_no, stage;
INSERT INTO caseload_due_counts (class_no, due_on, cases)
    SELECT class_no, due_from, COUNT(*) FROM caseload WHERE due_from IS NOT NULL
    GROUP BY class_no, due_from;
