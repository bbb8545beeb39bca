-- A client's request id names one turn (V1's unique index); request_hash is the SHA-256 of what that
-- request asked for (its message parts), so that the id sent again with another message is refused
-- instead of re-attaching to the first turn and dropping the new message without a word. The same
-- change exists in the other folder. Turns stored before this version have none and re-attach as
-- before.
ALTER TABLE turns ADD COLUMN request_hash TEXT;
