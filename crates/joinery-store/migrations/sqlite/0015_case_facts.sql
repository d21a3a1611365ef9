-- What sharing decisions rest on about each case (`CaseFacts`: its team, judges, conviction and
-- consents), kept beside its state by the projection: a feed page decides a hundred changes on
-- as many cases from these few bytes, not from each case's whole state. A case stored before
-- has none until it next changes; until then a read takes the facts from its state.
ALTER TABLE cases ADD COLUMN facts TEXT;
