-- Turn leases for many instances on one database (the same change exists in ../postgresql/V4__turn_leases.sql).
-- A running turn belongs to the instance that runs it until lease_until (epoch nanoseconds); that
-- instance renews the lease every few seconds. When it stops renewing (the process died) any other
-- instance takes the turn over and closes it as interrupted. Turns started before this version have
-- no lease: only the single-instance recovery at start closes them.
ALTER TABLE turns ADD COLUMN instance_id TEXT;
ALTER TABLE turns ADD COLUMN lease_until BIGINT;
-- Set by a cancel request received on another instance; the owner polls it with its heartbeat (and is
-- told at once by a notification where the database has them).
ALTER TABLE turns ADD COLUMN cancel_requested BOOLEAN NOT NULL DEFAULT FALSE;

-- The heartbeat's renewal and the search for expired leases touch running turns only.
CREATE INDEX turns_running_lease ON turns (instance_id, lease_until) WHERE status = 'running';
