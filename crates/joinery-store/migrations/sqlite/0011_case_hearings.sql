-- Each case's hearings as the projection has them, for the day's lists: a court list reads the
-- hearings of one day for the cases one agency works on, or before one judge, by index, never
-- every case's state. Kept by the projection in the transaction that changes the case.
CREATE TABLE case_hearings (
    case_no     INTEGER NOT NULL,
    hearing_id  TEXT NOT NULL,
    day         TEXT NOT NULL,
    starts_at   TEXT NOT NULL,
    judge       TEXT
) STRICT;
CREATE INDEX case_hearings_by_case ON case_hearings (case_no);
CREATE INDEX case_hearings_by_day ON case_hearings (day, case_no);
CREATE INDEX case_hearings_by_judge ON case_hearings (judge, day) WHERE judge IS NOT NULL;
