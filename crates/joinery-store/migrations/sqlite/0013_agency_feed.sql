-- Each agency's feed: the changes on the cases it works on, in the order Joinery accepted them.
-- A feed page reads its agency's next changes by index and decides only those, however sparse
-- the agency's share of the stream. Kept by the projection in the transaction that accepts a
-- message (for every agency on its case's team then) and that brings an agency onto a case
-- (for every change the case already has). A row is a candidate, never a disclosure: each is
-- decided when it is read, on its case as it stands.
CREATE TABLE agency_feed (
    agency  TEXT NOT NULL,
    seq     INTEGER NOT NULL,
    PRIMARY KEY (agency, seq)
) STRICT, WITHOUT ROWID;
INSERT OR IGNORE INTO agency_feed (agency, seq)
    SELECT ca.agency, m.seq FROM case_agencies ca JOIN messages m ON m.case_no = ca.case_no;
