-- An allowing decision runs its call at most once, across instances (the same change exists in
-- ../postgresql/V31__approval_claims.sql). Before a turn runs an approved call it claims the approval:
-- claimed_by gets the id of its instance, only while claimed_by is NULL and, on a store shared
-- through turn leases, only while the session's turn is still running under that instance's lease
-- (turns.instance_id, turns.lease_until). The call runs only when that UPDATE changed the row: a
-- turn taken over by another instance (its owner frozen longer than the lease) finds the approval
-- claimed by the new owner, or the turn no longer its own, and stops without running it.
-- Approvals stored before this version are unclaimed (NULL), as every new one is.
ALTER TABLE tool_approvals ADD COLUMN claimed_by TEXT;
