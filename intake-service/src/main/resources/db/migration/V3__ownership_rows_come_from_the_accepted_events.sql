-- The status projection now creates submitted_message from the postway.message.accepted events
-- (data.client, data.submittedAt): the events carry neither sender nor size, so those become optional.
ALTER TABLE submitted_message ALTER COLUMN sender DROP NOT NULL, ALTER COLUMN size_bytes DROP NOT NULL;
