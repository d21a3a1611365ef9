-- An agency may remove a webhook: deliveries stop, and its past attempts stay for the record.
ALTER TABLE webhooks ADD COLUMN removed_at TEXT;
