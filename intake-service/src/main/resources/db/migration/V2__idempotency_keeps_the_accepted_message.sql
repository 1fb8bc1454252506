-- An Idempotency-Key keeps what was accepted (message id, recipient count), not an HTTP answer:
-- the REST layer rebuilds the same 202 from it. A NULL message_id is a request in progress.
ALTER TABLE idempotency_key ADD COLUMN message_id text, ADD COLUMN recipients integer;
UPDATE idempotency_key
   SET message_id = substring(location FROM '^/v1/messages/(.+)$'),
       recipients = (body::jsonb ->> 'recipients')::integer
 WHERE status IS NOT NULL;
ALTER TABLE idempotency_key DROP COLUMN status, DROP COLUMN location, DROP COLUMN body;
