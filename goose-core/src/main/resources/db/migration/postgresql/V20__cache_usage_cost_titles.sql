-- Prompt caching, cost estimates and generated titles (issue 16). The same change exists for
-- SQLite in ../sqlite/V20__cache_usage_cost_titles.sql: keep the two in step.

-- Tokens read from and written to the provider's prompt cache: parts of the input tokens, billed at
-- other prices. Kept like the input and output counts: the last call's and the session's total.
ALTER TABLE sessions ADD COLUMN last_cache_read_tokens      BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN last_cache_creation_tokens  BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN total_cache_read_tokens     BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN total_cache_creation_tokens BIGINT NOT NULL DEFAULT 0;
-- The estimated cost of the session's model calls in US dollars; NULL while no call had a price.
ALTER TABLE sessions ADD COLUMN total_cost_usd DOUBLE PRECISION;
-- Where the name comes from: 'user' (given when created or renamed: never replaced), 'default' (none
-- given: a generated title may replace it) or 'generated' (a title after the first exchange).
ALTER TABLE sessions ADD COLUMN name_source TEXT NOT NULL DEFAULT 'user';
UPDATE sessions SET name_source = 'default' WHERE name = 'New session';

ALTER TABLE messages ADD COLUMN cache_read_tokens     BIGINT NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN cache_creation_tokens BIGINT NOT NULL DEFAULT 0;
