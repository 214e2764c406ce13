-- The claim list's search (`q`: name, tenant ID or domain contains the text) by trigrams.
-- Without an index a search walks the list's order and reads claims until it has a page:
-- one with no match read all of them (a reviewer at 1,000,000 claims: 6.5 s warm, 36 s
-- cold; a partner with 170,000 claims: 5.1 s). With it such a search takes ~1 ms, and
-- one that matches most claims still walks the list's order (the planner has the
-- expression's statistics).
-- pg_trgm ships with PostgreSQL (contrib) and is a trusted extension: the database's
-- owner can create it. The embedded database loads it (src/db/client.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "claims_search_idx" ON "claims" USING gin ((name || ' ' || tenant_id || ' ' || domain) gin_trgm_ops);
