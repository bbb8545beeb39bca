-- A session's own provider and model (ACP's session/set_config_option); NULL follows the server's
-- GOOSE_PROVIDER / GOOSE_MODEL. The same change exists for the other database.
ALTER TABLE sessions ADD COLUMN provider TEXT;
ALTER TABLE sessions ADD COLUMN model TEXT;
