-- Wire format 2 (deploy/docs/contract.md): the router holds the message as the raw bytes it read,
-- so the queue stores them as bytes too (a third smaller than base64 text, nothing to encode on the
-- way in or decode on the way out). Rows queued before this migration are decoded once, here.
ALTER TABLE deferred_entry ALTER COLUMN content TYPE bytea USING decode(content, 'base64');
