-- Who at the court is resulting each hearing that has taken place (entering its results in the
-- court's own system), so that two legal advisers do not result the same hearing. One person a
-- hearing; the result itself arrives as the court's message.
CREATE TABLE hearing_resulting (
    case_no     INTEGER NOT NULL,
    hearing_id  TEXT NOT NULL,
    username    TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    PRIMARY KEY (case_no, hearing_id)
) STRICT, WITHOUT ROWID;
