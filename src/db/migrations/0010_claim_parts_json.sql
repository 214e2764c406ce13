ALTER TABLE "claims" ADD COLUMN "parts_products" text;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "parts_documents" text;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "parts_version" integer;--> statement-breakpoint
-- Existing claims get their copies from the background work (refreshStaleClaimParts in
-- src/claims/claim-view.ts, in batches, found by migration 0011's index), not here: an
-- UPDATE of every claim would hold the claims table locked for ~100 s per million claims
-- (session 12). Until then the reads aggregate the parts' tables, as before this
-- migration.
