-- A webhook is delivered to by one server at a time: the deliverer that leased it, until the
-- lease ends (recording its delivery ends it at once; a server that died mid-delivery leaves
-- it to expire).
ALTER TABLE webhooks ADD COLUMN leased_until TEXT;
