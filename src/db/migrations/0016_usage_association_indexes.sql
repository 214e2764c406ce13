-- The usage report (R-ACC-2) reads a partner's claims with an active association and
-- their product lines. From the claims' rows and every product line that took ~1 s of
-- its 1.5 s for a partner with 91,706 active associations and 691,866 usage rows at
-- 1,000,000 claims; from these two partial indexes alone, ~0.35 s.
-- A line enters the first one when its claim is approved (`holds_association`, R-CMP-2),
-- and leaves it when the claim is rejected or withdrawn or its association ends.
CREATE INDEX "claim_products_org_association_idx" ON "claim_products" USING btree ("partner_organization_id","claim_id","product_id") WHERE holds_association;--> statement-breakpoint
-- Migration 0015's index of active associations, with the claim's ID, so the report needs
-- no claim rows. It is built beside the old one, which is dropped last: dropping an index
-- holds the table's reads until the migration commits, and this keeps that short.
CREATE INDEX "claims_org_active_idx" ON "claims" USING btree ("partner_organization_id","tenant_id","domain","id") WHERE (status = 'approved' and association->>'status' = 'active');--> statement-breakpoint
DROP INDEX "claims_org_active_tenant_idx";
