-- Who each case is about, for search: its defendant's PNC ID (`pnc:1988/0015313H`) and family
-- name folded with date of birth (`name:obrien|1991-02-03`), kept by the projection as a case's
-- defendant changes. Filled for stores that had cases before it by the fold (version 12).
CREATE TABLE case_people (
    key      TEXT NOT NULL,
    case_no  INTEGER NOT NULL,
    PRIMARY KEY (key, case_no)
) STRICT, WITHOUT ROWID;
