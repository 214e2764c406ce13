-- A partner's claim list filtered by MPN ID had no index of its own: PostgreSQL walked the
-- partner's claims in the list's order until it found a page, so an MPN ID with few or
-- no claims read all of them (Fabrikam's second MPN ID at 1,000,000 claims: 1.1 s warm,
-- 16 s cold). With the partner as the first column, a named statement's generic plan
-- reads this index alone (0.01-0.25 ms for either MPN ID); an index on (MPN ID, ...)
-- alone was ANDed with the partner's index and sorted all 170,120 claims of Fabrikam's
-- main MPN ID (1.1 s a page). Writes to `claims` wait while it is built (~10 s at
-- 1,000,000 claims).
CREATE INDEX "claims_org_mpn_updated_idx" ON "claims" USING btree ("partner_organization_id","mpn_id","updated_at","id");
