-- How many cases each class's caseload holds, by stage and by the day their earliest open work
-- fell due, kept by the projection as it writes the rows they count. A caseload page says how
-- many cases pass its filters; counting a national force's 200,000 rows for each page costs
-- what the store holds, where adding these up costs a few rows (stages) or a few hundred
-- (days on which work fell due). A day's count that reaches nought is removed.
CREATE TABLE caseload_stage_counts (
    class_no  INTEGER NOT NULL,
    stage     TEXT NOT NULL,
    cases     INTEGER NOT NULL,
    PRIMARY KEY (class_no, stage)
) STRICT, WITHOUT ROWID;

CREATE TABLE caseload_due_counts (
    class_no  INTEGER NOT NULL,
    due_on    TEXT NOT NULL,
    cases     INTEGER NOT NULL,
    PRIMARY KEY (class_no, due_on)
) STRICT, WITHOUT ROWID;

INSERT INTO caseload_stage_counts (class_no, stage, cases)
    SELECT class_no, stage, COUNT(*) FROM caseload GROUP BY class_no, stage;
INSERT INTO caseload_due_counts (class_no, due_on, cases)
    SELECT class_no, due_from, COUNT(*) FROM caseload WHERE due_from IS NOT NULL
    GROUP BY class_no, due_from;
