-- A case's data-quality problems are found from its own messages, not by reading every open
-- problem of the agency: by the source a problem was raised on, and by the canonical message.
CREATE INDEX exceptions_by_source ON exceptions (source_no);
CREATE INDEX message_exceptions_by_message ON message_exceptions (agency, message_id);
