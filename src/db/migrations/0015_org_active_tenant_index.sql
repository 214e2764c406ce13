-- The usage report's customer search (R-ACC-2: GET /reports/usage/customers) lists a
-- partner's customers with an active association. From the partner's approved claims'
-- rows that took 0.44 s warm (1.1 s cold) for a partner with 91,705 active associations
-- over 67,182 tenants at 1,000,000 claims; from this partial index alone, 0.12-0.15 s.
-- Only claims with an active association are in it (55 MB at 1,000,000 claims). Writes
-- to claims wait while it is built (2.5 s at 1,000,000 claims; `cpor migrate` took 6.6 s in
-- all), reads do not.
CREATE INDEX "claims_org_active_tenant_idx" ON "claims" USING btree ("partner_organization_id","tenant_id","domain") WHERE (status = 'approved' and association->>'status' = 'active');--> statement-breakpoint
-- Statistics of the association's status, which PostgreSQL does not keep for a JSON
-- field by itself: without them it took the partner's claims with an active association
-- for 0.5% of what they are (475 of 91,714 at 1,000,000 claims) once the index above
-- existed, and the usage report's slice then looked up the claims' product lines once per
-- usage record (1.1 million index scans; 2.6 -> 6.4 s).
-- ANALYZE fills them in.
CREATE STATISTICS "claims_association_status_stx" ON (association->>'status') FROM "claims";
