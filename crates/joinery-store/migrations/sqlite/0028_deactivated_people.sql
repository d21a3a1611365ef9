-- A person an agency's administrator has deactivated (they left, or moved on): they cannot sign
-- in and their sessions end; their account and its trail are kept.
ALTER TABLE users ADD COLUMN deactivated_at TEXT;
