-- Users of the tokens auth mode and their API tokens. Only a SHA-256 hash of each token is stored: the
-- token itself is shown once by `goose users add` / `goose users rotate`. Tokens are 256 random bits, so
-- a fast unsalted hash is enough (no dictionary to guess from), and it lets a request find its user by
-- an indexed equality lookup. The same schema exists for SQLite in ../sqlite/V2__users.sql.

CREATE TABLE users (
    name             TEXT    NOT NULL PRIMARY KEY,
    admin            BOOLEAN NOT NULL,
    -- lower-case hex SHA-256 of the token
    token_hash       TEXT    NOT NULL,
    created_at       BIGINT  NOT NULL,
    token_created_at BIGINT  NOT NULL
);

CREATE UNIQUE INDEX users_token_hash ON users (token_hash);
