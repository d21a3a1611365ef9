-- Governance's review of each break-glass grant: who reviewed it, when, what they found and why.
-- One review a grant, kept as given.
CREATE TABLE break_glass_reviews (
    grant_id     INTEGER PRIMARY KEY REFERENCES break_glass (id),
    reviewed_by  TEXT NOT NULL,
    reviewed_at  TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    note         TEXT NOT NULL
) STRICT;

CREATE TRIGGER break_glass_reviews_append_only_update BEFORE UPDATE ON break_glass_reviews
BEGIN SELECT RAISE(ABORT, 'break-glass reviews are kept as given'); END;
CREATE TRIGGER break_glass_reviews_append_only_delete BEFORE DELETE ON break_glass_reviews
BEGIN SELECT RAISE(ABORT, 'break-glass reviews are kept as given'); END;
