-- The usage report's customer search (R-ACC-2: GET /reports/usage/customers) lists a
-- partner's customers with an active association. From the partner's approved claims'
-- rows that took 0.44 s warm (1.1 s cold) for a partner with 91,705 active associations
-- over 67,182 tenants at 1,000,000 claims; from this partial index alone, 0.12-0.15 s.
-- Only claims with an active association are in it (55 MB at 1,000,000 claims). Writes
-- to claims wait while it is built (2.5 s at 1,000,000 claims; `cpor migrate` took 6.6 s in
-- all), reads do not.
CREATE INDEX "claims_org_active_tenant_idx" ON "claims" USING btree ("partner_organization_id","tenant_id","domain") WHERE (status = 'approved' and association->>'status' = 'active');