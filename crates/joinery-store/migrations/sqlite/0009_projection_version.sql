-- The version of the rules the cases' states were folded by. When the rules change (who joins
-- a case's team, which facts count), Joinery folds every case again from its events on open,
-- so that no state kept under older rules outlives them.
CREATE TABLE projection (
    version  INTEGER NOT NULL
) STRICT;
INSERT INTO projection (version) VALUES (0);
