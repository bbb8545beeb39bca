-- An approval is for one call: its id (unique in its session, the server renames duplicates) and the
-- SHA-256 of its tool name and canonical arguments (goose.approval.CallHash). A decision applies only to
-- a call of that hash; a resumed turn asks again for a call whose stored approval has another hash. The
-- same change exists in ../sqlite/V11__approval_call_hash.sql.
ALTER TABLE tool_approvals ADD COLUMN call_hash TEXT NOT NULL DEFAULT '';

-- Approvals stored before have no hash ('') and so match no call: a turn resumed with one asks again.
